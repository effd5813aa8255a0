/* SPDX-License-Identifier: MIT */
/*
 * The banked SGI and PPI registers of each vCPU, shared by GICv2 and GICv3
 * (see vgic.h): the GICv3 redistributor's SGI frame, the GICv2
 * distributor's banked part.
 */
#include "vgic.h"
#include "arch.h"
#include "cpu.h"
#include "partition.h"

/* --- Banked SGI and PPI registers ----------------------------------------- */

/* Implements: REQ-IRQ-004~2 */
static uint32_t local_owned(const struct vgic_cpu *v)
{
	return VGIC_OWNED_PPIS | (v->direct ? 0x7fffu : 0xffffu);
}

/* Implements: REQ-IRQ-004~2 */
bool vgic_owns(const struct cpu *cpu, uint32_t intid)
{
	if (intid < GIC_FIRST_SPI) {
		return ((local_owned(&cpu->arch.vgic) >> intid) & 1u) != 0u;
	}
	return vgic_owns_spi(vgic_dist_of(cpu), intid);
}

/* Implements: REQ-IRQ-011, REQ-LNX-010 */
static void local_priority(struct cpu *cpu, uint32_t vcpu, uint32_t offset, bool write, uint32_t size,
			   uint64_t *value)
{
	struct cpu *t = vgic_vcpu_cpu(cpu, vcpu);
	struct vgic_cpu *v = vgic_cpu_of(t);
	uint32_t owned = local_owned(v);
	uint64_t out = 0u;
	/* An OS gives each vCPU's SGIs and PPIs their priority as the vCPU comes up, after its
	 * distributor is enabled: word by word from the first (Linux: 0xa0 to all 32). */
	bool pass = write && (size == 4u) && vgic_sweep(&v->priority_sweep, 0u, (offset - GICD_IPRIORITYR) / 4u, *value);

	if (write && (size != 4u)) {
		vgic_sweep_end(&v->priority_sweep);
	}
	for (uint32_t i = 0u; i < size; i++) {
		uint32_t intid = offset - GICD_IPRIORITYR + i;
		uint32_t shift = 8u * i;
		uint8_t byte = (uint8_t)(*value >> shift);

		if ((owned & ((uint32_t)1u << intid)) == 0u) {
			if (write && (byte != 0u) && !pass) {
				vgic_deny(cpu, "priority of an SGI or PPI it does not own", offset + i, byte);
			}
			continue;
		}
		if (write) {
			v->priority[intid] = byte;
			/* Virtual SGIs of a mediated vCPU have no physical counterpart. */
			if ((intid >= 16u) || v->direct) {
				gic_local_write8(t, GICD_IPRIORITYR + intid, vgic_physical_priority(byte));
			}
		} else {
			out |= (uint64_t)v->priority[intid] << shift;
		}
	}
	if (!write) {
		*value = out;
	}
}

/* Implements: REQ-IRQ-011 */
static uint32_t local_bitmap_read(const struct cpu *t, const struct vgic_cpu *v, uint32_t reg)
{
	uint32_t owned = local_owned(v);
	uint32_t virt = v->direct ? 0u : 0xffffu;   /* SGIs handled in software */
	uint32_t soft = 0u;

	if ((reg == GICD_ISENABLER) || (reg == GICD_ICENABLER)) {
		soft = v->sgi_enabled;
	} else if ((reg == GICD_ISPENDR) || (reg == GICD_ICPENDR)) {
		soft = __atomic_load_n(&v->sgi_pending, __ATOMIC_RELAXED);
	} else {
		/* Active state of virtual SGIs lives in the list registers: reads as zero. */
	}
	return (soft & virt) | (gic_local_read(t, reg) & owned & ~virt);
}

/* Writes of the software SGIs `sgis` of vCPU `vcpu` (cpu `t`) through register `reg`. */
/* Implements: REQ-IRQ-011 */
static void local_sgi_write(struct cpu *cpu, uint32_t vcpu, struct cpu *t, uint32_t reg, uint32_t sgis)
{
	struct vgic_cpu *v = vgic_cpu_of(t);

	if (reg == GICD_ISENABLER) {
		v->sgi_enabled |= sgis;
		/* SGIs posted while disabled can now be delivered. */
		if (t == cpu) {
			vgic_sync_sgis(cpu);
		} else if ((__atomic_load_n(&v->sgi_pending, __ATOMIC_RELAXED) & sgis) != 0u) {
			arch_cpu_kick(t->index);
		} else {
			/* Nothing waiting for it. */
		}
	} else if (reg == GICD_ICENABLER) {
		v->sgi_enabled &= ~sgis;
	} else if (reg == GICD_ISPENDR) {
		uint32_t left = sgis;
		while (left != 0u) {
			vgic_send_sgi(cpu, vcpu, (uint32_t)__builtin_ctz(left));
			left &= left - 1u;
		}
	} else if (reg == GICD_ICPENDR) {
		__atomic_fetch_and(&v->sgi_pending, ~sgis, __ATOMIC_RELAXED);
	} else {
		/* Active state of virtual SGIs lives in the list registers: not writable here. */
	}
}

