/* SPDX-License-Identifier: MIT */
/*
 * The virtual GIC, GICv3 parts: the distributor's control and routing
 * registers, one redistributor per vCPU, SGIs written through ICC_SGI1R_EL1,
 * and the CPU interface registers a direct-delivery cpu traps.
 */
#include "vgic.h"
#include "cfg.h"
#include "core.h"
#include "emul.h"
#include "log.h"
#include "cpu.h"
#include "partition.h"
#include "sysreg.h"

#define GICD_CTLR_GRP1     (1u << 0)
#define GICD_CTLR_GRP1A    (1u << 1)
#define GICD_CTLR_ARE_NS   (1u << 4)
#define GICD_TYPER_KEEP    (((uint32_t)0x1fu << 19) | 0x1fu)   /* IDbits, ITLinesNumber */
#define IROUTER_IRM        0x80000000UL              /* bit 31 */

#define GICD_FRAME         0x10000u
#define REDIST_FRAME       0x20000u
#define GICR_CTLR          0x0000u
#define GICR_IIDR          0x0004u
#define GICR_TYPER         0x0008u
#define GICR_WAKER         0x0014u
#define GICR_PIDR2         0xffe8u
#define GICR_SGI_BASE      0x10000u
#define GICR_WAKER_SLEEP   (1u << 1)
#define GICR_WAKER_ASLEEP  (1u << 2)
#define GIC_PIDR2_V3       0x3bu

#define ICC_PMR_EL1        SYSREG_ISS(3, 0, 4, 6, 0)
#define ICC_DIR_EL1        SYSREG_ISS(3, 0, 12, 11, 1)
#define ICC_RPR_EL1        SYSREG_ISS(3, 0, 12, 11, 3)
#define ICC_ASGI1R_EL1     SYSREG_ISS(3, 0, 12, 11, 6)
#define ICC_SGI0R_EL1      SYSREG_ISS(3, 0, 12, 11, 7)
#define ICC_CTLR_EL1       SYSREG_ISS(3, 0, 12, 12, 4)
#define ICC_CTLR_GUEST     0x3u                      /* CBPR, EOImode */

/* Implements: REQ-IRQ-009~2 */
void vgic_version_vcpu_reset(struct vgic_cpu *v)
{
	v->sgi_enabled = 0u;
}

/* Implements: REQ-IRQ-008~2 */
void vgic_fiq(struct cpu *cpu)
{
	uint32_t ack = gic_ack_fiq();

	if (gic_intid(ack) >= GIC_SPURIOUS) {
		return;
	}
	gic_eoi_fiq(ack);
	if (gic_intid(ack) == GIC_IPI_SGI) {
		core_handle_requests(cpu);
	}
}

/* Implements: REQ-IRQ-005 */
static bool irm_of(const struct vgic_dist *d, uint32_t intid)
{
	return (d->irm[intid / 32u] & ((uint32_t)1u << (intid % 32u))) != 0u;
}

/* Implements: REQ-IRQ-005 */
uint32_t vgic_spi_target(const struct partition *part, uint32_t intid)
{
	const struct vgic_dist *d = &part->arch.vgic;

	/* "Any vCPU" is vCPU 0: a physical 1-of-N route could pick another partition's cpu. */
	return irm_of(d, intid) ? 0u : d->target[intid];
}

/* Implements: REQ-IRQ-005 */
static void route(struct cpu *cpu, uint32_t intid)
{
	if (vgic_spi_virtual(cpu->partition, intid)) {
		return;   /* no physical line: vgic_spi_kick() follows the new route */
	}
	gic_spi_route(intid, cpu->partition->cfg->vcpu_cpu[vgic_spi_target(cpu->partition, intid)]);
}

