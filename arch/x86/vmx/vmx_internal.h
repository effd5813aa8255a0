/* SPDX-License-Identifier: MIT */
/* The VMX back end's internal interfaces (vmx.c, vmx_exit.c, vmx_entry.S). */
#ifndef X86_VMX_INTERNAL_H
#define X86_VMX_INTERNAL_H

#include "types.h"
#include "vendor.h"

struct cpu;
struct x86_gprs;

/**
 * Enters the guest of the current VMCS (VMLAUNCH when `launched` is 0,
 * VMRESUME otherwise) with the registers of `gprs`, and returns at its next
 * VM exit with them saved there: 0. A VMLAUNCH/VMRESUME that fails
 * (VMfail, the guest never ran) returns 1 (vmx_entry.S).
 */
int vmx_vmenter(struct x86_gprs *gprs, uint32_t launched);

/** Where a VM exit lands (vmx_entry.S): the VMCS's host RIP. */
void vmx_exit_landing(void);

/**
 * Describes the VM exit that just happened in the dispatcher's terms
 * (vmx_exit.c); false for an exit the back end handles itself (a guest
 * CR0/CR4 write of a bit VMX keeps fixed), after which the guest resumes.
 */
bool vmx_exit_decode(struct cpu *cpu, struct x86_exit *e);

/** A guest MOV to CR0 or CR4 that changed a bit VMX holds fixed: applied to the guest's view (vmx.c). */
void vmx_cr_write(struct cpu *cpu, uint32_t cr, uint64_t value);

#endif /* X86_VMX_INTERNAL_H */
