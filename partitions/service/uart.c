/* SPDX-License-Identifier: MIT */
/*
 * The service partition's UART interface: transmit forwarded to the driver
 * chosen at start-up (nothing is written until one is), receive through a
 * small byte ring that the driver's interrupt handler (or its poll, which
 * each read calls first) fills and the main loop empties.
 */
#include <stddef.h>
#include "uart.h"

#define RX_RING 256u              /* a power of two */


static const struct svc_uart_driver *drv;
static uint8_t rx_ring[RX_RING];
static uint32_t rx_head;          /* written by the interrupt handler only */
static uint32_t rx_put;           /* the interrupt handler's head before it publishes */
static uint32_t rx_tail;          /* written by the main loop only */
static uint32_t rx_overruns;

int svc_uart_init(const struct svc_uart_driver *d, uint64_t uart_base, uint32_t irq)
{
	drv = d;
	return drv->init(uart_base, irq);
}

uint32_t svc_uart_write(const char *buf, uint32_t len)
{
	return (drv != NULL) ? drv->send(buf, len) : 0u;
}

void svc_uart_rx_put(uint8_t c)
{
	uint32_t tail = __atomic_load_n(&rx_tail, __ATOMIC_ACQUIRE);

	if ((rx_put - tail) < RX_RING) {
		rx_ring[rx_put % RX_RING] = c;
		rx_put++;
	} else {
		rx_overruns++;
	}
}

void svc_uart_rx_publish(void)
{
	__atomic_store_n(&rx_head, rx_put, __ATOMIC_RELEASE);
}

uint32_t svc_uart_read(uint8_t *buf, uint32_t cap)
{
	uint32_t head;
	uint32_t n = 0u;

	if ((drv != NULL) && (drv->poll != NULL)) {
		drv->poll();
	}
	head = __atomic_load_n(&rx_head, __ATOMIC_ACQUIRE);

	while ((n < cap) && (rx_tail != head)) {
		buf[n] = rx_ring[rx_tail % RX_RING];
		rx_tail++;
		n++;
	}
	__atomic_store_n(&rx_tail, rx_tail, __ATOMIC_RELEASE);
	return n;
}

bool svc_uart_rx_pending(void)
{
	return __atomic_load_n(&rx_head, __ATOMIC_ACQUIRE) != rx_tail;
}

uint32_t svc_uart_overruns(void)
{
	return rx_overruns;
}