/* Implements: REQ-IRQ-005 */
static void irouter_write(struct cpu *cpu, uint32_t intid, uint32_t offset, uint64_t value)
{
	struct vgic_dist *d = vgic_dist_of(cpu);
	uint64_t aff = value & 0xff00ffffffULL & ~IROUTER_IRM;
	bool irm = (value & IROUTER_IRM) != 0u;

	if (!irm && (aff >= cpu->partition->cfg->n_vcpus)) {
		vgic_deny(cpu, "route to a core it does not own", offset, value);
		return;
	}
	spin_lock(&d->lock);
	if (irm) {
		d->irm[intid / 32u] |= (uint32_t)1u << (intid % 32u);
	} else {
		d->irm[intid / 32u] &= ~((uint32_t)1u << (intid % 32u));
		d->target[intid] = (uint8_t)aff;
	}
	route(cpu, intid);
	spin_unlock(&d->lock);
	/* A virtual SPI pending for the old route goes to the new one. */
	vgic_spi_kick_pending(cpu, intid / 32u, (uint32_t)1u << (intid % 32u));
}

/* Routing needs affinity routing on, so an OS routes its SPIs after it enabled its
 * distributor: every SPI from the first, in order, to its boot vCPU (Linux). True when
 * this write is a step of that pass; any other write ends it. */
/* Implements: REQ-LNX-010 */
static bool route_pass(struct vgic_dist *d, uint32_t intid, bool write, bool wide, uint64_t value)
{
	bool pass = write && wide && vgic_sweep(&d->route_sweep, GIC_FIRST_SPI, intid, value);

	if (write && !pass) {
		vgic_sweep_end(&d->route_sweep);
	}
	return pass;
}

/* GICD_IROUTER<n>: 64-bit, or two 32-bit halves of which the high one is Aff3. */
/* Implements: REQ-IRQ-005, REQ-LNX-010 */
static void irouter(struct cpu *cpu, uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	struct vgic_dist *d = vgic_dist_of(cpu);
	uint32_t intid = (offset - GICD_IROUTER) / 8u;
	bool high = (offset & 4u) != 0u;
	bool width_ok = (size == 4u) || ((size == 8u) && !high);
	bool pass = route_pass(d, intid, write, (size == 8u) && !high, *value);

	if (!vgic_owns_spi(d, intid) || !width_ok) {
		/* A step of the pass is 64-bit, so its width is right. */
		if (write && !pass) {
			vgic_deny_foreign(cpu, "routing of an interrupt it does not own", offset, *value);
		}
		*value = 0u;
	} else if (!write) {
		uint64_t v = irm_of(d, intid) ? IROUTER_IRM : d->target[intid];
		*value = high ? 0u : ((size == 4u) ? (uint32_t)v : v);
	} else if (high) {
		/* Aff3: every vCPU has Aff3 = 0. */
		if ((uint32_t)*value != 0u) {
			vgic_deny(cpu, "route to a core it does not own", offset, *value);
		}
	} else {
		irouter_write(cpu, intid, offset, *value);
	}
}

/* GICD_CTLR, TYPER, IIDR and PIDR2; false: another register. */
/* Implements: REQ-IRQ-001 */
static bool dist_ident(struct cpu *cpu, uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	if (size != 4u) {
		return false;
	}
	if (offset == GICD_CTLR) {
		if (write) {
			uint32_t enables = (uint32_t)*value & (GICD_CTLR_GRP1 | GICD_CTLR_GRP1A);
			vgic_dist_enable(cpu, enables, enables != 0u);
		} else {
			*value = vgic_dist_of(cpu)->ctlr | GICD_CTLR_ARE_NS;
		}
		return true;
	}
	if (write) {
		return false;
	}
	if (offset == GICD_TYPER) {
		*value = gic_dist_read(GICD_TYPER) & GICD_TYPER_KEEP;
	} else if ((offset == GICD_IIDR) || (offset == GICD_PIDR2)) {
		*value = gic_dist_read(offset);
	} else {
		return false;
	}
	return true;
}

