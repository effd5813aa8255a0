/* SPDX-License-Identifier: MIT */
/*
 * NS16550 UART in MMIO, polled transmit only: the hypervisor console when
 * the description's console is "ns16550a" (the build links this file or
 * pl011.c, BH_CONSOLE in gen/system.mk). Register i is at
 * base + (i << reg_shift) and is accessed reg_io_width bytes wide (1 or 4),
 * from the device's reg-shift and reg-io-width.
 */
#include "arch.h"
#include "cfg.h"
#include "mmio.h"
#include "ns16550.h"

/* Implements: REQ-CON-007 */
static uint64_t reg_addr(uint32_t reg)
{
	return cfg_system.console.base + ((uint64_t)reg << cfg_system.console.reg_shift);
}

/* Implements: REQ-CON-007 */
static uint32_t reg_read(uint32_t reg)
{
	uint64_t addr = reg_addr(reg);

	return (cfg_system.console.reg_io_width == 4u) ? mmio_read32(addr) : (uint32_t)mmio_read8(addr);
}

/* Implements: REQ-CON-007 */
static void reg_write(uint32_t reg, uint8_t value)
{
	uint64_t addr = reg_addr(reg);

	if (cfg_system.console.reg_io_width == 4u) {
		mmio_write32(addr, value);
	} else {
		mmio_write8(addr, value);
	}
}

/* Implements: REQ-CON-007 */
void arch_console_putc(char c)
{
	bool empty = false;

	for (uint32_t polls = 0u; (polls < NS16550_POLLS) && !empty; polls++) {
		empty = (reg_read(NS16550_LSR) & NS16550_LSR_THRE) != 0u;
	}
	if (empty) {
		reg_write(NS16550_THR, (uint8_t)c);
	}
}
