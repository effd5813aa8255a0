/* SPDX-License-Identifier: MIT */
/*
 * PL011 UART, polled transmit only: the hypervisor console.
 */
#include "arch.h"
#include "cfg.h"
#include "hw/pl011.h"
#include "mmio.h"

/* Implements: REQ-CON-007 */
void arch_console_putc(char c)
{
	uint64_t base = cfg_system.console.base;

	while ((mmio_read32(base + PL011_FR) & PL011_FR_TXFF) != 0u) {
	}
	mmio_write32(base + PL011_DR, (uint8_t)c);
}
