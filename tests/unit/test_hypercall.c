/* SPDX-License-Identifier: MIT */
/*
 * Bulkhead hypercalls (core/hypercall.c) with hostile arguments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <bulkhead/hypercall.h>
#include "hc_helpers.h"
#include "incident.h"
#include "partition.h"

#define ALPHA cpu_get(0)

/* Verifies: REQ-HC-001, REQ-HC-005 */
static void test_version_and_discovery(void **state)
{
	(void)state;
	struct hc_result r = hc(ALPHA, BH_HC_VERSION, 0, 0, 0);
	assert_int_equal(r.x0, BH_OK);
	assert_int_equal(r.x1, (BH_ABI_MAJOR << 16) | BH_ABI_MINOR);
	r = hc(ALPHA, BH_HC_CALL_UID, 0, 0, 0);
	assert_int_equal(r.x0, BH_UID_0);
	assert_int_equal(r.x1, BH_UID_1);
	assert_int_equal(r.x2, BH_UID_2);
	assert_int_equal(r.x3, BH_UID_3);
	assert_int_equal(hc(ALPHA, BH_HC_CALL_COUNT, 0, 0, 0).x0, 8);
	r = hc(ALPHA, BH_HC_REVISION, 0, 0, 0);
	assert_int_equal(r.x0, BH_ABI_MAJOR);
	assert_int_equal(r.x1, BH_ABI_MINOR);
}

/* Verifies: REQ-HC-002 */
static void test_unknown_function_ids(void **state)
{
	(void)state;
	assert_int_equal(hc(ALPHA, BH_HC_ID(0x00efu), 0, 0, 0).x0, BH_ERR_NOT_SUPPORTED);
	assert_int_equal(hc(ALPHA, BH_HC_ID(0xffffu), 0, 0, 0).x0, BH_ERR_NOT_SUPPORTED);
	assert_int_equal(hc(ALPHA, 0x86000000u, 0, 0, 0).x0, BH_ERR_NOT_SUPPORTED);  /* 32-bit convention */
	assert_int_equal(hc(ALPHA, 0, 0, 0, 0).x0, BH_ERR_NOT_SUPPORTED);
	/* The function id is W0: bits 63:32 of X0 do not turn a call into another. */
	assert_int_equal(hc(ALPHA, 0xdead00000000ull | BH_HC_VERSION, 0, 0, 0).x0, BH_OK);
}

/* Verifies: REQ-HC-006 */
static void test_partition_info(void **state)
{
	(void)state;
	struct hc_result r = hc(ALPHA, BH_HC_PARTITION_INFO, 0, 0, 0);
	assert_int_equal(r.x0, BH_OK);
	assert_int_equal(r.x1, 0);
	assert_int_equal(r.x2, (1ull << 32) | 0);
	assert_int_equal(r.x3, 0);
	partition_get(1)->restarts = 3;
	cpu_get(2)->partition = partition_get(1);
	r = hc(cpu_get(2), BH_HC_PARTITION_INFO, 0, 0, 0);
	assert_int_equal(r.x1, 1);
	assert_int_equal(r.x2, (2ull << 32) | 1);
	assert_int_equal(r.x3, 3);
}

