/* SPDX-License-Identifier: MIT */
/*
 * The virtual distributor, registers shared by GICv2 and GICv3 (see
 * vgic.h): its enable, and the per-interrupt enable, pending, active,
 * priority and configuration registers of the partition's SPIs: device
 * SPIs in the physical distributor, virtual ones (vgic_spi.c) in software.
 */
#include "vgic.h"
#include "cfg.h"
#include "cpu.h"
#include "partition.h"
#include "spinlock.h"

/* --- The distributor ------------------------------------------------------- */

/* Implements: REQ-IRQ-011 */
void vgic_dist_enable(struct cpu *cpu, uint32_t ctlr, bool enabled)
{
	struct vgic_dist *d = vgic_dist_of(cpu);

	spin_lock(&d->lock);
	bool was = d->ctlr != 0u;
	__atomic_store_n(&d->ctlr, enabled ? ctlr : 0u, __ATOMIC_RELAXED);
	if (enabled != was) {
		for (uint32_t w = 1u; w < VGIC_WORDS; w++) {
			/* Virtual SPIs have no physical line (vgic_spi.c). */
			uint32_t physical = ~d->virt[w];
			if (enabled && ((d->enabled[w] & physical) != 0u)) {
				gic_dist_write(GICD_ISENABLER + (4u * w), d->enabled[w] & physical);
			} else if (!enabled && ((d->owned[w] & physical) != 0u)) {
				gic_dist_write(GICD_ICENABLER + (4u * w), d->owned[w] & physical);
			} else {
				/* Nothing of this word to change. */
			}
		}
	}
	spin_unlock(&d->lock);
	if (enabled && !was) {
		uint32_t ignored = __atomic_exchange_n(&d->setup_foreign, 0u, __ATOMIC_RELAXED);
		if (ignored != 0u) {
			log_info("partition '%s': %u writes to interrupts it does not own ignored while it set up its distributor "
				 "(counted as interrupt incidents)", cpu->partition->cfg->name, ignored);
		}
		/* Virtual SPIs raised while it was off. */
		for (uint32_t w = 1u; w < VGIC_WORDS; w++) {
			if (d->virt[w] != 0u) {
				vgic_spi_kick_pending(cpu, w, d->enabled[w]);
			}
		}
	}
}

/* The guest's view of one word of a bitmap: the physical state of its device
 * SPIs, the software state of its virtual ones, what the list registers hold. */
/* Implements: REQ-IRQ-004~2, REQ-IRQ-014 */
static uint32_t dist_bitmap_read(struct cpu *cpu, uint32_t reg, uint32_t word)
{
	const struct vgic_dist *d = vgic_dist_of(cpu);
	uint32_t virt = d->virt[word];
	uint32_t physical;

	if (!vgic_state_reg(reg)) {
		return d->enabled[word];
	}
	physical = gic_dist_read(reg + (4u * word)) & ~virt;
	if ((reg == GICD_ISPENDR) || (reg == GICD_ICPENDR)) {
		physical |= __atomic_load_n(&d->vpending[word], __ATOMIC_ACQUIRE) & virt;
	}
	return vgic_lr_guest_state(cpu, reg, 32u * word, physical) & d->owned[word];
}

/* Writes of the virtual SPIs `bits` of word `word` (enable is shared with device SPIs). */
/* Implements: REQ-IRQ-014 */
static void dist_bitmap_virtual(struct cpu *cpu, uint32_t reg, uint32_t word, uint32_t bits)
{
	if (reg == GICD_ISENABLER) {
		vgic_spi_kick_pending(cpu, word, bits);
	} else if (reg == GICD_ISPENDR) {
		uint32_t left = bits;
		while (left != 0u) {
			vgic_spi_raise(cpu, (32u * word) + (uint32_t)__builtin_ctz(left));
			left &= left - 1u;
		}
	} else if (reg == GICD_ICPENDR) {
		vgic_spi_clear(cpu, word, bits);
	} else {
		/* Active state lives in the list registers: set and clear ignored. */
	}
}

/* One bit per interrupt: enable, pending, active. */
/* Implements: REQ-IRQ-004~2 */
static void dist_bitmap(struct cpu *cpu, uint32_t reg, uint32_t word, bool write, uint64_t *value)
{
	struct vgic_dist *d = vgic_dist_of(cpu);
	uint32_t owned = d->owned[word];
	uint32_t offset = reg + (4u * word);

	if (!write) {
		*value = dist_bitmap_read(cpu, reg, word);
		return;
	}
	uint32_t bits = (uint32_t)*value & owned;
	uint32_t physical = bits & ~d->virt[word];
	if (((uint32_t)*value & ~owned) != 0u) {
		vgic_deny_foreign(cpu, "distributor write to interrupts it does not own", offset, *value);
	}
	if (bits == 0u) {
		return;
	}
	spin_lock(&d->lock);
	if (reg == GICD_ISENABLER) {
		d->enabled[word] |= bits;
		if ((d->ctlr != 0u) && (physical != 0u)) {
			gic_dist_write(offset, physical);
		}
	} else if (reg == GICD_ICENABLER) {
		d->enabled[word] &= ~bits;
		if (physical != 0u) {
			gic_dist_write(offset, physical);
		}
	} else if (physical != 0u) {
		gic_dist_write(offset, physical);
	} else {
		/* Only virtual SPIs: below. */
	}
	spin_unlock(&d->lock);
	if ((bits & d->virt[word]) != 0u) {
		dist_bitmap_virtual(cpu, reg, word, bits & d->virt[word]);
	}
	if (reg == GICD_ICPENDR) {
		vgic_lr_withdraw(cpu, 32u * word, bits, 0xffu);
	}
}

