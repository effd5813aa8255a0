/* SPDX-License-Identifier: MIT */
/*
 * The log formatter (core/fmt.c): every conversion, and never past the buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "log.h"

static size_t fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	size_t n = fmt_vformat(buf, size, f, ap);
	va_end(ap);
	return n;
}

/* Verifies: REQ-CON-005 */
static void test_conversions(void **state)
{
	(void)state;
	char b[128];
	fmt(b, sizeof(b), "%s|%c|%d|%d|%u|%x|%lx|%lu|%ld|%%|%p", "str", 'c', -42, 0, 4000000000u, 0xbeefu,
	    0x123456789abcdefull, 18446744073709551615ull, (int64_t)-9223372036854775807ll - 1, (void *)0x1000);
	assert_string_equal(b, "str|c|-42|0|4000000000|beef|123456789abcdef|18446744073709551615|"
			       "-9223372036854775808|%|0x1000");
	fmt(b, sizeof(b), "%8x|%2u|%s", 0xabu, 12345u, (const char *)NULL);
	assert_string_equal(b, "000000ab|12345|(null)");
	fmt(b, sizeof(b), "%q");
	assert_string_equal(b, "%?");
	fmt(b, sizeof(b), "end%");
	assert_string_equal(b, "end%?");
}

/* Verifies: REQ-CON-005 */
static void test_truncation(void **state)
{
	(void)state;
	char b[8];
	memset(b, '#', sizeof(b));
	size_t n = fmt(b, 6, "%s", "abcdefghij");
	assert_int_equal(n, 5);
	assert_string_equal(b, "abcde");
	assert_int_equal(b[6], '#');
	n = fmt(b, 1, "%u", 123u);
	assert_int_equal(n, 0);
	assert_string_equal(b, "");
	n = fmt(b, 0, "%u", 123u);
	assert_int_equal(n, 0);
	/* Exactly one character too long: the last one gives way to the terminator, no more. */
	n = fmt(b, 4, "%u", 1234u);
	assert_int_equal(n, 3);
	assert_string_equal(b, "123");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conversions),
		cmocka_unit_test(test_truncation),
	};
	return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}
