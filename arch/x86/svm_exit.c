/* SPDX-License-Identifier: MIT */
/*
 * The #VMEXIT handlers: hypercalls (VMMCALL), CPUID (filtered), HLT, I/O
 * ports and MSRs outside the partition's grants (refused and counted),
 * nested page faults and shutdown (contained by the partition's fault
 * policy), and the kick. Every other intercepted instruction is #UD or a
 * no-op for the guest; an exit the hypervisor does not expect is a fault of
 * the partition, never of the hypervisor. docs/traps.md lists each choice.
 */
#include <generated/autoconf.h>
#include <bulkhead/channel.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/x86_cpuid.h>
#include "arch.h"
#include "cfg.h"
#include "core.h"
#include "cpu.h"
#include "incident.h"
#include "insn.h"
#include "log.h"
#include "partition.h"
#include "svm.h"
#include "vmcb.h"
#include "x86.h"

static NORETURN void contain(struct cpu *cpu, const void *v, uint8_t kind, uint64_t addr, bool addr_valid)
{
	struct fault f = {
		.kind = kind,
		.pc = vmcb_read64(v, VMCB_RIP),
		.syndrome = vmcb_read64(v, VMCB_EXITCODE),
		.addr = addr,
		.addr_valid = addr_valid,
	};
	health_fault(cpu, &f);
}

static void inject(void *v, uint32_t vector, bool has_error, uint32_t error)
{
	uint64_t ev = vector | SVM_EVENT_EXCEPTION | SVM_EVENT_VALID;

	if (has_error) {
		ev |= SVM_EVENT_EV | ((uint64_t)error << 32);
	}
	vmcb_write64(v, VMCB_EVENTINJ, ev);
}

enum x86_code_mode svm_code_mode(const void *v)
{
	uint32_t attrib = vmcb_read32(v, VMCB_CS) >> 16;

	if (((vmcb_read64(v, VMCB_EFER) & EFER_LMA) != 0u) && ((attrib & 0x200u) != 0u)) {
		return X86_MODE_64;
	}
	return ((attrib & 0x400u) != 0u) ? X86_MODE_32 : X86_MODE_16;
}

/* Steps over the trapped instruction, which must decode as `want`; contains the partition otherwise. */
static void skip(struct cpu *cpu, void *v, enum x86_insn_op want)
{
	uint8_t buf[X86_INSN_MAX];
	enum x86_insn_op op = X86_OP_UNKNOWN;
	uint32_t n = 0u;
	const uint8_t *bytes = svm_fetch_code(cpu, v, buf, &n);
	uint32_t len = x86_insn_decode(bytes, n, svm_code_mode(v), &op);

	if ((len == 0u) || (op != want)) {
		log_warning("partition '%s': trapped instruction at 0x%lx does not decode as expected (exit 0x%lx)",
			    cpu->partition->cfg->name, vmcb_read64(v, VMCB_RIP), vmcb_read64(v, VMCB_EXITCODE));
		contain(cpu, v, BH_FAULT_UNHANDLED_TRAP, 0u, false);
	}
	vmcb_write64(v, VMCB_RIP, vmcb_read64(v, VMCB_RIP) + len);
}

/* Hypercall registers: rax, rdi, rsi, rdx, rcx, r8, r9 in; rax, rdi, rsi, rdx out. */
static void hypercall(struct cpu *cpu, void *v)
{
	struct x86_gprs *g = &cpu->arch.gprs;
	uint64_t r[7] = { vmcb_read64(v, VMCB_RAX), g->rdi, g->rsi, g->rdx, g->rcx, g->r8, g->r9 };
	uint32_t fid = (uint32_t)r[0];

	if (vmcb_read32(v, VMCB_CPL) & 0xffu) {
		inject(v, X86_EXC_UD, false, 0u);   /* the contract: only CPL 0 calls */
		return;
	}
	skip(cpu, v, X86_OP_VMMCALL);
	if (((fid >> BH_SMCCC_OWNER_SHIFT) & BH_SMCCC_OWNER_MASK) == BH_SMCCC_OWNER_VENDOR_HYP) {
		hypercall_dispatch(cpu, r);
	} else if (!x86_psci(cpu, r)) {
		incident_log(cpu, BH_INCIDENT_CALL, "VMMCALL function 0x%x refused", fid);
		r[0] = (uint64_t)(int64_t)BH_ERR_NOT_SUPPORTED;
	} else {
		/* a power call, answered in r[0] */
	}
	vmcb_write64(v, VMCB_RAX, r[0]);
	g->rdi = r[1];
	g->rsi = r[2];
	g->rdx = r[3];
}

