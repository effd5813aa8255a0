/* SPDX-License-Identifier: MIT */
/*
 * Doorbells (bhrt_channel.h) on x86: a doorbell is a vector 32-255 the
 * hypervisor raises in the vCPU (arch/x86/vintr.c), taken through the
 * partition's IDT by irq_vectors.S's stub, which counts it. The vCPU takes
 * interrupts, every vector 32-255 through its counting gate, from the first
 * rt_doorbell_enable() on. Under Bulkhead a wait halts until the doorbell
 * or its deadline, which the local APIC timer (TSC-deadline mode on
 * RT_TIMER_VECTOR, arch/x86/vtimer.c) ends: the runtime's waits own the
 * timer while they last, and leave it disarmed. Natively (no x2APIC under
 * QEMU's TCG) and before the first rt_doorbell_enable() (interrupts off,
 * which a halt would never leave) a wait polls the counter instead.
 */
#include <stdbool.h>
#include <stdint.h>

#include "bhrt.h"
#include "bhrt_channel.h"
#include "bhrt_x86.h"

#define FIRST_VECTOR 32u
#define STUB_BYTES 16u
#define RT_TIMER_VECTOR 0xfeu
#define MSR_SVR 0x80fu
#define MSR_LVT_TIMER 0x832u
#define MSR_TSC_DEADLINE 0x6e0u
#define SVR_ENABLED 0x100u
#define LVT_TSC_DEADLINE (2u << 17)
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)

static bool interrupts_on;   /* rt_doorbell_enable() ran on some vCPU: its gates are in the IDT */

extern const uint8_t rt_x86_irq_stubs[];
uint32_t rt_x86_irq_counts[256];   /* irq_vectors.S counts here */
uint32_t rt_x86_irq_total;

int rt_doorbell_enable(uint32_t intid)
{
	if ((intid < FIRST_VECTOR) || (intid > 255u)) {
		return -1;
	}
	/*
	 * Every vector 32-255 gets its counting gate, not only this one: a vector
	 * raised before its channel is opened (a peer that rang first, the
	 * service partition's first ring of every console) is then counted when
	 * the vCPU takes interrupts, instead of meeting a gate that is not
	 * present (a triple fault: the partition's crash).
	 */
	for (uint32_t v = FIRST_VECTOR; v <= 255u; v++) {
		x86_idt_set((uint8_t)v, (void (*)(void))(uintptr_t)&rt_x86_irq_stubs[(v - FIRST_VECTOR) * STUB_BYTES]);
	}
	x86_idt_load();
	__asm__ volatile("sti" : : : "memory");
	__atomic_store_n(&interrupts_on, true, __ATOMIC_RELEASE);
	return 0;
}

uint32_t rt_doorbell_count(uint32_t intid)
{
	return (intid <= 255u) ? __atomic_load_n(&rt_x86_irq_counts[intid], __ATOMIC_ACQUIRE) : 0u;
}

/* Whether this vCPU's waits can halt: Bulkhead's timer with TSC-deadline mode, and interrupts taken. */
static bool can_sleep(void)
{
	static uint32_t timer;   /* 0: not asked yet, 1: TSC-deadline mode offered, 2: not */
	uint32_t t = __atomic_load_n(&timer, __ATOMIC_RELAXED);
	uint64_t rflags;

	if (t == 0u) {
		bool offered = !rt_native() && ((x86_cpuid(1u).ecx & CPUID1_ECX_TSC_DEADLINE) != 0u);
		t = offered ? 1u : 2u;
		__atomic_store_n(&timer, t, __ATOMIC_RELAXED);
	}
	__asm__ volatile("pushfq; popq %0" : "=r"(rflags));
	return (t == 1u) && __atomic_load_n(&interrupts_on, __ATOMIC_ACQUIRE) && ((rflags & 0x200u) != 0u);
}

/* Halts until the doorbell or the deadline (the timer), or polls where it cannot (can_sleep). */
/* Implements: REQ-XARCH-043 */
bool rt_doorbell_wait(uint32_t intid, uint32_t *seen, uint64_t deadline)
{
	bool sleep = can_sleep();

	if (sleep) {
		x86_wrmsr(MSR_SVR, SVR_ENABLED | 0xffu);
		x86_wrmsr(MSR_LVT_TIMER, RT_TIMER_VECTOR | LVT_TSC_DEADLINE);
		x86_wrmsr(MSR_TSC_DEADLINE, (deadline != 0u) ? deadline : 1u);   /* 0 would disarm it */
		__asm__ volatile("cli" : : : "memory");
	}
	for (;;) {
		uint32_t c = rt_doorbell_count(intid);

		if ((c != *seen) || (rt_counter() >= deadline)) {
			bool rang = c != *seen;
			*seen = c;
			if (sleep) {
				x86_wrmsr(MSR_TSC_DEADLINE, 0u);
				__asm__ volatile("sti" : : : "memory");
			}
			return rang;
		}
		if (sleep) {
			/* STI's shadow: a vector pending at the STI ends the HLT; the check above runs with IF clear. */
			__asm__ volatile("sti; hlt; cli" : : : "memory");
		} else {
			__asm__ volatile("pause");
		}
	}
}
