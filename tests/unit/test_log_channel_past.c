/* SPDX-License-Identifier: MIT */
/*
 * The fake system with a service partition (beta) whose log channel number
 * is one past the channel table (FAKE_LOG_CHANNEL_PAST_TABLE), where a
 * valid-looking log channel lies: the hypervisor takes no log channel, its
 * memory is never touched, and every line goes to the UART, the service
 * partition running or not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "core.h"
#include "cpu.h"
#include "fake_arch.h"
#include "fake_system.h"
#include "log.h"

static void start_cpu(void *arg)
{
	core_cpu_started(arg);
}

/* Verifies: REQ-LOG-001~2 */
static void test_a_log_channel_past_the_table_is_not_taken(void **state)
{
	(void)state;
	uint8_t before[64];

	fake_system_boot();
	memset(before, 0xa5, sizeof(before));
	fake.current = cpu_get(1);
	assert_int_equal(fake_run(start_cpu, cpu_get(1)), FAKE_VCPU_ENTER);   /* the service partition runs */
	fake.console_len = 0;
	fake.console[0] = '\0';
	log_info("still on the UART %u", 7u);
	assert_string_equal(fake.console, "[bulkhead] still on the UART 7\r\n");
	assert_memory_equal(fake_log_channel, before, sizeof(before));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_log_channel_past_the_table_is_not_taken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
