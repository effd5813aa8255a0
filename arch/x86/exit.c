/* SPDX-License-Identifier: MIT */
/*
 * The vCPU loop and the one exit dispatcher of both vendor back ends
 * (vendor.h): hypercalls, CPUID (filtered), HLT, I/O ports and MSRs
 * outside the partition's grants (refused and counted), nested page faults
 * and shutdown (contained by the partition's fault policy), and the kick.
 * Every other intercepted instruction is #UD or a no-op for the guest; an
 * exit the hypervisor does not expect is a fault of the partition, never of
 * the hypervisor. docs/traps.md lists each choice.
 */
#include <generated/autoconf.h>
#include <bulkhead/channel.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/x86_cpuid.h>
#include "arch.h"
#include "cfg.h"
#include "core.h"
#include "cpu.h"
#include "emul.h"
#include "incident.h"
#include "insn.h"
#include "lib.h"
#include "log.h"
#include "partition.h"
#include "vendor.h"
#include "x86.h"
#include "gprs_asm.h"

/* The world switches' offsets (gprs_asm.h) are the struct's. */
_Static_assert((uint32_t)offsetof(struct x86_gprs, hc) == (uint32_t)GPRS_RAX, "gprs_asm.h");
_Static_assert(((size_t)X86_RDI * 8u) == (size_t)GPRS_RDI, "gprs_asm.h");
_Static_assert(((size_t)X86_R9 * 8u) == (size_t)GPRS_R9, "gprs_asm.h");
_Static_assert((uint32_t)offsetof(struct x86_gprs, r10) == (uint32_t)GPRS_R10, "gprs_asm.h");
_Static_assert((uint32_t)offsetof(struct x86_gprs, rbx) == (uint32_t)GPRS_RBX, "gprs_asm.h");
_Static_assert((uint32_t)offsetof(struct x86_gprs, r15) == (uint32_t)GPRS_R15, "gprs_asm.h");
_Static_assert((uint32_t)sizeof(struct x86_gprs) == (uint32_t)GPRS_SIZE, "gprs_asm.h");

static NORETURN void contain(struct cpu *cpu, const struct x86_exit *e, uint8_t kind, uint64_t addr, bool addr_valid)
{
	struct fault f = {
		.kind = kind,
		.pc = vendor_reg_read(cpu, X86_REG_RIP),
		.syndrome = e->code,
		.addr = addr,
		.addr_valid = addr_valid,
	};
	health_fault(cpu, &f);
}

/*
 * Steps over the trapped instruction. Its length is the processor's where
 * it reports one (VMX); otherwise it is decoded from the guest's bytes and
 * must decode as the instruction that trapped, or the partition is
 * contained (SVM under QEMU TCG fills no next-RIP).
 */
static void skip(struct cpu *cpu, const struct x86_exit *e)
{
	uint32_t len = e->insn_len;

	if (len == 0u) {
		uint8_t buf[X86_INSN_MAX];
		enum x86_insn_op op = X86_OP_UNKNOWN;
		uint32_t n = 0u;
		const uint8_t *bytes = x86_fetch_code(cpu, buf, &n);

		len = x86_insn_decode(bytes, n, vendor_code_mode(cpu), &op);
		if ((len == 0u) || (op != e->op)) {
			log_warning("partition '%s': trapped instruction at 0x%lx does not decode as expected (exit 0x%lx)",
				    cpu->partition->cfg->name, vendor_reg_read(cpu, X86_REG_RIP), e->code);
			contain(cpu, e, BH_FAULT_UNHANDLED_TRAP, 0u, false);
		}
	}
	vendor_reg_write(cpu, X86_REG_RIP, vendor_reg_read(cpu, X86_REG_RIP) + len);
}

/*
 * The vCPU's pending virtual interrupts, presented at the end of each exit:
 * one word (virq_words) says whether there is any, the rest is vintr.c's.
 */
static inline void present_pending(struct cpu *cpu)
{
	if (__atomic_load_n(&cpu->arch.virq_words, __ATOMIC_ACQUIRE) != 0u) {
		x86_virq_present(cpu);
	}
}

/* A call not Bulkhead's own: PSCI's, or refused (apart, so the hypercall's path keeps no frame for the log). */
static void __attribute__((noinline)) other_call(struct cpu *cpu, uint64_t r[X86_HC_REGS])
{
	if (!x86_psci(cpu, r)) {
		incident_log(cpu, BH_INCIDENT_CALL, "hypercall function 0x%x refused", (uint32_t)r[X86_RAX]);
		r[X86_RAX] = (uint64_t)(int64_t)BH_ERR_NOT_SUPPORTED;
	}
}