/* CPUID with the hypervisor bit, without what the hypervisor does not offer, and the Bulkhead leaves. */
static void cpuid_exit(struct cpu *cpu, void *v)
{
	struct x86_gprs *g = &cpu->arch.gprs;
	uint32_t leaf = (uint32_t)vmcb_read64(v, VMCB_RAX);
	uint32_t r[4] = { 0u, 0u, 0u, 0u };

	skip(cpu, v, X86_OP_CPUID);
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
		} else {
			/* reserved: zero */
		}
	} else {
		cpuid(leaf, (uint32_t)g->rcx, r);
		if (leaf == 1u) {
			r[2] |= (1u << 31) | (1u << 21);  /* hypervisor present; x2APIC (x2apic.c) */
			r[2] &= ~((1u << 5) | (1u << 3)); /* no VMX, no MONITOR/MWAIT */
		} else if (leaf == 0x80000001u) {
			r[2] &= ~(1u << 2);               /* no SVM: nested virtualization is not offered */
		} else if (leaf == 0x8000000au) {
			r[0] = r[1] = r[2] = r[3] = 0u;
		} else {
			/* passed as the host reports it */
		}
	}
	vmcb_write64(v, VMCB_RAX, r[0]);
	g->rbx = r[1];
	g->rcx = r[2];
	g->rdx = r[3];
}

static void ioio_exit(struct cpu *cpu, void *v)
{
	uint64_t info = vmcb_read64(v, VMCB_EXITINFO1);
	uint32_t port = (uint32_t)(info >> 16) & 0xffffu;
	bool in = (info & 1u) != 0u;

	incident_log(cpu, BH_INCIDENT_REGISTER, "%s port 0x%x refused", in ? "IN from" : "OUT to", port);
	if (in && ((info & 0x4u) == 0u)) {
		uint32_t bytes = (uint32_t)((info >> 4) & 0x7u);   /* SZ8, SZ16, SZ32 */
		uint64_t ones = (bytes == 1u) ? 0xffu : ((bytes == 2u) ? 0xffffu : 0xffffffffu);
		vmcb_write64(v, VMCB_RAX, (vmcb_read64(v, VMCB_RAX) & ~ones) | ones);
	}
	vmcb_write64(v, VMCB_RIP, vmcb_read64(v, VMCB_EXITINFO2));   /* the next instruction: SVM gives it for IOIO */
}

#define EFER_GUEST_BITS (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)

static void msr_exit(struct cpu *cpu, void *v)
{
	struct x86_gprs *g = &cpu->arch.gprs;
	bool write = (vmcb_read64(v, VMCB_EXITINFO1) & 1u) != 0u;
	uint32_t msr = (uint32_t)g->rcx;
	uint64_t value = (vmcb_read64(v, VMCB_RAX) & 0xffffffffu) | (g->rdx << 32);

	if (msr == MSR_EFER) {
		if (!write) {
			uint64_t efer = vmcb_read64(v, VMCB_EFER) & EFER_GUEST_BITS;
			skip(cpu, v, X86_OP_RDMSR);
			vmcb_write64(v, VMCB_RAX, efer & 0xffffffffu);
			g->rdx = efer >> 32;
			return;
		}
		if ((value & ~EFER_GUEST_BITS) == 0u) {
			skip(cpu, v, X86_OP_WRMSR);
			/* LMA is the processor's: kept as it is; SVME stays set under the guest. */
			vmcb_write64(v, VMCB_EFER, (value & ~EFER_LMA) | (vmcb_read64(v, VMCB_EFER) & EFER_LMA) | EFER_SVME);
			return;
		}
	}
	if (x2apic_msr(cpu, msr, write, &value)) {
		skip(cpu, v, write ? X86_OP_WRMSR : X86_OP_RDMSR);
		if (!write) {
			vmcb_write64(v, VMCB_RAX, value & 0xffffffffu);
			g->rdx = value >> 32;
		}
		return;
	}
	incident_log(cpu, BH_INCIDENT_REGISTER, "%s of MSR 0x%x refused", write ? "WRMSR" : "RDMSR", msr);
	inject(v, X86_EXC_GP, true, 0u);
}