/* Verifies: REQ-HC-004, REQ-CON-001 */
static void test_putc(void **state)
{
	(void)state;
	assert_int_equal(hc(ALPHA, BH_HC_CONSOLE_PUTC, 0x100, 0, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(hc(ALPHA, BH_HC_CONSOLE_PUTC, ~0ull, 0, 0).x0, BH_ERR_INVALID_PARAM);
	/* Refused, counted, and only the hypervisor's line about it printed: nothing of the partition's. */
	assert_int_equal(incident_count(partition_get(0), BH_INCIDENT_CONSOLE), 2);
	assert_null(strstr(fake.console, "[alpha]"));
	fake.console_len = 0;
	for (const char *s = "hi\n"; *s != '\0'; s++) {
		assert_int_equal(hc(ALPHA, BH_HC_CONSOLE_PUTC, (uint8_t)*s, 0, 0).x0, BH_OK);
	}
	assert_string_equal(fake.console, "[alpha] hi\r\n");
}

/* Verifies: REQ-HC-003 */
static void test_write_checks_the_buffer(void **state)
{
	(void)state;
	uint64_t end = ALPHA_RAM_IPA + RAM_SIZE;

	assert_int_equal(hc(ALPHA, BH_HC_CONSOLE_WRITE, 0, 4, 0).x0, BH_ERR_INVALID_ADDRESS);
	assert_int_equal(hc(ALPHA, BH_HC_CONSOLE_WRITE, end - 2u, 4, 0).x0, BH_ERR_INVALID_ADDRESS);
	assert_int_equal(hc(ALPHA, BH_HC_CONSOLE_WRITE, end, 1, 0).x0, BH_ERR_INVALID_ADDRESS);
	assert_int_equal(hc(ALPHA, BH_HC_CONSOLE_WRITE, ALPHA_RAM_IPA - 1u, 2, 0).x0, BH_ERR_INVALID_ADDRESS);
	assert_int_equal(hc(ALPHA, BH_HC_CONSOLE_WRITE, ~0ull - 1u, 4, 0).x0, BH_ERR_INVALID_ADDRESS);
	/* Another partition's RAM and a device region are not the caller's memory. */
	assert_int_equal(hc(ALPHA, BH_HC_CONSOLE_WRITE, BETA_RAM_IPA, 4, 0).x0, BH_ERR_INVALID_ADDRESS);
	assert_int_equal(hc(ALPHA, BH_HC_CONSOLE_WRITE, ALPHA_DEV_IPA, 4, 0).x0, BH_ERR_INVALID_ADDRESS);
	assert_int_equal(incident_count(partition_get(0), BH_INCIDENT_CONSOLE), 7);
	assert_null(strstr(fake.console, "[alpha]"));
	fake.console_len = 0;
	/* Read-only memory is fine to print from. */
	memcpy(alpha_ro, "ro\n", 3);
	struct hc_result r = hc(ALPHA, BH_HC_CONSOLE_WRITE, ALPHA_RO_IPA, 3, 0);
	assert_int_equal(r.x0, BH_OK);
	assert_int_equal(r.x1, 3);
	assert_string_equal(fake.console, "[alpha] ro\r\n");
}

/* Verifies: REQ-HC-003 */
static void test_write_length(void **state)
{
	(void)state;
	struct hc_result r = hc(ALPHA, BH_HC_CONSOLE_WRITE, 0, 0, 0);
	assert_int_equal(r.x0, BH_OK);
	assert_int_equal(r.x1, 0);
	/* An enormous length is clamped; only the clamped range must lie in the caller's memory. */
	memset(alpha_ram, 'x', RAM_SIZE);
	r = hc(ALPHA, BH_HC_CONSOLE_WRITE, ALPHA_RAM_IPA, ~0ull, 0);
	assert_int_equal(r.x0, BH_OK);
	assert_int_equal(r.x1, BH_CONSOLE_WRITE_MAX);
	r = hc(ALPHA, BH_HC_CONSOLE_WRITE, ALPHA_RAM_IPA + RAM_SIZE - 8u, 1ull << 40, 0);
	assert_int_equal(r.x0, BH_ERR_INVALID_ADDRESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_version_and_discovery, hc_setup),
		cmocka_unit_test_setup(test_unknown_function_ids, hc_setup),
		cmocka_unit_test_setup(test_partition_info, hc_setup),
		cmocka_unit_test_setup(test_putc, hc_setup),
		cmocka_unit_test_setup(test_write_checks_the_buffer, hc_setup),
		cmocka_unit_test_setup(test_write_length, hc_setup),
	};
	return cmocka_run_group_tests_name("hypercall", tests, NULL, NULL);
}
