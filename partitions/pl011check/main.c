/* SPDX-License-Identifier: MIT */
/*
 * The emulated PL011 from the inside (docs/emulated-uart.md): a partition
 * whose console is "pl011" checks the registers and behaviour Linux's
 * amba-pl011 driver and earlycon rely on, and reports through the UART it
 * checks (the service partition prints what comes out). bootargs: uart=
 * (its address), irq= (its interrupt, a virtual SPI).
 *
 *   1. identification (PeriphID/PCellID, which the AMBA bus reads) and
 *      reset values (PL011_FR, PL011_CR, PL011_IFLS, PL011_IMSC, PL011_RIS);
 *   2. a line written byte by byte with earlycon's rhythm (PL011_FR, PL011_DR, PL011_FR);
 *   3. the transmit interrupt: unmasked after a write, it arrives through
 *      the GIC as the configured SPI with PL011_MIS = TX; cleared by PL011_ICR, set
 *      again by the next write (a second interrupt);
 *   4. input: the service partition answers the first line with "ping";
 *      the receive interrupt arrives, PL011_DR reads it back, PL011_FR says empty after.
 *
 * Each check prints "pl011check: <what>: ok" or "... FAILED (<why>)", and
 * the last line is "pl011check: done, <n> failed".
 *
 * bench=N (`make bench`): then writes N bytes in lines of 64 between calls
 * of the marker functions uart_phase_write and uart_phase_idle (never
 * inlined), so that the measuring plugin attributes the hypervisor's work
 * to the bytes written. The flag-register reads that follow one that said
 * "full" (the console ring to the service partition has no room) run under
 * uart_phase_wait: how long the writer waits depends on how fast the
 * service partition drains, not on the UART's emulation, so the two are
 * counted apart.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bhrt.h"
#include "bhrt_gic.h"
#include "hw/pl011.h"

#define WAIT_US 2000000u

/* Written by each marker, so that no two are one function. */
volatile uint32_t uart_phase;

#define MARKER __attribute__((noipa, used))
MARKER void uart_phase_idle(void);
MARKER void uart_phase_write(void);
MARKER void uart_phase_wait(void);
MARKER void uart_phase_idle(void) { uart_phase = 0u; }
MARKER void uart_phase_write(void) { uart_phase = 1u; }
MARKER void uart_phase_wait(void) { uart_phase = 2u; }

static uint64_t uart;
static uint32_t failed;
static volatile uint32_t interrupts;
static volatile uint32_t last_mis;

static uint32_t rd(uint32_t off)
{
	return *(volatile uint32_t *)(uintptr_t)(uart + off);
}

static void wr(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(uart + off) = v;
}

/* Writes a string as earlycon does: wait while full, write a byte, wait while busy. */
static void out(const char *s)
{
	for (; *s != '\0'; s++) {
		for (uint32_t n = 0; (rd(PL011_FR) & PL011_FR_TXFF) != 0u && n < 1000000u; n++) {
		}
		*(volatile uint8_t *)(uintptr_t)(uart + PL011_DR) = (uint8_t)*s;
		(void)rd(PL011_FR);
	}
}

static void report(const char *what, bool ok, const char *why, uint32_t value)
{
	char line[120];

	if (ok) {
		snprintf(line, sizeof(line), "pl011check: %s: ok\n", what);
	} else {
		failed++;
		snprintf(line, sizeof(line), "pl011check: %s: FAILED (%s 0x%x)\n", what, why, (unsigned)value);
	}
	out(line);
}

/* The UART's interrupt: what is pending, then cleared (TX) or left for the reader (RX). */
static void uart_irq(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	last_mis = rd(PL011_MIS);
	wr(PL011_ICR, last_mis & PL011_INT_TX);
	/* The reader takes the data. */
	wr(PL011_IMSC, rd(PL011_IMSC) & ~(last_mis & (PL011_INT_RX | PL011_INT_RT)));
	interrupts++;
}

static bool wait_interrupts(uint32_t n)
{
	uint64_t end = rt_counter() + (rt_counter_hz() * WAIT_US) / 1000000u;

	while (interrupts < n && rt_counter() < end) {
	}
	return interrupts >= n;
}

