/* SPDX-License-Identifier: MIT */
/*
 * The virtual GIC: what each partition sees of the interrupt controller.
 *
 * A partition sees a distributor (and, on GICv3, one redistributor per vCPU)
 * at the board's addresses, trapped through stage 2 and emulated here. It can
 * see and configure only what it owns: the SPIs of its passthrough devices,
 * its vCPUs' SGIs and timer PPIs. Everything else reads as zero and ignores
 * writes, and each such attempt is an interrupt incident of the partition
 * (core/incident.c: counted, logged rate-limited).
 *
 * Mediated delivery: physical interrupts reach EL2, lose their priority there
 * and go to the guest through list registers with the hardware bit, so the
 * guest's EOI deactivates them without another trap. SGIs are virtual.
 * Direct delivery (GICv3): the guest's cpu takes its interrupts at EL1 on the
 * physical CPU interface; the hypervisor keeps only the distributor, SGIs and
 * a group-0 kick (docs/interrupts.md explains what that gives up).
 *
 * Shared by both versions: vgic.c (reset, a physical interrupt at EL2),
 * vgic_lr.c (list registers and their queue), vgic_sgi.c (SGIs),
 * vgic_dist.c (the distributor's common registers), vgic_local.c (banked
 * SGI/PPI registers); vgic_v3.c / vgic_v2.c hold what differs.
 */
#ifndef ARM64_VGIC_H
#define ARM64_VGIC_H

#include <generated/autoconf.h>
#include "cpu.h"
#include "emul.h"
#include "gic.h"
#include "partition.h"
#include "spinlock.h"
#include "types.h"
#include "vgic_state.h"

/* --- vgic.c: shared by both GIC versions --- */

/* The frames a partition's virtual GIC emulates (emul.h): GICv3 distributor and redistributors. */
#define VGIC_EMUL_REGIONS 2u
_Static_assert(VGIC_EMUL_REGIONS <= EMUL_REGIONS, "the emulated-device table holds the virtual GIC");

/** Finds partition `p`'s virtual SPIs and registers its virtual GIC frames as emulated devices
 *  (vgic_v3.c / vgic_v2.c). Once, at init. */
void vgic_partition_init(struct partition *p);
/** Partition `p` (re)starts: its SPIs are disabled, inactive, routed to vCPU 0. */
void vgic_partition_reset(struct partition *p);
/** The calling cpu's vCPU (re)starts: empty list registers, PPIs and SGIs reset. */
void vgic_vcpu_reset(struct cpu *cpu);
/** A physical IRQ reached EL2 (mediated delivery). */
void vgic_irq(struct cpu *cpu);

/* Used by the version-specific parts. */

/** The virtual distributor of the partition running on `cpu`. */
/* Implements: infrastructure */
static inline struct vgic_dist *vgic_dist_of(const struct cpu *cpu)
{
	return &cpu->partition->arch.vgic;
}

/** The virtual CPU interface of the vCPU on `cpu`: one address computation, on every interrupt's path. */
/* Implements: infrastructure */
static inline struct vgic_cpu *vgic_cpu_of(struct cpu *cpu)
{
	return &cpu->arch.vgic;
}

/** The cpu of vCPU `vcpu` of the partition running on `cpu`. */
/* Implements: REQ-IRQ-003 */
static inline struct cpu *vgic_vcpu_cpu(const struct cpu *cpu, uint32_t vcpu)
{
	return cpu->partition->arch.vgic.vcpu_cpu[vcpu];
}


/** Whether the partition of distributor `d` owns SPI `intid`. */
/* Implements: REQ-IRQ-004~2 */
static inline bool vgic_owns_spi(const struct vgic_dist *d, uint32_t intid)
{
	return (intid >= GIC_FIRST_SPI) && (intid < GIC_MAX_INTID) &&
	       ((d->owned[intid / 32u] & ((uint32_t)1u << (intid % 32u))) != 0u);
}

/** The physical priority of a guest's: never above VGIC_MIN_PRIORITY, so never the kick's. */
/* Implements: REQ-IRQ-010 */
static inline uint8_t vgic_physical_priority(uint64_t guest)
{
	return (uint8_t)((guest < VGIC_MIN_PRIORITY) ? VGIC_MIN_PRIORITY : guest);
}

/** Whether GICD register `reg` is a pending or an active one (set or clear). */
/* Implements: infrastructure */
static inline bool vgic_state_reg(uint32_t reg)
{
	return (reg == GICD_ISPENDR) || (reg == GICD_ICPENDR) || (reg == GICD_ISACTIVER) || (reg == GICD_ICACTIVER);
}

/** Whether the vCPU on `cpu` owns INTID `intid`: an SPI of its partition, or
 *  an SGI or PPI of its own (SGI 15 is the hypervisor's on a direct cpu). */
bool vgic_owns(const struct cpu *cpu, uint32_t intid);
void vgic_deny(struct cpu *cpu, const char *what, uint32_t offset, uint64_t value);
/**
 * vgic_deny() of a write to interrupts the partition does not own; while its
 * distributor is disabled (an OS setting it up) counted silently and
 * summarized in one line when the guest enables it (vgic_dist_enable()).
 */
