/* SPDX-License-Identifier: MIT */
/*
 * The NS16550 console driver (arch/arm64/ns16550.c) against a register-level
 * model of the UART (tests/unit/uart_model/mmio.h). Built once per register
 * layout the binding allows with the driver (tests/unit/ns16550.mk):
 * reg-shift 0 and 2 with 1-byte accesses, reg-shift 2 with 4-byte accesses.
 * The model holds THRE clear for a few polls after each character, as a
 * real UART does while it shifts the character out, and can hold it clear
 * forever (a broken UART).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arch.h"
#include "cfg.h"
#include "mmio.h"

#ifndef SHIFT
#error "SHIFT: the reg-shift this build tests"
#endif
#ifndef WIDTH
#error "WIDTH: the reg-io-width this build tests"
#endif

#define BASE 0x1c090000ull
#define BUSY_POLLS 3u          /* LSR reads with THRE clear after each character */
#define LSR_THRE 0x20u
#define LSR_TEMT 0x40u

const struct cfg_system cfg_system = {
	.console = { .base = BASE, .size = 0x1000, .reg_shift = SHIFT, .reg_io_width = WIDTH },
};

static struct {
	char sent[64];
	unsigned n_sent;
	unsigned busy;           /* polls left with THRE clear */
	bool stuck;              /* THRE never sets */
	unsigned lsr_reads;
	unsigned overruns;       /* THR written while THRE was clear */
} uart;

/* The register an access reaches; fails the test on a misplaced or mis-sized one. */
static unsigned decode(uint64_t addr, unsigned width)
{
	uint64_t off = addr - BASE;

	assert_true(addr >= BASE && off < (8u << SHIFT));
	assert_int_equal(off % (1u << SHIFT), 0);
	assert_int_equal(width, WIDTH);
	return (unsigned)(off >> SHIFT);
}

uint32_t model_read(uint64_t addr, unsigned width)
{
	unsigned reg = decode(addr, width);

	assert_int_equal(reg, 5);   /* only LSR is read */
	uart.lsr_reads++;
	if (uart.stuck)
		return 0;
	if (uart.busy) {
		uart.busy--;
		return 0;
	}
	/* Like the 8250 family, the upper bytes of a 32-bit access read as zero. */
	return LSR_THRE | LSR_TEMT;
}

void model_write(uint64_t addr, unsigned width, uint32_t value)
{
	unsigned reg = decode(addr, width);

	assert_int_equal(reg, 0);   /* only THR is written */
	assert_true(value <= 0xff);
	if (uart.stuck || uart.busy)
		uart.overruns++;
	assert_true(uart.n_sent < sizeof(uart.sent));
	uart.sent[uart.n_sent++] = (char)value;
	uart.busy = BUSY_POLLS;
}

static int reset(void **state)
{
	(void)state;
	memset(&uart, 0, sizeof(uart));
	return 0;
}

/* Verifies: REQ-CON-007 */
static void test_characters_reach_thr_when_it_is_empty(void **state)
{
	static const char line[] = "[bulkhead] hello\r\n";

	(void)state;
	for (size_t i = 0; i < sizeof(line) - 1; i++)
		arch_console_putc(line[i]);
	assert_int_equal(uart.n_sent, sizeof(line) - 1);
	assert_memory_equal(uart.sent, line, sizeof(line) - 1);
	assert_int_equal(uart.overruns, 0);
	/* Each character waited out the previous one: BUSY_POLLS reads with THRE
	 * clear, then one with it set (the first character found it set at once). */
	assert_int_equal(uart.lsr_reads, 1 + (sizeof(line) - 2) * (BUSY_POLLS + 1));
}

/* Verifies: REQ-CON-007 */
static void test_a_broken_uart_costs_a_bounded_wait(void **state)
{
	(void)state;
	uart.stuck = true;
	arch_console_putc('x');
	arch_console_putc('y');
	assert_int_equal(uart.n_sent, 0);
	assert_int_equal(uart.lsr_reads, 2u * 1000000u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_characters_reach_thr_when_it_is_empty, reset),
		cmocka_unit_test_setup(test_a_broken_uart_costs_a_bounded_wait, reset),
	};
	return cmocka_run_group_tests_name("ns16550", tests, NULL, NULL);
}
