/* SPDX-License-Identifier: MIT */
/*
 * The virtual GIC, parts shared by GICv2 and GICv3 (see vgic.h): the
 * refusal of an access, the reset of a partition's and a vCPU's state, and
 * a physical interrupt reaching EL2. The list registers and their queue are
 * in vgic_lr.c, SGIs in vgic_sgi.c, the distributor in vgic_dist.c, the
 * banked SGI and PPI registers in vgic_local.c.
 */
#include "vgic.h"
#include "arch.h"
#include "cfg.h"
#include "core.h"
#include "cpu.h"
#include "incident.h"
#include "log.h"
#include "partition.h"

/* Implements: REQ-IRQ-004~2 */
void vgic_deny(struct cpu *cpu, const char *what, uint32_t offset, uint64_t value)
{
	/* Counted always, logged rate-limited: a hostile loop cannot flood the console. */
	incident_log(cpu, BH_INCIDENT_INTERRUPT, "%s refused (offset 0x%x, value 0x%lx)", what, offset, value);
}

/* Implements: REQ-IRQ-004~2, REQ-LNX-008~2, REQ-LNX-009 */
void vgic_deny_foreign(struct cpu *cpu, const char *what, uint32_t offset, uint64_t value)
{
	struct vgic_dist *d = vgic_dist_of(cpu);

	if ((__atomic_load_n(&d->ctlr, __ATOMIC_RELAXED) == 0u) &&
	    (__atomic_load_n(&d->setup_absorbed, __ATOMIC_RELAXED) < VGIC_SETUP_WRITES)) {
		/* An OS sets up a disabled distributor for every interrupt it has (Linux: all 988
		 * SPIs' group, priority, route): expected, counted, summarized when it enables it. */
		incident_absorb(cpu->partition, BH_INCIDENT_INTERRUPT);
		(void)__atomic_fetch_add(&d->setup_absorbed, 1u, __ATOMIC_RELAXED);
		(void)__atomic_fetch_add(&d->setup_foreign, 1u, __ATOMIC_RELAXED);
		return;
	}
	vgic_deny(cpu, what, offset, value);
}

/* Implements: REQ-LNX-010 */
bool vgic_sweep(struct vgic_sweep *s, uint32_t first, uint32_t index, uint64_t value)
{
	bool part = (index == first) || ((index == __atomic_load_n(&s->next, __ATOMIC_RELAXED)) &&
					 (value == __atomic_load_n(&s->value, __ATOMIC_RELAXED)));
	uint32_t next = 0u;

	if (part) {
		next = index + 1u;
	}
	/* Two vCPUs writing at once end each other's pass at worst: refusals, never silence for a stray write. */
	__atomic_store_n(&s->value, value, __ATOMIC_RELAXED);
	__atomic_store_n(&s->next, next, __ATOMIC_RELAXED);
	return part;
}

/* Implements: REQ-LNX-010 */
void vgic_sweep_end(struct vgic_sweep *s)
{
	__atomic_store_n(&s->next, 0u, __ATOMIC_RELAXED);
}

/* --- Partition and vCPU reset --------------------------------------------- */

/* Implements: REQ-IRQ-009~2 */
void vgic_partition_reset(struct partition *part)
{
	struct vgic_dist *d = &part->arch.vgic;
	const struct cfg_partition *p = part->cfg;

	if (p->n_irqs > VGIC_MAX_SPIS) {
		/* bhcc refuses such a description: an image built otherwise is inconsistent. */
		panic("partition '%s' owns %u SPIs, the vGIC holds %u", p->name, p->n_irqs, VGIC_MAX_SPIS);
	}
	spin_lock(&d->lock);
	d->ctlr = 0u;
	d->setup_foreign = 0u;
	d->setup_absorbed = 0u;
	vgic_sweep_end(&d->route_sweep);
	for (uint32_t w = 0u; w < VGIC_WORDS; w++) {
		/* Virtual SPIs (vgic_spi.c) are owned too; they have no physical state to clear. */
		d->owned[w] = d->virt[w];
		d->enabled[w] = 0u;
		d->irm[w] = 0u;
		__atomic_store_n(&d->vpending[w], 0u, __ATOMIC_RELAXED);
		d->vconfig[2u * w] = 0u;
		d->vconfig[(2u * w) + 1u] = 0u;
		/* Only the virtual SPIs' bits: a restart's path stays as short as the partition's SPIs. */
		for (uint32_t bits = d->virt[w]; bits != 0u; bits &= bits - 1u) {
			uint32_t intid = (32u * w) + (uint32_t)__builtin_ctz(bits);

			d->priority[intid] = 0u;
			d->target[intid] = 0u;
		}
	}
	for (uint32_t i = 0u; i < p->n_irqs; i++) {
		uint32_t intid = p->irqs[i];
		uint32_t bit = (uint32_t)1u << (intid % 32u);
		uint32_t word = 4u * (intid / 32u);

		d->owned[intid / 32u] |= bit;
		d->priority[intid] = 0u;
		d->target[intid] = 0u;
		/* Nothing from the previous life of the partition survives. */
		gic_dist_write(GICD_ICENABLER + word, bit);
		gic_dist_write(GICD_ICPENDR + word, bit);
		gic_dist_write(GICD_ICACTIVER + word, bit);
		gic_dist_write8(GICD_IPRIORITYR + intid, VGIC_MIN_PRIORITY);
		gic_spi_route(intid, p->vcpu_cpu[0]);
	}
	spin_unlock(&d->lock);
}

