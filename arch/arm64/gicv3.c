/* SPDX-License-Identifier: MIT */
/*
 * GICv3 physical interface, owned by the hypervisor.
 *
 * Distributor: every SPI starts disabled in group 1; the virtual distributor
 * enables and routes a partition's own SPIs on its behalf. Redistributors:
 * each cpu enables only the hypervisor's kick (SGI 15) and, for mediated
 * delivery, the maintenance interrupt. CPU interface: EL2 runs with
 * EOImode 1, so dropping the priority of a guest's interrupt leaves it active
 * until the guest's own EOI deactivates it through the list register.
 */
#include <generated/autoconf.h>
#include "arm64.h"
#include "gic.h"
#include "cfg.h"
#include "cpu.h"
#include "fault_inject.h"
#include "log.h"
#include "mmio.h"
#include "sysreg.h"

#define GICD_CTLR_RWP    ((uint32_t)1u << 31)
#define GICD_CTLR_ARE    (1u << 4)
#define GICD_CTLR_GRP1   (1u << 1)
#define GICD_CTLR_GRP0   (1u << 0)

#define GICR_CTLR        0x0000u
#define GICR_TYPER       0x0008u
#define GICR_WAKER       0x0014u
#define GICR_CTLR_RWP    (1u << 3)
#define GICR_TYPER_VLPIS (1UL << 1)
#define GICR_TYPER_LAST  (1UL << 4)
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_SGI_BASE    0x10000u

#define ICC_SRE_SRE      (1UL << 0)
#define ICC_SRE_DFB      (1UL << 1)
#define ICC_SRE_DIB      (1UL << 2)
#define ICC_SRE_ENABLE   (1UL << 3)
#define ICC_CTLR_EOIMODE (1UL << 1)

#define ICH_HCR_EN       (1UL << 0)
#define ICH_HCR_UIE      (1UL << 1)
#define ICH_HCR_NPIE     (1UL << 3)
#define ICH_HCR_TC       (1UL << 10)
#define ICH_HCR_TDIR     (1UL << 14)


/* Above every guest priority (the virtual distributor keeps those >= 0x10),
 * so a guest can never mask the kick. */
#define HYP_PRIORITY 0x00u

/* A controller gives a busy bit back within microseconds; one still busy after this many reads
 * is broken, and what it was told (an interrupt disabled, a redistributor woken) may not hold. */
#define GIC_WAIT_POLLS 1000000u

/* Waits for `bit` of `reg` to read clear; after GIC_WAIT_POLLS reads it powers the board off
 * (REQ-FSF-007): the hypervisor never waits for the hardware without bound. */
/* Implements: REQ-FSF-007 */
static void gic_wait_clear(uint64_t reg, uint32_t bit, const char *what)
{
	uint64_t polled = reg;
	uint32_t polls = 0u;

#ifdef CONFIG_FAULT_INJECTION
	polled = arm64_fault_inject_gic_wait(reg);
#endif
	while ((polls < GIC_WAIT_POLLS) && ((mmio_read32(polled) & bit) != 0u)) {
		polls++;
	}
	if (polls == GIC_WAIT_POLLS) {
		panic("GICv3 %s still set after %u reads of 0x%lx", what, GIC_WAIT_POLLS, reg);
	}
}

/* Implements: REQ-IRQ-003 */
static uint64_t sgi_target(uint32_t cpu, uint32_t intid)
{
	uint64_t mpidr = arm64_cpu_mpidr(cpu);
	uint64_t aff0 = mpidr & 0xffu;

	return (((mpidr >> 32) & 0xffu) << 48) | (((mpidr >> 16) & 0xffu) << 32) | ((aff0 >> 4) << 44) |
	       ((uint64_t)intid << 24) | (((mpidr >> 8) & 0xffu) << 16) | (1UL << (aff0 & 0xfu));
}

