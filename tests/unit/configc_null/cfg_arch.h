/* SPDX-License-Identifier: MIT */
/* The null back end's part of the configuration contract (core/include/cfg.h). */
#ifndef BULKHEAD_CFG_ARCH_H
#define BULKHEAD_CFG_ARCH_H

#ifndef BULKHEAD_CFG_H
#error "cfg_arch.h is part of cfg.h: include cfg.h"
#endif

struct cfg_arch_system {
	uint32_t unused;
};

struct cfg_arch_cpu {
	uint64_t hw_id;
};

struct cfg_arch_partition {
	uint8_t unused;
};

#endif /* BULKHEAD_CFG_ARCH_H */
