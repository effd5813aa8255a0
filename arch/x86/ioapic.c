/* SPDX-License-Identifier: MIT */
/*
 * The I/O APIC as a partition sees it (its MMIO frame is in no partition's
 * nested page tables, so each access is a nested page fault that lands
 * here): IOREGSEL and IOWIN emulated, with a register selection of the
 * partition's own. Its id, version and arbitration registers read as an
 * 82093AA's with the board's pins; every redirection entry reads as masked
 * (no pin is any partition's yet: bhcc refuses a device interrupt on x86),
 * and a write to any register is ignored and counted as an interrupt
 * incident. An access that is not a 32-bit MOV at a register offset
 * contains the partition, as any other access outside its grants does.
 */
#include <bulkhead/hypercall.h>
#include "cfg.h"
#include "cpu.h"
#include "incident.h"
#include "insn.h"
#include "partition.h"
#include "vendor.h"
#include "x86.h"

#define IOREGSEL 0x00u
#define IOWIN 0x10u
#define REG_VERSION 0x01u
#define REG_REDIR_FIRST 0x10u
#define VERSION_82093AA 0x11u
#define REDIR_MASKED 0x10000u

/* The 64-bit register `reg` of the guest (rsp lives in the vendor's control block). */
static uint64_t gpr_read(const struct cpu *cpu, uint32_t reg)
{
	const struct x86_gprs *g = &cpu->arch.gprs;
	const uint64_t regs[16] = { g->rax, g->rcx, g->rdx, g->rbx, vendor_reg_read(cpu, X86_REG_RSP), g->rbp,
				    g->rsi, g->rdi, g->r8, g->r9, g->r10, g->r11, g->r12, g->r13, g->r14, g->r15 };

	return regs[reg & 15u];
}

/* A 32-bit load into `reg`: the upper half is cleared, as the processor does. */
static void gpr_write32(struct cpu *cpu, uint32_t reg, uint32_t value)
{
	struct x86_gprs *g = &cpu->arch.gprs;
	uint64_t *const slots[16] = { &g->rax, &g->rcx, &g->rdx, &g->rbx, NULL, &g->rbp, &g->rsi, &g->rdi,
				      &g->r8, &g->r9, &g->r10, &g->r11, &g->r12, &g->r13, &g->r14, &g->r15 };

	if ((reg & 15u) == 4u) {
		vendor_reg_write(cpu, X86_REG_RSP, value);
	} else {
		*slots[reg & 15u] = value;
	}
}

static uint32_t window_read(uint32_t sel)
{
	uint32_t pins = cfg_system.arch.ioapic.pins;

	if (sel == REG_VERSION) {
		return VERSION_82093AA | ((pins - 1u) << 16);
	}
	if ((sel >= REG_REDIR_FIRST) && (sel < (REG_REDIR_FIRST + (2u * pins))) && (((sel - REG_REDIR_FIRST) & 1u) == 0u)) {
		return REDIR_MASKED;   /* the low word of an entry: masked, as every pin is another's or nobody's */
	}
	return 0u;   /* id, arbitration, an entry's destination word, or no register */
}

bool x86_ioapic_access(struct cpu *cpu, uint64_t gpa)
{
	const struct cfg_mmio *m = &cfg_system.arch.ioapic.mmio;
	uint8_t buf[X86_INSN_MAX];
	uint32_t n = 0u;
	struct x86_mov mov = { 0u, 0, 0, 0u };
	uint32_t len;
	uint32_t offset;

	if ((m->size == 0u) || (gpa < m->base) || ((gpa - m->base) >= m->size)) {
		return false;
	}
	offset = (uint32_t)(gpa - m->base);
	const uint8_t *code = x86_fetch_code(cpu, buf, &n);   /* sets n: a call of its own, before n is read */

	len = x86_insn_decode_mov(code, n, vendor_code_mode(cpu), &mov);
	if ((len == 0u) || ((offset != IOREGSEL) && (offset != IOWIN))) {
		return false;
	}
	uint32_t value = (mov.has_imm != 0) ? mov.imm : (uint32_t)gpr_read(cpu, mov.reg);
	uint32_t *sel = &cpu->partition->arch.ioregsel;

	if ((mov.store == 0) && (offset == IOREGSEL)) {
		gpr_write32(cpu, mov.reg, __atomic_load_n(sel, __ATOMIC_RELAXED));
	} else if (mov.store == 0) {
		gpr_write32(cpu, mov.reg, window_read(__atomic_load_n(sel, __ATOMIC_RELAXED)));
	} else if (offset == IOREGSEL) {
		__atomic_store_n(sel, value & 0xffu, __ATOMIC_RELAXED);
	} else {
		incident_log(cpu, BH_INCIDENT_INTERRUPT, "I/O APIC register 0x%x write 0x%x refused: no pin is its own",
			     __atomic_load_n(sel, __ATOMIC_RELAXED), value);
	}
	vendor_reg_write(cpu, X86_REG_RIP, vendor_reg_read(cpu, X86_REG_RIP) + len);
	return true;
}