/* Implements: REQ-IRQ-004~2 */
static void dist_priority(struct cpu *cpu, uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	struct vgic_dist *d = vgic_dist_of(cpu);
	uint32_t first = offset - GICD_IPRIORITYR;
	uint64_t out = 0u;

	for (uint32_t i = 0u; i < size; i++) {
		uint32_t intid = first + i;
		uint32_t shift = 8u * i;
		uint8_t byte = (uint8_t)(*value >> shift);

		if (!vgic_owns_spi(d, intid)) {
			if (write && (byte != 0u)) {
				vgic_deny_foreign(cpu, "priority of an interrupt it does not own", offset + i, byte);
			}
			continue;
		}
		if (write) {
			d->priority[intid] = byte;
			if (!vgic_spi_virtual(cpu->partition, intid)) {
				gic_dist_write8(GICD_IPRIORITYR + intid, vgic_physical_priority(byte));
			}
		} else {
			out |= (uint64_t)d->priority[intid] << shift;
		}
	}
	if (!write) {
		*value = out;
	}
}

/* Two bits per interrupt: edge or level. A virtual SPI's is kept as written
 * (it behaves as an edge whatever it says: vgic_spi.c). */
/* Implements: REQ-IRQ-004~2, REQ-IRQ-014 */
static void dist_config(struct cpu *cpu, uint32_t offset, bool write, uint64_t *value)
{
	struct vgic_dist *d = vgic_dist_of(cpu);
	uint32_t index = (offset - GICD_ICFGR) / 4u;
	uint32_t first = index * 16u;
	uint32_t mask = 0u;
	uint32_t vmask = 0u;

	for (uint32_t i = 0u; i < 16u; i++) {
		if (vgic_spi_virtual(cpu->partition, first + i)) {
			vmask |= (uint32_t)3u << (2u * i);
		} else if (vgic_owns_spi(d, first + i)) {
			mask |= (uint32_t)3u << (2u * i);
		} else {
			/* Not its own: reads as zero. */
		}
	}
	if (!write) {
		*value = (gic_dist_read(offset) & mask) | (d->vconfig[index] & vmask);
		return;
	}
	if (((uint32_t)*value & ~(mask | vmask) & 0xaaaaaaaau) != 0u) {
		vgic_deny_foreign(cpu, "configuration of an interrupt it does not own", offset, *value);
	}
	d->vconfig[index] = (uint32_t)*value & vmask & 0xaaaaaaaau;
	if (mask == 0u) {
		return;
	}
	/* Serialises read-modify-write of physical registers that several partitions share. */
	static struct spinlock gic_rmw_lock = SPINLOCK_INIT;

	spin_lock(&gic_rmw_lock);
	uint32_t phys = gic_dist_read(offset);
	gic_dist_write(offset, (phys & ~mask) | ((uint32_t)*value & mask));
	spin_unlock(&gic_rmw_lock);
}

/* Implements: REQ-IRQ-004~2 */
bool vgic_dist_common(struct cpu *cpu, uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	if ((offset >= GICD_IPRIORITYR) && (offset < GICD_ITARGETSR)) {
		if ((size != 1u) && (size != 4u)) {
			vgic_deny(cpu, "distributor access of the wrong width", offset, size);
			*value = 0u;
			return true;
		}
		dist_priority(cpu, offset, write, size, value);
		return true;
	}
	if (size != 4u) {
		if ((offset >= GICD_ISENABLER) && (offset < GICD_IPRIORITYR)) {
			vgic_deny(cpu, "distributor access of the wrong width", offset, size);
			*value = 0u;
			return true;
		}
		return false;
	}
	if ((offset >= GICD_ICFGR) && (offset < (GICD_ICFGR + 0x100u))) {
		dist_config(cpu, offset, write, value);
		return true;
	}
	if ((offset >= GICD_ISENABLER) && (offset < GICD_IPRIORITYR)) {
		uint32_t reg = offset & ~0x7fu;
		dist_bitmap(cpu, reg, (offset & 0x7fu) / 4u, write, value);
		return true;
	}
	return false;
}