void vgic_deny_foreign(struct cpu *cpu, const char *what, uint32_t offset, uint64_t value);
/**
 * Whether a write to a vCPU's SGI/PPI bitmap register `reg` is the "clear
 * all" reset idiom: all 32 bits of ICENABLER, ICPENDR or ICACTIVER, which
 * an OS writes as each vCPU comes up (Linux: GICD_INT_EN_CLR_X32), after
 * its distributor is enabled. Its bits of SGIs and PPIs the partition does
 * not own are ignored without an incident (REQ-LNX-010). The SPI words are
 * not: an OS clears them while its distributor is disabled (REQ-LNX-008~2).
 */
/* Implements: REQ-LNX-010 */
static inline bool vgic_clear_all(uint32_t reg, uint64_t value)
{
	return ((reg == GICD_ICENABLER) || (reg == GICD_ICPENDR) || (reg == GICD_ICACTIVER)) &&
	       ((uint32_t)value == 0xffffffffu);
}

/**
 * A write of `value` at index `index` of a register array whose first entry
 * is `first`: true when it starts an initialisation pass (index `first`)
 * or continues the one under way (the next index, the same value). Any
 * other write ends the pass. Its writes to interrupts the partition does
 * not own are ignored without an incident (REQ-LNX-010): the pass is the
 * same write to every entry, not one aimed at another partition's.
 */
bool vgic_sweep(struct vgic_sweep *s, uint32_t first, uint32_t index, uint64_t value);
/** Ends the pass under way: a write that cannot continue one. */
void vgic_sweep_end(struct vgic_sweep *s);
/** Registers of the distributor common to both versions; false: not one of them. */
bool vgic_dist_common(struct cpu *cpu, uint32_t offset, bool write, uint32_t size, uint64_t *value);
/** Sets the guest's distributor enable and applies it to the physical SPIs. */
void vgic_dist_enable(struct cpu *cpu, uint32_t ctlr, bool enabled);
/** Delivers SGI `intid` from the calling vCPU to vCPU `target` of its partition. */
void vgic_send_sgi(struct cpu *cpu, uint32_t target, uint32_t intid);
/** Injects the SGIs other vCPUs posted to the calling cpu's vCPU. */
void vgic_sync_sgis(struct cpu *cpu);
/** Fills partition `p`'s vCPU table and target mask from its configuration (vgic_partition_init()). */
void vgic_sgi_init(struct partition *p);
/** The kick (SGI 15, acknowledged as `ack`) from another cpu: posted SGIs, poked SPIs, requests. */
void vgic_kick(struct cpu *cpu, uint32_t ack);
/** Whether a GICD offset is a banked SGI/PPI part: the first word of each
 *  bitmap, the first 32 priority bytes, the first two ICFGR words. */
bool vgic_dist_banked(uint32_t offset);
/** GICv2: the senders of SGI `intid` pending on the calling vCPU. */
uint8_t vgic_sgi_sources(struct cpu *cpu, uint32_t intid);
/** GICv2: makes SGI `intid` pending on the calling vCPU from each sender in `sources`. */
void vgic_sgi_set_pending(struct cpu *cpu, uint32_t intid, uint8_t sources);
/** GICv2: withdraws SGI `intid` from the senders in `sources` on the calling vCPU. */
void vgic_sgi_clear_pending(struct cpu *cpu, uint32_t intid, uint8_t sources);
/** Banked SGI/PPI registers of vCPU `vcpu` (GICv3 redistributor SGI frame, GICv2 banked GICD). */
bool vgic_local_access(struct cpu *cpu, uint32_t vcpu, uint32_t offset, bool write, uint32_t size, uint64_t *value);

/* --- vgic_spi.c: virtual SPIs (doorbells, emulated devices) --- */

/** Finds partition `p`'s virtual SPIs in the configuration (its channels' doorbells, its emulated UART). */
void vgic_spi_init(struct partition *p);
/** Whether `intid` is one of partition `p`'s virtual SPIs. */
bool vgic_spi_virtual(const struct partition *p, uint32_t intid);
/** Makes virtual SPI `intid` of the calling cpu's partition pending and presents it where it is routed. */
void vgic_spi_raise(struct cpu *cpu, uint32_t intid);
/** Makes virtual SPI `intid` of partition `part` pending from any cpu, and pokes the cpu of the vCPU
 *  it is routed to, the caller's own included (never presented in place). */
