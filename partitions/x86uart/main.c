/* SPDX-License-Identifier: MIT */
/*
 * The emulated 16550 from the inside (docs/emulated-uart.md): an x86
 * partition whose console is "ns16550" at COM1's ports (0x3f8) and pin (4)
 * drives it by its registers as Linux's 8250 driver and its earlycon do,
 * and reports through the UART it checks (the service partition prints what
 * comes out, "[x86uart] ..."):
 *
 *   1. the 8250 probe: the scratch register keeps 0x55 and 0xaa, IER keeps
 *      its four bits, IIR says FIFOs once FCR enables them, LSR and MSR at
 *      their reset values, loopback wires MCR to MSR;
 *   2. the divisor behind DLAB (115200 baud: 1), LCR 8N1;
 *   3. lines written byte by byte with earlycon's rhythm (LSR THRE, THR);
 *   4. hostile widths: OUTW and OUTL to THR and REP OUTSB to it send
 *      nothing ("ESCAPED" would show), INW and INL read all ones (refused
 *      and counted by the hypervisor), the scratch register is unchanged;
 *   5. interrupts: its I/O APIC pin 4 programmed to UART_VECTOR on its own
 *      core, MCR OUT2, IER THRI: the transmitter interrupt arrives, IIR
 *      names it once;
 *   6. input: "type a line", then IER RDI: each receive interrupt is taken
 *      through its IDT and the bytes read from RBR while LSR says data ready,
 *      until a carriage return; "got '<line>'".
 *
 * Each check prints "x86uart: <what>: ok" or "... FAILED (<why>)"; the last
 * line is "x86uart: done, <n> failed".
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bhrt.h"
#include "bhrt_channel.h"
#include "bhrt_x86.h"
#include "hw/ns16550.h"

#define COM1 0x3f8u
#define COM1_PIN 4u
#define UART_VECTOR 0x34u
#define IOAPIC_BASE 0xfec00000u    /* configs/boards/qemu-x86_64.dtsi */
#define IOAPIC_WINDOW 4u           /* IOWIN at +0x10, in 32-bit words */
#define LINE_MAX 64u
#define INPUT_WAIT_S 60u

static uint32_t failed;

static uint8_t rd(uint32_t reg)
{
	return x86_inb((uint16_t)(COM1 + reg));
}

static void wr(uint32_t reg, uint8_t v)
{
	x86_outb((uint16_t)(COM1 + reg), v);
}

/* earlycon's putc: wait for THRE, write THR. */
static void uart_putc(char c)
{
	while ((rd(UART16550_LSR) & UART16550_LSR_THRE) == 0u) {
	}
	wr(UART16550_THR, (uint8_t)c);
}

static void uart_puts(const char *s)
{
	for (; *s != '\0'; s++) {
		uart_putc(*s);
	}
}

/* One report line through the UART; a driver waiting for TEMT after it, as Linux's console write does. */
static void report(const char *what, bool ok, const char *fmt, unsigned a, unsigned b)
{
	char why[96];
	char line[192];

	snprintf(why, sizeof(why), fmt, a, b);
	snprintf(line, sizeof(line), "x86uart: %s: %s%s%s\n", what, ok ? "ok" : "FAILED (", ok ? "" : why, ok ? "" : ")");
	uart_puts(line);
	while ((rd(UART16550_LSR) & UART16550_LSR_TEMT) == 0u) {
	}
	failed += ok ? 0u : 1u;
}

