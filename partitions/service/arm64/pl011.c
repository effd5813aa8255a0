/* SPDX-License-Identifier: MIT */
/*
 * The board's PL011 UART, passed through to the service partition: output
 * by polling the transmit FIFO (bounded bytes per call, never a wait),
 * input by the receive interrupt into the receive ring (uart.c). The
 * hypervisor set the line up (baud rate, 8N1) before the service partition
 * started; this driver only enables reception and its interrupts.
 */
#include <stddef.h>
#include <stdint.h>
#include "bhrt_gic.h"
#include "../uart.h"
#include "hw/pl011.h"

#define RX_PER_INTERRUPT 64u      /* bytes read per interrupt at most (the FIFO holds 32) */

static uint64_t base;

static uint32_t rd(uint32_t off)
{
	return *(volatile uint32_t *)(uintptr_t)(base + off);
}

static void wr(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(base + off) = v;
}

static void on_rx(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	/* Cleared before the FIFO is drained: a byte that arrives while it is drained raises the
	 * interrupt again (QEMU hands bytes over one at a time; cleared after, it would be stranded). */
	wr(PL011_ICR, PL011_INT_RX | PL011_INT_RT);
	for (uint32_t i = 0u; (i < RX_PER_INTERRUPT) && ((rd(PL011_FR) & PL011_FR_RXFE) == 0u); i++) {
		svc_uart_rx_put((uint8_t)(rd(PL011_DR) & 0xffu));
	}
	svc_uart_rx_publish();
}

static int pl011_init(uint64_t uart_base, uint32_t irq)
{
	base = uart_base;
	if ((rt_gic_version() == 0) && (rt_gic_init() < 0)) {
		return -1;
	}
	wr(PL011_IMSC, 0u);
	wr(PL011_ICR, PL011_INT_ALL);
	wr(PL011_CR, rd(PL011_CR) | PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE);
	if (rt_irq_set_handler(irq, on_rx, NULL) != 0) {
		return -1;
	}
	rt_gic_set_edge(irq, false);
	(void)rt_gic_route(irq, rt_mpidr());
	rt_gic_set_priority(irq, RT_GIC_PRIORITY_DEFAULT);
	rt_gic_enable(irq);
	wr(PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
	rt_irq_unmask();
	return 0;
}

static uint32_t pl011_write(const char *buf, uint32_t len)
{
	uint32_t n = 0u;

	while ((n < len) && ((rd(PL011_FR) & PL011_FR_TXFF) == 0u)) {
		wr(PL011_DR, (uint8_t)buf[n]);
		n++;
	}
	return n;
}

const struct svc_uart_driver svc_pl011 = {
	.compatible = "arm,pl011",
	.init = pl011_init,
	.send = pl011_write,
};
