/* SPDX-License-Identifier: MIT */
/*
 * The arithmetic of the guests' local APIC timer (arch/x86/include/vtimer_calc.h):
 * the divide configuration, the current count in one-shot and periodic
 * mode, the next periodic expiry, and the physical timer's count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "vtimer_calc.h"

/* Verifies: REQ-XARCH-040 */
static void test_divide_configuration(void **state)
{
	/* The SDM's table: 0000 /2, 0001 /4, 0010 /8, 0011 /16, 1000 /32, 1001 /64, 1010 /128, 1011 /1. */
	static const uint32_t dcr[8] = { 0x0u, 0x1u, 0x2u, 0x3u, 0x8u, 0x9u, 0xau, 0xbu };
	static const uint32_t shift[8] = { 1u, 2u, 3u, 4u, 5u, 6u, 7u, 0u };

	(void)state;
	for (size_t i = 0; i < 8u; i++) {
		assert_int_equal(vtimer_divide_shift(dcr[i]), shift[i]);
	}
	assert_int_equal(vtimer_period(0xffffffffu, 7u), 0xffffffffULL << 7);   /* the largest: no overflow */
}

/* Verifies: REQ-XARCH-040 */
static void test_current_count(void **state)
{
	(void)state;
	/* 1000 counts divided by 4 from TSC 5000: 4000 TSC ticks a period. */
	assert_int_equal(vtimer_current(1000u, 2u, 5000u, 5000u, false), 1000u);
	assert_int_equal(vtimer_current(1000u, 2u, 5000u, 5003u, false), 1000u);
	assert_int_equal(vtimer_current(1000u, 2u, 5000u, 5004u, false), 999u);
	assert_int_equal(vtimer_current(1000u, 2u, 5000u, 8999u, false), 1u);
	assert_int_equal(vtimer_current(1000u, 2u, 5000u, 9000u, false), 0u);    /* ran out: stays 0 */
	assert_int_equal(vtimer_current(1000u, 2u, 5000u, 99999u, false), 0u);
	assert_int_equal(vtimer_current(1000u, 2u, 5000u, 9000u, true), 1000u);  /* reloaded */
	assert_int_equal(vtimer_current(1000u, 2u, 5000u, 9004u, true), 999u);
	assert_int_equal(vtimer_current(1000u, 2u, 5000u, 4000u, false), 1000u); /* a TSC before the start */
	assert_int_equal(vtimer_current(0u, 2u, 5000u, 6000u, true), 0u);        /* stopped */
}

/* Verifies: REQ-XARCH-040 */
static void test_next_periodic_skips_missed_periods(void **state)
{
	(void)state;
	assert_int_equal(vtimer_next_periodic(1000u, 100u, 1000u), 1100u);
	assert_int_equal(vtimer_next_periodic(1000u, 100u, 1099u), 1100u);
	assert_int_equal(vtimer_next_periodic(1000u, 100u, 1100u), 1200u);
	assert_int_equal(vtimer_next_periodic(1000u, 100u, 1550u), 1600u);
}

/* Verifies: REQ-XARCH-042 */
static void test_bus_ticks_never_early(void **state)
{
	(void)state;
	/* A bus clock at the TSC's rate, half of it, twice it (the limit). */
	assert_int_equal(vtimer_bus_ticks(1000u, 1ULL << 32), 1000u);
	assert_int_equal(vtimer_bus_ticks(1001u, 1ULL << 31), 501u);          /* rounded up */
	assert_int_equal(vtimer_bus_ticks(1000u, 1ULL << 33), 2000u);
	assert_int_equal(vtimer_bus_ticks(1000u, 1ULL << 40), 2000u);          /* a ratio beyond the limit: clamped */
	assert_int_equal(vtimer_bus_ticks(0u, 1ULL << 32), 1u);                /* due now: 0 would stop the timer */
	/* A deadline years ahead: armed for VTIMER_DELTA_MAX, no overflow, within 32 bits. */
	assert_int_equal(vtimer_bus_ticks(~0ULL, 1ULL << 32), (uint32_t)VTIMER_DELTA_MAX);
	assert_int_equal(vtimer_bus_ticks(~0ULL, 1ULL << 33), 2u * (uint32_t)VTIMER_DELTA_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_divide_configuration),
		cmocka_unit_test(test_current_count),
		cmocka_unit_test(test_next_periodic_skips_missed_periods),
		cmocka_unit_test(test_bus_ticks_never_early),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