static void probe(void)
{
	wr(UART16550_SCR, 0x55u);
	uint8_t s1 = rd(UART16550_SCR);
	wr(UART16550_SCR, 0xaau);
	uint8_t s2 = rd(UART16550_SCR);
	report("scratch register", (s1 == 0x55u) && (s2 == 0xaau), "read 0x%x, 0x%x", s1, s2);

	wr(UART16550_IER, 0u);
	uint8_t i1 = rd(UART16550_IER);
	wr(UART16550_IER, 0xffu);
	uint8_t i2 = rd(UART16550_IER);
	wr(UART16550_IER, 0u);
	report("IER keeps four bits", (i1 == 0u) && (i2 == 0x0fu), "read 0x%x, 0x%x", i1, i2);

	uint8_t lsr = rd(UART16550_LSR);
	uint8_t msr = rd(UART16550_MSR);
	report("LSR and MSR at reset", (lsr == 0x60u) && (msr == 0xb0u), "LSR 0x%x, MSR 0x%x", lsr, msr);

	uint8_t iir0 = rd(UART16550_IIR);
	wr(UART16550_FCR, UART16550_FCR_ENABLE | UART16550_FCR_CLEAR_RCVR | UART16550_FCR_CLEAR_XMIT);
	uint8_t iir1 = rd(UART16550_IIR);
	report("FIFOs (a 16550A)", (iir0 == 0x01u) && (iir1 == 0xc1u), "IIR 0x%x, then 0x%x", iir0, iir1);

	wr(UART16550_MCR, UART16550_MCR_LOOP | UART16550_MCR_OUT2 | UART16550_MCR_RTS);
	uint8_t loop = rd(UART16550_MSR);
	wr(UART16550_MCR, 0u);
	report("loopback", loop == (UART16550_MSR_DCD | UART16550_MSR_CTS), "MSR 0x%x, want 0x%x", loop, UART16550_MSR_DCD | UART16550_MSR_CTS);
}

static void divisor(void)
{
	wr(UART16550_LCR, UART16550_LCR_DLAB);
	uint8_t dll0 = rd(UART16550_DLL);
	wr(UART16550_DLL, 1u);
	wr(UART16550_DLM, 0u);
	uint8_t dll = rd(UART16550_DLL);
	uint8_t dlm = rd(UART16550_DLM);
	wr(UART16550_LCR, 0x03u);
	uint8_t ier = rd(UART16550_IER);
	report("divisor 115200 8N1", (dll0 == 0x0cu) && (dll == 1u) && (dlm == 0u) && (ier == 0u) &&
	       (rd(UART16550_LCR) == 0x03u), "DLL 0x%x at reset, 0x%x after", dll0, dll);
}

static void hostile_widths(void)
{
	static const char escaped[] = "ESCAPED by OUTSB\n";
	uint16_t w;
	uint32_t l;
	const char *p = escaped;
	uint64_t n = sizeof(escaped) - 1u;

	wr(UART16550_SCR, 0x3cu);
	__asm__ volatile("outw %0, %1" : : "a"((uint16_t)0x5845u), "Nd"((uint16_t)COM1));          /* "EX" */
	__asm__ volatile("outl %0, %1" : : "a"((uint32_t)0x0a444550u), "Nd"((uint16_t)(COM1 + 4u))); /* "PED\n" at MCR.. */
	__asm__ volatile("rep outsb" : "+S"(p), "+c"(n) : "d"((uint16_t)COM1) : "memory");
	__asm__ volatile("inw %1, %0" : "=a"(w) : "Nd"((uint16_t)COM1));
	__asm__ volatile("inl %1, %0" : "=a"(l) : "Nd"((uint16_t)(COM1 + 4u)));
	uint8_t scr = rd(UART16550_SCR);
	uint8_t mcr = rd(UART16550_MCR);
	report("wide and string accesses refused", (w == 0xffffu) && (l == 0xffffffffu) && (scr == 0x3cu) && (mcr == 0u),
	       "INW 0x%x, SCR 0x%x", w, scr);
}

/*
 * The I/O APIC's registers through a pointer in a register, as Linux's readl
 * and writel reach them: the hypervisor decodes the trapped MOV, and with a
 * constant address GCC picks the moffs form (A1/A3), which it does not decode.
 */
