/* SPDX-License-Identifier: MIT */
/*
 * The board's 16550 at I/O ports (COM1), passed through to the service
 * partition with its GSI: output by filling the transmit FIFO whenever it
 * is empty (never a wait); input on its receive interrupt, which the partition
 * routes to itself through the I/O APIC the hypervisor mediates (its own
 * pin's redirection entry: vector, destination). The interrupt gate counts
 * the vector (partitions/runtime/x86/irq_vectors.S); each read of the
 * receive ring (uart.c) first drains the FIFO when the count moved. The
 * hypervisor set the line up (baud rate, 8N1) before the service
 * partition started.
 */
#include <stddef.h>
#include <stdint.h>
#include "bhrt.h"
#include "bhrt_channel.h"
#include "bhrt_x86.h"
#include "../uart.h"

#define RBR 0u
#define THR 0u
#define IER 1u
#define FCR 2u
#define MCR 4u
#define LSR 5u
#define IER_RX 0x01u
#define FCR_ENABLE_CLEAR 0x07u    /* FIFOs on and emptied, receive trigger at 1 byte */
#define MCR_DTR_RTS_OUT2 0x0bu    /* OUT2: the PC's gate of the UART's interrupt line */
#define LSR_DR 0x01u
#define LSR_THRE 0x20u
#define TX_FIFO 16u
#define RX_PER_POLL 64u

#define IOAPIC_BASE 0xfec00000u   /* the board's (configs/boards/qemu-x86_64.dtsi) */
#define IOAPIC_WIN 4u             /* IOWIN at +0x10, in 32-bit words */
#define REDIR_FIRST 0x10u
#define RX_VECTOR 0x30u           /* the partition's choice; a doorbell is another */

static uint16_t port;
static uint32_t seen;             /* interrupts of RX_VECTOR drained so far */

static void ioapic_write(uint32_t reg, uint32_t value)
{
	volatile uint32_t *io = (volatile uint32_t *)(uintptr_t)IOAPIC_BASE;

	io[0] = reg;
	io[IOAPIC_WIN] = value;
}

static uint32_t ioapic_read(uint32_t reg)
{
	volatile uint32_t *io = (volatile uint32_t *)(uintptr_t)IOAPIC_BASE;

	io[0] = reg;
	return io[IOAPIC_WIN];
}

static int ns16550_init(uint64_t base, uint32_t gsi)
{
	uint32_t apic = (uint32_t)x86_rdmsr(X86_MSR_X2APIC_ID);

	port = (uint16_t)base;
	x86_outb((uint16_t)(port + IER), 0u);
	x86_outb((uint16_t)(port + FCR), FCR_ENABLE_CLEAR);
	x86_outb((uint16_t)(port + MCR), MCR_DTR_RTS_OUT2);
	for (uint32_t i = 0u; (i < RX_PER_POLL) && ((x86_inb((uint16_t)(port + LSR)) & LSR_DR) != 0u); i++) {
		(void)x86_inb((uint16_t)(port + RBR));
	}
	if (rt_doorbell_enable(RX_VECTOR) != 0) {
		return -1;
	}
	seen = rt_doorbell_count(RX_VECTOR);
	ioapic_write(REDIR_FIRST + (2u * gsi) + 1u, apic << 24);
	ioapic_write(REDIR_FIRST + (2u * gsi), RX_VECTOR);   /* fixed, edge, active high, unmasked */
	if (ioapic_read(REDIR_FIRST + (2u * gsi)) != RX_VECTOR) {
		return -1;   /* not its pin: the entry reads masked */
	}
	x86_outb((uint16_t)(port + IER), IER_RX);
	return 0;
}

/* The FIFO drained when the receive interrupt was taken since the last time, or bytes were left. */
static void ns16550_poll(void)
{
	static bool more;   /* the last drain stopped with bytes left */
	uint32_t c = rt_doorbell_count(RX_VECTOR);
	uint32_t n = 0u;

	if ((c == seen) && !more) {
		return;
	}
	seen = c;
	while ((n < RX_PER_POLL) && ((x86_inb((uint16_t)(port + LSR)) & LSR_DR) != 0u)) {
		svc_uart_rx_put(x86_inb((uint16_t)(port + RBR)));
		n++;
	}
	more = (x86_inb((uint16_t)(port + LSR)) & LSR_DR) != 0u;
	svc_uart_rx_publish();
}

static uint32_t ns16550_write(const char *buf, uint32_t len)
{
	uint32_t n = 0u;

	/* THRE: the FIFO is empty, 16 bytes fit; looked at again after each 16 (QEMU's empties at once). */
	while ((n < len) && ((x86_inb((uint16_t)(port + LSR)) & LSR_THRE) != 0u)) {
		for (uint32_t i = 0u; (n < len) && (i < TX_FIFO); i++) {
			x86_outb((uint16_t)(port + THR), (uint8_t)buf[n]);
			n++;
		}
	}
	return n;
}

const struct svc_uart_driver svc_ns16550_ports = {
	.compatible = "ns16550a",
	.init = ns16550_init,
	.send = ns16550_write,
	.poll = ns16550_poll,
};
