/* SPDX-License-Identifier: MIT */
/*
 * Virtual interrupts of x86 partitions: a vector 32-255 raised in a vCPU
 * (an x2APIC IPI of its own partition, a channel's doorbell) is pending in
 * its cpu's bitmap until the cpu hands it to the vendor back end before the
 * guest runs (vendor_virq_present: SVM's V_IRQ, VMX's event injection with
 * an interrupt window), which delivers it through the guest's IDT once the
 * guest's IF allows; the guest's IF never masks the host's interrupts.
 * One vector is presented at a time, the highest first; raises of a pending
 * vector merge. No in-service state: the guest's EOI has nothing to end
 * (x2apic.c), so the next vector is presented at the next entry after the
 * guest took the last one.
 */
#include "arch.h"
#include "cfg.h"
#include "cpu.h"
#include "partition.h"
#include "vendor.h"
#include "this_cpu.h"
#include "x86.h"

#define VECTOR_FIRST  32u   /* 0-31 are exceptions */

bool arch_virq_valid(const struct partition *p, uint32_t virq)
{
	UNUSED(p);
	return (virq >= VECTOR_FIRST) && (virq <= 255u);
}

/*
 * Marks `virq` pending at `cpu`; true when this raise made it pending. The
 * word's bit in virq_words is set after the vector's: a cpu that finds
 * virq_words clear has nothing to present, with one load (x86_virq_present).
 */
static bool mark_pending(struct cpu *cpu, uint32_t virq)
{
	uint32_t w = virq / 64u;
	uint32_t shift = virq % 64u;
	uint64_t bit = 1ULL << shift;
	uint64_t old = __atomic_fetch_or(&cpu->arch.virq_pending[w], bit, __ATOMIC_ACQ_REL);

	(void)__atomic_fetch_or(&cpu->arch.virq_words, 1ULL << w, __ATOMIC_RELEASE);
	return (old & bit) == 0u;
}

/*
 * Only ever on the vCPU's own cpu while its guest is stopped (core's
 * contract; on x86 also from the timer's interrupt, taken only where the
 * guest is stopped: svm_entry.S, x86_take_interrupts, x86_wait_interrupt).
 * With nothing pending and nothing presented this vector is the highest
 * pending one, so it is presented at once, as present_next would at the
 * exit's end: the timer's exit then needs no pass through the bitmap, and
 * svm_entry.S resumes the guest without the rest of the exit. A vector
 * raised meanwhile by another cpu stays pending for the next entry, as if
 * it had come a moment later.
 */
void arch_vcpu_inject(struct cpu *cpu, uint32_t virq)
{
	if ((__atomic_load_n(&cpu->arch.virq_words, __ATOMIC_ACQUIRE) == 0u) && !vendor_virq_presented(cpu)) {
		vendor_virq_present(cpu, virq);
	} else {
		(void)mark_pending(cpu, virq);
	}
}

void arch_vcpu_raise(struct partition *p, uint32_t vcpu, uint32_t virq)
{
	uint32_t core = p->cfg->vcpu_cpu[vcpu];

	/* A raise on the vCPU's own cpu (an I/O APIC pin it owns, taken in the hypervisor) needs no kick:
	 * the vector is presented at the next VMRUN, and a HLT being waited out ends with the interrupt. */
	if (mark_pending(cpu_get(core), virq) && (x86_this_cpu()->index != core)) {
		arch_cpu_kick(core);
	}
}

bool x86_virq_waiting(const struct cpu *cpu)
{
	return (__atomic_load_n(&cpu->arch.virq_words, __ATOMIC_ACQUIRE) != 0u) || vendor_virq_presented(cpu);
}

/*
 * The highest pending vector of the highest word virq_words names. The
 * word's bit is cleared before the word is read and set again when the
 * word keeps a vector after this one is taken: a raise that lands
 * meanwhile sets it after its vector (mark_pending), so no vector is
 * pending with its word's bit clear once both are done.
 */
static void present_next(struct cpu *cpu, uint64_t words)
{
	uint64_t left_words = words;

	/* At most one pass per word: a word found empty (its bit set by a raise whose vector an earlier take
	 * already presented) is passed over for the next. */
	for (uint32_t pass = 0u; (pass < 4u) && (left_words != 0u); pass++) {
		uint32_t w = (63u - (uint32_t)__builtin_clzll(left_words)) & 3u;   /* bits 0-3 only (mark_pending) */
		uint64_t wbit = 1ULL << w;

		(void)__atomic_fetch_and(&cpu->arch.virq_words, ~wbit, __ATOMIC_ACQ_REL);
		uint64_t word = __atomic_load_n(&cpu->arch.virq_pending[w], __ATOMIC_ACQUIRE);
		if (word != 0u) {
			uint32_t bit = 63u - (uint32_t)__builtin_clzll(word);
			uint64_t left = __atomic_fetch_and(&cpu->arch.virq_pending[w], ~(1ULL << bit), __ATOMIC_ACQ_REL) &
					~(1ULL << bit);

			if (left != 0u) {
				(void)__atomic_fetch_or(&cpu->arch.virq_words, wbit, __ATOMIC_RELEASE);
			}
			vendor_virq_present(cpu, (w * 64u) + bit);
			return;
		}
		left_words &= ~wbit;
	}
}

void x86_virq_present(struct cpu *cpu)
{
	uint64_t words = __atomic_load_n(&cpu->arch.virq_words, __ATOMIC_ACQUIRE);

	if ((words != 0u) && !vendor_virq_presented(cpu)) {
		present_next(cpu, words);   /* else nothing pending, or the last one not taken yet */
	}
}

void x86_virq_reset(struct cpu *cpu)
{
	for (uint32_t w = 0u; w < 4u; w++) {
		__atomic_store_n(&cpu->arch.virq_pending[w], 0u, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&cpu->arch.virq_words, 0u, __ATOMIC_RELEASE);
	vendor_virq_clear(cpu);
}
