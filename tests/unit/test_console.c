/* SPDX-License-Identifier: MIT */
/*
 * The console (core/console.c): whole lines, prefixes, hostile characters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "hc_helpers.h"
#include "console.h"
#include "log.h"

static void put(struct cpu *cpu, const char *s)
{
	for (; *s != '\0'; s++) {
		console_guest_putc(cpu, *s);
	}
}

/* Verifies: REQ-CON-001 */
static void test_lines_never_interleave(void **state)
{
	(void)state;
	cpu_get(2)->partition = cpu_get(1)->partition;
	put(cpu_get(0), "alpha starts ");
	put(cpu_get(1), "beta 0 ");
	put(cpu_get(2), "beta 1\n");
	put(cpu_get(0), "and ends\n");
	put(cpu_get(1), "done\n");
	assert_string_equal(fake.console, "[beta] beta 1\r\n[alpha] alpha starts and ends\r\n[beta] beta 0 done\r\n");
}

/* Verifies: REQ-CON-002 */
static void test_control_characters_replaced(void **state)
{
	(void)state;
	put(cpu_get(0), "a\033[2Jb\r\tc\x7f\n");
	assert_string_equal(fake.console, "[alpha] a?[2Jb\tc?\r\n");
}

/* Verifies: REQ-CON-004 */
static void test_long_lines_split(void **state)
{
	(void)state;
	char line[CONFIG_CONSOLE_LINE_MAX + 6];
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 2] = '\n';
	line[sizeof(line) - 1] = '\0';
	put(cpu_get(0), line);
	char expect[2 * CONFIG_CONSOLE_LINE_MAX + 64];
	snprintf(expect, sizeof(expect), "[alpha] %.*s\r\n[alpha] xxxx\r\n", CONFIG_CONSOLE_LINE_MAX,
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	assert_string_equal(fake.console, expect);
}

/* Verifies: REQ-CON-001 */
static void test_log_lines_prefixed_and_filtered(void **state)
{
	(void)state;
	log_info("core %u: %s", 3u, "up");
	log_debug("debug %d", -5);
	assert_string_equal(fake.console, "[bulkhead] core 3: up\r\n[bulkhead] debug -5\r\n");
}

/* Every line on the console, with the hypervisor's "\r\n" ends taken off, must start with @prefix. */
static void assert_every_line_starts_with(const char *text, const char *prefix)
{
	const char *line = text;

	while (*line != '\0') {
		const char *end = strstr(line, "\r\n");

		assert_non_null(end);
		/* A lone carriage return would let what follows overwrite the prefix on a terminal. */
		assert_null(memchr(line, '\r', (size_t)(end - line)));
		assert_memory_equal(line, prefix, strlen(prefix));
		line = end + 2;
	}
}

/* Verifies: REQ-CON-006 */
static void test_partition_cannot_forge_hypervisor_lines(void **state)
{
	(void)state;
	char line[CONFIG_CONSOLE_LINE_MAX + 32];

	put(cpu_get(0), "ok\n[bulkhead] all partitions stopped\n");
	put(cpu_get(0), "x\r[bulkhead] restarted\n\033[1G[bulkhead] y\n\n");
	/* A line split where the partition's next piece starts with the hypervisor's prefix. */
	memset(line, 'z', CONFIG_CONSOLE_LINE_MAX);
	snprintf(line + CONFIG_CONSOLE_LINE_MAX, sizeof(line) - CONFIG_CONSOLE_LINE_MAX, "[bulkhead] z\n");
	put(cpu_get(0), line);
	log_info("real");
	assert_non_null(strstr(fake.console, "[alpha] [bulkhead] all partitions stopped\r\n"));
	assert_non_null(strstr(fake.console, "[alpha] x[bulkhead] restarted\r\n"));
	assert_non_null(strstr(fake.console, "[alpha] [bulkhead] z\r\n"));
	/* The hypervisor's own line is the last one; everything before it is the partition's. */
	char *own = strstr(fake.console, "[bulkhead] real\r\n");
	assert_non_null(own);
	assert_string_equal(own, "[bulkhead] real\r\n");
	*own = '\0';
	assert_every_line_starts_with(fake.console, "[alpha] ");
}

