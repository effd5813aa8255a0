/* SPDX-License-Identifier: MIT */
/*
 * The fake architecture's part of the configuration contract
 * (core/include/cfg.h), for the host tests of core/: core never reads these
 * members, so each holds only a hardware id a real architecture would have.
 */
#ifndef BULKHEAD_CFG_ARCH_H
#define BULKHEAD_CFG_ARCH_H

#ifndef BULKHEAD_CFG_H
#error "cfg_arch.h is part of cfg.h: include cfg.h"
#endif

struct cfg_arch_system {
	uint32_t board_id;
};

struct cfg_arch_cpu {
	uint64_t hw_id;
};

struct cfg_arch_partition {
	uint8_t flags;
};

#endif /* BULKHEAD_CFG_ARCH_H */
