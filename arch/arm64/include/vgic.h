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
 * Direct delivery (GICv3): the guest's core takes its interrupts at EL1 on the
 * physical CPU interface; the hypervisor keeps only the distributor, SGIs and
 * a group-0 kick (docs/interrupts.md explains what that gives up).
 *
 * vgic.c is shared; vgic_v3.c / vgic_v2.c hold what differs.
 */
#ifndef ARM64_VGIC_H
#define ARM64_VGIC_H

#include <generated/autoconf.h>
#include "gic.h"
#include "spinlock.h"
#include "types.h"

struct cpu;
struct partition;

#define VGIC_WORDS ((GIC_MAX_INTID / 32u) + 1u)
#define VGIC_MAX_SPIS 64u       /* SPIs a partition owns at most (bhcc: BHCC_MAX_IRQS) */
/* Every interrupt a vCPU can have pending at once: each SGI once per sender,
 * the 2 owned PPIs (VGIC_OWNED_PPIS), the SPIs. Nothing is ever dropped. */
#define VGIC_QUEUE ((16u * GIC_SGI_SENDERS) + 2u + VGIC_MAX_SPIS)
#define VGIC_MIN_PRIORITY 0x10u /* guest priorities stay below the hypervisor's kick */

/** A partition's virtual distributor. */
struct vgic_dist {
	struct spinlock lock;
	uint32_t ctlr;                   /* the guest's GICD_CTLR enable bits */
	uint32_t owned[VGIC_WORDS];      /* SPIs the partition owns */
	uint32_t enabled[VGIC_WORDS];    /* the guest's enable bits (owned SPIs) */
	uint32_t irm[VGIC_WORDS];        /* GICv3 IROUTER.IRM as the guest wrote it */
	uint8_t priority[GIC_MAX_INTID]; /* the guest's SPI priorities */
	uint8_t target[GIC_MAX_INTID];   /* vCPU each SPI is routed to (GICv2: CPU mask) */
};

/* vgic_cpu_of() is on every interrupt's path: a power-of-two stride makes
 * it one shifted add instead of a multiplication. The alignment rounds the
 * size up to it (the contents take about 1.0 KiB on GICv3, 2.3 KiB on GICv2). */
#define VGIC_CPU_ALIGN ((GIC_SGI_SENDERS > 1u) ? 4096u : 2048u)

/** A vCPU's virtual CPU interface and redistributor state. */
struct __attribute__((aligned(VGIC_CPU_ALIGN))) vgic_cpu {
	uint32_t sgi_pending;            /* posted by any vCPU of the partition (atomic) */
	uint32_t sgi_enabled;
	uint32_t ppi_config;             /* GICv2: GICD_ICFGR1 as the guest wrote it */
	uint8_t priority[32];            /* SGIs and PPIs */
	uint8_t sgi_source[16];          /* GICv2: vCPUs that sent each pending SGI */
	bool asleep;                     /* GICR_WAKER.ProcessorSleep */
	bool direct;
	uint32_t queued;
	struct gic_lr queue[VGIC_QUEUE]; /* more pending than list registers, by priority */
};

/** The PPIs a partition owns on each of its cores: its EL1 timers. */
#define VGIC_OWNED_PPIS (((uint32_t)1u << GIC_VTIMER_PPI) | ((uint32_t)1u << GIC_PTIMER_PPI))

/* --- vgic.c: shared by both GIC versions --- */

/** Partition `part` (re)starts: its SPIs are disabled, inactive, routed to vCPU 0. */
void vgic_partition_reset(uint32_t part);
/** The calling core's vCPU (re)starts: empty list registers, PPIs and SGIs reset. */
void vgic_vcpu_reset(struct cpu *cpu);
/** A physical IRQ reached EL2 (mediated delivery). */
void vgic_irq(struct cpu *cpu);
/** A physical FIQ reached EL2 (the kick on a direct-delivery core). */
void vgic_fiq(struct cpu *cpu);
/** Emulates a guest access to the virtual GIC's MMIO; false: not a GIC address. */
bool vgic_mmio(struct cpu *cpu, uint64_t ipa, bool write, uint32_t size, uint64_t *value);
/** Emulates a trapped GIC system register; false: not one the vGIC handles. */
bool vgic_sysreg(struct cpu *cpu, uint32_t reg, bool read, uint64_t *value);

/* Used by the version-specific parts. */
struct vgic_dist *vgic_dist_of(const struct cpu *cpu);
struct vgic_cpu *vgic_cpu_of(const struct cpu *cpu);
struct cpu *vgic_vcpu_core(const struct cpu *cpu, uint32_t vcpu);
bool vgic_owns_spi(const struct vgic_dist *d, uint32_t intid);
/** Whether the vCPU on `cpu` owns INTID `intid`: an SPI of its partition, or
 *  an SGI or PPI of its own (SGI 15 is the hypervisor's on a direct core). */
bool vgic_owns(const struct cpu *cpu, uint32_t intid);
void vgic_deny(struct cpu *cpu, const char *what, uint32_t offset, uint64_t value);
/** Registers of the distributor common to both versions; false: not one of them. */
bool vgic_dist_common(struct cpu *cpu, uint32_t offset, bool write, uint32_t size, uint64_t *value);
/** Sets the guest's distributor enable and applies it to the physical SPIs. */
void vgic_dist_enable(struct cpu *cpu, uint32_t ctlr, bool enabled);
/** Delivers SGI `intid` from the calling vCPU to vCPU `target` of its partition. */
void vgic_send_sgi(struct cpu *cpu, uint32_t target, uint32_t intid);
/** Injects the SGIs other vCPUs posted to the calling core's vCPU. */
void vgic_sync_sgis(struct cpu *cpu);
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

/* --- vgic_v3.c / vgic_v2.c --- */
bool vgic_version_mmio(struct cpu *cpu, uint64_t ipa, bool write, uint32_t size, uint64_t *value);
bool vgic_version_sysreg(struct cpu *cpu, uint32_t reg, bool read, uint64_t *value);
/** Version-specific reset values of a vCPU's state (GICv2 SGIs are always enabled). */
void vgic_version_vcpu_reset(struct vgic_cpu *v);
/** A guest's ICC_SGI1R_EL1 write (GICv3; GICv2 never traps it). */
void vgic_sgi1r(struct cpu *cpu, uint64_t value);

#endif /* ARM64_VGIC_H */
