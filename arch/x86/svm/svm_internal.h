/* SPDX-License-Identifier: MIT */
/* The SVM back end's internal interfaces (svm.c, svm_exit.c, svm_entry.S). */
#ifndef X86_SVM_INTERNAL_H
#define X86_SVM_INTERNAL_H

#include "types.h"
#include "vendor.h"

struct cpu;
struct x86_gprs;

/** Runs the guest of `cpu` (registers `gprs`, VMCB at `vmcb_pa`) for the rest of its life (svm_entry.S). */
NORETURN void svm_vcpu_loop(struct x86_gprs *gprs, uint64_t vmcb_pa, struct cpu *cpu);

/**
 * Handles the #VMEXIT of `cpu`'s guest (svm_exit.c), called by
 * svm_vcpu_loop with the guest's registers saved for every exit but
 * VMMCALL's (x86_hypercall) and a timer's taken on its fast path; true when a handler wrote
 * rbx, rbp or r12-r15, which the loop then loads again.
 */
bool svm_exit(struct cpu *cpu);

#endif /* X86_SVM_INTERNAL_H */
