/* SPDX-License-Identifier: MIT */
/*
 * VMX's guest-state accessors of vendor.h, inline: each is a VMREAD or a
 * VMWRITE of the cpu's own VMCS (the current one), on every exit's path.
 */
#ifndef X86_VMX_VENDOR_REGS_H
#define X86_VMX_VENDOR_REGS_H

#include "cpu.h"
#include "vmcs.h"
#include "x86.h"

#define VMX_AR_L ((uint32_t)1u << 13)      /* VMX segment access rights: L, D/B */
#define VMX_AR_DB ((uint32_t)1u << 14)

static inline uint32_t vmx_reg_field(enum x86_reg reg)
{
	switch (reg) {
	case X86_REG_RIP:
		return VMCS_GUEST_RIP;
	case X86_REG_RSP:
		return VMCS_GUEST_RSP;
	case X86_REG_RFLAGS:
		return VMCS_GUEST_RFLAGS;
	case X86_REG_CR0:
		return VMCS_GUEST_CR0;
	case X86_REG_CR3:
		return VMCS_GUEST_CR3;
	case X86_REG_CR4:
		return VMCS_GUEST_CR4;
	case X86_REG_EFER:
		return VMCS_GUEST_EFER;
	case X86_REG_CS_BASE:
	default:
		return VMCS_GUEST_CS_BASE;
	}
}

static inline uint64_t vendor_reg_read(const struct cpu *cpu, enum x86_reg reg)
{
	(void)cpu;   /* the cpu's own VMCS is the current one */
	return vmread(vmx_reg_field(reg));
}

static inline void vendor_reg_write(struct cpu *cpu, enum x86_reg reg, uint64_t value)
{
	uint64_t written = value;

	(void)cpu;
	if (reg == X86_REG_EFER) {
		written = (value & ~EFER_LMA) | (vmread(VMCS_GUEST_EFER) & EFER_LMA);   /* LMA is the processor's */
	} else if (reg == X86_REG_RIP) {
		/* Stepping over an instruction ends a MOV SS or STI shadow, as executing it would. */
		vmwrite(VMCS_GUEST_INTERRUPTIBILITY, vmread(VMCS_GUEST_INTERRUPTIBILITY) & ~(uint64_t)INTERRUPTIBILITY_SHADOW);
	} else {
		/* written as given */
	}
	vmwrite(vmx_reg_field(reg), written);
}

static inline enum x86_code_mode vendor_code_mode(const struct cpu *cpu)
{
	uint32_t ar = (uint32_t)vmread(VMCS_GUEST_ES_AR + VMCS_SEG_STRIDE);   /* CS */

	(void)cpu;
	if (((vmread(VMCS_GUEST_EFER) & EFER_LMA) != 0u) && ((ar & VMX_AR_L) != 0u)) {
		return X86_MODE_64;
	}
	return ((ar & VMX_AR_DB) != 0u) ? X86_MODE_32 : X86_MODE_16;
}

static inline uint32_t vendor_cpl(const struct cpu *cpu)
{
	(void)cpu;
	return ((uint32_t)vmread(VMCS_GUEST_SS_AR) >> 5) & 0x3u;   /* SS.DPL */
}

/* vendor.h's virtual-interrupt hand-over (vmx.c: a vector kept for the next entry's injection). */
bool vendor_virq_presented(const struct cpu *cpu);
void vendor_virq_present(struct cpu *cpu, uint32_t vector);

#endif /* X86_VMX_VENDOR_REGS_H */
