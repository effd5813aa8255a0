/* SPDX-License-Identifier: MIT */
/*
 * PSCI (arch/arm64/psci.c) on the trap fuzz target's system
 * (tests/fuzz/traps_system.h): beta's vCPU 0 (core 1) calls, its vCPU 1 is
 * core 2. Each answer is checked, and whether it was a refusal (a call
 * incident) or an answer; SMC32 calls see the low halves of their arguments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/psci.h>
#include "arm64.h"
#include "cpu.h"
#include "fake_arch.h"
#include "incident.h"
#include "partition.h"
#include "traps_system.h"
#include "traps_unit.h"

#define BETA 1u
#define HIGH (UINT64_C(0xabcd) << 32)

/* The refusal's log and incident (smccc.c): recorded here, PSCI's only way to refuse. */
static unsigned refusals;
static int64_t refused_with;

void arm64_refuse_call(const struct cpu *cpu, struct guest_frame *f, const char *conduit, int64_t status)
{
	(void)cpu;
	assert_string_equal(conduit, "PSCI");
	refusals++;
	refused_with = status;
	f->x[0] = (uint64_t)status;
}

static int setup(void **state)
{
	(void)traps_unit_boot(state);
	partition_get(BETA)->state = PARTITION_RUNNING;
	fake.power[1] = CPU_POWER_ON;
	fake.power[2] = CPU_POWER_OFF;
	fake.start_result = CORE_OK;
	refusals = 0;
	return 0;
}

/* Beta's vCPU 0 calls `fid` with x1..x3; returns x0. */
static int64_t call(uint32_t fid, uint64_t x1, uint64_t x2, uint64_t x3)
{
	struct guest_frame f;

	memset(&f, 0, sizeof(f));
	f.x[0] = fid;
	f.x[1] = x1;
	f.x[2] = x2;
	f.x[3] = x3;
	f.x[4] = 0x5a5a5a5au;
	fake.current = cpu_get(1);
	arm64_psci(cpu_get(1), &f);
	return (int64_t)f.x[0];
}

/* Discovery: the version, every function PSCI_FEATURES lists and none it does not, no Trusted
 * OS to migrate, no TRNG; all answers, none a refusal. */
/* Verifies: REQ-CPU-005 */
static void test_discovery_is_answered(void **state)
{
	(void)state;
	static const uint32_t listed[] = {
		PSCI_VERSION, PSCI_CPU_SUSPEND_32, PSCI_CPU_SUSPEND_64, PSCI_CPU_OFF, PSCI_CPU_ON_32, PSCI_CPU_ON_64,
		PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64, PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET,
		PSCI_FEATURES, 0x80000000u /* SMCCC_VERSION */,
	};
	static const uint32_t unlisted[] = { 0x84000005u, 0xc4000005u, 0x8400000bu, 0x84000050u /* TRNG_VERSION */, 0u };

	assert_int_equal(call(PSCI_VERSION, 0, 0, 0), 0x10001);
	assert_int_equal(call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), PSCI_TOS_NOT_PRESENT_MP);
	assert_int_equal(call(0x84000050u, 0, 0, 0), PSCI_RET_NOT_SUPPORTED);
	for (size_t i = 0; i < sizeof(listed) / sizeof(listed[0]); i++) {
		assert_int_equal(call(PSCI_FEATURES, listed[i], 0, 0), PSCI_RET_SUCCESS);
		assert_int_equal(call(PSCI_FEATURES, listed[i] | HIGH, 0, 0), PSCI_RET_SUCCESS);
	}
	for (size_t i = 0; i < sizeof(unlisted) / sizeof(unlisted[0]); i++) {
		assert_int_equal(call(PSCI_FEATURES, unlisted[i], 0, 0), PSCI_RET_NOT_SUPPORTED);
	}
	assert_int_equal(refusals, 0u);
}

/* A function PSCI does not have is refused with NOT_SUPPORTED. */
/* Verifies: REQ-CPU-005, REQ-TRP-009 */
static void test_an_unknown_function_is_refused(void **state)
{
	(void)state;
	assert_int_equal(call(0x84000005u, 0, 0, 0), PSCI_RET_NOT_SUPPORTED);
	assert_int_equal(refusals, 1u);
	assert_int_equal(refused_with, PSCI_RET_NOT_SUPPORTED);
}

/* AFFINITY_INFO answers for its own vCPUs at level 0 (off, starting, on), by either convention
 * (SMC32: the low half of x1); another vCPU number, another affinity level or a set bit above Aff0
 * is refused. */