/*
 * Hypercall registers: rax, rdi, rsi, rdx, rcx, r8, r9 in; rax, rdi, rsi,
 * rdx out: struct x86_gprs's `hc`, in that order, is the dispatcher's r[7]
 * as it lies (core writes only r[0..3], the ABI's results). `len` is the
 * call's instruction length, which the back end knows without the guest's
 * bytes (arch/x86/README.md, REQ-XARCH-003~2). Each path ends in a call
 * that can be a tail call: no frame, and nothing presented here (the
 * caller presents).
 */
static inline void hypercall(struct cpu *cpu, uint32_t len)
{
	uint64_t *r = cpu->arch.gprs.hc;
	uint32_t fid = (uint32_t)r[X86_RAX];

	if (vendor_cpl(cpu) != 0u) {
		vendor_inject_exception(cpu, X86_EXC_UD, false, 0u);   /* the contract: only CPL 0 calls */
	} else {
		vendor_reg_write(cpu, X86_REG_RIP, vendor_reg_read(cpu, X86_REG_RIP) + len);
		if (((fid >> BH_SMCCC_OWNER_SHIFT) & BH_SMCCC_OWNER_MASK) == BH_SMCCC_OWNER_VENDOR_HYP) {
			hypercall_dispatch(cpu, r);
		} else {
			other_call(cpu, r);
		}
	}
}

/* A back end's hypercall exit, straight from its world switch (as ARM64's vector slot does), without the struct x86_exit of the other exits. */
void x86_hypercall(struct cpu *cpu, uint32_t len)
{
	hypercall(cpu, len);
}

/* CPUID with the hypervisor bit, without what the hypervisor does not offer, and the Bulkhead leaves. */
static bool cpuid_exit(struct cpu *cpu, const struct x86_exit *e)
{
	struct x86_gprs *g = &cpu->arch.gprs;
	uint32_t leaf = (uint32_t)g->hc[X86_RAX];
	uint32_t r[4] = { 0u, 0u, 0u, 0u };

	skip(cpu, e);
	if ((leaf & 0xffffff00u) == BH_X86_CPUID_BASE) {
		if (leaf == BH_X86_CPUID_BASE) {
			r[0] = BH_X86_CPUID_TSC_KHZ;
			r[1] = BH_X86_SIGNATURE_EBX;
			r[2] = BH_X86_SIGNATURE_ECX;
			r[3] = BH_X86_SIGNATURE_EDX;
		} else if (leaf == BH_X86_CPUID_IDS) {
			r[0] = cpu->partition->id;
			r[1] = cpu->vcpu;
		} else if (leaf == BH_X86_CPUID_TSC_KHZ) {
			r[0] = (uint32_t)(arch_counter_hz() / 1000u);
			r[1] = r[0];   /* the local APIC timer's clock: the TSC's (vtimer.c) */
		} else {
			/* reserved: zero */
		}
	} else {
		cpuid(leaf, (uint32_t)g->hc[X86_RCX], r);
		if (leaf == 1u) {
			r[2] |= ((uint32_t)1u << 31) | ((uint32_t)1u << 21);  /* hypervisor present; x2APIC (x2apic.c) */
			r[2] |= (uint32_t)1u << 24;                          /* TSC-deadline timer (vtimer.c) */
			r[2] &= ~(((uint32_t)1u << 5) | ((uint32_t)1u << 3)); /* no VMX, no MONITOR/MWAIT */
		} else if (leaf == 6u) {
			r[0] |= (uint32_t)1u << 2;   /* ARAT: the timer runs while the guest halts (vtimer.c) */
		} else if ((leaf == 7u) && ((uint32_t)g->hc[X86_RCX] == 0u)) {
			r[2] &= ~((uint32_t)1u << 22);   /* no RDPID: TSC_AUX, which it reads, is not the partition's */
		} else if (leaf == 0x80000001u) {
			r[2] &= ~((uint32_t)1u << 2);    /* no SVM: nested virtualization is not offered */
			/* No RDTSCP: an OS that finds it writes TSC_AUX (refused) on each core before its IDT is up. */
			r[3] &= ~((uint32_t)1u << 27);
		} else if (leaf == 0x8000000au) {
			r[0] = 0u;
			r[1] = 0u;
			r[2] = 0u;
			r[3] = 0u;
		} else {
			/* passed as the host reports it */
		}
	}
	g->hc[X86_RAX] = r[0];
	g->rbx = r[1];
	g->hc[X86_RCX] = r[2];
	g->hc[X86_RDX] = r[3];
	return true;   /* rbx */
}

/* The low `size` bytes of a port access's register (1, 2 or 4). */
static uint64_t io_mask(uint32_t size)
{
	uint64_t ones = 0xffffffffULL;

	if (size == 1u) {
		ones = 0xffULL;
	} else if (size == 2u) {
		ones = 0xffffULL;
	} else {
		/* four bytes */
	}
	return ones;
}

