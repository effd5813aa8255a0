/* SPDX-License-Identifier: MIT */
/*
 * The guest's registers as a decoded MOV names them (insn.c's ModRM register
 * number), for the MMIO the hypervisor emulates: the I/O APIC (ioapic.c) and
 * the xAPIC page (xapic.c).
 */
#include "cpu.h"
#include "vendor.h"
#include "x86.h"

/* The 64-bit register `reg` of the guest (rsp lives in the vendor's control block). */
uint64_t x86_gpr_read(const struct cpu *cpu, uint32_t reg)
{
	const struct x86_gprs *g = &cpu->arch.gprs;
	const uint64_t regs[16] = { g->hc[X86_RAX], g->hc[X86_RCX], g->hc[X86_RDX], g->rbx,
				    vendor_reg_read(cpu, X86_REG_RSP), g->rbp, g->hc[X86_RSI], g->hc[X86_RDI],
				    g->hc[X86_R8], g->hc[X86_R9], g->r10, g->r11, g->r12, g->r13, g->r14, g->r15 };

	return regs[reg & 15u];
}

/* A 32-bit load into `reg`: the upper half is cleared, as the processor does. */
void x86_gpr_write32(struct cpu *cpu, uint32_t reg, uint32_t value)
{
	struct x86_gprs *g = &cpu->arch.gprs;
	uint64_t *const slots[16] = { &g->hc[X86_RAX], &g->hc[X86_RCX], &g->hc[X86_RDX], &g->rbx, NULL, &g->rbp,
				      &g->hc[X86_RSI], &g->hc[X86_RDI], &g->hc[X86_R8], &g->hc[X86_R9], &g->r10, &g->r11,
				      &g->r12, &g->r13, &g->r14, &g->r15 };

	if ((reg & 15u) == 4u) {
		vendor_reg_write(cpu, X86_REG_RSP, value);
	} else {
		*slots[reg & 15u] = value;
	}
}