/* Implements: REQ-IRQ-006 */
void gic_init_global(void)
{
	uint64_t d = cfg_system.arch.gic.dist.base;
	uint32_t lines = ((mmio_read32(d + GICD_TYPER) & 0x1fu) + 1u) * 32u;

	mmio_write32(d + GICD_CTLR, 0u);
	gic_wait_clear(d + GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP");
	for (uint32_t i = 1u; i < (lines / 32u); i++) {
		uint32_t word = 4u * i;

		mmio_write32(d + GICD_ICENABLER + word, 0xffffffffu);
		mmio_write32(d + GICD_ICPENDR + word, 0xffffffffu);
		mmio_write32(d + GICD_ICACTIVER + word, 0xffffffffu);
		mmio_write32(d + GICD_IGROUPR + word, 0xffffffffu);
	}
	mmio_write32(d + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1 | GICD_CTLR_GRP0);
	gic_wait_clear(d + GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP");
	/* The kick's ICC_SGI1R_EL1 value for each cpu, computed once. */
	for (uint32_t c = 0u; c < cfg_system.n_cpus; c++) {
		cpu_get(c)->arch.gic.kick = sgi_target(c, GIC_IPI_SGI);
	}
}

/* Redistributor frames are found by affinity, not assumed to follow cpu order. */
/* Implements: REQ-IRQ-001 */
static uint64_t find_redist(uint64_t mpidr)
{
	uint32_t aff = (uint32_t)(((mpidr >> 8) & 0xff000000u) | (mpidr & 0xffffffu));
	uint64_t rd = cfg_system.arch.gic.redist.base;
	uint64_t end = rd + cfg_system.arch.gic.redist.size;

	while (rd < end) {
		uint64_t typer = mmio_read64(rd + GICR_TYPER);

		if ((uint32_t)(typer >> 32) == aff) {
			return rd;
		}
		if ((typer & GICR_TYPER_LAST) != 0u) {
			break;
		}
		rd += ((typer & GICR_TYPER_VLPIS) != 0u) ? 0x40000u : 0x20000u;
	}
	panic("no GICv3 redistributor for MPIDR 0x%lx", mpidr);
}

uint32_t gic_n_lrs;
uint32_t gic_lr_mask;

/* Implements: REQ-IRQ-002, REQ-IRQ-007, REQ-IRQ-009~2 */
void gic_init_cpu(struct cpu *cpu, bool direct)
{
	gic_n_lrs = ((uint32_t)read_sysreg(ich_vtr_el2) & 0x1fu) + 1u;
	gic_lr_mask = ((uint32_t)1u << gic_n_lrs) - 1u;
	uint64_t rd = cpu->arch.gic.redist;

	if (rd == 0u) {
		rd = find_redist(arm64_cpu_mpidr(cpu->index));
		cpu->arch.gic.redist = rd;
	}
	cpu->arch.gic.direct = direct;
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	gic_wait_clear(rd + GICR_WAKER, GICR_WAKER_ASLEEP, "GICR_WAKER.ChildrenAsleep");
	/* Nothing from this cpu's previous life stays enabled, pending or active. */
	uint64_t sgi = rd + GICR_SGI_BASE;
	mmio_write32(sgi + GICD_ICENABLER, 0xffffffffu);
	gic_wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP, "GICR_CTLR.RWP");
	mmio_write32(sgi + GICD_ICPENDR, 0xffffffffu);
	mmio_write32(sgi + GICD_ICACTIVER, 0xffffffffu);
	/* The kick is group 0 (FIQ) on a direct cpu, whose IRQs go straight to the guest. */
	mmio_write32(sgi + GICD_IGROUPR, direct ? ~((uint32_t)1u << GIC_IPI_SGI) : 0xffffffffu);
	mmio_write8(sgi + GICD_IPRIORITYR + GIC_IPI_SGI, HYP_PRIORITY);
	mmio_write8(sgi + GICD_IPRIORITYR + GIC_MAINT_PPI, HYP_PRIORITY);
	mmio_write32(sgi + GICD_ISENABLER, ((uint32_t)1u << GIC_IPI_SGI) | (direct ? 0u : ((uint32_t)1u << GIC_MAINT_PPI)));

	write_sysreg(icc_sre_el2, ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB | ICC_SRE_ENABLE);
	isb();
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, direct ? 0u : ICC_CTLR_EOIMODE);
	write_sysreg(icc_igrpen1_el1, 1);
	write_sysreg(icc_igrpen0_el1, direct ? 1u : 0u);
	isb();
}


/* Implements: REQ-CPU-011~2 */
void gic_send_ipi(const struct cpu *target)
{
	/* Generated at the latest by the exception return that follows. */
	if (target->arch.gic.direct) {
		write_sysreg(icc_sgi0r_el1, target->arch.gic.kick);
	} else {
		write_sysreg(icc_sgi1r_el1, target->arch.gic.kick);
	}
}

