/* SPDX-License-Identifier: MIT */
/*
 * The board's Cadence UART (cdns,uart-r1p12: ZynqMP UART0/1), passed through
 * to the service partition: output by polling the transmit FIFO (bounded
 * bytes per call, never a wait), input by the receive interrupt into the
 * receive ring (uart.c). The baud rate and frame format are the boot
 * firmware's; this driver enables both directions and the receive
 * interrupts: the FIFO trigger at one byte, and the receiver timeout.
 */
#include <stddef.h>
#include <stdint.h>
#include "bhrt_gic.h"
#include "../uart.h"
#include "hw/cadence_uart.h"

#define RX_PER_INTERRUPT 128u     /* bytes read per interrupt at most (the FIFO holds 64) */
#define RX_TIMEOUT 10u            /* receiver timeout: 40 bit periods of silence */
#define RX_INTS (CDNS_UART_INT_RTRIG | CDNS_UART_INT_TIMEOUT)

static uint64_t cdns_base;

static uint32_t cdns_rd(uint32_t off)
{
	return *(volatile uint32_t *)(uintptr_t)(cdns_base + off);
}

static void cdns_wr(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(cdns_base + off) = v;
}

/* Implements: REQ-BRD-003 */
static void cdns_on_rx(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	/* Cleared before the FIFO is drained, as for the PL011: a byte that arrives while it is
	 * drained sets the status again rather than being stranded (at worst one empty interrupt). */
	cdns_wr(CDNS_UART_ISR, RX_INTS);
	for (uint32_t i = 0u; (i < RX_PER_INTERRUPT) && ((cdns_rd(CDNS_UART_SR) & CDNS_UART_SR_REMPTY) == 0u); i++) {
		svc_uart_rx_put((uint8_t)(cdns_rd(CDNS_UART_FIFO) & 0xffu));
	}
	svc_uart_rx_publish();
}

/* Implements: REQ-BRD-003 */
static int cadence_init(uint64_t uart_base, uint32_t irq)
{
	uint32_t cr;

	cdns_base = uart_base;
	if ((rt_gic_version() == 0) && (rt_gic_init() < 0)) {
		return -1;
	}
	cdns_wr(CDNS_UART_IDR, CDNS_UART_INT_ALL);
	cdns_wr(CDNS_UART_ISR, CDNS_UART_INT_ALL);
	cdns_wr(CDNS_UART_RXWM, 1u);
	cdns_wr(CDNS_UART_RXTOUT, RX_TIMEOUT);
	cr = cdns_rd(CDNS_UART_CR) & ~(CDNS_UART_CR_RX_DIS | CDNS_UART_CR_TX_DIS | CDNS_UART_CR_RXRST | CDNS_UART_CR_TXRST);
	cdns_wr(CDNS_UART_CR, cr | CDNS_UART_CR_RX_EN | CDNS_UART_CR_TX_EN);
	if (rt_irq_set_handler(irq, cdns_on_rx, NULL) != 0) {
		return -1;
	}
	rt_gic_set_edge(irq, false);
	(void)rt_gic_route(irq, rt_mpidr());
	rt_gic_set_priority(irq, RT_GIC_PRIORITY_DEFAULT);
	rt_gic_enable(irq);
	cdns_wr(CDNS_UART_IER, RX_INTS);
	rt_irq_unmask();
	return 0;
}

/* Implements: REQ-BRD-003 */
static uint32_t cadence_write(const char *buf, uint32_t len)
{
	uint32_t n = 0u;

	while ((n < len) && ((cdns_rd(CDNS_UART_SR) & CDNS_UART_SR_TFUL) == 0u)) {
		cdns_wr(CDNS_UART_FIFO, (uint8_t)buf[n]);
		n++;
	}
	return n;
}

const struct svc_uart_driver svc_cadence_uart = {
	.compatible = "cdns,uart-r1p12",
	.init = cadence_init,
	.send = cadence_write,
};
