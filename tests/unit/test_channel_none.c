/* SPDX-License-Identifier: MIT */
/*
 * The fake system built without any channel (FAKE_NO_CHANNELS): it boots,
 * and a doorbell of any channel number is refused as one that does not
 * exist (INVALID_PARAM), not as another's (DENIED).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <bulkhead/hypercall.h>
#include "hc_helpers.h"

/* Verifies: REQ-CHN-009, REQ-HC-003 */
static void test_no_channel_has_a_doorbell(void **state)
{
	(void)state;
	assert_int_equal(hc(cpu_get(0), BH_HC_DOORBELL, 0, 0, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(hc(cpu_get(0), BH_HC_DOORBELL, 1, 0, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(hc(cpu_get(1), BH_HC_DOORBELL, 0, 0, 0).x0, BH_ERR_INVALID_PARAM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_channel_has_a_doorbell, hc_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
