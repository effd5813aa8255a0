/* SPDX-License-Identifier: MIT */
/*
 * Types of the configuration contract that both its common part (cfg.h)
 * and an architecture's part (cfg_arch.h) use. <stdint.h> only.
 */
#ifndef BULKHEAD_CFG_BASE_H
#define BULKHEAD_CFG_BASE_H

#include <stdint.h>

/** A physical MMIO frame. */
struct cfg_mmio {
	uint64_t base;
	uint64_t size;
};

#endif /* BULKHEAD_CFG_BASE_H */
