/* SPDX-License-Identifier: MIT */
/*
 * The seam between arch/x86's common code and its one virtualization back
 * end, AMD SVM (arch/x86/svm/) or Intel VMX (arch/x86/vmx/), which Kconfig
 * picks (CONFIG_X86_VENDOR) and build.mk links: exactly one folder defines
 * these hooks, so no .c file tests the vendor. The common code (exit.c,
 * guest_mem.c, ioapic.c, vintr.c, x2apic.c, psci.c) owns every policy:
 * I/O ports, MSRs, CPUID, hypercalls, faults, HLT; a back end only runs the
 * guest, reports each exit as a struct x86_exit and reads or writes the
 * guest state its control block holds.
 */
#ifndef X86_VENDOR_H
#define X86_VENDOR_H

#include "insn.h"
#include "types.h"

struct cpu;

/** Why the guest stopped, in the vendor-neutral terms of the dispatcher (exit.c). */
enum x86_exit_reason {
	X86_EXIT_UNEXPECTED = 0,   /* anything else: a fault of the partition (0: what a vendor's table leaves out) */
	X86_EXIT_INTR,          /* a physical interrupt: the hypervisor's kick */
	X86_EXIT_VIRQ_WINDOW,   /* the guest can take the virtual interrupt it could not before */
	X86_EXIT_HYPERCALL,     /* VMMCALL / VMCALL */
	X86_EXIT_CPUID,
	X86_EXIT_HLT,
	X86_EXIT_IO,            /* IN/OUT (string or not) to a port the partition is not granted */
	X86_EXIT_MSR,           /* RDMSR/WRMSR of an MSR the permission map traps */
	X86_EXIT_NPF,           /* nested page (EPT) fault */
	X86_EXIT_XSETBV,
	X86_EXIT_CACHE,         /* WBINVD, INVD: `op` says which */
	X86_EXIT_HOST_EVENT,    /* NMI, SMI, INIT, SIPI: the hypervisor's own, nothing for the guest */
	X86_EXIT_DENIED,        /* a virtualization or MONITOR/MWAIT instruction: #UD */
	X86_EXIT_SHUTDOWN,      /* triple fault */
	X86_EXIT_COUNT,         /* not a reason: how many there are */
};

/** One exit, normalised by the back end. */
struct x86_exit {
	enum x86_exit_reason reason;
	enum x86_insn_op op;      /* the trapped instruction, for the step-over check */
	uint32_t insn_len;        /* its length when the processor reports it; 0: decode it (insn.c) */
	uint64_t code;            /* the vendor's exit code, for logs and the fault record */
	uint64_t info;            /* the vendor's qualification, for logs */
	uint64_t gpa;             /* X86_EXIT_NPF: the faulting guest-physical address */
	uint8_t fault_kind;       /* X86_EXIT_NPF: BH_FAULT_DATA_READ/_WRITE/_INSTRUCTION */
	uint16_t port;            /* X86_EXIT_IO */
	uint8_t io_size;          /* X86_EXIT_IO: 1, 2 or 4 bytes */
	bool io_in;               /* X86_EXIT_IO: IN (or INS) */
	bool io_string;           /* X86_EXIT_IO: INS/OUTS, with or without REP */
	bool msr_write;           /* X86_EXIT_MSR: WRMSR */
};

/** Guest state that lives in the vendor's control block (the rest is struct x86_gprs). */
enum x86_reg {
	X86_REG_RIP = 0,
	X86_REG_RSP,
	X86_REG_RFLAGS,
	X86_REG_CR0,
	X86_REG_CR3,
	X86_REG_CR4,
	X86_REG_EFER,     /* a write keeps what the vendor needs (SVM's SVME) and the processor's LMA */
	X86_REG_CS_BASE,
};

/** Enables the vendor's extension on the calling cpu (SVM's EFER.SVME, VMX's VMXON); a cpu without it panics at boot. */
void vendor_cpu_init(struct cpu *cpu);

/**
 * Puts the vCPU of `cpu` in the partition entry state (arch/x86/README.md)
 * at `entry`, with the partition's nested tables, I/O and MSR maps, and its
 * TLB tag flushed; the general-purpose registers are the caller's.
 */
