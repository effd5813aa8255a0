/* SPDX-License-Identifier: MIT */
/*
 * NXP i.MX UART (fsl,imx6q-uart), polled transmit only: the hypervisor
 * console when the description's console is an i.MX UART, as on the
 * i.MX 8M Plus EVK (the build links this file, pl011.c, ns16550.c or
 * cadence_uart.c: BH_CONSOLE in gen/system.mk).
 *
 * The boot firmware (SPL or U-Boot) has ungated the UART's clock, set its
 * baud rate and enabled it; this driver changes none of that. Without the
 * clock an access to the UART's registers may never complete on the i.MX8M,
 * so an enable here could not rescue an unprepared UART anyway
 * (docs/boards.md).
 */
#include "arch.h"
#include "cfg.h"
#include "hw/imx_uart.h"
#include "mmio.h"

/*
 * A UART whose FIFO never drains (disabled, or its transmitter off) is
 * broken; the character is dropped after this many polls rather than hang the
 * core (and every core waiting for the console lock) forever.
 */
#define IMX_UART_POLLS 1000000u

/* Implements: REQ-BRD-009 */
void arch_console_putc(char c)
{
	uint64_t base = cfg_system.console.base;
	bool room = false;

	for (uint32_t polls = 0u; (polls < IMX_UART_POLLS) && !room; polls++) {
		room = (mmio_read32(base + IMX_UART_UTS) & IMX_UART_UTS_TXFULL) == 0u;
	}
	if (room) {
		mmio_write32(base + IMX_UART_UTXD, (uint8_t)c);
	}
}
