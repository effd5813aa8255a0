/* SPDX-License-Identifier: MIT */
/*
 * The virtual GIC, GICv2 parts: the distributor's control, banked SGI/PPI
 * registers, CPU targets and the software-generated interrupt register. The
 * CPU interface is the hardware's GICV, mapped by stage 2 where the partition
 * expects GICC (bhcc adds that region), so it needs no emulation.
 */
#include "vgic.h"
#include "cfg.h"
#include "cpu.h"
#include "emul.h"
#include "log.h"
#include "partition.h"

#define GICD_CTLR_ENABLE   (1u << 0)
#define GICD_TYPER_LINES   0x1fu
#define GICD_SGIR_FILTER_SHIFT 24
#define GICD_PIDR2_V2      0x0fe8u
#define GICD_CPENDSGIR     0x0f10u
#define GICD_SPENDSGIR     0x0f20u

/* Implements: REQ-IRQ-009~2 */
void vgic_version_vcpu_reset(struct vgic_cpu *v)
{
	/* GICv2 SGIs are always enabled. */
	v->sgi_enabled = 0xffffu;
}

/* The vCPUs of a CPU-target mask are the partition's own; physically the
 * interrupt goes to their cores. */
/* Implements: REQ-IRQ-005 */
static uint8_t physical_targets(const struct cpu *cpu, uint8_t vmask)
{
	uint8_t mask = 0u;

	for (uint32_t v = 0u; v < cpu->partition->cfg->n_vcpus; v++) {
		if ((vmask & ((uint32_t)1u << v)) != 0u) {
			mask |= gic_cpuif_mask(cpu->partition->cfg->vcpu_cpu[v]);
		}
	}
	return mask;
}

/* Implements: REQ-IRQ-005 */
uint32_t vgic_spi_target(const struct partition *part, uint32_t intid)
{
	uint32_t mask = part->arch.vgic.target[intid] & (((uint32_t)1u << part->cfg->n_vcpus) - 1u);

	/* The first vCPU of the target list; none (or a uniprocessor's RAZ field): vCPU 0. */
	return (mask != 0u) ? (uint32_t)__builtin_ctz(mask) : 0u;
}

/* One CPU interface (GICD_TYPER.CPUNumber 0): every target field is RAZ/WI,
 * everything goes to that CPU. Writes to other partitions' SPIs still count. */
/* Implements: REQ-IRQ-001 */
static void targets_uniprocessor(struct cpu *cpu, uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	const struct vgic_dist *d = vgic_dist_of(cpu);

	for (uint32_t i = 0u; write && (i < size); i++) {
		uint32_t intid = offset - GICD_ITARGETSR + i;
		uint8_t byte = (uint8_t)(*value >> (8u * i));

		if ((byte != 0u) && (intid >= GIC_FIRST_SPI) && !vgic_owns_spi(d, intid)) {
			vgic_deny_foreign(cpu, "targets of an interrupt it does not own", offset + i, byte);
		}
	}
	if (!write) {
		*value = 0u;
	}
}

