/* SPDX-License-Identifier: MIT */
/*
 * ARM64's part of core's objects: struct cpu's `arch` member (struct
 * arch_cpu) and struct partition's (struct arch_partition). core/ includes
 * this header through core/include/cpu.h and partition.h and never looks
 * inside; every architecture has one (tests/unit/fake_arch/arch_types.h is the
 * fake architecture's). Types only: no operation on them is visible here.
 */
#ifndef ARM64_ARCH_TYPES_H
#define ARM64_ARCH_TYPES_H

#include <stdint.h>
#include "gic_types.h"
#include "vgic_state.h"

/** What ARM64 keeps for one physical cpu and the vCPU it runs. */
struct arch_cpu {
	struct vgic_cpu vgic;       /* the vCPU's virtual CPU interface (vgic*.c) */
	struct gic_cpu gic;         /* the physical GIC driver's state of this cpu (gicv*.c) */
	uint64_t hcr;               /* HCR_EL2 of its vCPU, from its features and delivery mode (el2.c) */
};

/** What ARM64 keeps for one partition. */
struct arch_partition {
	struct vgic_dist vgic;      /* its virtual distributor (vgic*.c) */
	uint64_t *s2_root;          /* root of its stage-2 tables (stage2.c) */
	uint64_t cntvoff;           /* CNTVOFF_EL2: its virtual count is zero at each (re)start (vcpu.c) */
};

#endif /* ARM64_ARCH_TYPES_H */
