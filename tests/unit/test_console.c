/*
 * The console (core/console.c): whole lines, prefixes, hostile characters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lines_never_interleave, hc_setup),
		cmocka_unit_test_setup(test_control_characters_replaced, hc_setup),
		cmocka_unit_test_setup(test_long_lines_split, hc_setup),
		cmocka_unit_test_setup(test_log_lines_prefixed_and_filtered, hc_setup),
	};
	return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}
