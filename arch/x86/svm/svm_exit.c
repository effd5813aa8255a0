/* SPDX-License-Identifier: MIT */
/*
 * SVM's #VMEXIT codes mapped onto the dispatcher's reasons (exit.c).
 * SVM gives the next RIP of IN/OUT (EXITINFO2) but, under QEMU TCG, no
 * next-RIP for the others: VMMCALL's length is the ABI's (below), the others'
 * is left 0, so the dispatcher decodes them and checks they are the
 * instruction that trapped.
 */
#include <stddef.h>
#include <bulkhead/channel.h>
#include "cpu.h"
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

/* What each exit code from SVM_EXIT_INTR to SVM_EXIT_XSETBV means; one left out is unexpected (0). */
#define K(code) ((code) - SVM_EXIT_INTR)
struct svm_kind {
	enum x86_exit_reason reason;
	enum x86_insn_op op;
	uint32_t len;   /* the instruction's length where it is known without the guest's bytes */
};

/*
 * The exit described in the dispatcher's terms, by table: the VMCB is read
 * for what the exit's kind needs (the I/O and nested-page-fault details)
 * and the exit code and qualification every exit logs. The fields of
 * other kinds are left unset: their handlers do not read them.
 */
static void decode(const void *v, uint64_t code, struct x86_exit *e)
{
	static const struct svm_kind kinds[K(SVM_EXIT_XSETBV) + 1u] = {
		[K(SVM_EXIT_INTR)] = { X86_EXIT_INTR, X86_OP_UNKNOWN, 0u },
		[K(SVM_EXIT_NMI)] = { X86_EXIT_HOST_EVENT, X86_OP_UNKNOWN, 0u },
		[K(SVM_EXIT_SMI)] = { X86_EXIT_HOST_EVENT, X86_OP_UNKNOWN, 0u },
		[K(SVM_EXIT_INIT)] = { X86_EXIT_HOST_EVENT, X86_OP_UNKNOWN, 0u },
		[K(SVM_EXIT_CPUID)] = { X86_EXIT_CPUID, X86_OP_CPUID, 0u },
		[K(SVM_EXIT_INVD)] = { X86_EXIT_CACHE, X86_OP_INVD, 0u },
		[K(SVM_EXIT_HLT)] = { X86_EXIT_HLT, X86_OP_HLT, 0u },
		[K(SVM_EXIT_IOIO)] = { X86_EXIT_IO, X86_OP_UNKNOWN, 0u },
		[K(SVM_EXIT_MSR)] = { X86_EXIT_MSR, X86_OP_RDMSR, 0u },
		[K(SVM_EXIT_SHUTDOWN)] = { X86_EXIT_SHUTDOWN, X86_OP_UNKNOWN, 0u },
		[K(SVM_EXIT_VMRUN)] = { X86_EXIT_DENIED, X86_OP_UNKNOWN, 0u },
		[K(SVM_EXIT_VMMCALL)] = { X86_EXIT_HYPERCALL, X86_OP_VMMCALL, VMMCALL_LEN },
		[K(SVM_EXIT_VMLOAD)] = { X86_EXIT_DENIED, X86_OP_UNKNOWN, 0u },
		[K(SVM_EXIT_VMSAVE)] = { X86_EXIT_DENIED, X86_OP_UNKNOWN, 0u },
		[K(SVM_EXIT_STGI)] = { X86_EXIT_DENIED, X86_OP_UNKNOWN, 0u },
		[K(SVM_EXIT_CLGI)] = { X86_EXIT_DENIED, X86_OP_UNKNOWN, 0u },
		[K(SVM_EXIT_SKINIT)] = { X86_EXIT_DENIED, X86_OP_UNKNOWN, 0u },
		[K(SVM_EXIT_WBINVD)] = { X86_EXIT_CACHE, X86_OP_WBINVD, 0u },
		[K(SVM_EXIT_MONITOR)] = { X86_EXIT_DENIED, X86_OP_UNKNOWN, 0u },
		[K(SVM_EXIT_MWAIT)] = { X86_EXIT_DENIED, X86_OP_UNKNOWN, 0u },
		[K(SVM_EXIT_MWAIT_C)] = { X86_EXIT_DENIED, X86_OP_UNKNOWN, 0u },
		[K(SVM_EXIT_XSETBV)] = { X86_EXIT_XSETBV, X86_OP_XSETBV, 0u },
	};
	uint64_t slot = code - SVM_EXIT_INTR;   /* wraps for codes below: out of the table */
	uint64_t info = vmcb_read64(v, VMCB_EXITINFO1);

	e->code = code;
	e->info = info;
	e->reason = X86_EXIT_UNEXPECTED;
	e->op = X86_OP_UNKNOWN;
	e->insn_len = 0u;
	if (slot < (sizeof(kinds) / sizeof(kinds[0]))) {
		e->reason = kinds[slot].reason;
		e->op = kinds[slot].op;
		e->insn_len = kinds[slot].len;
		if (e->reason == X86_EXIT_IO) {
			decode_io(v, e);
		} else if (e->reason == X86_EXIT_MSR) {
			e->msr_write = (info & 1u) != 0u;
			e->op = e->msr_write ? X86_OP_WRMSR : X86_OP_RDMSR;
		} else {
			/* the table says it all */
		}
	} else if (code == SVM_EXIT_NPF) {
		e->reason = X86_EXIT_NPF;
		e->gpa = vmcb_read64(v, VMCB_EXITINFO2);
		e->fault_kind = ((info & NPF_FETCH) != 0u) ? BH_FAULT_INSTRUCTION
				: (((info & NPF_WRITE) != 0u) ? BH_FAULT_DATA_WRITE : BH_FAULT_DATA_READ);
	} else {
		/* X86_EXIT_UNEXPECTED: a fault of the partition */
	}
}

/* svm_entry.S's copy of the guest's rax between the VMCB and struct x86_gprs, its hypercall's and its interrupt exit's fast paths. */
_Static_assert(VMCB_RAX == 0x5f8u, "svm_entry.S");
_Static_assert((VMCB_TLB_CONTROL == 0x5cu) && (VMCB_EXITCODE == 0x70u) && (SVM_EXIT_INTR == 0x60u), "svm_entry.S");
_Static_assert((SVM_EXIT_VMMCALL == 0x81u) && (VMMCALL_LEN == 3u), "svm_entry.S");
_Static_assert((uint32_t)offsetof(struct cpu, requests) == 20u, "svm_entry.S: CPU_REQUESTS");
_Static_assert(((uint32_t)offsetof(struct arch_cpu, virq_words) - (uint32_t)offsetof(struct arch_cpu, gprs)) == 168u,
	       "svm_entry.S: GPRS_TO_VIRQ_WORDS");

/*
 * Every exit but the hypercall's (svm_entry.S calls x86_hypercall) and a
 * physical interrupt's on the fast path, described, then handed to the
 * common dispatcher; the TLB control is already cleared (svm_entry.S).
 */
bool svm_exit(struct cpu *cpu)
{
	const void *v = cpu->arch.vctl;
	struct x86_exit e;

	decode(v, vmcb_read64(v, VMCB_EXITCODE), &e);
	return x86_exit_handle(cpu, &e);
}
