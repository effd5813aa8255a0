/* SPDX-License-Identifier: MIT */
/*
 * A register-level model of an NS16550 UART behind the MMIO accessors that
 * arch/arm64/ns16550.c uses (this header takes the place of
 * arch/arm64/include/mmio.h for tests/unit/test_ns16550.c). Every access is
 * checked: at a register's address for the configured reg-shift, with the
 * configured width; only LSR is read and only THR written.
 */
#ifndef ARM64_MMIO_H
#define ARM64_MMIO_H

#include <stdint.h>

uint32_t model_read(uint64_t addr, unsigned width);
void model_write(uint64_t addr, unsigned width, uint32_t value);

static inline uint8_t mmio_read8(uint64_t addr)
{
	return (uint8_t)model_read(addr, 1);
}

static inline uint32_t mmio_read32(uint64_t addr)
{
	return model_read(addr, 4);
}

static inline void mmio_write8(uint64_t addr, uint8_t v)
{
	model_write(addr, 1, v);
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	model_write(addr, 4, v);
}

#endif
