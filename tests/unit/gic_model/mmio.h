/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's MMIO accessors on host memory, as arch/arm64/include/mmio.h
 * has them, with each 32-bit read first reported to the test (gic_model_read),
 * which so models a controller that finishes a write after so many reads of
 * its busy bit, or never: this header takes the place of the real one for the
 * GICv3 driver's unit test.
 */
#ifndef ARM64_MMIO_H
#define ARM64_MMIO_H

#include <stdint.h>

/** Called before each 32-bit read of `addr`; may change what the read returns. */
void gic_model_read(uint64_t addr);

static inline uint32_t mmio_read32(uint64_t addr)
{
	gic_model_read(addr);
	return *(volatile const uint32_t *)(uintptr_t)addr;
}

static inline uint64_t mmio_read64(uint64_t addr)
{
	return *(volatile const uint64_t *)(uintptr_t)addr;
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)addr = v;
}

static inline void mmio_write64(uint64_t addr, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)addr = v;
}

static inline uint8_t mmio_read8(uint64_t addr)
{
	return *(volatile const uint8_t *)(uintptr_t)addr;
}

static inline void mmio_write8(uint64_t addr, uint8_t v)
{
	*(volatile uint8_t *)(uintptr_t)addr = v;
}

#endif
