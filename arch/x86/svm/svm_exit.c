/* SPDX-License-Identifier: MIT */
/*
 * SVM's #VMEXIT codes mapped onto the dispatcher's reasons (exit.c).
 * SVM gives the next RIP of IN/OUT (EXITINFO2) but, under QEMU TCG, no
 * next-RIP for the others: VMMCALL's length is the ABI's (below), the others'
 * is left 0, so the dispatcher decodes them and checks they are the
 * instruction that trapped.
 */
#include <bulkhead/channel.h>
#include "svm_internal.h"
#include "vendor.h"
#include "vmcb.h"
#include "x86.h"

#define NPF_WRITE (1ULL << 1)
#define NPF_FETCH (1ULL << 4)
#define IOIO_IN (1ULL << 0)
#define IOIO_STR (1ULL << 2)
#define IOIO_SIZE_SHIFT 4u
/*
 * The hypercall ABI's instruction is the unprefixed VMMCALL, 0f 01 d9
 * (arch/x86/README.md, REQ-XARCH-003): stepping over it needs none of the
 * guest's bytes, whose fetch through its page tables was 471 of a null
 * hypercall's 675 instructions. A prefixed VMMCALL resumes inside its own
 * bytes, in the caller's code: only the caller is affected.
 */
#define VMMCALL_LEN 3u

static void decode_io(const void *v, struct x86_exit *e)
{
	uint64_t info = vmcb_read64(v, VMCB_EXITINFO1);
	uint32_t sz = (uint32_t)(info >> IOIO_SIZE_SHIFT) & 0x7u;   /* SZ8, SZ16, SZ32: one bit each */

	e->port = (uint16_t)(info >> 16);
	e->io_in = (info & IOIO_IN) != 0u;
	e->io_string = (info & IOIO_STR) != 0u;
	e->io_size = (uint8_t)((sz == 1u) ? 1u : ((sz == 2u) ? 2u : 4u));
	e->insn_len = (uint32_t)(vmcb_read64(v, VMCB_EXITINFO2) - vmcb_read64(v, VMCB_RIP));
}

void svm_exit_decode(const void *v, struct x86_exit *e)
{
	uint64_t code = vmcb_read64(v, VMCB_EXITCODE);
	uint64_t info = vmcb_read64(v, VMCB_EXITINFO1);

	*e = (struct x86_exit){ .reason = X86_EXIT_UNEXPECTED, .op = X86_OP_UNKNOWN, .code = code, .info = info };
	switch (code) {
	case SVM_EXIT_INTR:
		e->reason = X86_EXIT_INTR;
		break;
	case SVM_EXIT_VMMCALL:
		e->reason = X86_EXIT_HYPERCALL;
		e->op = X86_OP_VMMCALL;
		e->insn_len = VMMCALL_LEN;
		break;
	case SVM_EXIT_CPUID:
		e->reason = X86_EXIT_CPUID;
		e->op = X86_OP_CPUID;
		break;
	case SVM_EXIT_HLT:
		e->reason = X86_EXIT_HLT;
		e->op = X86_OP_HLT;
		break;
	case SVM_EXIT_IOIO:
		e->reason = X86_EXIT_IO;
		decode_io(v, e);
		break;
	case SVM_EXIT_MSR:
		e->reason = X86_EXIT_MSR;
		e->msr_write = (info & 1u) != 0u;
		e->op = e->msr_write ? X86_OP_WRMSR : X86_OP_RDMSR;
		break;
	case SVM_EXIT_NPF:
		e->reason = X86_EXIT_NPF;
		e->gpa = vmcb_read64(v, VMCB_EXITINFO2);
		e->fault_kind = ((info & NPF_FETCH) != 0u) ? BH_FAULT_INSTRUCTION
				: (((info & NPF_WRITE) != 0u) ? BH_FAULT_DATA_WRITE : BH_FAULT_DATA_READ);
		break;
	case SVM_EXIT_XSETBV:
		e->reason = X86_EXIT_XSETBV;
		e->op = X86_OP_XSETBV;
		break;
	case SVM_EXIT_WBINVD:
		e->reason = X86_EXIT_CACHE;
		e->op = X86_OP_WBINVD;
		break;
	case SVM_EXIT_INVD:
		e->reason = X86_EXIT_CACHE;
		e->op = X86_OP_INVD;
		break;
	case SVM_EXIT_NMI:
	case SVM_EXIT_SMI:
	case SVM_EXIT_INIT:
		e->reason = X86_EXIT_HOST_EVENT;
		break;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_MONITOR:
	case SVM_EXIT_MWAIT:
	case SVM_EXIT_MWAIT_C:
		e->reason = X86_EXIT_DENIED;
		break;
	case SVM_EXIT_SHUTDOWN:
		e->reason = X86_EXIT_SHUTDOWN;
		break;
	default:
		break;   /* X86_EXIT_UNEXPECTED */
	}
}
