/* SPDX-License-Identifier: MIT */
/*
 * The fake architecture's part of core's objects (tests/unit/fake_arch.c):
 * what it records per cpu and per partition.
 */
#ifndef FAKE_ARCH_TYPES_H
#define FAKE_ARCH_TYPES_H

#include <stdint.h>

struct arch_cpu {
	uint32_t injected;     /* bit n: virtual interrupt n raised and not yet taken */
	uint32_t injections;   /* arch_vcpu_inject() calls that raised one */
	uint32_t raised;       /* bit n: arch_vcpu_raise()d, presented at the cpu's next kick (fake_take_kick) */
	uint32_t raises;       /* arch_vcpu_raise() calls */
};

struct arch_partition {
	uint32_t inits;        /* arch_partition_init() calls */
	uint32_t resets;       /* arch_partition_reset() calls */
};

#endif /* FAKE_ARCH_TYPES_H */
