/* SPDX-License-Identifier: MIT */
/*
 * The guest's x2APIC registers that Linux and the partition runtime set up
 * beside the ICR (x2apic.c) and the timer (vtimer.c): the spurious-vector
 * register (its bit 8 gates the timer's delivery), the TPR and PPR (kept as
 * written, with no effect: vintr.c has no priorities), the logical id
 * (x2APIC's, from the core's id), the error status (always 0), ISR, TMR and
 * IRR (read as 0: no in-service state) and the other LVT entries (CMCI,
 * thermal, performance, LINT0, LINT1, error), kept as written and read back
 * masked: nothing is ever delivered through them. Reserved bits and writes
 * of read-only registers are refused (#GP, counted by the caller).
 */
#include "cpu.h"
#include "x86.h"

#define MSR_TPR        0x808u
#define MSR_PPR        0x80au
#define MSR_LDR        0x80du
#define MSR_SVR        0x80fu
#define MSR_ISR_FIRST  0x810u   /* ISR, TMR, IRR: eight registers each */
#define MSR_IRR_LAST   0x827u
#define MSR_ESR        0x828u
#define MSR_LVT_CMCI   0x82fu
#define MSR_LVT_THERMAL 0x833u  /* thermal, performance, LINT0, LINT1, error: 0x833-0x837 */
#define MSR_LVT_ERROR  0x837u
#define SVR_WRITABLE   0x3ffULL  /* vector, software enable, focus checking (no EOI-broadcast suppression) */
#define LVT_WRITABLE   0x1ffffULL
#define LVT_MASKED     ((uint32_t)1u << 16)

/* The index in lvt_other of an LVT entry other than the timer's; X86_LVT_OTHERS: none. */
static uint32_t lvt_other(uint32_t msr)
{
	if (msr == MSR_LVT_CMCI) {
		return 0u;
	}
	if ((msr >= MSR_LVT_THERMAL) && (msr <= MSR_LVT_ERROR)) {
		return 1u + (msr - MSR_LVT_THERMAL);
	}
	return X86_LVT_OTHERS;
}

static bool regs_read(const struct cpu *cpu, uint32_t msr, uint64_t *value)
{
	const struct x86_vlapic *l = &cpu->arch.vlapic;
	uint32_t id = cpu->arch.apic_id;

	switch (msr) {
	case MSR_TPR:
	case MSR_PPR:   /* = TPR with nothing in service */
		*value = l->tpr;
		return true;
	case MSR_LDR:
		*value = ((uint64_t)(id >> 4) << 16) | ((uint64_t)1u << (id & 0xfu));
		return true;
	case MSR_SVR:
		*value = l->svr;
		return true;
	case MSR_ESR:
		*value = 0u;
		return true;
	default:
		break;
	}
	if ((msr >= MSR_ISR_FIRST) && (msr <= MSR_IRR_LAST)) {
		*value = 0u;
		return true;
	}
	uint32_t i = lvt_other(msr);
	if (i < X86_LVT_OTHERS) {
		*value = l->lvt_other[i] | LVT_MASKED;
		return true;
	}
	return x86_vtimer_read(cpu, msr, value);
}

static bool regs_write(struct cpu *cpu, uint32_t msr, uint64_t value)
{
	struct x86_vlapic *l = &cpu->arch.vlapic;
	uint32_t i = lvt_other(msr);

	if (i < X86_LVT_OTHERS) {
		if ((value & ~LVT_WRITABLE) != 0u) {
			return false;
		}
		l->lvt_other[i] = (uint32_t)value;
		return true;
	}
	switch (msr) {
	case MSR_TPR:
		if (value > 0xffu) {
			return false;
		}
		l->tpr = (uint32_t)value;
		return true;
	case MSR_SVR:
		if ((value & ~SVR_WRITABLE) != 0u) {
			return false;
		}
		l->svr = (uint32_t)value;
		return true;
	case MSR_ESR:
		return value == 0u;   /* x2APIC: a write of 0 rearms the error status, which stays 0 */
	default:
		return x86_vtimer_write(cpu, msr, value);
	}
}

/* Implements: REQ-XARCH-040, REQ-XARCH-041 */
bool x86_vlapic_msr(struct cpu *cpu, uint32_t msr, bool write, uint64_t *value)
{
	return write ? regs_write(cpu, msr, *value) : regs_read(cpu, msr, value);
}