/*
 * A port the partition's map does not grant: its emulated device's, when it
 * registered one there (core's registry, emul.h) and the device takes the
 * access; otherwise refused and counted, a read returning all ones (what an
 * ISA bus gives for a port nobody decodes). String instructions reach no
 * emulated device: none of them is written for them (docs/traps.md).
 */
/* Implements: REQ-XARCH-033 */
static bool io_exit(struct cpu *cpu, const struct x86_exit *e)
{
	struct x86_gprs *g = &cpu->arch.gprs;
	uint64_t ones = io_mask(e->io_size);
	const struct emul_region *r = e->io_string ? NULL : emul_find(&cpu->partition->emul[EMUL_PIO], e->port);
	uint64_t value = e->io_in ? 0u : (g->hc[X86_RAX] & ones);

	if ((r != NULL) && r->handler(cpu, r->context, (uint64_t)e->port - r->base, !e->io_in, e->io_size, &value)) {
		if (e->io_in) {
			g->hc[X86_RAX] = (g->hc[X86_RAX] & ~ones) | (value & ones);
		}
		skip(cpu, e);
		return false;
	}
	incident_log(cpu, BH_INCIDENT_REGISTER, "%s port 0x%x refused", e->io_in ? "IN from" : "OUT to", e->port);
	if (e->io_in && !e->io_string) {
		g->hc[X86_RAX] = (g->hc[X86_RAX] & ~ones) | ones;
	}
	skip(cpu, e);
	return false;
}

#define EFER_GUEST_BITS (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)

static bool msr_exit(struct cpu *cpu, const struct x86_exit *e)
{
	struct x86_gprs *g = &cpu->arch.gprs;
	bool write = e->msr_write;
	uint32_t msr = (uint32_t)g->hc[X86_RCX];
	uint64_t value = (g->hc[X86_RAX] & 0xffffffffu) | (g->hc[X86_RDX] << 32);

	if (msr == MSR_EFER) {
		if (!write) {
			uint64_t efer = vendor_reg_read(cpu, X86_REG_EFER) & EFER_GUEST_BITS;
			skip(cpu, e);
			g->hc[X86_RAX] = efer & 0xffffffffu;
			g->hc[X86_RDX] = efer >> 32;
			return false;
		}
		if ((value & ~EFER_GUEST_BITS) == 0u) {
			skip(cpu, e);
			vendor_reg_write(cpu, X86_REG_EFER, value);   /* LMA stays the processor's (vendor.h) */
			return false;
		}
	}
	if (x2apic_msr(cpu, msr, write, &value)) {
		skip(cpu, e);
		if (!write) {
			g->hc[X86_RAX] = value & 0xffffffffu;
			g->hc[X86_RDX] = value >> 32;
		}
		return false;
	}
	incident_log(cpu, BH_INCIDENT_REGISTER, "%s of MSR 0x%x refused", write ? "WRMSR" : "RDMSR", msr);
	vendor_inject_exception(cpu, X86_EXC_GP, true, 0u);
	return false;
}

static bool npf_exit(struct cpu *cpu, const struct x86_exit *e)
{
	if ((e->fault_kind != BH_FAULT_INSTRUCTION) && (x86_ioapic_access(cpu, e->gpa) || x86_xapic_access(cpu, e->gpa))) {
		return true;   /* the I/O APIC or the xAPIC page, emulated (ioapic.c, xapic.c): a read may load any register */
	}
	contain(cpu, e, e->fault_kind, e->gpa, true);
}

#define RFLAGS_IF ((uint32_t)1u << 9)

/*
 * The guest waits for an interrupt: a virtual one raised in it that its IF
 * lets in, or the hypervisor's next request. With IF clear a pending vector
 * wakes nothing, as on hardware (the wait then ends at each kick only).
 */
static bool hlt_exit(struct cpu *cpu, const struct x86_exit *e)
{
	bool takes_virq = ((vendor_reg_read(cpu, X86_REG_RFLAGS) & RFLAGS_IF) != 0u) && x86_virq_waiting(cpu);

	skip(cpu, e);
	if ((__atomic_load_n(&cpu->requests, __ATOMIC_ACQUIRE) == 0u) && !takes_virq) {
		x86_wait_interrupt();
	}
	core_handle_requests(cpu);
	return false;
}

