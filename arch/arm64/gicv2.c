/* SPDX-License-Identifier: MIT */
/*
 * GICv2 physical interface, owned by the hypervisor: the distributor and
 * the EL2 CPU interface (GICC) are memory-mapped, the virtualization
 * interface is GICH; partitions get GICV mapped where they expect GICC.
 * Interrupts are group 0 signalled as IRQ (no Security Extensions, as on
 * QEMU virt without EL3). EOImode 1, as on GICv3.
 */
#include <generated/autoconf.h>
#include "arm64.h"
#include "gic.h"
#include "cfg.h"
#include "cpu.h"
#include "mmio.h"

#define GICC_CTLR        0x0000u
#define GICC_PMR         0x0004u
#define GICC_BPR         0x0008u
#define GICC_CTLR_ENABLE (1u << 0)
#define GICC_CTLR_EOIMODE ((uint32_t)1u << 9)

#define GICH_HCR         0x0000u
#define GICH_VTR         0x0004u
#define GICH_VMCR        0x0008u
#define GICH_APR         0x00f0u
#define GICH_HCR_EN      (1u << 0)
#define GICH_HCR_UIE     (1u << 1)
#define GICH_HCR_NPIE    (1u << 3)

#define GICH_LR_STATE_SHIFT 28

#define HYP_PRIORITY 0x00u

/* Implements: infrastructure */
static uint64_t gicd(uint32_t off) { return cfg_system.arch.gic.dist.base + off; }
/* Implements: infrastructure */
static uint64_t gicc(uint32_t off) { return cfg_system.arch.gic.cpu.base + off; }
/* Implements: infrastructure */
static uint64_t gich(uint32_t off) { return cfg_system.arch.gic.hyp.base + off; }

/* Until a cpu has read its own interface number: the usual Aff0. Out of
 * line, so that the kick, on every SGI's path, needs no frame. */
/* Implements: REQ-IRQ-005 */
static __attribute__((noinline)) uint8_t mask_guess(const struct cpu *cpu)
{
	return (uint8_t)(1u << (arm64_cpu_mpidr(cpu->index) & 7u));
}

/* The CPU interface bit of a cpu (ITARGETSR, SGIR). */
/* Implements: REQ-IRQ-005 */
static inline uint8_t mask_of(const struct cpu *cpu)
{
	uint8_t mask = cpu->arch.gic.cpuif_mask;

	return (mask != 0u) ? mask : mask_guess(cpu);
}

/* Implements: REQ-IRQ-006 */
void gic_init_global(void)
{
	uint32_t lines = ((mmio_read32(gicd(GICD_TYPER)) & 0x1fu) + 1u) * 32u;

	mmio_write32(gicd(GICD_CTLR), 0u);
	for (uint32_t i = 1u; i < (lines / 32u); i++) {
		mmio_write32(gicd(GICD_ICENABLER + (4u * i)), 0xffffffffu);
		mmio_write32(gicd(GICD_ICPENDR + (4u * i)), 0xffffffffu);
		mmio_write32(gicd(GICD_ICACTIVER + (4u * i)), 0xffffffffu);
	}
	mmio_write32(gicd(GICD_CTLR), 1u);
}

uint32_t gic_n_lrs;
uint32_t gic_lr_mask;

/* Implements: REQ-IRQ-002, REQ-IRQ-007, REQ-IRQ-009~2 */
void gic_init_cpu(struct cpu *cpu, bool direct)
{
	gic_n_lrs = (mmio_read32(gich(GICH_VTR)) & 0x3fu) + 1u;
	/* GICH_ELRSR0 covers list registers 0..31: the vGIC uses no more. */
	if (gic_n_lrs >= 32u) {
		gic_n_lrs = 32u;
		gic_lr_mask = 0xffffffffu;
	} else {
		gic_lr_mask = ((uint32_t)1u << gic_n_lrs) - 1u;
	}
	UNUSED(direct);   /* bhcc refuses direct delivery on GICv2 */
	/* Banked ITARGETSR0 reads as this CPU interface's own bit in every byte. */
	cpu->arch.gic.cpuif_mask = (uint8_t)mmio_read32(gicd(GICD_ITARGETSR));
	mmio_write32(gicd(GICD_ICENABLER), 0xffffffffu);
	mmio_write32(gicd(GICD_ICPENDR), 0xffffffffu);
	mmio_write32(gicd(GICD_ICACTIVER), 0xffffffffu);
	mmio_write8(gicd(GICD_IPRIORITYR + GIC_IPI_SGI), HYP_PRIORITY);
	mmio_write8(gicd(GICD_IPRIORITYR + GIC_MAINT_PPI), HYP_PRIORITY);
	mmio_write32(gicd(GICD_ISENABLER), ((uint32_t)1u << GIC_IPI_SGI) | ((uint32_t)1u << GIC_MAINT_PPI));
	mmio_write32(gicc(GICC_PMR), 0xffu);
	mmio_write32(gicc(GICC_BPR), 0u);
	mmio_write32(gicc(GICC_CTLR), GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE);
}

/* The kick to a cpu that has not read its interface number yet. */
/* Implements: REQ-CPU-011~2 */
static __attribute__((noinline)) void send_ipi_early(const struct cpu *target)
{
	mmio_write32(gicd(GICD_SGIR), ((uint32_t)mask_guess(target) << 16) | GIC_IPI_SGI);
}