/* Implements: REQ-IRQ-003 */
void gic_send_sgi(const struct cpu *target, uint32_t intid)
{
	/* The kick's value (gic_init_global) already names the cpu: only the INTID differs. */
	uint64_t v = (target->arch.gic.kick & ~(0xfUL << 24)) | (((uint64_t)intid & 0xfUL) << 24);

	write_sysreg(icc_sgi1r_el1, v);
	isb();
}

/* Implements: REQ-IRQ-008~2 */
uint32_t gic_ack_fiq(void)
{
	return (uint32_t)read_sysreg(icc_iar0_el1) & 0xffffffu;
}

/* Implements: REQ-IRQ-008~2 */
void gic_eoi_fiq(uint32_t intid)
{
	write_sysreg(icc_eoir0_el1, intid);
	/* A direct cpu's guest chooses the EOImode: deactivate explicitly if it split them. */
	if ((read_sysreg(icc_ctlr_el1) & ICC_CTLR_EOIMODE) != 0u) {
		write_sysreg(icc_dir_el1, intid);
	}
}

/* Implements: REQ-TRP-002 */
void gic_cpu_off(void)
{
	write_sysreg(icc_igrpen1_el1, 0);
	write_sysreg(icc_igrpen0_el1, 0);
	isb();
}

/* Implements: REQ-IRQ-004~2 */
uint32_t gic_dist_read(uint32_t offset)
{
	return mmio_read32(cfg_system.arch.gic.dist.base + offset);
}