/* Verifies: REQ-CPU-003, REQ-TRP-009 */
static void test_affinity_info_of_its_own_vcpus(void **state)
{
	(void)state;
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 1, 0, 0), PSCI_AFFINITY_OFF);
	fake.power[2] = CPU_POWER_ON_PENDING;
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 1, 0, 0), PSCI_AFFINITY_ON_PENDING);
	fake.power[2] = CPU_POWER_ON;
	assert_int_equal(call(PSCI_AFFINITY_INFO_32, 1 | HIGH, HIGH, 0), PSCI_AFFINITY_ON);
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 0, 0, 0), PSCI_AFFINITY_ON);
	assert_int_equal(refusals, 0u);
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 2, 0, 0), PSCI_RET_INVALID_PARAMETERS);
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 1, 1, 0), PSCI_RET_INVALID_PARAMETERS);
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 0x101u, 0, 0), PSCI_RET_INVALID_PARAMETERS);
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 1 | HIGH, 0, 0), PSCI_RET_INVALID_PARAMETERS);
	assert_int_equal(refusals, 4u);
}

/* CPU_ON starts its own vCPU at the entry with the context id (SMC32: the low halves of x1-x3,
 * not x4); a vCPU already on or starting is an answer; a vCPU it lacks, an entry outside its RAM,
 * a start while the partition is being stopped are refused. */
/* Verifies: REQ-CPU-002, REQ-CPU-003, REQ-CPU-004, REQ-TRP-009 */
static void test_cpu_on(void **state)
{
	(void)state;
	uint64_t entry = traps_ram_ipa(BETA) + 0x100u;

	assert_int_equal(call(PSCI_CPU_ON_32, 1 | HIGH, entry | HIGH, 77 | HIGH), PSCI_RET_SUCCESS);
	assert_int_equal(fake.start_calls[2], 1u);
	assert_int_equal(cpu_get(2)->start_entry, entry);
	assert_int_equal(cpu_get(2)->start_arg, 77u);
	assert_int_equal(call(PSCI_CPU_ON_64, 1, entry, 78), PSCI_RET_ON_PENDING);
	fake.power[2] = CPU_POWER_ON;
	assert_int_equal(call(PSCI_CPU_ON_64, 1, entry, 78), PSCI_RET_ALREADY_ON);
	assert_int_equal(refusals, 0u);
	fake.power[2] = CPU_POWER_OFF;
	assert_int_equal(call(PSCI_CPU_ON_64, 1, entry | HIGH, 78), PSCI_RET_INVALID_ADDRESS);
	assert_int_equal(call(PSCI_CPU_ON_64, 2, entry, 78), PSCI_RET_INVALID_PARAMETERS);
	assert_int_equal(call(PSCI_CPU_ON_64, 0x100u, entry, 78), PSCI_RET_INVALID_PARAMETERS);
	assert_int_equal(refusals, 3u);
	/* The partition is being stopped: no vCPU of it starts any more. */
	partition_get(BETA)->state = PARTITION_STOPPING;
	assert_int_equal(call(PSCI_CPU_ON_64, 1, entry, 78), PSCI_RET_DENIED);
	assert_int_equal(refusals, 4u);
	assert_int_equal(fake.start_calls[2], 1u);
	assert_int_equal(cpu_get(2)->start_arg, 77u);
}

/* SMC64's CPU_ON takes the whole of x3 as the context id (and not x4). */
/* Verifies: REQ-CPU-003 */
static void test_cpu_on_64_passes_the_whole_context(void **state)
{
	(void)state;
	uint64_t entry = traps_ram_ipa(BETA) + 0x200u;

	assert_int_equal(call(PSCI_CPU_ON_64, 1, entry, 0x123456789abcdef0u), PSCI_RET_SUCCESS);
	assert_int_equal(cpu_get(2)->start_entry, entry);
	assert_int_equal(cpu_get(2)->start_arg, 0x123456789abcdef0u);
}

static uint32_t alpha_fid;

static void alpha_calls(void *arg)
{
	struct guest_frame f;

	(void)arg;
	memset(&f, 0, sizeof(f));
	f.x[0] = alpha_fid;
	arm64_psci(cpu_get(0), &f);
	assert_int_equal((int64_t)f.x[0], PSCI_RET_SUCCESS);   /* only CPU_SUSPEND comes back */
}

