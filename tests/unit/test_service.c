/* SPDX-License-Identifier: MIT */
/*
 * The service partition's calls (core/service.c) on the fake system with
 * alpha as the service partition and beta under its control: who may call,
 * what the status reports, and stop/restart carried out by the target's
 * own cpu.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <bulkhead/hypercall.h>
#include "hc_helpers.h"
#include "partition.h"

#define ALPHA cpu_get(0)
#define BETA0 cpu_get(1)
#define BETA1 cpu_get(2)

static void start_cpu(void *arg)
{
	core_cpu_started(arg);
}

static void handle(void *arg)
{
	core_handle_requests(arg);
}

static void start(struct cpu *cpu)
{
	fake.current = cpu;
	assert_int_equal(fake_run(start_cpu, cpu), FAKE_VCPU_ENTER);
	fake.power[cpu->index] = CPU_POWER_ON;
}

static enum fake_exit take_kick(struct cpu *cpu)
{
	fake.current = cpu;
	return fake_run(handle, cpu);
}

/* Verifies: REQ-HC-009 */
static void test_status_reports_state_cores_restarts_faults(void **state)
{
	(void)state;
	struct hc_result r = hc(ALPHA, BH_HC_PARTITION_STATUS, 1, 0, 0);

	/* Beta has not started yet: off, 2 vCPUs, under control, cores 1 and 2. */
	assert_int_equal(r.x0, BH_OK);
	assert_int_equal(r.x1 & 0xffu, BH_PARTITION_OFF);
	assert_int_equal((r.x1 >> 8) & 0xffu, 2);
	assert_int_equal((r.x1 >> 16) & 1u, 1);
	assert_int_equal(r.x1 >> 32, 0x6u);
	assert_int_equal(r.x2, 0);
	start(BETA0);
	incident_note(partition_get(1), BH_INCIDENT_FAULT);
	incident_note(partition_get(1), BH_INCIDENT_FAULT);
	r = hc(ALPHA, BH_HC_PARTITION_STATUS, 1, 0, 0);
	assert_int_equal(r.x1 & 0xffu, BH_PARTITION_RUNNING);
	assert_int_equal(r.x3, 2);
	/* Alpha itself: running, 1 vCPU, not under control, core 0. */
	r = hc(ALPHA, BH_HC_PARTITION_STATUS, 0, 0, 0);
	assert_int_equal(r.x0, BH_OK);
	assert_int_equal(r.x1, BH_PARTITION_RUNNING | (1u << 8) | (1ull << 32));
	/* An id beyond the system, including one that wraps in 32 bits. */
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_STATUS, 2, 0, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_STATUS, 0x100000000ull, 0, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(incident_count(partition_get(0), BH_INCIDENT_CALL), 2);
}

/* Verifies: REQ-HC-009, REQ-HC-010 */
static void test_only_the_service_partition_may_call(void **state)
{
	(void)state;
	start(BETA0);
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_STATUS, 0, 0, 0).x0, BH_ERR_DENIED);
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_CONTROL, 1, BH_CONTROL_RESTART, 0).x0, BH_ERR_DENIED);
	assert_int_equal(incident_count(partition_get(1), BH_INCIDENT_CALL), 2);
	assert_int_equal(BETA0->msgs.count, 0);
	assert_int_equal(partition_get(1)->restarts, 0);
}

/* Verifies: REQ-HC-010 */
static void test_control_checks_target_and_action(void **state)
{
	(void)state;
	start(BETA0);
	/* Not its own (alpha has no service-control anyway), no unknown id or action. */
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_CONTROL, 0, BH_CONTROL_STOP, 0).x0, BH_ERR_DENIED);
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_CONTROL, 5, BH_CONTROL_STOP, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_CONTROL, 1, 2, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_CONTROL, 1, 0x100000000ull, 0).x0, BH_ERR_INVALID_PARAM);
	/* Beta without `service-control` (the fake tables are writable; restored below). */
	struct cfg_partition *beta_cfg = (struct cfg_partition *)(uintptr_t)partition_get(1)->cfg;
	beta_cfg->service_control = 0;
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_CONTROL, 1, BH_CONTROL_STOP, 0).x0, BH_ERR_DENIED);
	beta_cfg->service_control = 1;
	assert_int_equal(incident_count(partition_get(0), BH_INCIDENT_CALL), 5);
	assert_int_equal(BETA0->msgs.count, 0);
	assert_int_equal(partition_get(0)->state, PARTITION_RUNNING);
	assert_int_equal(partition_get(1)->state, PARTITION_RUNNING);
}