static uint32_t mmio_read(volatile uint32_t *a)
{
	uint32_t v;

	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static void mmio_write(volatile uint32_t *a, uint32_t v)
{
	__asm__ volatile("movl %0, (%1)" : : "r"(v), "r"(a) : "memory");
}

static uint32_t ioapic_read(volatile uint32_t *io, uint32_t reg)
{
	mmio_write(io, reg);
	return mmio_read(io + IOAPIC_WINDOW);
}

static void ioapic_write(volatile uint32_t *io, uint32_t reg, uint32_t v)
{
	mmio_write(io, reg);
	mmio_write(io + IOAPIC_WINDOW, v);
}

/* Pin 4 to UART_VECTOR on its own core, unmasked: what Linux's IO-APIC setup does for COM1. */
static void route_pin(void)
{
	volatile uint32_t *io = (volatile uint32_t *)(uintptr_t)IOAPIC_BASE;
	uint32_t id = (uint32_t)x86_rdmsr(X86_MSR_X2APIC_ID);

	ioapic_write(io, 0x10u + (2u * COM1_PIN) + 1u, id << 24);
	ioapic_write(io, 0x10u + (2u * COM1_PIN), UART_VECTOR);
	uint32_t lo = ioapic_read(io, 0x10u + (2u * COM1_PIN));
	uint32_t hi = ioapic_read(io, 0x10u + (2u * COM1_PIN) + 1u);
	report("its I/O APIC pin 4", (lo == UART_VECTOR) && (hi == (id << 24)), "entry 0x%x, destination 0x%x", lo, hi);
}

/* Waits up to `s` seconds for the UART vector's count to differ from *seen. */
static bool wait_interrupt(uint32_t *seen, uint32_t s)
{
	return rt_doorbell_wait(UART_VECTOR, seen, rt_counter() + (rt_counter_hz() * s));
}

static void transmit_interrupt(uint32_t *seen)
{
	wr(UART16550_MCR, UART16550_MCR_OUT2 | UART16550_MCR_RTS | UART16550_MCR_DTR);
	wr(UART16550_IER, UART16550_IER_THRI);
	bool taken = wait_interrupt(seen, 2u);
	uint8_t iir1 = rd(UART16550_IIR);
	uint8_t iir2 = rd(UART16550_IIR);
	wr(UART16550_IER, 0u);
	report("transmitter interrupt", taken && (iir1 == 0xc2u) && (iir2 == 0xc1u), "IIR 0x%x, then 0x%x", iir1, iir2);
}

static void input(uint32_t *seen)
{
	char line[LINE_MAX + 1u];
	uint32_t len = 0u;
	uint32_t interrupts = 0u;
	bool done = false;

	uart_puts("x86uart: type a line\n");
	while ((rd(UART16550_LSR) & UART16550_LSR_TEMT) == 0u) {
	}
	wr(UART16550_IER, UART16550_IER_RDI);
	while (!done && wait_interrupt(seen, INPUT_WAIT_S)) {
		interrupts++;
		if ((rd(UART16550_IIR) & 0x0fu) != UART16550_IIR_RDI) {
			continue;
		}
		while ((rd(UART16550_LSR) & UART16550_LSR_DR) != 0u) {
			char c = (char)rd(UART16550_RBR);

			if ((c == '\r') || (c == '\n')) {
				done = true;
			} else if (len < LINE_MAX) {
				line[len++] = c;
			}
		}
	}
	wr(UART16550_IER, 0u);
	line[len] = '\0';
	uart_puts("x86uart: got '");
	uart_puts(line);
	uart_puts("'\n");
	report("input by the receive interrupt", done && (interrupts != 0u), "%u interrupts, %u bytes", interrupts, len);
}

int main(void)
{
	uint32_t seen = 0u;

	uart_puts("x86uart: an emulated 16550 at 0x3f8\n");
	probe();
	divisor();
	hostile_widths();
	route_pin();
	if (rt_doorbell_enable(UART_VECTOR) != 0) {   /* its IDT; takes interrupts */
		report("vector", false, "0x%x is no vector (%u)", UART_VECTOR, 0u);
	}
	seen = rt_doorbell_count(UART_VECTOR);
	transmit_interrupt(&seen);
	input(&seen);
	char last[48];
	snprintf(last, sizeof(last), "x86uart: done, %u failed\n", (unsigned)failed);
	uart_puts(last);
	while ((rd(UART16550_LSR) & UART16550_LSR_TEMT) == 0u) {
	}
	return 0;
}
