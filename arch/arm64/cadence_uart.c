/* SPDX-License-Identifier: MIT */
/*
 * Cadence UART (cdns,uart-r1p12), polled transmit only: the hypervisor
 * console when the description's console is a Cadence UART, as on the
 * ZCU102 (the build links this file, pl011.c or ns16550.c: BH_CONSOLE in
 * gen/system.mk).
 *
 * The transmitter comes out of reset disabled (CR = 0x128, TX_DIS set).
 * On a board the first-stage loader or U-Boot has enabled it and set the
 * baud rate; started straight from a debugger or QEMU's loader nobody has,
 * so the first character enables it. The baud rate and frame format stay
 * as the boot firmware left them (docs/boards.md).
 */
#include "arch.h"
#include "cfg.h"
#include "hw/cadence_uart.h"
#include "mmio.h"

/*
 * A UART whose FIFO never drains is broken; the character is dropped after
 * this many polls rather than hang the core (and every core waiting for the
 * console lock) forever.
 */
#define CDNS_UART_POLLS 1000000u

/* Implements: REQ-BRD-002 */
static void tx_enable(uint64_t base)
{
	uint32_t cr = mmio_read32(base + CDNS_UART_CR);

	if (((cr & CDNS_UART_CR_TX_EN) == 0u) || ((cr & CDNS_UART_CR_TX_DIS) != 0u)) {
		cr &= ~(CDNS_UART_CR_TX_DIS | CDNS_UART_CR_TXRST | CDNS_UART_CR_RXRST);
		mmio_write32(base + CDNS_UART_CR, cr | CDNS_UART_CR_TX_EN);
	}
}

/* Implements: REQ-BRD-002 */
void arch_console_putc(char c)
{
	uint64_t base = cfg_system.console.base;
	bool room = false;

	tx_enable(base);
	for (uint32_t polls = 0u; (polls < CDNS_UART_POLLS) && !room; polls++) {
		room = (mmio_read32(base + CDNS_UART_SR) & CDNS_UART_SR_TFUL) == 0u;
	}
	if (room) {
		mmio_write32(base + CDNS_UART_FIFO, (uint8_t)c);
	}
}
