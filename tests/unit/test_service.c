/* SPDX-License-Identifier: MIT */
/*
 * The service partition's calls (core/service.c) on the fake system with
 * beta as the service partition and alpha under its control: who may call,
 * what the status reports, and stop/restart carried out by the target's
 * own cpu.
 */
#define _GNU_SOURCE   /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <bulkhead/hypercall.h>
#include "hc_helpers.h"
#include "log_ring.h"
#include "partition.h"

#define ALPHA cpu_get(0)
#define BETA0 cpu_get(1)
#define BETA1 cpu_get(2)

static void start(struct cpu *cpu)
{
	assert_int_equal(fake_start(cpu), FAKE_VCPU_ENTER);
	fake.power[cpu->index] = CPU_POWER_ON;
}

/* The fake system booted: alpha runs on core 0; beta, the service partition, is started. */
static int setup(void **state)
{
	hc_setup(state);
	fake.power[0] = CPU_POWER_ON;
	start(BETA0);
	return 0;
}

/* Verifies: REQ-HC-009 */
static void test_status_reports_state_cores_restarts_faults(void **state)
{
	(void)state;
	struct hc_result r = hc(BETA0, BH_HC_PARTITION_STATUS, 0, 0, 0);

	/* Alpha: running, 1 vCPU, under control, core 0, no restart, no fault. */
	assert_int_equal(r.x0, BH_OK);
	assert_int_equal(r.x1, BH_PARTITION_RUNNING | (1u << 8) | (1u << 16) | (1ull << 32));
	assert_int_equal(r.x2, 0);
	assert_int_equal(r.x3, 0);
	incident_note(partition_get(0), BH_INCIDENT_FAULT);
	incident_note(partition_get(0), BH_INCIDENT_FAULT);
	partition_get(0)->restarts = 3;
	r = hc(BETA0, BH_HC_PARTITION_STATUS, 0, 0, 0);
	assert_int_equal(r.x2, 3);
	assert_int_equal(r.x3, 2);
	/* Beta itself: running, 2 vCPUs, not under control, cores 1 and 2. */
	r = hc(BETA0, BH_HC_PARTITION_STATUS, 1, 0, 0);
	assert_int_equal(r.x0, BH_OK);
	assert_int_equal(r.x1, BH_PARTITION_RUNNING | (2u << 8) | (0x6ull << 32));
	/* One being stopped still runs (it may restart); one not started yet, or reloading, reads off. */
	partition_get(0)->state = PARTITION_STOPPING;
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_STATUS, 0, 0, 0).x1 & 0xffu, BH_PARTITION_RUNNING);
	partition_get(0)->state = PARTITION_LOADING;
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_STATUS, 0, 0, 0).x1 & 0xffu, BH_PARTITION_OFF);
	/* An id beyond the system, including one that wraps in 32 bits. */
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_STATUS, 2, 0, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_STATUS, 0x100000000ull, 0, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(incident_count(partition_get(1), BH_INCIDENT_CALL), 2);
}

/* Verifies: REQ-HC-009, REQ-HC-010 */
static void test_only_the_service_partition_may_call(void **state)
{
	(void)state;
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_STATUS, 1, 0, 0).x0, BH_ERR_DENIED);
	assert_int_equal(hc(ALPHA, BH_HC_PARTITION_CONTROL, 0, BH_CONTROL_RESTART, 0).x0, BH_ERR_DENIED);
	assert_int_equal(incident_count(partition_get(0), BH_INCIDENT_CALL), 2);
	assert_int_equal(ALPHA->msgs.count, 0);
	assert_int_equal(partition_get(0)->restarts, 0);
}

/* Verifies: REQ-HC-010 */
static void test_control_checks_target_and_action(void **state)
{
	(void)state;
	/* Not itself, no unknown id or action. */
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_CONTROL, 1, BH_CONTROL_STOP, 0).x0, BH_ERR_DENIED);
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_CONTROL, 5, BH_CONTROL_STOP, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_CONTROL, 0, 2, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_CONTROL, 0, 0x100000000ull, 0).x0, BH_ERR_INVALID_PARAM);
	/* Alpha without `service-control` (the fake tables are writable; restored below). */
	struct cfg_partition *alpha_cfg = (struct cfg_partition *)(uintptr_t)partition_get(0)->cfg;
	alpha_cfg->service_control = 0;
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_CONTROL, 0, BH_CONTROL_STOP, 0).x0, BH_ERR_DENIED);
	alpha_cfg->service_control = 1;
	assert_int_equal(incident_count(partition_get(1), BH_INCIDENT_CALL), 5);
	assert_int_equal(ALPHA->msgs.count, 0);
	assert_int_equal(BETA1->msgs.count, 0);
	assert_int_equal(partition_get(0)->state, PARTITION_RUNNING);
	assert_int_equal(partition_get(1)->state, PARTITION_RUNNING);
}

/* Whether a line the hypervisor logged (into the service partition's log ring,
 * not yet consumed) holds `text`. */
static bool logged(const char *text)
{
	uint32_t dropped;
	uint32_t n = log_ring_leftovers(&dropped);
	uint64_t rec[BH_CONSOLE_SLOT / 8u];
	size_t len;

	for (uint32_t i = 0u; (i < n) && log_ring_leftover(rec, &len); i++) {
		if ((len > 2u) && (memmem((const char *)rec + 2, len - 2u, text, strlen(text)) != NULL)) {
			return true;
		}
	}
	return false;
}

