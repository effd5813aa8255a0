/* SPDX-License-Identifier: MIT */
/* The SVM back end's internal interfaces (svm.c, svm_exit.c, guest_mem.c). */
#ifndef X86_SVM_H
#define X86_SVM_H

#include "insn.h"
#include "types.h"

struct cpu;

/** Handles the #VMEXIT that just happened on `cpu` (its VMCB `vmcb`); returns to resume the guest. */
void svm_exit(struct cpu *cpu, void *vmcb);

/**
 * The guest's code at its current CS:RIP, found through its own page tables
 * and its nested ones: up to X86_INSN_MAX bytes, where they are in the
 * partition's memory when they lie in one page, else copied into `buf`.
 * `*n` says how many are readable (0: not executable memory of the
 * partition).
 */
/** The guest's code mode (16, 32 or 64-bit) from its CS and EFER.LMA. */
enum x86_code_mode svm_code_mode(const void *vmcb);

const uint8_t *svm_fetch_code(const struct cpu *cpu, const void *vmcb, uint8_t buf[X86_INSN_MAX], uint32_t *n);

/**
 * A PSCI call through VMMCALL (registers as hypercall_dispatch takes them):
 * answered in r[0] (true), or false when `r[0]` names no PSCI function.
 * SYSTEM_OFF, SYSTEM_RESET and CPU_OFF do not return.
 */
bool x86_psci(struct cpu *cpu, uint64_t r[7]);

#endif /* X86_SVM_H */