/* Implements: REQ-IRQ-005 */
static void targets(struct cpu *cpu, uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	struct vgic_dist *d = vgic_dist_of(cpu);
	uint32_t first = offset - GICD_ITARGETSR;
	uint8_t own = (uint8_t)(((uint32_t)1u << cpu->partition->cfg->n_vcpus) - 1u);
	uint64_t out = 0u;

	if ((size != 1u) && (size != 4u)) {
		vgic_deny(cpu, "distributor access of the wrong width", offset, size);
		*value = 0u;
		return;
	}
	if (own == 1u) {
		targets_uniprocessor(cpu, offset, write, size, value);
		return;
	}
	for (uint32_t i = 0u; i < size; i++) {
		uint32_t intid = first + i;
		uint32_t shift = 8u * i;
		uint8_t byte = (uint8_t)(*value >> shift);

		if (intid < GIC_FIRST_SPI) {
			/* SGIs and PPIs target the reading CPU only: read-only. */
			out |= (uint64_t)((uint32_t)1u << cpu->vcpu) << shift;
			continue;
		}
		if (!vgic_owns_spi(d, intid)) {
			if (write && (byte != 0u)) {
				vgic_deny_foreign(cpu, "targets of an interrupt it does not own", offset + i, byte);
			}
			continue;
		}
		if (!write) {
			out |= (uint64_t)d->target[intid] << shift;
			continue;
		}
		if (((uint32_t)byte & ~(uint32_t)own) != 0u) {
			vgic_deny(cpu, "route to a core it does not own", offset + i, byte);
		}
		spin_lock(&d->lock);
		d->target[intid] = byte & own;
		if (!vgic_spi_virtual(cpu->partition, intid)) {
			gic_spi_targets(intid, physical_targets(cpu, d->target[intid]));
		}
		spin_unlock(&d->lock);
		/* A virtual SPI pending for the old targets goes to the new ones. */
		vgic_spi_kick_pending(cpu, intid / 32u, (uint32_t)1u << (intid % 32u));
	}
	if (!write) {
		*value = out;
	}
}

/* An SGIR write's refusal, if it has one (logged first, as always), then
 * the SGI to each vCPU of `list`, those it may name. */
/* Implements: REQ-IRQ-003, REQ-IRQ-004~2 */
static __attribute__((noinline)) void sgir_each(struct cpu *cpu, uint32_t value, uint32_t list, const char *refused)
{
	uint32_t left = list;

	if (refused != NULL) {
		vgic_deny(cpu, refused, GICD_SGIR, value);
	}
	while (left != 0u) {
		vgic_send_sgi(cpu, (uint32_t)__builtin_ctz(left), value & 0xfu);
		left &= left - 1u;
	}
}

/* GICD_SGIR: filter 0 = the target list, 1 = all but self, 2 = self. */
/* Implements: REQ-IRQ-003 */
void vgic_sgir(struct cpu *cpu, uint32_t value)
{
	/* GICv2 has 8 CPU interfaces at most: the mask fits. */
	uint32_t own = (uint32_t)vgic_dist_of(cpu)->vcpus;
	uint32_t filter = (value >> GICD_SGIR_FILTER_SHIFT) & 3u;
	uint32_t list = (value >> 16) & 0xffu;
	const char *refused = NULL;

	if (filter == 1u) {
		list = own & ~((uint32_t)1u << cpu->vcpu);
	} else if (filter == 2u) {
		list = (uint32_t)1u << cpu->vcpu;
	} else if (filter == 3u) {
		list = 0u;
		refused = "SGI with a reserved target filter";
	} else if ((list & ~own) != 0u) {
		list &= own;
		refused = "SGI to a core it does not own";
	} else {
		/* the target list as written */
	}
	if ((refused == NULL) && ((list & (list - 1u)) == 0u)) {
		/* None or one, the usual case: a tail call, no frame. */
		if (list != 0u) {
			vgic_send_sgi(cpu, (uint32_t)__builtin_ctz(list), value & 0xfu);
		}
		return;
	}
	sgir_each(cpu, value, list, refused);
}

/* GICD_CTLR, TYPER, IIDR, PIDR2 and SGIR; false: another register. */
/* Implements: REQ-IRQ-001 */
static bool dist_ident(struct cpu *cpu, uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	if (size != 4u) {
		return false;
	}
	if ((offset == GICD_CTLR) && write) {
		uint32_t enable = (uint32_t)*value & GICD_CTLR_ENABLE;
		vgic_dist_enable(cpu, enable, enable != 0u);
	} else if (offset == GICD_SGIR) {
		if (write) {
			vgic_sgir(cpu, (uint32_t)*value);
		} else {
			*value = 0u;
		}
	} else if (write) {
		return false;
	} else if (offset == GICD_CTLR) {
		*value = vgic_dist_of(cpu)->ctlr;
	} else if (offset == GICD_TYPER) {
		*value = (gic_dist_read(GICD_TYPER) & GICD_TYPER_LINES) | ((cpu->partition->cfg->n_vcpus - 1u) << 5);
	} else if ((offset == GICD_IIDR) || (offset == GICD_PIDR2_V2)) {
		*value = gic_dist_read(offset);
	} else {
		return false;
	}
	return true;
}

