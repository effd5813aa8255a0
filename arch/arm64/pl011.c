/* SPDX-License-Identifier: MIT */
/*
 * PL011 UART, polled transmit only: the hypervisor console.
 */
#include "arch.h"
#include "cfg.h"
#include "hw/pl011.h"
#include "mmio.h"

/*
 * A UART whose FIFO never drains is broken; the character is dropped after
 * this many polls rather than hang the core (and every core waiting for the
 * console lock) forever.
 */
#define PL011_POLLS 1000000u

/* Implements: REQ-CON-007 */
void arch_console_putc(char c)
{
	uint64_t base = cfg_system.console.base;
	bool room = false;

	for (uint32_t polls = 0u; (polls < PL011_POLLS) && !room; polls++) {
		room = (mmio_read32(base + PL011_FR) & PL011_FR_TXFF) == 0u;
	}
	if (room) {
		mmio_write32(base + PL011_DR, (uint8_t)c);
	}
}