/* Verifies: REQ-HC-010 */
static void test_stop_then_restart(void **state)
{
	(void)state;
	struct partition *beta = partition_get(1);

	start(BETA0);
	/* Asked of beta's running vCPU 0; alpha goes on at once. */
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_CONTROL, 1, BH_CONTROL_STOP, 0).x0, BH_OK);
	assert_int_equal(beta->state, PARTITION_RUNNING);
	assert_int_equal(BETA0->msgs.count, 1);
	assert_int_equal(take_kick(BETA0), FAKE_STOP);
	assert_int_equal(beta->state, PARTITION_STOPPED);
	assert_int_equal(fake.power[1], CPU_POWER_OFF);
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_STATUS, 1, 0, 0).x1 & 0xffu, BH_PARTITION_STOPPED);
	/* Stopping a stopped partition is done already. */
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_CONTROL, 1, BH_CONTROL_STOP, 0).x0, BH_OK);
	/* Restarted from alpha's cpu: a new life on beta's vCPU 0 core. */
	unsigned starts = fake.start_calls[1];
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_CONTROL, 1, BH_CONTROL_RESTART, 0).x0, BH_OK);
	assert_int_equal(fake.start_calls[1], starts + 1);
	assert_int_equal(beta->restarts, 1);
	assert_int_equal(beta->state, PARTITION_LOADING);
	/* Asked again while it loads: refused, nothing started twice. */
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_CONTROL, 1, BH_CONTROL_RESTART, 0).x0, BH_ERR_DENIED);
	assert_int_equal(fake.start_calls[1], starts + 1);
	start(BETA0);
	assert_int_equal(beta->state, PARTITION_RUNNING);
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_STATUS, 1, 0, 0).x2, 1);
}

/* Verifies: REQ-HC-010 */
static void test_restart_of_a_running_partition(void **state)
{
	(void)state;
	struct partition *beta = partition_get(1);

	start(BETA0);
	assert_int_equal(partition_vcpu_on(BETA0, 1, ipa_init(BETA_RAM_IPA), 0), CORE_OK);
	start(BETA1);
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_CONTROL, 1, BH_CONTROL_RESTART, 0).x0, BH_OK);
	/* Carried out on beta's own cpu: its other vCPU is stopped, then vCPU 0 reloads and re-enters. */
	assert_int_equal(take_kick(BETA0), FAKE_VCPU_ENTER);
	assert_int_equal(beta->restarts, 1);
	assert_int_equal(beta->state, PARTITION_RUNNING);
	assert_int_equal(fake.power[2], CPU_POWER_OFF);
	assert_int_equal(fake.enter_entry, BETA_RAM_IPA + 0x100u);
}

/* Verifies: REQ-HC-010 */
static void test_request_of_an_older_life_is_void(void **state)
{
	(void)state;
	struct partition *beta = partition_get(1);

	start(BETA0);
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_CONTROL, 1, BH_CONTROL_STOP, 0).x0, BH_OK);
	/* Beta restarts on its own before the request is taken: the stop was for the old life. */
	beta->restarts++;
	assert_int_equal(take_kick(BETA0), FAKE_RETURNED);
	assert_int_equal(beta->state, PARTITION_RUNNING);
}

/* Verifies: REQ-HC-010 */
static void test_restart_refused_while_a_core_is_on(void **state)
{
	(void)state;
	struct partition *beta = partition_get(1);

	start(BETA0);
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_CONTROL, 1, BH_CONTROL_STOP, 0).x0, BH_OK);
	assert_int_equal(take_kick(BETA0), FAKE_STOP);
	/* A core of it that did not power off (a stop that left it fenced). */
	fake.power[2] = CPU_POWER_ON;
	unsigned starts = fake.start_calls[1];
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_CONTROL, 1, BH_CONTROL_RESTART, 0).x0, BH_ERR_DENIED);
	assert_int_equal(fake.start_calls[1], starts);
	assert_int_equal(beta->state, PARTITION_STOPPED);
	assert_int_equal(beta->restarts, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_status_reports_state_cores_restarts_faults, hc_setup),
		cmocka_unit_test_setup(test_only_the_service_partition_may_call, hc_setup),
		cmocka_unit_test_setup(test_control_checks_target_and_action, hc_setup),
		cmocka_unit_test_setup(test_stop_then_restart, hc_setup),
		cmocka_unit_test_setup(test_restart_of_a_running_partition, hc_setup),
		cmocka_unit_test_setup(test_request_of_an_older_life_is_void, hc_setup),
		cmocka_unit_test_setup(test_restart_refused_while_a_core_is_on, hc_setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
