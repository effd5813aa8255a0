/* SPDX-License-Identifier: MIT */
/*
 * VMX exit reasons mapped onto the dispatcher's (exit.c). VMX reports the
 * length of the instruction that exited, so the dispatcher steps over it
 * without decoding. A guest write of a CR0/CR4 bit VMX keeps fixed is the
 * back end's own business (vmx_cr_write) and never reaches the dispatcher.
 */
#include <bulkhead/channel.h>
#include "cpu.h"
#include "vendor.h"
#include "vmcs.h"
#include "vmx_internal.h"
#include "x86.h"

#define EPT_QUAL_WRITE (1ULL << 1)
#define EPT_QUAL_FETCH (1ULL << 2)
#define IO_QUAL_IN (1ULL << 3)
#define IO_QUAL_STRING (1ULL << 4)
#define CR_QUAL_TYPE_SHIFT 4u     /* 0: MOV to CR */
#define CR_QUAL_REG_SHIFT 8u

/* General-purpose register `reg` (0 rax .. 15 r15) of the guest. */
static uint64_t gpr(const struct cpu *cpu, uint32_t reg)
{
	const struct x86_gprs *g = &cpu->arch.gprs;
	const uint64_t regs[16] = { g->hc[X86_RAX], g->hc[X86_RCX], g->hc[X86_RDX], g->rbx, vmread(VMCS_GUEST_RSP),
				    g->rbp, g->hc[X86_RSI], g->hc[X86_RDI], g->hc[X86_R8], g->hc[X86_R9], g->r10, g->r11,
				    g->r12, g->r13, g->r14, g->r15 };

	return regs[reg & 15u];
}

/* A MOV to CR0 or CR4 that changed a masked bit: applied here; anything else is unexpected. */
static bool cr_access(struct cpu *cpu, uint64_t qual)
{
	uint32_t cr = (uint32_t)qual & 0xfu;

	if ((((qual >> CR_QUAL_TYPE_SHIFT) & 3u) != 0u) || ((cr != 0u) && (cr != 4u))) {
		return false;
	}
	vmx_cr_write(cpu, cr, gpr(cpu, (uint32_t)(qual >> CR_QUAL_REG_SHIFT) & 0xfu));
	return true;
}

static void instruction(struct x86_exit *e, enum x86_exit_reason reason, enum x86_insn_op op)
{
	e->reason = reason;
	e->op = op;
	e->insn_len = (uint32_t)vmread(VMCS_EXIT_INSN_LEN);
}

static void io_qualification(struct x86_exit *e, uint64_t qual)
{
	instruction(e, X86_EXIT_IO, X86_OP_UNKNOWN);
	e->port = (uint16_t)(qual >> 16);
	e->io_size = (uint8_t)((qual & 7u) + 1u);
	e->io_in = (qual & IO_QUAL_IN) != 0u;
	e->io_string = (qual & IO_QUAL_STRING) != 0u;
}

static void ept_violation(struct x86_exit *e, uint64_t qual)
{
	e->reason = X86_EXIT_NPF;
	e->gpa = vmread(VMCS_GUEST_PHYS_ADDR);
	e->fault_kind = ((qual & EPT_QUAL_FETCH) != 0u) ? BH_FAULT_INSTRUCTION
			: (((qual & EPT_QUAL_WRITE) != 0u) ? BH_FAULT_DATA_WRITE : BH_FAULT_DATA_READ);
}

bool vmx_exit_decode(struct cpu *cpu, struct x86_exit *e)
{
	uint32_t reason = (uint32_t)vmread(VMCS_EXIT_REASON);
	uint64_t qual = vmread(VMCS_EXIT_QUALIFICATION);

	*e = (struct x86_exit){ .reason = X86_EXIT_UNEXPECTED, .op = X86_OP_UNKNOWN, .code = reason, .info = qual };
	if ((reason & VMX_EXIT_ENTRY_FAILURE) != 0u) {
		return true;   /* the guest's state was refused at entry: a fault of the partition */
	}
	switch (reason & 0xffffu) {
	case VMX_EXIT_EXT_INTR:
		e->reason = X86_EXIT_INTR;
		break;
	case VMX_EXIT_INTR_WINDOW:
		e->reason = X86_EXIT_VIRQ_WINDOW;
		break;
	case VMX_EXIT_VMCALL:
		instruction(e, X86_EXIT_HYPERCALL, X86_OP_VMCALL);
		break;
	case VMX_EXIT_CPUID:
		instruction(e, X86_EXIT_CPUID, X86_OP_CPUID);
		break;
	case VMX_EXIT_HLT:
		instruction(e, X86_EXIT_HLT, X86_OP_HLT);
		break;
	case VMX_EXIT_IO:
		io_qualification(e, qual);
		break;
	case VMX_EXIT_RDMSR:
		instruction(e, X86_EXIT_MSR, X86_OP_RDMSR);
		break;
	case VMX_EXIT_WRMSR:
		instruction(e, X86_EXIT_MSR, X86_OP_WRMSR);
		e->msr_write = true;
		break;
	case VMX_EXIT_EPT_VIOLATION:
		ept_violation(e, qual);
		break;
	case VMX_EXIT_XSETBV:
		instruction(e, X86_EXIT_XSETBV, X86_OP_XSETBV);
		break;
	case VMX_EXIT_WBINVD:
		instruction(e, X86_EXIT_CACHE, X86_OP_WBINVD);
		break;
	case VMX_EXIT_INVD:
		instruction(e, X86_EXIT_CACHE, X86_OP_INVD);
		break;
	case VMX_EXIT_EXCEPTION_NMI:
		/* The exception bitmap is empty: only an NMI exits here. */
		e->reason = ((vmread(VMCS_EXIT_INTR_INFO) & INTR_TYPE_MASK) == INTR_TYPE_NMI) ? X86_EXIT_HOST_EVENT
											 : e->reason;
		break;
	case VMX_EXIT_INIT:
	case VMX_EXIT_SIPI:
		e->reason = X86_EXIT_HOST_EVENT;
		break;
	case VMX_EXIT_TRIPLE_FAULT:
		e->reason = X86_EXIT_SHUTDOWN;
		break;
	case VMX_EXIT_CR_ACCESS:
		if (cr_access(cpu, qual)) {
			return false;
		}
		break;
	case VMX_EXIT_GETSEC:
	case VMX_EXIT_MWAIT:
	case VMX_EXIT_MONITOR:
	case VMX_EXIT_INVEPT:
	case VMX_EXIT_INVVPID:
	case VMX_EXIT_VMFUNC:
		e->reason = X86_EXIT_DENIED;
		break;
	default:
		if (((reason & 0xffffu) >= VMX_EXIT_VMCLEAR) && ((reason & 0xffffu) <= VMX_EXIT_VMXON)) {
			e->reason = X86_EXIT_DENIED;   /* no nested virtualization */
		}
		break;
	}
	return true;
}