void vgic_spi_post(struct partition *part, uint32_t intid);
/** Presents pending virtual SPI `intid` to the vCPU it is routed to (a poke when that is another cpu). */
void vgic_spi_kick(struct cpu *cpu, uint32_t intid);
/** Presents what is pending of the virtual SPIs `bits` of word `word` (enabled, re-routed). */
void vgic_spi_kick_pending(struct cpu *cpu, uint32_t word, uint32_t bits);
/** Clears the pending state the distributor holds of the virtual SPIs `bits` of word `word`. */
void vgic_spi_clear(struct cpu *cpu, uint32_t word, uint32_t bits);
/** On the IPI: another cpu raised a virtual SPI routed here. */
void vgic_spi_poked(struct cpu *cpu);
/** The vCPU SPI `intid` of partition `part` is routed to, as its guest programmed it (vgic_v3.c / vgic_v2.c). */
uint32_t vgic_spi_target(const struct partition *part, uint32_t intid);

/* --- vgic_lr.c: list registers and the queue behind them --- */

/** Puts `lr` in place of a less urgent pending-only list register, or in the queue (all in use). */
void vgic_lr_inject_full(const struct cpu *cpu, struct vgic_cpu *v, struct gic_lr lr);

/** Presents `lr` to the calling cpu's vCPU: a free list register if there is one, else vgic_lr_inject_full(). */
/* Implements: REQ-IRQ-007 */
static inline __attribute__((always_inline)) void vgic_lr_inject(const struct cpu *cpu, struct vgic_cpu *v,
								 struct gic_lr lr)
{
	uint32_t free = gic_lr_free();

	if (__builtin_expect((long)(free != 0u), 1L) != 0L) {
		gic_lr_write((uint32_t)__builtin_ctz(free), lr);
	} else {
		vgic_lr_inject_full(cpu, v, lr);
	}
}

/** Maintenance interrupt: list registers freed up; refills them from the queue. */
void vgic_lr_refill(struct vgic_cpu *v);
/** True when virtual interrupt `vintid` (from `source`) is pending only, in a list register or the queue. */
bool vgic_lr_pending(const struct vgic_cpu *v, uint32_t vintid, uint8_t source);
/** A physical interrupt to present while the vCPU holds something: merged when it holds that one already. */
void vgic_lr_inject_physical(const struct cpu *cpu, struct vgic_cpu *v, struct gic_lr lr);
/** The guest's pending or active state (register `reg`) of [first, first + 32), whose physical state is `physical`. */
uint32_t vgic_lr_guest_state(const struct cpu *cpu, uint32_t reg, uint32_t first, uint32_t physical);
/** Withdraws what the calling cpu holds pending-only of `bits` of [first, first + 32), from `sources` (GICv2). */
void vgic_lr_withdraw(struct cpu *cpu, uint32_t first, uint32_t bits, uint8_t sources);

/* --- vgic_v3.c / vgic_v2.c --- */
/** Version-specific reset values of a vCPU's state (GICv2 SGIs are always enabled). */
void vgic_version_vcpu_reset(struct vgic_cpu *v);

#if BH_GIC_VERSION == 3
/* GICv3 only: GICv2 has no system-register CPU interface, so nothing of a
 * GICv2 guest's traps here, and no FIQ reaches EL2 (no direct delivery). */

/** A physical FIQ reached EL2: the kick on a direct-delivery cpu. */
void vgic_fiq(struct cpu *cpu);
/** Emulates a trapped GIC system register; false: not one the vGIC handles. */
bool vgic_sysreg(struct cpu *cpu, uint32_t reg, bool read, uint64_t *value);
/** A guest's ICC_SGI1R_EL1 write. */
void vgic_sgi1r(struct cpu *cpu, uint64_t value);
#endif

#if BH_GIC_VERSION == 2
/** A guest's GICD_SGIR write (the distributor's emulation, or straight from its trap). */
void vgic_sgir(struct cpu *cpu, uint32_t value);

/* A 32-bit store with a valid syndrome, not on a stage-1 walk, that took a
 * stage-2 translation fault (any level): what a write to GICD_SGIR traps as. */
#define VGIC_SGIR_ESR_MASK ((0x3fUL << ESR_EC_SHIFT) | ISS_DABT_ISV | (3UL << ISS_DABT_SAS_SHIFT) | \
			    ISS_DABT_S1PTW | ISS_DABT_WNR | 0x3cUL)
#define VGIC_SGIR_ESR (((uint64_t)EC_DABT_LOW << ESR_EC_SHIFT) | ISS_DABT_ISV | (2UL << ISS_DABT_SAS_SHIFT) | \
		       ISS_DABT_WNR | 0x04UL)

/**
 * Whether a data abort (`esr`, at guest-physical `ipa`) is a write to the
 * emulated distributor's GICD_SGIR that its emulation would accept: every
 * partition has that distributor (vgic_partition_init()), so the trap may
 * call vgic_sgir() without the emulated-device lookup, the most frequent
 * emulated access on its shortest path.
 */
/* Implements: REQ-IRQ-003, REQ-TRP-011 */
static inline bool vgic_sgir_trap(uint64_t esr, uint64_t ipa)
{
	return ((esr & VGIC_SGIR_ESR_MASK) == VGIC_SGIR_ESR) && (ipa == (cfg_system.arch.gic.dist.base + GICD_SGIR));
}
#endif

#endif /* ARM64_VGIC_H */
