/* SPDX-License-Identifier: MIT */
/*
 * Incident counters and their rate-limited log (core/incident.c), through
 * the refusals that produce them and the hypercall that reads them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <bulkhead/channel.h>
#include <bulkhead/hypercall.h>
#include "hc_helpers.h"
#include "incident.h"
#include "partition.h"

#define ALPHA cpu_get(0)
#define SECOND FAKE_COUNTER_HZ

static unsigned lines_containing(const char *what)
{
	unsigned n = 0;

	for (const char *p = strstr(fake.console, what); p != NULL; p = strstr(p + 1, what)) {
		n++;
	}
	return n;
}

static int64_t unknown_call(struct cpu *cpu)
{
	return hc(cpu, BH_HC_ID(0x7777u), 0, 0, 0).x0;
}

/* Verifies: REQ-TRP-009, REQ-HC-007 */
static void test_every_incident_counted_first_logged(void **state)
{
	(void)state;
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(unknown_call(ALPHA), BH_ERR_NOT_SUPPORTED);
	}
	/* Counted a thousand times, logged once: the first, within the same interval. */
	assert_int_equal(incident_count(partition_get(0), BH_INCIDENT_CALL), 1000);
	assert_int_equal(lines_containing("call incident"), 1);
	assert_non_null(strstr(fake.console, "[bulkhead] partition 'alpha' vCPU 0, call incident 1 "
				"(0 not logged since the last): hypercall 0xc6007777 refused\r\n"));
	struct hc_result r = hc(ALPHA, BH_HC_INCIDENTS, BH_INCIDENT_CALL, 0, 0);
	assert_int_equal(r.x0, BH_OK);
	assert_int_equal(r.x1, 1000);
}

/* Verifies: REQ-TRP-009 */
static void test_next_line_after_the_interval_says_what_was_not_logged(void **state)
{
	(void)state;
	fake.counter = 5 * SECOND;
	(void)unknown_call(ALPHA);
	fake.counter += SECOND - 1u;
	for (int i = 0; i < 41; i++) {
		(void)unknown_call(ALPHA);
	}
	assert_int_equal(lines_containing("call incident"), 1);
	fake.counter += 1u;
	(void)unknown_call(ALPHA);
	assert_int_equal(lines_containing("call incident"), 2);
	assert_non_null(strstr(fake.console, "call incident 43 (41 not logged since the last): hypercall"));
}

/* Verifies: REQ-TRP-009 */
static void test_kinds_and_partitions_are_limited_apart(void **state)
{
	(void)state;
	struct cpu *beta = cpu_get(1);

	for (int i = 0; i < 100; i++) {
		(void)unknown_call(ALPHA);
	}
	/* A flood of one kind hides neither another kind nor another partition. */
	assert_int_equal(hc(ALPHA, BH_HC_CONSOLE_PUTC, 0x1234, 0, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(unknown_call(beta), BH_ERR_NOT_SUPPORTED);
	assert_int_equal(lines_containing("'alpha' vCPU 0, call incident"), 1);
	assert_non_null(strstr(fake.console, "'alpha' vCPU 0, console incident 1 (0 not logged since the last): "
				"character 0x1234 refused"));
	assert_non_null(strstr(fake.console, "'beta' vCPU 0, call incident 1 "));
	assert_int_equal(hc(ALPHA, BH_HC_INCIDENTS, BH_INCIDENT_CONSOLE, 0, 0).x1, 1);
	assert_int_equal(hc(beta, BH_HC_INCIDENTS, BH_INCIDENT_CALL, 0, 0).x1, 1);
	assert_int_equal(hc(beta, BH_HC_INCIDENTS, BH_INCIDENT_CONSOLE, 0, 0).x1, 0);
}

/* Verifies: REQ-HC-007 */
static void test_unknown_kind_refused(void **state)
{
	(void)state;
	assert_int_equal(hc(ALPHA, BH_HC_INCIDENTS, BH_INCIDENT_KINDS, 0, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(hc(ALPHA, BH_HC_INCIDENTS, ~0ull, 0, 0).x0, BH_ERR_INVALID_PARAM);
	/* ...and those two refusals are themselves counted. */
	assert_int_equal(hc(ALPHA, BH_HC_INCIDENTS, BH_INCIDENT_CALL, 0, 0).x1, 2);
	assert_int_equal(incident_count(partition_get(0), BH_INCIDENT_KINDS), 0);
}

static void fault_alpha(void *arg)
{
	static const struct fault f = { BH_FAULT_UNHANDLED_TRAP, 0x40000000u, 0x92000000u, 0, false };

	(void)arg;
	health_fault(ALPHA, &f);
}

static void stop_beta(void *arg)
{
	(void)arg;
	partition_shutdown(cpu_get(1), false);
}

/* Verifies: REQ-TRP-009, REQ-TRP-001 */
static void test_stop_reports_counters_kept_across_restarts(void **state)
{
	(void)state;
	(void)unknown_call(ALPHA);
	(void)unknown_call(ALPHA);
	assert_int_equal(fake_run(fault_alpha, NULL), FAKE_STOP);
	/* Faults are counted too, and logged every time by the health monitor. */
	assert_int_equal(incident_count(partition_get(0), BH_INCIDENT_FAULT), 1);
	assert_non_null(strstr(fake.console, "[bulkhead] partition 'alpha' stopped\r\n"
				"[bulkhead] partition 'alpha' incidents since boot: call 2, register 0, "
				"interrupt 0, console 0, fault 1, interference 0\r\n"));
	/* A partition without incidents stops without the line. */
	fake.current = cpu_get(1);
	partition_get(1)->state = PARTITION_RUNNING;
	assert_int_equal(fake_run(stop_beta, NULL), FAKE_SYSTEM_OFF);
	assert_non_null(strstr(fake.console, "[bulkhead] partition 'beta' stopped\r\n"));
	assert_null(strstr(fake.console, "'beta' incidents"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_every_incident_counted_first_logged, hc_setup),
		cmocka_unit_test_setup(test_next_line_after_the_interval_says_what_was_not_logged, hc_setup),
		cmocka_unit_test_setup(test_kinds_and_partitions_are_limited_apart, hc_setup),
		cmocka_unit_test_setup(test_unknown_kind_refused, hc_setup),
		cmocka_unit_test_setup(test_stop_reports_counters_kept_across_restarts, hc_setup),
	};
	return cmocka_run_group_tests_name("incident", tests, NULL, NULL);
}
