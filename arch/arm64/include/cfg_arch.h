/* SPDX-License-Identifier: MIT */
/*
 * The ARM64 part of the configuration contract (core/include/cfg.h embeds
 * these structures as its `arch` members; bhcc's arm64 back end fills them
 * in). Like cfg.h it is shared by the hypervisor and bhcc: <stdint.h> only.
 *
 * Boot protocol: vCPU 0 starts at the partition's entry with x0 = the IPA of
 * its boot_info blob (a flattened device tree), or 0 without one, as the
 * Linux arm64 boot protocol has it. It is the only one, so no field selects it.
 */
#ifndef BULKHEAD_CFG_ARCH_H
#define BULKHEAD_CFG_ARCH_H

#include "cfg_base.h"

/** How a partition's interrupts reach it (GICv3 only offers direct delivery). */
enum cfg_irq_delivery {
	CFG_IRQ_MEDIATED = 0,   /* through EL2 and the list registers */
	CFG_IRQ_DIRECT = 1,     /* straight to EL1 on the physical CPU interface */
};

/**
 * The interrupt controller. GICv3 uses dist and redist; GICv2 uses dist, cpu,
 * hyp, vcpu. Its version chooses the driver at link time (BH_GIC_VERSION).
 */
struct cfg_gic {
	struct cfg_mmio dist;
	struct cfg_mmio redist;
	struct cfg_mmio cpu;
	struct cfg_mmio hyp;
	struct cfg_mmio vcpu;
};

struct cfg_arch_system {
	struct cfg_gic gic;
};

struct cfg_arch_cpu {
	uint64_t mpidr;           /* affinity fields only (Aff3..Aff0) */
};

struct cfg_arch_partition {
	uint8_t irq_delivery;     /* enum cfg_irq_delivery */
};

#endif /* BULKHEAD_CFG_ARCH_H */
