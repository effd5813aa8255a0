/* SPDX-License-Identifier: MIT */
/*
 * The arm64 back end's part of bhcc's model (model.h embeds these as `arch`
 * members): the GIC, MPIDRs and how a partition's interrupts are delivered.
 */
#ifndef BHCC_MODEL_ARCH_H
#define BHCC_MODEL_ARCH_H

#ifndef BHCC_MODEL_H
#error "model_arch.h is part of model.h: include model.h"
#endif

#define BH_ARCH_MAX_IRQ 1019u          /* highest GIC SPI; 1020..1023 are special */
#define ARM64_FIRST_SPI 32u
#define ARM64_IPA_BITS 39              /* stage 2: 4 KiB granule, starting at level 1 */
#define ARM64_IPA_LIMIT (UINT64_C(1) << ARM64_IPA_BITS)
#define ARM64_GICV2_CPUIF_SIZE 0x2000u /* GICC/GICV register frame, GICC_DIR included */
#define ARM64_GICR_FRAME_SIZE UINT64_C(0x20000)  /* RD_base + SGI_base per cpu */
#define ARM64_RISK_FOREIGN_SPI "foreign-spi-deactivation"  /* direct-delivery-risk */

/** The interrupt controller: GICv3 uses dist and redist, GICv2 dist, cpu, hyp and vcpu. */
struct bh_gic {
	unsigned version;                       /* 2 or 3; 0 when no valid GIC */
	struct bh_range dist, redist, cpu, hyp, vcpu;
};

struct bh_arch_board {
	struct bh_gic gic;
};

struct bh_arch_cpu {
	uint64_t mpidr;                         /* affinity fields only */
};

struct bh_arch_partition {
	uint8_t irq_delivery;                   /* enum cfg_irq_delivery */
	bool has_delivery_risk;                 /* direct-delivery-risk written */
	bool accepts_foreign_spi_deactivation;  /* ... and it is ARM64_RISK_FOREIGN_SPI */
};

#endif /* BHCC_MODEL_ARCH_H */
