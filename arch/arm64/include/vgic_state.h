/* SPDX-License-Identifier: MIT */
/*
 * The virtual GIC's state: one virtual distributor per partition (in struct
 * partition's ARM64 part) and one virtual CPU interface per vCPU (in struct
 * cpu's), types only. vgic.h declares what acts on them.
 */
#ifndef ARM64_VGIC_STATE_H
#define ARM64_VGIC_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include "gic_types.h"
#include "spinlock.h"

struct cpu;

#define VGIC_WORDS ((GIC_MAX_INTID / 32u) + 1u)
#define VGIC_MAX_SPIS 64u       /* SPIs a partition owns at most, device and virtual together (bhcc: BHCC_MAX_IRQS) */
/* Every interrupt a vCPU can have pending at once: each SGI once per sender,
 * the 2 owned PPIs (VGIC_OWNED_PPIS), the SPIs. Nothing is ever dropped. */
#define VGIC_QUEUE ((16u * GIC_SGI_SENDERS) + 2u + VGIC_MAX_SPIS)
/* Writes to interrupts a partition does not own that the set-up of its disabled distributor may
 * make per life without a log line each: 4 per interrupt of the 1020 an OS sets up (group,
 * configuration, priority, route; Linux 6.1's GICv3 driver makes about 2,200). Beyond, a partition
 * that keeps its distributor disabled to hide refusals gets them logged as any other. */
#define VGIC_SETUP_WRITES 4096u
#define VGIC_MIN_PRIORITY 0x10u /* guest priorities stay below the hypervisor's kick */

/**
 * An OS's initialisation pass over one register array (vgic_sweep()): it
 * writes every entry from the first, in order, with one value, as Linux
 * routes every SPI and gives every SGI and PPI its default priority.
 */
struct vgic_sweep {
	uint32_t next;                   /* the index that continues the pass; 0: none under way (atomic) */
	uint64_t value;                  /* the value of the pass (atomic) */
};

/** A partition's virtual distributor. */
struct vgic_dist {
	struct spinlock lock;
	uint32_t ctlr;                   /* the guest's GICD_CTLR enable bits */
	uint32_t setup_foreign;          /* writes to interrupts it does not own while disabled, not yet summarized (atomic) */
	uint32_t setup_absorbed;         /* of them, absorbed in this life (atomic; VGIC_SETUP_WRITES at most) */
	struct vgic_sweep route_sweep;   /* GICv3: its pass over GICD_IROUTER<n> */
	uint32_t owned[VGIC_WORDS];      /* SPIs the partition owns (device and virtual) */
	uint32_t virt[VGIC_WORDS];       /* virtual SPIs: owned, no physical line (set once, at init) */
	uint32_t vpending[VGIC_WORDS];   /* virtual SPIs raised, not yet in a list register (atomic) */
	uint32_t vconfig[2u * VGIC_WORDS]; /* GICD_ICFGR of the virtual SPIs as the guest wrote it */
	uint32_t enabled[VGIC_WORDS];    /* the guest's enable bits (owned SPIs) */
	uint32_t irm[VGIC_WORDS];        /* GICv3 IROUTER.IRM as the guest wrote it */
	uint8_t priority[GIC_MAX_INTID]; /* the guest's SPI priorities */
	uint8_t target[GIC_MAX_INTID];   /* vCPU each SPI is routed to (GICv2: CPU mask) */
	/* Read on every SGI a vCPU sends, set once from the configuration (vgic_sgi_init()),
	 * so that the send walks no configuration. */
	uint64_t vcpus;                  /* one bit per vCPU of the partition: the targets an SGI may name */
	struct cpu *vcpu_cpu[BH_NUM_CORES]; /* the cpu of each vCPU (one vCPU per core at most) */
};

/** A vCPU's virtual CPU interface and redistributor state (in its cpu's struct cpu). */
struct vgic_cpu {
	uint32_t sgi_pending;            /* posted by any vCPU of the partition (atomic) */
	uint32_t sgi_enabled;
	uint32_t ppi_config;             /* GICv2: GICD_ICFGR1 as the guest wrote it */
	uint8_t priority[32];            /* SGIs and PPIs */
	struct vgic_sweep priority_sweep; /* the pass over this vCPU's SGI and PPI priority words */
	uint8_t sgi_source[16];          /* GICv2: vCPUs that sent each pending SGI */
	uint32_t spi_poke;               /* another cpu raised a virtual SPI routed here (atomic) */
	bool asleep;                     /* GICR_WAKER.ProcessorSleep */
	bool direct;
	uint32_t queued;
	struct gic_lr queue[VGIC_QUEUE]; /* more pending than list registers, by priority */
};

/** The PPIs a partition owns on each of its cpus: its EL1 timers. */
#define VGIC_OWNED_PPIS (((uint32_t)1u << GIC_VTIMER_PPI) | ((uint32_t)1u << GIC_PTIMER_PPI))

#endif /* ARM64_VGIC_STATE_H */
