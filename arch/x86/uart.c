/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's console: a 16550 at I/O ports (cfg_console.base is its
 * first port: 0x3f8 for COM1), polled.
 */
#include "arch.h"
#include "cfg.h"
#include "x86.h"

#define UART_THR 0u
#define UART_IER 1u
#define UART_FCR 2u
#define UART_LCR 3u
#define UART_MCR 4u
#define UART_LSR 5u
#define LSR_THRE 0x20u
#define UART_POLLS 100000u   /* bounded: a stuck UART loses bytes, never stops the hypervisor */

void x86_uart_init(void)
{
	uint16_t base = (uint16_t)cfg_system.console.base;

	outb(base + UART_IER, 0x00u);
	outb(base + UART_LCR, 0x80u);   /* divisor latch: 115200 baud */
	outb(base + UART_THR, 0x01u);
	outb(base + UART_IER, 0x00u);
	outb(base + UART_LCR, 0x03u);   /* 8N1 */
	outb(base + UART_FCR, 0x07u);
	outb(base + UART_MCR, 0x03u);
}

void arch_console_putc(char c)
{
	uint16_t base = (uint16_t)cfg_system.console.base;

	for (uint32_t i = 0u; (i < UART_POLLS) && ((inb(base + UART_LSR) & LSR_THRE) == 0u); i++) {
	}
	outb(base + UART_THR, (uint8_t)c);
}