static bool xsetbv_exit(struct cpu *cpu, const struct x86_exit *e)
{
	struct x86_gprs *g = &cpu->arch.gprs;
	uint64_t value = (g->hc[X86_RAX] & 0xffffffffu) | (g->hc[X86_RDX] << 32);
	uint32_t r[4];

	cpuid(0xdu, 0u, r);
	uint64_t supported = ((uint64_t)r[3] << 32) | r[0];
	if ((g->hc[X86_RCX] != 0u) || ((value & 1u) == 0u) || ((value & ~supported) != 0u) || ((value & 6u) == 4u)) {
		incident_log(cpu, BH_INCIDENT_REGISTER, "XSETBV 0x%lx refused", value);
		vendor_inject_exception(cpu, X86_EXC_GP, true, 0u);
		return false;
	}
	skip(cpu, e);
	__asm__ volatile("xsetbv" : : "c"(0u), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
	return false;
}

static bool intr_exit(struct cpu *cpu, const struct x86_exit *e)
{
	UNUSED(e);
	x86_take_interrupts();
	core_handle_requests(cpu);
	return false;
}

/* The pending vector is handed over at this exit's end (vintr.c); a host event is the hypervisor's own. */
static bool no_exit_work(struct cpu *cpu, const struct x86_exit *e)
{
	UNUSED(cpu);
	UNUSED(e);
	return false;
}

static bool cache_exit(struct cpu *cpu, const struct x86_exit *e)
{
	skip(cpu, e);   /* caches are coherent; a flush would reach other partitions' timing */
	return false;
}

static bool denied_exit(struct cpu *cpu, const struct x86_exit *e)
{
	incident_log(cpu, BH_INCIDENT_REGISTER, "instruction of exit 0x%lx refused: #UD", e->code);
	vendor_inject_exception(cpu, X86_EXC_UD, false, 0u);
	return false;
}

static bool shutdown_exit(struct cpu *cpu, const struct x86_exit *e)
{
	log_warning("partition '%s': triple fault (shutdown)", cpu->partition->cfg->name);
	contain(cpu, e, BH_FAULT_UNHANDLED_TRAP, 0u, false);
}

static bool unexpected_exit(struct cpu *cpu, const struct x86_exit *e)
{
	log_warning("partition '%s': unexpected exit 0x%lx (info 0x%lx)", cpu->partition->cfg->name, e->code, e->info);
	contain(cpu, e, BH_FAULT_UNHANDLED_TRAP, 0u, false);
}

/* A hypercall exit described like the others (the back ends take theirs to x86_hypercall; x86_exit_handle presents after it). */
static bool hypercall_via_table(struct cpu *cpu, const struct x86_exit *e)
{
	hypercall(cpu, e->insn_len);
	return false;
}

bool x86_exit_handle(struct cpu *cpu, const struct x86_exit *e)
{
	/* One handler per reason, indexed by it: an exit's dispatch is one bounds check and one call. */
	static bool (*const handlers[X86_EXIT_COUNT])(struct cpu *cpu, const struct x86_exit *e) = {
		[X86_EXIT_UNEXPECTED] = unexpected_exit,
		[X86_EXIT_INTR] = intr_exit,
		[X86_EXIT_VIRQ_WINDOW] = no_exit_work,
		[X86_EXIT_HYPERCALL] = hypercall_via_table,
		[X86_EXIT_CPUID] = cpuid_exit,
		[X86_EXIT_HLT] = hlt_exit,
		[X86_EXIT_IO] = io_exit,
		[X86_EXIT_MSR] = msr_exit,
		[X86_EXIT_NPF] = npf_exit,
		[X86_EXIT_XSETBV] = xsetbv_exit,
		[X86_EXIT_CACHE] = cache_exit,
		[X86_EXIT_HOST_EVENT] = no_exit_work,
		[X86_EXIT_DENIED] = denied_exit,
		[X86_EXIT_SHUTDOWN] = shutdown_exit,
	};
	uint32_t reason = (uint32_t)e->reason;
	bool reload = handlers[(reason < (uint32_t)X86_EXIT_COUNT) ? reason : (uint32_t)X86_EXIT_UNEXPECTED](cpu, e);

	present_pending(cpu);
	return reload;
}

/* The vCPU's loop, on its cpu's fresh stack: the vendor's world switch, each exit through x86_exit_handle. */
static NORETURN void run_vcpu(struct cpu *cpu)
{
	x86_virq_present(cpu);
	vendor_vcpu_loop(cpu);
}

NORETURN void arch_vcpu_enter(struct cpu *cpu, uint64_t entry, uint64_t arg)
{
	(void)memset(&cpu->arch.gprs, 0, sizeof(cpu->arch.gprs));
	cpu->arch.gprs.hc[X86_RSI] = arg & 0xffffffffu;
	vendor_vcpu_reset(cpu, entry);
	if ((arg & X86_START_SIPI) != 0u) {
		vendor_vcpu_real_mode(cpu, entry);
	}
	x86_virq_reset(cpu);   /* nothing pending in a new life */
	x86_vlapic_reset(cpu);
	x86_call_on_stack(x86_stack_top(cpu->index), run_vcpu, cpu);
}