static void npf_exit(struct cpu *cpu, void *v)
{
	uint64_t err = vmcb_read64(v, VMCB_EXITINFO1);
	uint8_t kind = ((err & 0x10u) != 0u) ? BH_FAULT_INSTRUCTION
		       : (((err & 0x2u) != 0u) ? BH_FAULT_DATA_WRITE : BH_FAULT_DATA_READ);

	if (((err & 0x10u) == 0u) && x86_ioapic_access(cpu, v, vmcb_read64(v, VMCB_EXITINFO2))) {
		return;   /* the I/O APIC, emulated (ioapic.c) */
	}
	contain(cpu, v, kind, vmcb_read64(v, VMCB_EXITINFO2), true);
}

#define RFLAGS_IF (1u << 9)

/*
 * The guest waits for an interrupt: a virtual one raised in it that its IF
 * lets in, or the hypervisor's next request. With IF clear a pending vector
 * wakes nothing, as on hardware (the wait then ends at each kick only).
 */
static void hlt_exit(struct cpu *cpu, void *v)
{
	bool takes_virq = ((vmcb_read64(v, VMCB_RFLAGS) & RFLAGS_IF) != 0u) && x86_virq_waiting(cpu);

	skip(cpu, v, X86_OP_HLT);
	if ((__atomic_load_n(&cpu->requests, __ATOMIC_ACQUIRE) == 0u) && !takes_virq) {
		x86_wait_interrupt();
	}
	core_handle_requests(cpu);
}

static void xsetbv_exit(struct cpu *cpu, void *v)
{
	struct x86_gprs *g = &cpu->arch.gprs;
	uint64_t value = (vmcb_read64(v, VMCB_RAX) & 0xffffffffu) | (g->rdx << 32);
	uint32_t r[4];

	cpuid(0xdu, 0u, r);
	uint64_t supported = ((uint64_t)r[3] << 32) | r[0];
	if ((g->rcx != 0u) || ((value & 1u) == 0u) || ((value & ~supported) != 0u) || ((value & 6u) == 4u)) {
		incident_log(cpu, BH_INCIDENT_REGISTER, "XSETBV 0x%lx refused", value);
		inject(v, X86_EXC_GP, true, 0u);
		return;
	}
	skip(cpu, v, X86_OP_XSETBV);
	__asm__ volatile("xsetbv" : : "c"(0u), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
}

void svm_exit(struct cpu *cpu, void *v)
{
	uint64_t code = vmcb_read64(v, VMCB_EXITCODE);

	switch (code) {
	case SVM_EXIT_INTR:
		x86_take_interrupts();
		core_handle_requests(cpu);
		break;
	case SVM_EXIT_VMMCALL:
		hypercall(cpu, v);
		break;
	case SVM_EXIT_CPUID:
		cpuid_exit(cpu, v);
		break;
	case SVM_EXIT_HLT:
		hlt_exit(cpu, v);
		break;
	case SVM_EXIT_IOIO:
		ioio_exit(cpu, v);
		break;
	case SVM_EXIT_MSR:
		msr_exit(cpu, v);
		break;
	case SVM_EXIT_NPF:
		npf_exit(cpu, v);
		break;
	case SVM_EXIT_XSETBV:
		xsetbv_exit(cpu, v);
		break;
	case SVM_EXIT_WBINVD:
		skip(cpu, v, X86_OP_WBINVD);   /* caches are coherent; a flush would reach other partitions' timing */
		break;
	case SVM_EXIT_INVD:
		skip(cpu, v, X86_OP_INVD);
		break;
	case SVM_EXIT_NMI:
	case SVM_EXIT_SMI:
	case SVM_EXIT_INIT:
		break;   /* the hypervisor's: nothing for the guest to see */
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_MONITOR:
	case SVM_EXIT_MWAIT:
	case SVM_EXIT_MWAIT_C:
		incident_log(cpu, BH_INCIDENT_REGISTER, "instruction of exit 0x%lx refused: #UD", code);
		inject(v, X86_EXC_UD, false, 0u);
		break;
	case SVM_EXIT_SHUTDOWN:
		log_warning("partition '%s': triple fault (shutdown)", cpu->partition->cfg->name);
		contain(cpu, v, BH_FAULT_UNHANDLED_TRAP, 0u, false);
	default:
		log_warning("partition '%s': unexpected #VMEXIT 0x%lx (info 0x%lx, 0x%lx)", cpu->partition->cfg->name,
			    code, vmcb_read64(v, VMCB_EXITINFO1), vmcb_read64(v, VMCB_EXITINFO2));
		contain(cpu, v, BH_FAULT_UNHANDLED_TRAP, 0u, false);
	}
}