void vendor_vcpu_reset(struct cpu *cpu, uint64_t entry);

/**
 * Turns the entry state vendor_vcpu_reset() made into an application
 * processor's after a STARTUP IPI: real mode, CS = `page` >> 4 with base
 * `page` (below 1 MiB, 4 KiB aligned), IP 0, 64 KiB segments from 0.
 */
void vendor_vcpu_real_mode(struct cpu *cpu, uint64_t page);

/**
 * Runs the guest of `cpu` for the rest of its life, with its registers
 * from and back to cpu->arch.gprs: each exit is described and handed to
 * x86_exit_handle, and the guest resumed.
 */
NORETURN void vendor_vcpu_loop(struct cpu *cpu);

/**
 * Handles exit `e` of `cpu`'s guest and presents a pending virtual
 * interrupt (exit.c); true when it wrote one of the guest's rbx, rbp or
 * r12-r15 in cpu->arch.gprs (a world switch that keeps the guest's
 * callee-saved registers in the processor across the call loads them again).
 */
bool x86_exit_handle(struct cpu *cpu, const struct x86_exit *e);

/**
 * Handles a hypercall exit of `cpu`'s guest, its instruction `len` bytes
 * long (exit.c): the back end's short way for the one exit whose length it
 * knows without the guest's bytes. Presents nothing: the caller calls
 * x86_virq_present when a vector is pending (svm_entry.S tests the pending
 * word itself, so that the call ends in a tail call and keeps no frame).
 */
void x86_hypercall(struct cpu *cpu, uint32_t len);

/*
 * The guest state in the control block, read and written on every exit's
 * path: static inline in the back end's own vendor_regs.h (build.mk puts
 * the chosen back end's folder on the include path), so each access is a
 * load or a VMREAD, not a call:
 *   uint64_t vendor_reg_read(const struct cpu *cpu, enum x86_reg reg);
 *   void vendor_reg_write(struct cpu *cpu, enum x86_reg reg, uint64_t value);
 *   enum x86_code_mode vendor_code_mode(const struct cpu *cpu);   16, 32 or 64-bit code, from CS and EFER.LMA
 *   uint32_t vendor_cpl(const struct cpu *cpu);                   its privilege level, 0-3
 */

/** Delivers exception `vector` (with `error` when `has_error`) to the guest at its next entry. */
void vendor_inject_exception(struct cpu *cpu, uint32_t vector, bool has_error, uint32_t error);

/**
 * Virtual interrupts (vintr.c keeps the pending set): whether a vector the
 * back end was given is not taken by the guest yet, and the hand-over of
 * `vector`, which the guest takes through its IDT once its IF allows, are
 * the back end's vendor_regs.h's (inline where they are a VMCB access):
 *   bool vendor_virq_presented(const struct cpu *cpu);
 *   void vendor_virq_present(struct cpu *cpu, uint32_t vector);
 * Forgets any:
 */
void vendor_virq_clear(struct cpu *cpu);

/*
 * A partition's permission maps, the same policy in each vendor's format:
 * an I/O map of one bit per port, set to trap (SVM's IOPM; VMX's I/O
 * bitmaps A and B are its first 8 KiB), and an MSR map that starts all
 * ones (every MSR traps) and is opened MSR by MSR through
 * vendor_msr_pass. Sized for the larger format of the two.
 */
#define X86_IOPM_SIZE (3u * 4096u)
#define X86_MSRPM_SIZE (2u * 4096u)

/** Lets the guest read (`read`) and/or write (`write`) `msr` without an exit in MSR map `map`. */
void vendor_msr_pass(uint8_t *map, uint32_t msr, bool read, bool write);

/**
 * The nested page tables (npt.c builds them with x86_pt_map from the
 * compiled regions, the same tables for both vendors; only the entry bits
 * differ): a leaf's bits for CFG_ACCESS_* `access`, an intermediate
 * entry's bits, and the bits whose absence makes an entry not present
 * (what a fence clears in the root).
 */
uint64_t vendor_npt_leaf(uint8_t access, bool device);
uint64_t vendor_npt_table_bits(void);
uint64_t vendor_npt_present_bits(void);

#include "vendor_regs.h"

#endif /* X86_VENDOR_H */