/* Implements: REQ-IRQ-009~2 */
void vgic_vcpu_reset(struct cpu *cpu)
{
	struct vgic_cpu *v = vgic_cpu_of(cpu);

	__atomic_store_n(&v->sgi_pending, 0u, __ATOMIC_RELAXED);
	if (!GIC_PPI_REGS_BANKED) {
		v->ppi_config = gic_local_read(cpu, GICD_ICFGR + 4u);
	}
	for (uint32_t i = 0u; i < 32u; i++) {
		v->priority[i] = 0u;
	}
	for (uint32_t i = 0u; i < 16u; i++) {
		v->sgi_source[i] = 0u;
	}
	v->queued = 0u;
	vgic_sweep_end(&v->priority_sweep);
	v->asleep = true;
	v->direct = cpu->partition->cfg->arch.irq_delivery == (uint8_t)CFG_IRQ_DIRECT;
	vgic_version_vcpu_reset(v);
	/* The cpu may restart its vCPU without stopping: clear what the guest owned. */
	uint32_t local = VGIC_OWNED_PPIS | (v->direct ? 0x7fffu : 0u);
	gic_local_write(cpu, GICD_ICENABLER, local);
	if (GIC_PPI_REGS_BANKED) {
		gic_local_write(cpu, GICD_ICPENDR, local);
	}
	gic_local_write(cpu, GICD_ICACTIVER, local);
	for (uint32_t i = 0u; i < 32u; i++) {
		if ((local & ((uint32_t)1u << i)) != 0u) {
			gic_local_write8(cpu, GICD_IPRIORITYR + i, VGIC_MIN_PRIORITY);
		}
	}
	gic_vif_reset(v->direct);
}

/* --- Physical interrupts at EL2 ------------------------------------------- */

_Static_assert(((VGIC_OWNED_PPIS >> GIC_IPI_SGI) & 1u) == 0u, "the kick is not a guest's PPI");
_Static_assert(((VGIC_OWNED_PPIS >> GIC_MAINT_PPI) & 1u) == 0u, "the maintenance interrupt is not a guest's PPI");

/* A physical interrupt into the list registers, with the guest's priority for it. */
/* Implements: REQ-IRQ-002, REQ-IRQ-006 */
static inline __attribute__((always_inline)) void inject_hw(struct cpu *cpu, struct vgic_cpu *v, uint32_t intid,
							    uint8_t priority)
{
	struct gic_lr lr = { intid, intid, priority, 0u, true };
	/* The fast path: the vCPU holds nothing, so cannot hold this one twice. */
	if ((gic_lr_free() == gic_lr_all()) && (v->queued == 0u)) {
		gic_lr_write(0u, lr);
	} else {
		vgic_lr_inject_physical(cpu, v, lr);
	}
}

/* Anything but the kick and a guest's own PPI: the maintenance interrupt, a
 * PPI nobody owns, an SPI. Out of line: the frequent paths need no frame. */
/* Implements: REQ-IRQ-002, REQ-IRQ-006 */
static __attribute__((noinline)) void vgic_irq_other(struct cpu *cpu, uint32_t ack, uint32_t intid)
{
	struct vgic_cpu *v = vgic_cpu_of(cpu);

	if (intid == GIC_MAINT_PPI) {
		gic_deactivate(ack);
		vgic_lr_refill(v);
		return;
	}
	if (intid < GIC_FIRST_SPI) {
		gic_deactivate(ack);
		log_warning("core %u: PPI %u is nobody's", cpu->index, intid);
		return;
	}
	const struct vgic_dist *d = vgic_dist_of(cpu);
	if (!vgic_owns_spi(d, intid) || vgic_spi_virtual(cpu->partition, intid)) {
		/* Never routed here by the vGIC: a stale routing, dropped. */
		gic_deactivate(ack);
		log_warning("core %u: SPI %u does not belong to '%s'", cpu->index, intid, cpu->partition->cfg->name);
		return;
	}
	inject_hw(cpu, v, intid, d->priority[intid]);
}

/* Implements: REQ-IRQ-002, REQ-IRQ-006 */
void vgic_irq(struct cpu *cpu)
{
	uint32_t ack = gic_ack();
	uint32_t intid = gic_intid(ack);

	if (intid >= GIC_SPURIOUS) {
		return;
	}
	gic_eoi(ack);
	if (intid == GIC_IPI_SGI) {
		vgic_kick(cpu, ack);
	} else if ((intid < GIC_FIRST_SPI) && (((VGIC_OWNED_PPIS >> intid) & 1u) != 0u)) {
		/* The guest's timer: straight into a list register (no frame on this path). */
		struct vgic_cpu *v = vgic_cpu_of(cpu);

		inject_hw(cpu, v, intid, v->priority[intid]);
	} else {
		vgic_irq_other(cpu, ack, intid);
	}
}