/* Implements: REQ-IRQ-001, REQ-IRQ-004~2 */
static void dist_access(struct cpu *cpu, uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	if (dist_ident(cpu, offset, write, size, value)) {
		return;
	}
	if ((offset >= GICD_IGROUPR) && (offset < GICD_ISENABLER) && (size == 4u)) {
		/* Every interrupt a partition owns is group 1; group 0 is the hypervisor's. */
		uint32_t groups = vgic_dist_of(cpu)->owned[(offset - GICD_IGROUPR) / 4u];
		if (!write) {
			*value = groups;
		} else if (((uint32_t)*value & groups) != groups) {
			vgic_deny(cpu, "group change", offset, *value);
		} else if ((uint32_t)*value != groups) {
			/* Its own stay group 1; the other bits name interrupts it does not own (an OS
			 * sets every SPI's group while its distributor is disabled: REQ-LNX-008~2). */
			vgic_deny_foreign(cpu, "group of an interrupt it does not own", offset, *value);
		} else {
			/* Writes what it reads: nothing to refuse. */
		}
		return;
	}
	/* SGIs and PPIs live in the redistributors (affinity routing): RAZ/WI here. */
	if (!vgic_dist_banked(offset) && vgic_dist_common(cpu, offset, write, size, value)) {
		return;
	}
	if ((offset >= (GICD_IROUTER + (8u * GIC_FIRST_SPI))) && (offset < (GICD_IROUTER + (8u * GIC_MAX_INTID)))) {
		irouter(cpu, offset, write, size, value);
		return;
	}
	/* Reserved or not implemented for partitions: read as zero, writes ignored. */
	if (!write) {
		*value = 0u;
	}
}

/* RD_base frame registers other than RAZ/WI; false: RAZ/WI. */
/* Implements: REQ-IRQ-001 */
static bool redist_rd(struct cpu *cpu, uint32_t vcpu, uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	struct vgic_cpu *v = vgic_cpu_of(vgic_vcpu_cpu(cpu, vcpu));

	if ((offset == GICR_WAKER) && (size == 4u)) {
		if (write) {
			v->asleep = (*value & GICR_WAKER_SLEEP) != 0u;
		} else {
			*value = v->asleep ? (GICR_WAKER_SLEEP | GICR_WAKER_ASLEEP) : 0u;
		}
		return true;
	}
	if (write) {
		return false;
	}
	if ((offset == GICR_TYPER) && ((size == 8u) || (size == 4u))) {
		/* The guest's affinity for vCPU n is Aff0 = n, like its MPIDR. */
		uint64_t last = ((vcpu + 1u) == cpu->partition->cfg->n_vcpus) ? 0x10UL : 0UL;   /* Last, bit 4 */
		uint64_t typer = ((uint64_t)vcpu << 32) | ((uint64_t)vcpu << 8) | last;
		*value = (size == 4u) ? (uint32_t)typer : typer;
	} else if (size != 4u) {
		return false;
	} else if (offset == (GICR_TYPER + 4u)) {
		*value = vcpu;
	} else if (offset == GICR_PIDR2) {
		*value = GIC_PIDR2_V3;
	} else if (offset == GICR_IIDR) {
		*value = gic_dist_read(GICD_IIDR);
	} else {
		return false;
	}
	return true;
}

/* Implements: REQ-IRQ-001, REQ-IRQ-011, REQ-LNX-010 */
static void redist_access(struct cpu *cpu, uint32_t vcpu, uint32_t offset, bool write, uint32_t size,
			  uint64_t *value)
{
	bool handled;

	if (offset < GICR_SGI_BASE) {
		/* GICR_CTLR (no LPIs) and everything redist_rd leaves: RAZ/WI. */
		handled = redist_rd(cpu, vcpu, offset, write, size, value);
	} else if (((offset - GICR_SGI_BASE) == GICD_IGROUPR) && (size == 4u)) {
		const struct vgic_cpu *v = vgic_cpu_of(vgic_vcpu_cpu(cpu, vcpu));
		uint32_t groups = VGIC_OWNED_PPIS | (v->direct ? 0x7fffu : 0xffffu);
		if (!write) {
			*value = groups;
		} else if (((uint32_t)*value & groups) != groups) {
			vgic_deny(cpu, "group change", offset, *value);
		} else if (((uint32_t)*value != groups) && ((uint32_t)*value != 0xffffffffu)) {
			vgic_deny(cpu, "group of an SGI or PPI it does not own", offset, *value);
		} else {
			/* What it reads, or "everything group 1", the idiom an OS resets its banks with
			 * (Linux: ~0 into GICR_IGROUPR0 as each vCPU comes up): its own stay group 1. */
		}
		handled = true;
	} else {
		handled = vgic_local_access(cpu, vcpu, offset - GICR_SGI_BASE, write, size, value);
	}
	if (!handled && !write) {
		*value = 0u;
	}
}

