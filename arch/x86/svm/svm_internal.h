/* SPDX-License-Identifier: MIT */
/* The SVM back end's internal interfaces (svm.c, svm_exit.c, svm_entry.S). */
#ifndef X86_SVM_INTERNAL_H
#define X86_SVM_INTERNAL_H

#include "types.h"
#include "vendor.h"

struct x86_gprs;

/** Runs the guest until its next #VMEXIT (svm_entry.S): VMLOAD, VMRUN, VMSAVE. */
void svm_vmrun(uint64_t vmcb_pa, struct x86_gprs *gprs);

/** Describes the #VMEXIT recorded in VMCB `vmcb` in the dispatcher's terms (svm_exit.c). */
void svm_exit_decode(const void *vmcb, struct x86_exit *e);

#endif /* X86_SVM_INTERNAL_H */