/*
 * The coverage dump's hold of the console at power-off: taken at once when
 * free; when it is held (a dead core, or this one inside a line) given up
 * after its 100 ms, the lines printed all the same; what was taken is given
 * back, so the next hold gets it at once.
 * Verifies: REQ-FSF-006
 */
static void test_failsafe_hold_is_bounded_and_given_back(void **state)
{
	uint64_t start;

	(void)state;
	fake.relax_ticks = 10u;                 /* 10 us per poll */
	start = fake.counter;
	assert_true(console_hold_failsafe());
	assert_true(fake.counter - start < FAKE_COUNTER_HZ / 100u);
	start = fake.counter;
	assert_false(console_hold_failsafe());
	assert_true(fake.counter - start >= FAKE_COUNTER_HZ / 10u);
	assert_true(fake.counter - start < FAKE_COUNTER_HZ / 5u);
	console_print_line_held("cov", "gcov: END 1", 11u);
	assert_non_null(strstr(fake.console, "[cov] gcov: END 1\r\n"));
	console_release(false);                 /* the failed hold gives back nothing */
	console_release(true);
	start = fake.counter;
	assert_true(console_hold_failsafe());
	assert_true(fake.counter - start < FAKE_COUNTER_HZ / 100u);
	console_release(true);
}

/* Another core's hold of the console, ended after 5 ms of this core's polls. */
static void release_after_5ms(void)
{
	if (fake.relax_calls == 500u) {
		console_release(true);
	}
}

/*
 * A hold the console's holder gives up before the deadline is taken then, not
 * after the deadline without the lock: the wait polls the lock, not only the clock.
 * Verifies: REQ-FSF-006
 */
static void test_failsafe_hold_taken_once_released(void **state)
{
	uint64_t start;

	(void)state;
	fake.relax_ticks = 10u;
	assert_true(console_hold_failsafe());   /* the other core's */
	fake.relax_calls = 0;
	fake.relax_hook = release_after_5ms;
	start = fake.counter;
	assert_true(console_hold_failsafe());
	fake.relax_hook = NULL;
	assert_int_equal(fake.counter - start, 5000u);
	console_release(true);
}

static void panic_at_newline(char c)
{
	if (c == '\n') {
		fake.putc_hook = NULL;
		panic("exception at EL2 while printing");
	}
}

static void print_one_line(void *arg)
{
	(void)arg;
	console_print_line("bulkhead", "a line the hypervisor prints", 28u);
}

/*
 * An exception while this core prints a line (it holds the console): the
 * panic must not wait for itself. It prints after its bounded wait (100 ms
 * of arch_counter) and powers the board off. Last in this program: the
 * interrupted line keeps the console, as it would on the board.
 * Verifies: REQ-FSF-006
 */
static void test_panic_inside_a_line_still_powers_off(void **state)
{
	(void)state;
	fake.relax_ticks = 10u;                 /* 10 us per poll */
	fake.putc_hook = panic_at_newline;
	assert_int_equal(fake_run(print_one_line, NULL), FAKE_SYSTEM_OFF);
	assert_non_null(strstr(fake.console, "[bulkhead] PANIC (hypervisor internal error)\r\n"));
	assert_non_null(strstr(fake.console, "[bulkhead] exception at EL2 while printing\r\n"));
	/* Each of its two lines waited its 100 ms, and no longer. */
	assert_true(fake.counter >= FAKE_COUNTER_HZ / 5u);
	assert_true(fake.counter < (3u * FAKE_COUNTER_HZ) / 10u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lines_never_interleave, hc_setup),
		cmocka_unit_test_setup(test_control_characters_replaced, hc_setup),
		cmocka_unit_test_setup(test_long_lines_split, hc_setup),
		cmocka_unit_test_setup(test_log_lines_prefixed_and_filtered, hc_setup),
		cmocka_unit_test_setup(test_partition_cannot_forge_hypervisor_lines, hc_setup),
		cmocka_unit_test_setup(test_failsafe_hold_is_bounded_and_given_back, hc_setup),
		cmocka_unit_test_setup(test_failsafe_hold_taken_once_released, hc_setup),
		cmocka_unit_test_setup(test_panic_inside_a_line_still_powers_off, hc_setup),
	};
	return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}
