/* SPDX-License-Identifier: MIT */
/*
 * With CONFIG_DEBUG_CONSOLE off, the console hypercalls do not exist.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <bulkhead/hypercall.h>
#include "hc_helpers.h"

/* Verifies: REQ-CON-003 */
static void test_console_calls_not_supported(void **state)
{
	(void)state;
	assert_int_equal(hc(cpu_get(0), BH_HC_CONSOLE_PUTC, 'a', 0, 0).x0, BH_ERR_NOT_SUPPORTED);
	assert_int_equal(hc(cpu_get(0), BH_HC_CONSOLE_WRITE, ALPHA_RAM_IPA, 4, 0).x0, BH_ERR_NOT_SUPPORTED);
	assert_int_equal(hc(cpu_get(0), BH_HC_CALL_COUNT, 0, 0, 0).x0, 6);
	assert_int_equal(hc(cpu_get(0), BH_HC_VERSION, 0, 0, 0).x0, BH_OK);
	/* Unknown calls to this build: counted as refused calls, and nothing of the partition's printed. */
	assert_int_equal(hc(cpu_get(0), BH_HC_INCIDENTS, BH_INCIDENT_CALL, 0, 0).x1, 2);
	assert_null(strstr(fake.console, "[alpha]"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_console_calls_not_supported, hc_setup),
	};
	return cmocka_run_group_tests_name("hypercall_noconsole", tests, NULL, NULL);
}
