/* SPDX-License-Identifier: MIT */
/*
 * The counter's rate written into a partition's boot information
 * (core/counter_rate.c): over the room of spaces bhcc left after
 * " tsc_early_khz=" (tools/configc/x86/linux_boot.c), and nowhere else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "cfg.h"
#include "counter_rate.h"
#include "fake_arch.h"
#include "partition.h"

#define LINE "console=ttyS0 tsc_early_khz="
#define ROOM_AT ((uint32_t)sizeof(LINE) - 1u)
#define INFO 64u

static uint8_t info[INFO];
static struct cfg_partition cfg = { .name = "os" };
static struct partition part = { .cfg = &cfg };

static int setup(void **state)
{
	(void)state;
	memset(info, 0xee, sizeof(info));
	memcpy(info, LINE, ROOM_AT);
	memset(&info[ROOM_AT], ' ', CFG_COUNTER_KHZ_DIGITS);
	info[ROOM_AT + CFG_COUNTER_KHZ_DIGITS] = 0u;
	cfg.counter_khz = ROOM_AT;
	fake.counter_hz = 0u;
	return 0;
}

/* The rate in kHz, decimal, left-aligned, the rest of the room spaces; the bytes around untouched. */
/* Verifies: REQ-LNX-017 */
static void test_rate_written_over_the_room(void **state)
{
	char want[INFO];

	(void)state;
	(void)snprintf(want, sizeof(want), "%s%-10llu", LINE, (unsigned long long)(FAKE_COUNTER_HZ / 1000u));
	assert_true(counter_rate_fill(&part, info, INFO));
	assert_string_equal((const char *)info, want);
	assert_int_equal(info[ROOM_AT + CFG_COUNTER_KHZ_DIGITS + 1u], 0xee);
}

/* No room asked for: nothing written. */
/* Verifies: REQ-LNX-017 */
static void test_none_asked_for(void **state)
{
	uint8_t before[INFO];

	(void)state;
	cfg.counter_khz = 0u;
	memcpy(before, info, INFO);
	assert_true(counter_rate_fill(&part, info, INFO));
	assert_memory_equal(before, info, INFO);
}

/* A room that is not all spaces, or that runs past the end, is left alone. */
/* Verifies: REQ-LNX-017 */
static void test_room_not_there_is_left_alone(void **state)
{
	uint8_t before[INFO];

	(void)state;
	info[ROOM_AT + 3u] = (uint8_t)'x';
	memcpy(before, info, INFO);
	assert_false(counter_rate_fill(&part, info, INFO));
	assert_memory_equal(before, info, INFO);
	cfg.counter_khz = INFO - CFG_COUNTER_KHZ_DIGITS + 1u;
	assert_false(counter_rate_fill(&part, info, INFO));
	cfg.counter_khz = ROOM_AT;
	assert_false(counter_rate_fill(&part, info, CFG_COUNTER_KHZ_DIGITS - 1u));
	assert_memory_equal(before, info, INFO);
}

/* The room's edges: its first byte must be a space too, and all of it must lie inside the
 * boot information's size, however the bytes past that size read. */
/* Verifies: REQ-LNX-017 */
static void test_room_must_be_whole_and_inside(void **state)
{
	uint8_t before[INFO];

	(void)state;
	memcpy(before, info, INFO);
	assert_false(counter_rate_fill(&part, info, ROOM_AT + CFG_COUNTER_KHZ_DIGITS - 1u));
	assert_false(counter_rate_fill(&part, info, CFG_COUNTER_KHZ_DIGITS - 1u));
	info[ROOM_AT] = (uint8_t)'x';
	before[ROOM_AT] = (uint8_t)'x';
	assert_false(counter_rate_fill(&part, info, INFO));
	assert_memory_equal(before, info, INFO);
	/* Exactly inside: written. */
	info[ROOM_AT] = (uint8_t)' ';
	assert_true(counter_rate_fill(&part, info, ROOM_AT + CFG_COUNTER_KHZ_DIGITS));
}

/* The widest rate the room holds is written whole; one with more digits than the room would be
 * written as its low digits, a wrong rate: refused, the room left alone. */
/* Verifies: REQ-LNX-017 */
static void test_rate_wider_than_the_room_is_refused(void **state)
{
	uint8_t before[INFO];
	char want[INFO];

	(void)state;
	memcpy(before, info, INFO);
	fake.counter_hz = UINT64_C(10000000000) * 1000u;   /* 10,000,000,000 kHz: eleven digits */
	assert_false(counter_rate_fill(&part, info, INFO));
	assert_memory_equal(before, info, INFO);
	fake.counter_hz = UINT64_C(9999999999) * 1000u + 999u;   /* ten digits of kHz fill the room */
	(void)snprintf(want, sizeof(want), "%s9999999999", LINE);
	assert_true(counter_rate_fill(&part, info, INFO));
	assert_string_equal((const char *)info, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_rate_written_over_the_room, setup),
		cmocka_unit_test_setup(test_none_asked_for, setup),
		cmocka_unit_test_setup(test_room_not_there_is_left_alone, setup),
		cmocka_unit_test_setup(test_rate_wider_than_the_room_is_refused, setup),
		cmocka_unit_test_setup(test_room_must_be_whole_and_inside, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