/* Implements: REQ-IRQ-004~2 */
void gic_dist_write(uint32_t offset, uint32_t value)
{
	mmio_write32(cfg_system.arch.gic.dist.base + offset, value);
	if ((offset >= GICD_ICENABLER) && (offset < GICD_ISPENDR)) {
		gic_wait_clear(cfg_system.arch.gic.dist.base + GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP");
	}
}

/* Implements: REQ-IRQ-004~2 */
void gic_dist_write8(uint32_t offset, uint8_t value)
{
	mmio_write8(cfg_system.arch.gic.dist.base + offset, value);
}

/* Implements: REQ-IRQ-005 */
void gic_spi_route(uint32_t intid, uint32_t cpu)
{
	mmio_write64(cfg_system.arch.gic.dist.base + GICD_IROUTER + (8u * intid), arm64_cpu_mpidr(cpu) & 0xff00ffffffUL);
}

/* Implements: REQ-IRQ-011 */
uint32_t gic_local_read(const struct cpu *t, uint32_t offset)
{
	return mmio_read32(t->arch.gic.redist + GICR_SGI_BASE + offset);
}

/* Implements: REQ-IRQ-011 */
void gic_local_write(const struct cpu *t, uint32_t offset, uint32_t value)
{
	mmio_write32(t->arch.gic.redist + GICR_SGI_BASE + offset, value);
	if (offset == GICD_ICENABLER) {
		gic_wait_clear(t->arch.gic.redist + GICR_CTLR, GICR_CTLR_RWP, "GICR_CTLR.RWP");
	}
}

/* Implements: REQ-IRQ-011 */
void gic_local_write8(const struct cpu *t, uint32_t offset, uint8_t value)
{
	mmio_write8(t->arch.gic.redist + GICR_SGI_BASE + offset, value);
}

/* --- Virtualization interface: ICH_* system registers --- */


/* One case of lr_read's switch: list register i is register r. */
#define ICH_LR_READ_CASE(i, r) case (i): return read_sysreg(r)

/* Implements: REQ-IRQ-011 */
static uint64_t lr_read(uint32_t n)
{
	switch (n) {
	ICH_LR_READ_CASE(0u, ich_lr0_el2);
	ICH_LR_READ_CASE(1u, ich_lr1_el2);
	ICH_LR_READ_CASE(2u, ich_lr2_el2);
	ICH_LR_READ_CASE(3u, ich_lr3_el2);
	ICH_LR_READ_CASE(4u, ich_lr4_el2);
	ICH_LR_READ_CASE(5u, ich_lr5_el2);
	ICH_LR_READ_CASE(6u, ich_lr6_el2);
	ICH_LR_READ_CASE(7u, ich_lr7_el2);
	ICH_LR_READ_CASE(8u, ich_lr8_el2);
	ICH_LR_READ_CASE(9u, ich_lr9_el2);
	ICH_LR_READ_CASE(10u, ich_lr10_el2);
	ICH_LR_READ_CASE(11u, ich_lr11_el2);
	ICH_LR_READ_CASE(12u, ich_lr12_el2);
	ICH_LR_READ_CASE(13u, ich_lr13_el2);
	ICH_LR_READ_CASE(14u, ich_lr14_el2);
	ICH_LR_READ_CASE(15u, ich_lr15_el2);
	default: return 0u;
	}
}


/* Implements: REQ-IRQ-013 */
bool gic_lr_pending(uint32_t n, struct gic_lr *lr)
{
	uint64_t v = lr_read(n);

	if ((v >> ICH_LR_STATE_SHIFT) != 1u) {
		return false;
	}
	lr->vintid = (uint32_t)v;
	lr->pintid = (uint32_t)(v >> ICH_LR_PINTID_SHIFT) & 0x1fffu;
	lr->priority = (uint8_t)(v >> ICH_LR_PRIO_SHIFT);
	lr->hw = (v & ICH_LR_HW) != 0u;
	lr->source = 0u;
	gic_lr_check(n, lr);
	return true;
}

/* Implements: REQ-IRQ-011 */
uint32_t gic_lr_state(uint32_t n, struct gic_lr *lr)
{
	uint64_t v = lr_read(n);
	uint32_t state = (uint32_t)(v >> ICH_LR_STATE_SHIFT) & 3u;

	lr->vintid = (uint32_t)v;
	lr->pintid = (uint32_t)(v >> ICH_LR_PINTID_SHIFT) & 0x1fffu;
	lr->hw = (v & ICH_LR_HW) != 0u;
	lr->source = 0u;
	if (state != 0u) {
		gic_lr_check(n, lr);
	}
	return state;
}

/* Implements: REQ-IRQ-011 */
void gic_lr_clear(uint32_t n)
{
	gic_v3_lr_write(n, 0u);
}

/*
 * A direct cpu's guest wrote the physical group-1 CPU interface itself. A
 * vCPU restarting without its cpu stopping (vCPU 0 restarting its own
 * partition) must not inherit it: an active priority left set (ICC_AP1R0_EL1
 * = 1) would hold the hypervisor's kick off from the first instruction of
 * the new life. Back to gic_init_cpu()'s values; the active priority
 * registers that exist (ICC_CTLR_EL1.PRIbits: 5, 6 or 7 bits) emptied.
 * Implements: REQ-IRQ-008~2, REQ-IRQ-009~2
 */
static void direct_cpuif_reset(void)
{
	uint64_t pri_bits = ((read_sysreg(icc_ctlr_el1) >> 8) & 7u) + 1u;

	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, 0);
	write_sysreg(icc_igrpen1_el1, 1);
	write_sysreg(icc_ap1r0_el1, 0);
	if (pri_bits >= 6u) {
		write_sysreg(icc_ap1r1_el1, 0);
	}
	if (pri_bits >= 7u) {
		write_sysreg(icc_ap1r2_el1, 0);
		write_sysreg(icc_ap1r3_el1, 0);
	}
}

/* Implements: REQ-IRQ-009~2 */
void gic_vif_reset(bool direct)
{
	uint32_t n = gic_lr_count();

	for (uint32_t i = 0u; i < n; i++) {
		gic_v3_lr_write(i, 0u);
	}
	write_sysreg(ich_ap0r0_el2, 0);
	write_sysreg(ich_ap1r0_el2, 0);
	/* A direct cpu's guest uses the physical CPU interface; the virtual one
	 * stays off but traps the registers shared by both groups (PMR, CTLR,
	 * RPR, DIR, SGIs), which the hypervisor then applies to the physical one. */
	write_sysreg(ich_vmcr_el2, (3UL << 18) | (2UL << 21));
	write_sysreg(ich_hcr_el2, direct ? (ICH_HCR_TC | ICH_HCR_TDIR) : ICH_HCR_EN);
	if (direct) {
		direct_cpuif_reset();
	}
	isb();
}

/* Implements: REQ-IRQ-007 */
void gic_vif_underflow(bool enable)
{
	write_sysreg(ich_hcr_el2, enable ? (ICH_HCR_EN | ICH_HCR_UIE | ICH_HCR_NPIE) : ICH_HCR_EN);
}
