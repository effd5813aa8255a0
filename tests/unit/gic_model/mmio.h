/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's MMIO accessors on host memory, as arch/arm64/include/mmio.h
 * has them, with each 32-bit read first reported to the test (gic_model_read)
 * and each 32-bit write after it is done (gic_model_write), so that a test's
 * model can act as the hardware does: the GICv3 driver's test has a controller
 * finish a write after so many reads of its busy bit, or never; the GICv2 vGIC
 * test's fake GIC recomputes GICH_ELRSR0 when a list register is written. This
 * header takes the place of the real one (included first: the guard keeps the
 * real one out).
 */
#ifndef ARM64_MMIO_H
#define ARM64_MMIO_H

#include <stdint.h>

/** Called before each 32-bit read of `addr`; may change what the read returns. */
void gic_model_read(uint64_t addr);

/** Called after each 32-bit write to `addr`; may update registers that follow it. */
void gic_model_write(uint64_t addr);

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
	gic_model_write(addr);
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