/* The emulated distributor frame (emul.h handler). */
/* Implements: REQ-IRQ-001 */
static bool vgic_dist_mmio(struct cpu *cpu, void *context, uint64_t offset, bool write, uint32_t size,
			   uint64_t *value)
{
	UNUSED(context);
	dist_access(cpu, (uint32_t)offset, write, size, value);
	return true;
}

/* The emulated redistributors, one 128 KiB frame per vCPU (emul.h handler). */
/* Implements: REQ-IRQ-001 */
static bool vgic_redist_mmio(struct cpu *cpu, void *context, uint64_t offset, bool write, uint32_t size,
			     uint64_t *value)
{
	UNUSED(context);
	redist_access(cpu, (uint32_t)(offset / REDIST_FRAME), (uint32_t)(offset % REDIST_FRAME), write, size, value);
	return true;
}

/* Implements: REQ-IRQ-001 */
void vgic_partition_init(struct partition *p)
{
	const struct cfg_gic *g = &cfg_system.arch.gic;

	vgic_spi_init(p);
	vgic_sgi_init(p);
	enum core_status dist = emul_register(p, EMUL_MMIO, g->dist.base, GICD_FRAME, vgic_dist_mmio, NULL);
	enum core_status redist = emul_register(p, EMUL_MMIO, g->redist.base, (uint64_t)REDIST_FRAME * p->cfg->n_vcpus,
						vgic_redist_mmio, NULL);

	if ((dist != CORE_OK) || (redist != CORE_OK)) {
		/* bhcc keeps the GIC's frames out of every partition's memory. */
		panic("partition '%s': the virtual GIC's frames cannot be registered (%d, %d)", p->cfg->name, (int)dist,
		      (int)redist);
	}
}

/* The refusal of an SGI1R write that named cores not the partition's (logged
 * first, as always), then the SGI to each of `targets`, the cores it may name. */
/* Implements: REQ-IRQ-003, REQ-IRQ-004~2 */
static __attribute__((noinline)) void sgi1r_each(struct cpu *cpu, uint64_t v, uint64_t targets, bool refused)
{
	uint32_t intid = (uint32_t)(v >> 24) & 0xfu;
	uint64_t left = targets;

	if (refused) {
		vgic_deny(cpu, "SGI to a core it does not own", 0u, v);
	}
	while (left != 0u) {
		vgic_send_sgi(cpu, (uint32_t)__builtin_ctzl(left), intid);
		left &= left - 1u;
	}
}

/* ICC_SGI1R_EL1: INTID in bits 27:24, IRM bit 40, Aff3/2/1 and a 16-bit target list
 * with its range selector. A partition's vCPUs are Aff0 = 0..n-1, all else zero. */