static void check_identity(void)
{
	static const uint8_t id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	bool ok = true;
	uint32_t bad = 0;
	/* Read before anything is written: each report is a write, which sets TX. */
	uint32_t fr = rd(PL011_FR), cr = rd(PL011_CR), ifls = rd(PL011_IFLS);
	uint32_t imsc = rd(PL011_IMSC), ris = rd(PL011_RIS);

	for (uint32_t i = 0; i < 8u; i++) {
		if (rd(PL011_ID + 4u * i) != id[i]) {
			ok = false;
			bad = (i << 8) | rd(PL011_ID + 4u * i);
		}
	}
	report("identification registers", ok, "register/value", bad);
	report("reset FR", fr == (PL011_FR_TXFE | PL011_FR_RXFE), "FR", fr);
	report("reset CR and IFLS", cr == 0x300u && ifls == 0x12u, "CR", cr);
	report("reset IMSC and RIS", imsc == 0u && ris == 0u, "RIS", ris);
}

static void check_tx_interrupt(uint32_t irq)
{
	uint32_t before = interrupts;

	wr(PL011_IMSC, PL011_INT_TX);   /* TX is set by the writes above: the line rises */
	bool first = wait_interrupts(before + 1u);
	report("transmit interrupt", first && (last_mis & PL011_INT_TX) != 0u, "MIS", last_mis);
	report("ICR clears TX", (rd(PL011_RIS) & PL011_INT_TX) == 0u, "RIS", rd(PL011_RIS));
	out("pl011check: a write sets TX again\n");
	bool second = wait_interrupts(before + 2u);
	report("transmit interrupt after ICR", second, "interrupts", interrupts - before);
	wr(PL011_IMSC, 0u);
	(void)irq;
}

static void check_input(void)
{
	char got[16];
	uint32_t n = 0;
	uint32_t before = interrupts;

	wr(PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
	out("pl011check: waiting for input\n");
	bool irq = wait_interrupts(before + 1u);
	report("receive interrupt", irq && (last_mis & (PL011_INT_RX | PL011_INT_RT)) != 0u, "MIS", last_mis);
	while ((rd(PL011_FR) & PL011_FR_RXFE) == 0u && n < sizeof(got) - 1u) {
		got[n++] = (char)rd(PL011_DR);
	}
	got[n] = '\0';
	report("input read from DR", strcmp(got, "ping\n") == 0, "bytes", n);
	bool rx_clear = (rd(PL011_RIS) & (PL011_INT_RX | PL011_INT_RT)) == 0u;
	report("RX status follows the data", rx_clear && (rd(PL011_FR) & PL011_FR_RXFE) != 0u, "RIS", rd(PL011_RIS));
}

/* `bytes` bytes as lines of 63 characters and a newline, between the markers. */
static void bench(uint64_t bytes)
{
	static const char text[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-";
	char line[64];
	uint32_t waits = 0u;

	if (bytes == 0u) {
		return;
	}
	memcpy(line, text, 63);
	line[63] = '\n';
	uart_phase_write();
	for (uint64_t i = 0; i < bytes; i++) {
		if ((rd(PL011_FR) & PL011_FR_TXFF) != 0u) {
			uart_phase_wait();
			waits++;
			for (uint32_t n = 0; (rd(PL011_FR) & PL011_FR_TXFF) != 0u && n < 1000000u; n++) {
			}
			uart_phase_write();
		}
		*(volatile uint8_t *)(uintptr_t)(uart + PL011_DR) = (uint8_t)line[i % 64u];
	}
	uart_phase_idle();
	snprintf(line, sizeof(line), "pl011check: bench wrote %u bytes, waited %u times\n", (unsigned)bytes,
		 (unsigned)waits);
	out(line);
}

int main(void)
{
	char line[80];
	uint32_t irq = (uint32_t)rt_bootarg("irq", 0);

	uart = rt_bootarg("uart", 0);
	if (uart == 0u || irq < RT_GIC_SPI_FIRST || rt_gic_init() < 0) {
		printf("pl011check: needs uart= and irq= (an SPI) in bootargs\n");
		return 1;
	}
	check_identity();
	out("pl011check: hello through the emulated PL011\n");
	rt_irq_set_handler(irq, uart_irq, NULL);
	rt_gic_set_priority(irq, RT_GIC_PRIORITY_DEFAULT);
	rt_gic_enable(irq);
	rt_irq_unmask();
	check_tx_interrupt(irq);
	check_input();
	bench(rt_bootarg("bench", 0));
	snprintf(line, sizeof(line), "pl011check: done, %u failed\n", (unsigned)failed);
	out(line);
	/* Three reads of PL011_FR in a row: anything still buffered goes out. */
	(void)rd(PL011_FR);
	(void)rd(PL011_FR);
	(void)rd(PL011_FR);
	return failed == 0u ? 0 : 1;
}