/* Alpha (one vCPU, core 0) calls `fid`, which may not return: how the fake's core ended. */
static enum fake_exit alpha_call(uint32_t fid)
{
	struct partition *alpha = partition_get(0);

	alpha->state = PARTITION_RUNNING;
	alpha->online = 1u;
	fake.power[0] = CPU_POWER_ON;
	fake.current = cpu_get(0);
	fake.console_len = 0;
	fake.console[0] = '\0';
	alpha_fid = fid;
	return fake_run(alpha_calls, NULL);
}

/* CPU_SUSPEND waits for an interrupt and returns; CPU_OFF of the last vCPU, SYSTEM_OFF and
 * SYSTEM_RESET stop the caller's partition alone (said on the console), SYSTEM_RESET to start it
 * again: never answered, never a refusal. */
/* Verifies: REQ-CPU-004, REQ-CPU-006, REQ-CPU-007 */
static void test_power_calls_of_the_caller(void **state)
{
	(void)state;
	struct partition *alpha = partition_get(0);
	unsigned starts = fake.start_calls[0];

	assert_int_equal(alpha_call(PSCI_CPU_SUSPEND_64), FAKE_RETURNED);
	assert_int_equal(alpha_call(PSCI_CPU_SUSPEND_32), FAKE_RETURNED);
	assert_int_equal(alpha_call(PSCI_CPU_OFF), FAKE_STOP);
	assert_non_null(strstr(fake.console, "partition 'alpha': last vCPU powered off"));
	assert_int_equal(alpha->state, PARTITION_STOPPED);
	assert_int_equal(alpha_call(PSCI_SYSTEM_OFF), FAKE_STOP);
	assert_non_null(strstr(fake.console, "partition 'alpha': PSCI SYSTEM_OFF"));
	assert_int_equal(alpha->state, PARTITION_STOPPED);
	assert_int_equal(alpha->restarts, 0u);
	enum fake_exit e = alpha_call(PSCI_SYSTEM_RESET);

	assert_non_null(strstr(fake.console, "partition 'alpha': PSCI SYSTEM_RESET"));
	assert_int_equal(alpha->restarts, 1u);
	assert_int_equal(e, FAKE_VCPU_ENTER);                /* reloaded and entered on its own core */
	assert_int_equal(alpha->state, PARTITION_RUNNING);
	assert_int_equal(fake.start_calls[0], starts);
	assert_int_equal(partition_get(BETA)->state, PARTITION_RUNNING);
	assert_int_equal(refusals, 0u);
}

/* Core's answers as PSCI return codes, and back: a code PSCI does not have is an internal
 * failure; a power state is off only when PSCI says off (an error is never taken for off). */
/* Verifies: REQ-CPU-003, REQ-TRP-002 */
static void test_status_and_power_codes(void **state)
{
	(void)state;
	static const enum core_status all[] = { CORE_OK, CORE_ERR_INVALID, CORE_ERR_ADDRESS, CORE_ERR_DENIED,
						CORE_ERR_ALREADY_ON, CORE_ERR_ON_PENDING, CORE_ERR_HW };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		assert_int_equal(psci_to_status(psci_from_status(all[i])), all[i]);
	}
	assert_int_equal(psci_from_status((enum core_status)-100), PSCI_RET_INTERNAL_FAILURE);
	assert_int_equal(psci_from_status((enum core_status)((int)CORE_ERR_HW - 1)), PSCI_RET_INTERNAL_FAILURE);
	assert_int_equal(psci_to_status(-100), CORE_ERR_HW);
	assert_int_equal(psci_to_power(PSCI_AFFINITY_OFF), CPU_POWER_OFF);
	assert_int_equal(psci_to_power(PSCI_AFFINITY_ON_PENDING), CPU_POWER_ON_PENDING);
	assert_int_equal(psci_to_power(PSCI_AFFINITY_ON), CPU_POWER_ON);
	assert_int_equal(psci_to_power(PSCI_RET_INVALID_PARAMETERS), CPU_POWER_ON);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_discovery_is_answered, setup),
		cmocka_unit_test_setup(test_an_unknown_function_is_refused, setup),
		cmocka_unit_test_setup(test_affinity_info_of_its_own_vcpus, setup),
		cmocka_unit_test_setup(test_cpu_on, setup),
		cmocka_unit_test_setup(test_cpu_on_64_passes_the_whole_context, setup),
		cmocka_unit_test_setup(test_power_calls_of_the_caller, setup),
		cmocka_unit_test_setup(test_status_and_power_codes, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
