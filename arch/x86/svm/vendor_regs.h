/* SPDX-License-Identifier: MIT */
/*
 * SVM's guest-state accessors of vendor.h, inline: each is a load from or a
 * store to the VMCB, on every exit's path (instruction fetch, step-over),
 * and V_IRQ's test and write, on every virtual interrupt's (the timer's
 * exit presents its vector from its interrupt handler: vintr.c).
 */
#ifndef X86_SVM_VENDOR_REGS_H
#define X86_SVM_VENDOR_REGS_H

#include "cpu.h"
#include "vmcb.h"
#include "x86.h"

#define SVM_SEG_L ((uint32_t)1u << 9)     /* VMCB segment attributes: L, D/B */
#define SVM_SEG_DB ((uint32_t)1u << 10)

static inline uint32_t svm_reg_offset(enum x86_reg reg)
{
	switch (reg) {
	case X86_REG_RIP:
		return VMCB_RIP;
	case X86_REG_RSP:
		return VMCB_RSP;
	case X86_REG_RFLAGS:
		return VMCB_RFLAGS;
	case X86_REG_CR0:
		return VMCB_CR0;
	case X86_REG_CR3:
		return VMCB_CR3;
	case X86_REG_CR4:
		return VMCB_CR4;
	case X86_REG_EFER:
		return VMCB_EFER;
	case X86_REG_CS_BASE:
	default:
		return VMCB_CS + 8u;
	}
}

static inline uint64_t vendor_reg_read(const struct cpu *cpu, enum x86_reg reg)
{
	return vmcb_read64(cpu->arch.vctl, svm_reg_offset(reg));
}

static inline void vendor_reg_write(struct cpu *cpu, enum x86_reg reg, uint64_t value)
{
	void *v = cpu->arch.vctl;
	uint64_t written = value;

	if (reg == X86_REG_EFER) {
		/* LMA is the processor's: kept as it is; SVME stays set under the guest. */
		written = (value & ~EFER_LMA) | (vmcb_read64(v, VMCB_EFER) & EFER_LMA) | EFER_SVME;
	}
	vmcb_write64(v, svm_reg_offset(reg), written);
}

static inline enum x86_code_mode vendor_code_mode(const struct cpu *cpu)
{
	const void *v = cpu->arch.vctl;
	uint32_t attrib = vmcb_read32(v, VMCB_CS) >> 16;

	if (((vmcb_read64(v, VMCB_EFER) & EFER_LMA) != 0u) && ((attrib & SVM_SEG_L) != 0u)) {
		return X86_MODE_64;
	}
	return ((attrib & SVM_SEG_DB) != 0u) ? X86_MODE_32 : X86_MODE_16;
}

static inline uint32_t vendor_cpl(const struct cpu *cpu)
{
	return vmcb_read32(cpu->arch.vctl, VMCB_CPL) & 0x3u;
}

static inline bool vendor_virq_presented(const struct cpu *cpu)
{
	return (vmcb_read64(cpu->arch.vctl, VMCB_VINTR) & VINTR_IRQ) != 0u;
}

static inline void vendor_virq_present(struct cpu *cpu, uint32_t vector)
{
	vmcb_write64(cpu->arch.vctl, VMCB_VINTR, ((uint64_t)vector << VINTR_VECTOR_SHIFT) | VINTR_MASKING |
							  VINTR_IGN_TPR | VINTR_PRIO_15 | VINTR_IRQ);
}

#endif /* X86_SVM_VENDOR_REGS_H */