/* Implements: REQ-IRQ-004~2, REQ-IRQ-011, REQ-LNX-010 */
static void local_bitmap(struct cpu *cpu, uint32_t vcpu, uint32_t reg, bool write, uint64_t *value)
{
	struct cpu *t = vgic_vcpu_cpu(cpu, vcpu);
	const struct vgic_cpu *v = vgic_cpu_of(t);
	uint32_t owned = local_owned(v);
	uint32_t virt = v->direct ? 0u : 0xffffu;   /* SGIs handled in software */
	uint32_t bits = (uint32_t)*value & owned & (GIC_SGI_BITMAPS_WRITABLE ? 0xffffffffu : 0xffff0000u);

	if (!write) {
		uint32_t state = local_bitmap_read(t, v, reg);
		/* The list registers of the calling cpu only: see vgic_lr_guest_state(). */
		*value = ((t == cpu) && vgic_state_reg(reg)) ? (vgic_lr_guest_state(cpu, reg, 0u, state) & owned) : state;
		return;
	}
	if ((((uint32_t)*value & ~owned) != 0u) && !vgic_clear_all(reg, *value)) {
		vgic_deny(cpu, "SGI/PPI write outside its own", reg, *value);
	}
	/* See GIC_PPI_REGS_BANKED: without it, vgic_lr_withdraw() alone clears PPIs. */
	if (((bits & ~virt) != 0u) && (GIC_PPI_REGS_BANKED || (reg != GICD_ICPENDR))) {
		gic_local_write(t, reg, bits & ~virt);
	}
	if ((bits & virt) != 0u) {
		local_sgi_write(cpu, vcpu, t, reg, bits & virt);
	}
	if ((reg == GICD_ICPENDR) && (t == cpu)) {
		vgic_lr_withdraw(cpu, 0u, bits, 0xffu);
	}
}

/* Implements: REQ-IRQ-011 */
bool vgic_dist_banked(uint32_t offset)
{
	return ((offset >= GICD_ISENABLER) && (offset < GICD_IPRIORITYR) && ((offset & 0x7fu) == 0u)) ||
	       ((offset >= GICD_IPRIORITYR) && (offset < (GICD_IPRIORITYR + 32u))) ||
	       ((offset >= GICD_ICFGR) && (offset < (GICD_ICFGR + 8u)));
}

/* GICD_ICFGR1 / GICR_ICFGR1: the trigger mode of the PPIs the partition owns. */
/* Implements: REQ-IRQ-004~2 */
static void local_ppi_config(struct cpu *cpu, uint32_t vcpu, bool write, uint64_t *value)
{
	struct cpu *t = vgic_vcpu_cpu(cpu, vcpu);
	struct vgic_cpu *v = vgic_cpu_of(t);
	const uint32_t offset = GICD_ICFGR + 4u;
	uint32_t mask = 0u;

	for (uint32_t i = 0u; i < 16u; i++) {
		if ((VGIC_OWNED_PPIS & ((uint32_t)1u << (16u + i))) != 0u) {
			mask |= (uint32_t)3u << (2u * i);
		}
	}
	if (write && (((uint32_t)*value & ~mask & 0xaaaaaaaau) != 0u)) {
		vgic_deny(cpu, "configuration of a PPI it does not own", offset, *value);
	}
	if (!GIC_PPI_REGS_BANKED) {
		/* Kept per vCPU: see GIC_PPI_REGS_BANKED. */
		if (write) {
			v->ppi_config = (v->ppi_config & ~mask) | ((uint32_t)*value & mask);
		} else {
			*value = v->ppi_config & mask;
		}
	} else if (!write) {
		*value = gic_local_read(t, offset) & mask;
	} else {
		uint32_t phys = gic_local_read(t, offset);
		gic_local_write(t, offset, (phys & ~mask) | ((uint32_t)*value & mask));
	}
}

/* Implements: REQ-IRQ-011 */
bool vgic_local_access(struct cpu *cpu, uint32_t vcpu, uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	if ((offset >= GICD_IPRIORITYR) && (offset < (GICD_IPRIORITYR + 32u))) {
		if ((size != 1u) && (size != 4u)) {
			vgic_deny(cpu, "SGI/PPI access of the wrong width", offset, size);
			*value = 0u;
			return true;
		}
		local_priority(cpu, vcpu, offset, write, size, value);
		return true;
	}
	if (size != 4u) {
		return false;
	}
	if ((offset >= GICD_ISENABLER) && (offset < GICD_IPRIORITYR) && ((offset & 0x7fu) == 0u)) {
		local_bitmap(cpu, vcpu, offset, write, value);
		return true;
	}
	if (offset == GICD_ICFGR) {
		/* SGIs are edge-triggered, read-only. */
		if (!write) {
			*value = 0xaaaaaaaau;
		}
		return true;
	}
	if (offset == (GICD_ICFGR + 4u)) {
		local_ppi_config(cpu, vcpu, write, value);
		return true;
	}
	return false;
}