/* Implements: REQ-IRQ-003 */
void vgic_sgi1r(struct cpu *cpu, uint64_t v)
{
	const uint64_t upper = (0xffUL << 48) | (0xfUL << 44) | (0xffUL << 32) | (0xffUL << 16);
	uint64_t own = vgic_dist_of(cpu)->vcpus;
	uint64_t list = v & 0xffffu;
	uint64_t targets;
	bool refused;

	if ((v & (1UL << 40)) != 0u) {
		targets = own & ~(1UL << cpu->vcpu);
		refused = false;
	} else if ((v & upper) == 0u) {
		/* The usual case: Aff3..Aff1 and the range selector zero. */
		targets = list & own;
		refused = targets != list;
	} else {
		uint32_t base = 16u * ((uint32_t)(v >> 44) & 0xfu);
		bool aff_zero = (v & ((0xffUL << 48) | (0xffUL << 32) | (0xffUL << 16))) == 0u;

		/* Below 64, base is a multiple of 16 up to 48: the 16-bit list shifted by it loses no bit. */
		targets = (aff_zero && (base < 64u)) ? ((list << base) & own) : 0u;
		refused = (list != 0u) && (!aff_zero || (base >= 64u) || (((list << base) & ~own) != 0u));
	}
	if (!refused && ((targets & (targets - 1u)) == 0u)) {
		/* None or one, the usual case: a tail call, no frame. */
		if (targets != 0u) {
			vgic_send_sgi(cpu, (uint32_t)__builtin_ctzl(targets), (uint32_t)(v >> 24) & 0xfu);
		}
		return;
	}
	sgi1r_each(cpu, v, targets, refused);
}

/*
 * A direct cpu's ICC_DIR_EL1 write (ICH_HCR_EL2.TDIR). The active state of
 * an SPI is global: deactivating another partition's SPI would end its
 * handling early, and a level interrupt still asserted would be taken again
 * (its owner's hypervisor-held copy merges it, but it costs that cpu an
 * exception each time). So only an interrupt the partition owns is
 * deactivated on the physical interface; the rest, SGI 15 (the kick) and
 * the other PPIs included, is refused. The guest's EOImode decides, as on
 * the board, whether the write does anything (EOImode 0: it does not on
 * QEMU; the architecture leaves it unpredictable, for its own interrupt).
 * Implements: REQ-IRQ-012
 */
static void icc_dir(struct cpu *cpu, uint64_t value)
{
	uint32_t intid = (uint32_t)value & 0xffffffu;

	if (vgic_owns(cpu, intid)) {
		write_sysreg(icc_dir_el1, intid);
	} else {
		vgic_deny(cpu, "deactivation of an interrupt it does not own", 0u, value);
	}
}

/* Implements: REQ-IRQ-003, REQ-IRQ-012 */
bool vgic_sysreg(struct cpu *cpu, uint32_t reg, bool read, uint64_t *value)
{
	switch (reg) {
	/* ICC_SGI1R_EL1 writes never come here: sysreg_trap.c takes them first. */
	case ICC_ASGI1R_EL1:
		if (!read) {
			vgic_sgi1r(cpu, *value);
		}
		return !read;
	case ICC_SGI0R_EL1:
		if (!read) {
			vgic_deny(cpu, "group 0 SGI", 0u, *value);
		}
		return !read;
	/* Trapped only on direct-delivery cores (ICH_HCR_EL2.TC/TDIR): the guest's
	 * view of the shared registers is the physical one, within limits. */
	case ICC_PMR_EL1:
		if (read) {
			*value = read_sysreg(icc_pmr_el1);
		} else {
			/* Clamped after the RES0 bits go: 0x100 must not become 0, which masks the kick. */
			uint64_t pmr = *value & 0xffu;
			write_sysreg(icc_pmr_el1, (pmr < VGIC_MIN_PRIORITY) ? VGIC_MIN_PRIORITY : pmr);
		}
		return true;
	case ICC_CTLR_EL1:
		if (read) {
			*value = read_sysreg(icc_ctlr_el1);
		} else {
			write_sysreg(icc_ctlr_el1, (read_sysreg(icc_ctlr_el1) & ~ICC_CTLR_GUEST) | (*value & ICC_CTLR_GUEST));
		}
		return true;
	case ICC_RPR_EL1:
		if (read) {
			*value = read_sysreg(icc_rpr_el1);
		}
		return read;
	case ICC_DIR_EL1:
		if (!read) {
			icc_dir(cpu, *value);
		}
		return !read;
	default:
		return false;
	}
}
