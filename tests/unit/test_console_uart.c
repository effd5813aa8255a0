/* SPDX-License-Identifier: MIT */
/*
 * The PL011 and Cadence console drivers (built once each: tests/unit/console_uart.mk)
 * against a register model of their UART: a character is written only when
 * the transmit FIFO has room, a full FIFO is polled until it drains, and a
 * FIFO that never drains costs a bounded number of polls and the character,
 * never the core. The Cadence transmitter, disabled at reset, is enabled by
 * the first character without touching the receiver's bits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "arch.h"
#include "cfg.h"
#include "mmio.h"

#if defined(UART_PL011)
#include "hw/pl011.h"
#define STATUS PL011_FR
#define FULL PL011_FR_TXFF
#define DATA PL011_DR
#define CONTROL 0xfffu                 /* the driver has no control register to touch */
#elif defined(UART_CADENCE)
#include "hw/cadence_uart.h"
#define STATUS CDNS_UART_SR
#define FULL CDNS_UART_SR_TFUL
#define DATA CDNS_UART_FIFO
#define CONTROL CDNS_UART_CR
#else
#error "UART_PL011 or UART_CADENCE: the driver this build tests"
#endif

#define BASE 0x09000000ull
#define POLLS_BOUND 1000000u

const struct cfg_system cfg_system = {
	.console = { .base = BASE, .size = 0x1000 },
};

static struct {
	char sent[16];
	unsigned n_sent;
	unsigned full_polls;     /* status reads that still find the FIFO full */
	bool stuck;              /* the FIFO never drains */
	unsigned status_reads;
	unsigned overruns;       /* data written while the FIFO was full */
	uint32_t control;
	unsigned control_writes;
} uart;

uint32_t model_read(uint64_t addr, unsigned width)
{
	assert_int_equal(width, 4);
	if (addr == BASE + STATUS) {
		uart.status_reads++;
		if (uart.stuck || (uart.full_polls > 0u)) {
			uart.full_polls -= (uart.full_polls > 0u) ? 1u : 0u;
			return FULL;
		}
		return 0u;
	}
	assert_true(addr == BASE + CONTROL);
	return uart.control;
}

void model_write(uint64_t addr, unsigned width, uint32_t value)
{
	assert_int_equal(width, 4);
	if (addr == BASE + DATA) {
		assert_true(value <= 0xffu);
		uart.overruns += (uart.stuck || (uart.full_polls > 0u)) ? 1u : 0u;
		assert_true(uart.n_sent < sizeof(uart.sent));
		uart.sent[uart.n_sent++] = (char)value;
		return;
	}
	assert_true(addr == BASE + CONTROL);
	uart.control = value;
	uart.control_writes++;
}

static int setup(void **state)
{
	(void)state;
	memset(&uart, 0, sizeof(uart));
#if defined(UART_CADENCE)
	uart.control = CDNS_UART_CR_TX_EN | CDNS_UART_CR_RX_EN;   /* as the boot firmware leaves it */
#endif
	return 0;
}

/* Each character once, in order, only when the FIFO has room; a full FIFO is polled until it
 * drains. */
/* Verifies: REQ-CON-007, REQ-BRD-002 */
static void test_characters_wait_for_room(void **state)
{
	(void)state;
	arch_console_putc('o');
	uart.full_polls = 5u;
	arch_console_putc('k');
	arch_console_putc((char)0xe9);
	assert_int_equal(uart.n_sent, 3u);
	assert_memory_equal(uart.sent, "ok\xe9", 3u);
	assert_int_equal(uart.overruns, 0u);
	assert_int_equal(uart.status_reads, 1u + 6u + 1u);
}

/* A FIFO that never drains: the character is given up after the bound, nothing is written,
 * and the next character is tried afresh (a UART that recovers works again). */
/* Verifies: REQ-CON-007, REQ-BRD-002 */
static void test_a_fifo_that_never_drains_costs_a_bounded_wait(void **state)
{
	(void)state;
	uart.stuck = true;
	arch_console_putc('x');
	assert_int_equal(uart.n_sent, 0u);
	assert_int_equal(uart.status_reads, POLLS_BOUND);
	uart.stuck = false;
	arch_console_putc('y');
	assert_int_equal(uart.n_sent, 1u);
	assert_int_equal(uart.sent[0], 'y');
	assert_int_equal(uart.overruns, 0u);
}

#if defined(UART_CADENCE)
/* The transmitter comes out of reset disabled (TX_DIS) and in reset: the first character enables
 * it and takes both resets and TX_DIS off, leaving the receiver's enable as it was; an enabled
 * transmitter is left alone. */
/* Verifies: REQ-BRD-002 */
static void test_the_first_character_enables_the_transmitter(void **state)
{
	(void)state;
	uart.control = 0x128u | CDNS_UART_CR_TXRST | CDNS_UART_CR_RXRST;   /* reset: TX_DIS, RX_DIS, STPBRK */
	arch_console_putc('a');
	assert_int_equal(uart.control, (0x128u & ~CDNS_UART_CR_TX_DIS) | CDNS_UART_CR_TX_EN);
	assert_int_equal(uart.control_writes, 1u);
	arch_console_putc('b');
	assert_int_equal(uart.control_writes, 1u);
	uart.control = CDNS_UART_CR_TX_EN | CDNS_UART_CR_TX_DIS;   /* both: disabled wins */
	arch_console_putc('c');
	assert_int_equal(uart.control, CDNS_UART_CR_TX_EN);
	assert_int_equal(uart.control_writes, 2u);
	assert_memory_equal(uart.sent, "abc", 3u);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_characters_wait_for_room, setup),
		cmocka_unit_test_setup(test_a_fifo_that_never_drains_costs_a_bounded_wait, setup),
#if defined(UART_CADENCE)
		cmocka_unit_test_setup(test_the_first_character_enables_the_transmitter, setup),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