/* Implements: REQ-CPU-011~2 */
void gic_send_ipi(const struct cpu *target)
{
	uint8_t mask = target->arch.gic.cpuif_mask;

	if (mask == 0u) {
		/* A tail call: the usual kick, on every SGI's path, needs no frame. */
		send_ipi_early(target);
		return;
	}
	mmio_write32(gicd(GICD_SGIR), ((uint32_t)mask << 16) | GIC_IPI_SGI);
}

/* Implements: REQ-IRQ-003 */
void gic_send_sgi(const struct cpu *target, uint32_t intid)
{
	mmio_write32(gicd(GICD_SGIR), ((uint32_t)mask_of(target) << 16) | (intid & 0xfu));
}

/* Implements: REQ-TRP-002 */
void gic_cpu_off(void)
{
	mmio_write32(gicc(GICC_CTLR), 0u);
}

/* Implements: REQ-IRQ-004~2 */
uint32_t gic_dist_read(uint32_t offset)
{
	return mmio_read32(gicd(offset));
}

/* Implements: REQ-IRQ-004~2 */
void gic_dist_write(uint32_t offset, uint32_t value)
{
	mmio_write32(gicd(offset), value);
}

/* Implements: REQ-IRQ-004~2 */
void gic_dist_write8(uint32_t offset, uint8_t value)
{
	mmio_write8(gicd(offset), value);
}

/* Implements: REQ-IRQ-005 */
void gic_spi_route(uint32_t intid, uint32_t cpu)
{
	mmio_write8(gicd(GICD_ITARGETSR + intid), mask_of(cpu_get(cpu)));
}

/* Implements: REQ-IRQ-005 */
void gic_spi_targets(uint32_t intid, uint8_t mask)
{
	mmio_write8(gicd(GICD_ITARGETSR + intid), mask);
}

/* Implements: REQ-IRQ-005 */
uint8_t gic_cpuif_mask(uint32_t cpu)
{
	return mask_of(cpu_get(cpu));
}

/* GICv2 banks the SGI/PPI registers in the distributor: only the calling cpu's. */
/* Implements: REQ-IRQ-011 */
uint32_t gic_local_read(const struct cpu *t, uint32_t offset)
{
	UNUSED(t);
	return mmio_read32(gicd(offset));
}

/* Implements: REQ-IRQ-011 */
void gic_local_write(const struct cpu *t, uint32_t offset, uint32_t value)
{
	UNUSED(t);
	mmio_write32(gicd(offset), value);
}

/* Implements: REQ-IRQ-011 */
void gic_local_write8(const struct cpu *t, uint32_t offset, uint8_t value)
{
	UNUSED(t);
	mmio_write8(gicd(offset), value);
}

/* --- Virtualization interface: GICH --- */


/* Implements: REQ-IRQ-013 */
bool gic_lr_pending(uint32_t n, struct gic_lr *lr)
{
	uint32_t v = mmio_read32(gich(GICH_LR + (4u * n)));

	if (((v >> GICH_LR_STATE_SHIFT) & 3u) != 1u) {
		return false;
	}
	lr->vintid = v & 0x3ffu;
	lr->hw = (v & GICH_LR_HW) != 0u;
	lr->pintid = lr->hw ? ((v >> GICH_LR_PHYS_SHIFT) & 0x3ffu) : 0u;
	lr->source = lr->hw ? 0u : (uint8_t)((v >> 10) & 7u);
	lr->priority = (uint8_t)(((v >> GICH_LR_PRIO_SHIFT) & 0x1fu) << 3);
	gic_lr_check(n, lr);
	return true;
}

/* Implements: REQ-IRQ-011 */
uint32_t gic_lr_state(uint32_t n, struct gic_lr *lr)
{
	uint32_t v = mmio_read32(gich(GICH_LR + (4u * n)));
	uint32_t state = (v >> GICH_LR_STATE_SHIFT) & 3u;

	lr->vintid = v & 0x3ffu;
	lr->hw = (v & GICH_LR_HW) != 0u;
	lr->pintid = lr->hw ? ((v >> GICH_LR_PHYS_SHIFT) & 0x3ffu) : 0u;
	lr->source = lr->hw ? 0u : (uint8_t)((v >> 10) & 7u);
	if (state != 0u) {
		gic_lr_check(n, lr);
	}
	return state;
}

/* Implements: REQ-IRQ-011 */
void gic_lr_clear(uint32_t n)
{
	mmio_write32(gich(GICH_LR + (4u * n)), 0u);
}

/* Implements: REQ-IRQ-009~2 */
void gic_vif_reset(bool direct)
{
	uint32_t n = gic_lr_count();

	UNUSED(direct);
	for (uint32_t i = 0u; i < n; i++) {
		mmio_write32(gich(GICH_LR + (4u * i)), 0u);
	}
	mmio_write32(gich(GICH_APR), 0u);
	mmio_write32(gich(GICH_VMCR), 0u);
	mmio_write32(gich(GICH_HCR), GICH_HCR_EN);
}

/* Implements: REQ-IRQ-007 */
void gic_vif_underflow(bool enable)
{
	mmio_write32(gich(GICH_HCR), enable ? (GICH_HCR_EN | GICH_HCR_UIE | GICH_HCR_NPIE) : GICH_HCR_EN);
}
