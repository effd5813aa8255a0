/* SPDX-License-Identifier: MIT */
/*
 * The local APIC's xAPIC page, for a vCPU that turned x2APIC mode off
 * (x2apic.c's APIC base MSR): Linux without interrupt remapping does so on
 * any hypervisor it does not recognise, then drives the APIC through its
 * page at 0xfee00000 in flat logical mode. The page is in no nested page
 * table; each access is a nested page fault, decoded as the I/O APIC's
 * (insn.c's MOV), and reaches the same registers as the x2APIC MSRs: a
 * register at offset 16 x n is MSR 0x800 + n, but for the few whose xAPIC
 * form differs (id and LDR in bits 31:24, DFR, the ICR's two halves). The
 * ICR is sent on its low write, through x2apic.c's filter: a fixed IPI to
 * the partition's own vCPUs, by APIC id or by the LDRs they wrote.
 */
#include <bulkhead/hypercall.h>
#include "cpu.h"
#include "incident.h"
#include "insn.h"
#include "partition.h"
#include "vendor.h"
#include "x86.h"

#define XAPIC_BASE   0xfee00000u
#define XAPIC_SIZE   0x1000u
#define REG_ID       0x020u
#define REG_LDR      0x0d0u
#define REG_DFR      0x0e0u
#define REG_ICR_LOW  0x300u
#define REG_ICR_HIGH 0x310u
#define MSR_X2APIC   0x800u
#define MSR_ICR      0x830u
#define DFR_FLAT     0xf0000000u
#define DFR_RESERVED 0x0fffffffu   /* read as ones */
#define XAPIC_BROADCAST 0xffu

static uint32_t xapic_read(struct cpu *cpu, uint32_t reg)
{
	const struct x86_vlapic *l = &cpu->arch.vlapic;
	uint64_t value = 0u;

	switch (reg) {
	case REG_ID:
		return cpu->arch.apic_id << 24;
	case REG_LDR:
		return l->ldr;
	case REG_DFR:
		return (l->dfr_cluster ? 0u : DFR_FLAT) | DFR_RESERVED;
	case REG_ICR_HIGH:
		return l->icr_high;
	case REG_ICR_LOW:
		return 0u;   /* idle: an IPI is delivered on the write */
	default:
		return x2apic_msr(cpu, MSR_X2APIC + (reg >> 4), false, &value) ? (uint32_t)value : 0u;
	}
}

/* The write; false when the register refuses it (counted by the caller as any refused register). */
static bool xapic_write(struct cpu *cpu, uint32_t reg, uint32_t value)
{
	struct x86_vlapic *l = &cpu->arch.vlapic;
	uint64_t v = value;
	uint32_t dest = l->icr_high >> 24;

	switch (reg) {
	case REG_ID:
		return false;   /* the id is its core's */
	case REG_LDR:
		__atomic_store_n(&l->ldr, value & 0xff000000u, __ATOMIC_RELAXED);
		return true;
	case REG_DFR:
		l->dfr_cluster = (value & DFR_FLAT) != DFR_FLAT;
		return true;
	case REG_ICR_HIGH:
		l->icr_high = value & 0xff000000u;
		return true;
	case REG_ICR_LOW:
		v |= (uint64_t)((dest == XAPIC_BROADCAST) ? 0xffffffffu : dest) << 32;
		return x2apic_msr(cpu, MSR_ICR, true, &v);
	default:
		return x2apic_msr(cpu, MSR_X2APIC + (reg >> 4), true, &v);
	}
}

/* Implements: REQ-XARCH-044~2, REQ-LNX-015 */
bool x86_xapic_access(struct cpu *cpu, uint64_t gpa)
{
	uint8_t buf[X86_INSN_MAX];
	uint32_t n = 0u;
	struct x86_mov mov = { 0u, 0, 0, 0u };
	uint32_t len;
	uint32_t reg;

	/* The offset in 64 bits: a gpa 4 GiB above the page must not wrap into it. */
	if (!cpu->arch.vlapic.xapic || (gpa < XAPIC_BASE) || ((gpa - XAPIC_BASE) >= XAPIC_SIZE) || ((gpa & 0xfu) != 0u)) {
		return false;
	}
	reg = (uint32_t)(gpa - XAPIC_BASE);
	const uint8_t *code = x86_fetch_code(cpu, buf, &n);   /* sets n: a call of its own, before n is read */

	len = x86_insn_decode_mov(code, n, vendor_code_mode(cpu), &mov);
	if (len == 0u) {
		return false;
	}
	if (!mov.store) {
		x86_gpr_write32(cpu, mov.reg, xapic_read(cpu, reg));
	} else if (!xapic_write(cpu, reg, mov.has_imm ? mov.imm : (uint32_t)x86_gpr_read(cpu, mov.reg))) {
		incident_log(cpu, BH_INCIDENT_REGISTER, "xAPIC register 0x%x write refused", reg);
	} else {
		/* written */
	}
	vendor_reg_write(cpu, X86_REG_RIP, vendor_reg_read(cpu, X86_REG_RIP) + len);
	return true;
}
