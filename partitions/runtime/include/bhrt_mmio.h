/* SPDX-License-Identifier: MIT */
/*
 * Device register accesses for partition programs' drivers: one 32-bit
 * volatile load or store each, never merged, split or reordered by the
 * compiler. A driver that uses these can be tested on the host against a
 * register model that provides its own bhrt_mmio.h (tests/unit).
 */
#ifndef BHRT_MMIO_H
#define BHRT_MMIO_H

#include <stdint.h>

/** The 32-bit register at `addr`. */
static inline uint32_t rt_mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

/** Writes `v` to the 32-bit register at `addr`. */
static inline void rt_mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)addr = v;
}

#endif
