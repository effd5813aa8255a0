/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's MMIO accessors routed to the i.MX UART register model of
 * tests/unit/test_imx_uart.c (this header takes the place of
 * arch/arm64/include/mmio.h for arch/arm64/imx_uart.c).
 */
#ifndef ARM64_MMIO_H
#define ARM64_MMIO_H

#include <stdint.h>

uint32_t model_read(uint64_t addr, unsigned width);
void model_write(uint64_t addr, unsigned width, uint32_t value);

static inline uint32_t mmio_read32(uint64_t addr)
{
	return model_read(addr, 4);
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	model_write(addr, 4, v);
}

#endif