/* Verifies: REQ-HC-010, REQ-CPU-012 */
static void test_stop_then_restart(void **state)
{
	(void)state;
	struct partition *alpha = partition_get(0);

	/* Asked of alpha's running vCPU; the service partition goes on at once. */
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_CONTROL, 0, BH_CONTROL_STOP, 0).x0, BH_OK);
	/* Logged with what was asked (the action is x2, whatever x3 holds). */
	assert_true(logged("partition 'alpha': stop requested by the service partition"));
	assert_false(logged("partition 'alpha': restart requested"));
	assert_int_equal(alpha->state, PARTITION_RUNNING);
	assert_int_equal(ALPHA->msgs.count, 1);
	assert_int_equal(fake_take_kick(ALPHA), FAKE_STOP);
	assert_int_equal(alpha->state, PARTITION_STOPPED);
	assert_int_equal(fake.power[0], CPU_POWER_OFF);
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_STATUS, 0, 0, 0).x1 & 0xffu, BH_PARTITION_STOPPED);
	/* Stopping a stopped partition is done already. */
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_CONTROL, 0, BH_CONTROL_STOP, 0).x0, BH_OK);
	/* Restarted from the service partition's cpu: a new life on alpha's core. */
	unsigned starts = fake.start_calls[0];
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_CONTROL, 0, BH_CONTROL_RESTART, 0).x0, BH_OK);
	assert_true(logged("partition 'alpha': restart requested by the service partition"));
	assert_int_equal(fake.start_calls[0], starts + 1);
	assert_int_equal(alpha->restarts, 1);
	assert_int_equal(alpha->state, PARTITION_LOADING);
	/* No vCPU of the new life is online until it enters its guest: a request meanwhile finds none. */
	assert_int_equal(alpha->online, 0u);
	/* Asked again while it loads: refused, nothing started twice. */
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_CONTROL, 0, BH_CONTROL_RESTART, 0).x0, BH_ERR_DENIED);
	assert_int_equal(fake.start_calls[0], starts + 1);
	memset(alpha_ram, 0, sizeof(alpha_image));
	start(ALPHA);
	assert_int_equal(alpha->state, PARTITION_RUNNING);
	assert_int_equal(alpha->online, 1u);
	assert_memory_equal(alpha_ram, alpha_image, sizeof(alpha_image));   /* reloaded */
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_STATUS, 0, 0, 0).x2, 1);
}

/* Verifies: REQ-HC-010 */
static void test_restart_of_a_running_partition(void **state)
{
	(void)state;
	struct partition *alpha = partition_get(0);

	memset(alpha_ram, 0, sizeof(alpha_image));
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_CONTROL, 0, BH_CONTROL_RESTART, 0).x0, BH_OK);
	/* Carried out on alpha's own cpu: it reloads and re-enters at its entry. */
	fake.enter_entry = 0;
	assert_int_equal(fake_take_kick(ALPHA), FAKE_VCPU_ENTER);
	assert_int_equal(alpha->restarts, 1);
	assert_int_equal(alpha->state, PARTITION_RUNNING);
	assert_int_equal(fake.enter_entry, ALPHA_RAM_IPA);
	assert_memory_equal(alpha_ram, alpha_image, sizeof(alpha_image));
}

/* Verifies: REQ-HC-010 */
static void test_request_of_an_older_life_is_void(void **state)
{
	(void)state;
	struct partition *alpha = partition_get(0);

	assert_int_equal(hc(BETA0, BH_HC_PARTITION_CONTROL, 0, BH_CONTROL_STOP, 0).x0, BH_OK);
	/* Alpha restarts on its own before the request is taken: the stop was for the old life. */
	alpha->restarts++;
	assert_int_equal(fake_take_kick(ALPHA), FAKE_RETURNED);
	assert_int_equal(alpha->state, PARTITION_RUNNING);
}

/* Verifies: REQ-HC-010 */
static void test_restart_refused_while_a_core_is_on(void **state)
{
	(void)state;
	struct partition *alpha = partition_get(0);

	assert_int_equal(hc(BETA0, BH_HC_PARTITION_CONTROL, 0, BH_CONTROL_STOP, 0).x0, BH_OK);
	assert_int_equal(fake_take_kick(ALPHA), FAKE_STOP);
	/* Its core still on (a stop that could not see it off left it fenced). */
	fake.power[0] = CPU_POWER_ON;
	unsigned starts = fake.start_calls[0];
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_CONTROL, 0, BH_CONTROL_RESTART, 0).x0, BH_ERR_DENIED);
	assert_int_equal(fake.start_calls[0], starts);
	assert_int_equal(alpha->state, PARTITION_STOPPED);
	assert_int_equal(alpha->restarts, 0);
	/* Off: now it may. */
	fake.power[0] = CPU_POWER_OFF;
	assert_int_equal(hc(BETA0, BH_HC_PARTITION_CONTROL, 0, BH_CONTROL_RESTART, 0).x0, BH_OK);
	assert_int_equal(fake.start_calls[0], starts + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_status_reports_state_cores_restarts_faults, setup),
		cmocka_unit_test_setup(test_only_the_service_partition_may_call, setup),
		cmocka_unit_test_setup(test_control_checks_target_and_action, setup),
		cmocka_unit_test_setup(test_stop_then_restart, setup),
		cmocka_unit_test_setup(test_restart_of_a_running_partition, setup),
		cmocka_unit_test_setup(test_request_of_an_older_life_is_void, setup),
		cmocka_unit_test_setup(test_restart_refused_while_a_core_is_on, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