/* GICD_CPENDSGIRn / GICD_SPENDSGIRn: a byte per SGI of the calling CPU
 * interface, a bit per sender. */
/* Implements: REQ-IRQ-011 */
static void sgi_pending_regs(struct cpu *cpu, uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	bool set = offset >= GICD_SPENDSGIR;
	uint32_t first = offset - (set ? GICD_SPENDSGIR : GICD_CPENDSGIR);
	uint64_t out = 0u;

	if ((size != 1u) && (size != 4u)) {
		vgic_deny(cpu, "distributor access of the wrong width", offset, size);
		*value = 0u;
		return;
	}
	for (uint32_t i = 0u; i < size; i++) {
		uint32_t shift = 8u * i;
		uint8_t byte = (uint8_t)(*value >> shift);

		if (!write) {
			out |= (uint64_t)vgic_sgi_sources(cpu, first + i) << shift;
		} else if (set) {
			vgic_sgi_set_pending(cpu, first + i, byte);
		} else {
			vgic_sgi_clear_pending(cpu, first + i, byte);
		}
	}
	if (!write) {
		*value = out;
	}
}

/* Not inlined: its frame would otherwise be paid by every SGI. */
/* Implements: REQ-IRQ-001, REQ-IRQ-004~2 */
static __attribute__((noinline)) void dist_access(struct cpu *cpu, uint32_t offset, bool write, uint32_t size,
						  uint64_t *value)
{
	bool handled;

	if (dist_ident(cpu, offset, write, size, value)) {
		handled = true;
	} else if ((offset >= GICD_ITARGETSR) && (offset < GICD_ICFGR)) {
		targets(cpu, offset, write, size, value);
		handled = true;
	} else if ((offset >= GICD_CPENDSGIR) && (offset < (GICD_SPENDSGIR + 16u))) {
		sgi_pending_regs(cpu, offset, write, size, value);
		handled = true;
	} else if (vgic_dist_banked(offset)) {
		handled = vgic_local_access(cpu, cpu->vcpu, offset, write, size, value);
	} else {
		handled = vgic_dist_common(cpu, offset, write, size, value);
	}
	/* IGROUPR (no Security Extensions), SGI pending registers and reserved: RAZ/WI. */
	if (!handled && !write) {
		*value = 0u;
	}
}

/* The emulated distributor (emul.h handler). SGIs are the frequent access: straight to them. */
/* Implements: REQ-IRQ-001 */
static bool vgic_dist_mmio(struct cpu *cpu, void *context, uint64_t offset, bool write, uint32_t size,
			   uint64_t *value)
{
	UNUSED(context);
	if ((offset == GICD_SGIR) && write && (size == 4u)) {
		vgic_sgir(cpu, (uint32_t)*value);
	} else {
		dist_access(cpu, (uint32_t)offset, write, size, value);
	}
	return true;
}

/* Implements: REQ-IRQ-001 */
void vgic_partition_init(struct partition *p)
{
	const struct cfg_gic *g = &cfg_system.arch.gic;

	vgic_spi_init(p);
	vgic_sgi_init(p);
	enum core_status dist = emul_register(p, EMUL_MMIO, g->dist.base, g->dist.size, vgic_dist_mmio, NULL);

	if (dist != CORE_OK) {
		/* bhcc keeps the distributor out of every partition's memory. */
		panic("partition '%s': the virtual GIC's distributor cannot be registered (%d)", p->cfg->name, (int)dist);
	}
}
