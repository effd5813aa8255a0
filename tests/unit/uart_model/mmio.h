/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's MMIO accessors routed to a UART register model (this
 * header takes the place of arch/arm64/include/mmio.h for a console driver's
 * unit test, which defines model_read and model_write and checks there that
 * each access reaches a register of its UART, at the register's width).
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
