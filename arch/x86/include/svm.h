/* SPDX-License-Identifier: MIT */
/* The SVM back end's internal interfaces (svm.c, svm_exit.c, guest_mem.c). */
#ifndef X86_SVM_H
#define X86_SVM_H

#include "types.h"

struct cpu;

/** Handles the #VMEXIT that just happened on `cpu` (its VMCB `vmcb`); returns to resume the guest. */
void svm_exit(struct cpu *cpu, void *vmcb);

/**
 * Reads up to `n` bytes of the guest's code at its current CS:RIP through
 * its own page tables and its nested ones; returns how many it could read
 * (0: the instruction is not in executable memory of the partition).
 */
uint32_t svm_fetch_code(const struct cpu *cpu, const void *vmcb, uint8_t *out, uint32_t n);

#endif /* X86_SVM_H */
