/* SPDX-License-Identifier: MIT */
/*
 * The partition runtime's MMIO accessors routed to the i.MX UART register
 * model of tests/unit/test_imx_uart.c (this header takes the place of
 * partitions/runtime/include/bhrt_mmio.h for partitions/service/arm64/imx_uart.c).
 */
#ifndef BHRT_MMIO_H
#define BHRT_MMIO_H

#include <stdint.h>

uint32_t model_read(uint64_t addr, unsigned width);
void model_write(uint64_t addr, unsigned width, uint32_t value);

static inline uint32_t rt_mmio_read32(uint64_t addr)
{
	return model_read(addr, 4);
}

static inline void rt_mmio_write32(uint64_t addr, uint32_t v)
{
	model_write(addr, 4, v);
}

#endif
