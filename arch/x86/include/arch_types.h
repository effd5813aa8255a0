/* SPDX-License-Identifier: MIT */
/*
 * x86-64's part of core's objects: struct cpu's `arch` member (struct
 * arch_cpu) and struct partition's (struct arch_partition). core/ includes
 * this header through cpu.h and partition.h and never looks inside. Types
 * only (docs/arch-hooks.md).
 */
#ifndef X86_ARCH_TYPES_H
#define X86_ARCH_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#define X86_IOAPIC_OWN_PINS 16u     /* I/O APIC pins a partition may own (CFG_X86_ISA_PINS) */
#define X86_PCI_FUNCS 2u            /* PCI functions a partition may be assigned (CFG_X86_MAX_PCI_FUNCS) */

/* Indices of struct x86_gprs's `hc`: the hypercall ABI's registers in its order (arch/x86/README.md). */
#define X86_RAX 0u
#define X86_RDI 1u
#define X86_RSI 2u
#define X86_RDX 3u
#define X86_RCX 4u
#define X86_R8  5u
#define X86_R9  6u
#define X86_HC_REGS 7u

/**
 * The guest's general-purpose registers but rsp (in the vendor's control
 * block). The hypercall's seven come first, as an array in the ABI's order,
 * so that the dispatcher takes them where they lie (no copy in or out);
 * with r10 and r11 they are the registers C may clobber, which the SVM
 * world switch loads at every entry, and rbx..r15 the ones C keeps, which
 * it loads only when a handler wrote one (svm_entry.S). The offsets are
 * gprs_asm.h's, which the world switches use (checked in exit.c).
 */
struct x86_gprs {
	uint64_t hc[X86_HC_REGS];   /* rax, rdi, rsi, rdx, rcx, r8, r9 */
	uint64_t r10;
	uint64_t r11;
	uint64_t rbx;
	uint64_t rbp;
	uint64_t r12;
	uint64_t r13;
	uint64_t r14;
	uint64_t r15;
};

#define X86_LVT_OTHERS 6u          /* CMCI, thermal, performance, LINT0, LINT1, error (x2apic_regs.c) */

/**
 * The guest's local APIC registers beyond its id and ICR (x2apic_regs.c)
 * and its timer (vtimer.c), of the one vCPU a core runs: touched only by
 * that core, in its MSR exits and its timer interrupt.
 */
struct x86_vlapic {
	uint32_t svr;               /* spurious-interrupt vector register; bit 8: software-enabled */
	uint32_t tpr;               /* task priority, as written (no effect: vintr.c has no priorities) */
	uint32_t lvt_timer;         /* the timer's LVT entry: vector, mask, mode */
	uint32_t lvt_other[X86_LVT_OTHERS];   /* as written; read back masked, never delivered */
	uint32_t initial;           /* initial count */
	uint32_t dcr;               /* divide configuration */
	uint32_t shift;             /* log2 of the divisor the running count-down uses */
	uint64_t start;             /* TSC when the count-down began */
	uint64_t deadline;          /* TSC of the next expiry, when armed */
	uint64_t tsc_deadline;      /* IA32_TSC_DEADLINE as the guest reads it */
	bool armed;                 /* an expiry is due at `deadline` */
	bool xapic;                 /* the guest turned x2APIC mode off: its page at 0xfee00000 (xapic.c) */
	uint32_t ldr;               /* xAPIC logical destination, bits 31:24 as written; atomic */
	bool dfr_cluster;           /* xAPIC destination format: cluster (else flat) */
	uint32_t icr_high;          /* xAPIC ICR bits 63:32 as written */
};

/** What x86 keeps for one physical cpu and the vCPU it runs. */
struct arch_cpu {
	struct x86_gprs gprs;       /* the vCPU's registers while the hypervisor runs (the world switch) */
	void *vctl;                 /* its vendor control block, 4 KiB: SVM's VMCB or VMX's VMCS (vendor.h) */
	uint32_t apic_id;           /* the core's local APIC id (cfg_cpu.arch.apic_id) */
	uint64_t virq_pending[4];   /* vectors raised in its vCPU, not yet presented (vintr.c); atomic */
	uint64_t virq_words;        /* bit w: virq_pending[w] may be non-zero, the one word an exit tests; atomic */
	struct x86_vlapic vlapic;   /* its local APIC's registers and timer */
};

/** What x86 keeps for one partition. */
struct arch_partition {
	uint64_t *npt_root;         /* root (PML4) of its nested page tables (npt.c) */
	uint8_t *iopm;              /* its I/O permission map, 12 KiB: a set bit traps the port */
	uint8_t *msrpm;             /* its MSR permission map, 8 KiB: a set bit traps the access */
	uint32_t asid;              /* its address-space id: partition id + 1 (0 is the host's) */
	uint32_t ioregsel;          /* the I/O APIC register it selected (ioapic.c) */
	uint32_t redir[X86_IOAPIC_OWN_PINS];      /* its own pins' entries, low word (ioapic.c) */
	uint32_t redir_dest[X86_IOAPIC_OWN_PINS]; /* and high word */
	uint32_t pci_address;       /* the configuration address it last wrote to 0xcf8 (pci.c) */
	uint32_t pci_sizing[X86_PCI_FUNCS];       /* per function, the BARs whose last write was all ones */
};

#endif /* X86_ARCH_TYPES_H */
