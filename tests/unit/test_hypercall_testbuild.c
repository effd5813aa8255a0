/* SPDX-License-Identifier: MIT */
/*
 * With CONFIG_TEST_HYPERCALLS, BH_HC_TEST_RAISE raises a virtual interrupt
 * in a vCPU of the caller's own partition through core_vcpu_inject, and the
 * call table (so BH_HC_CALL_COUNT) holds it.
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

static void start_cpu(void *arg)
{
	core_cpu_started(arg);
}

/* Verifies: REQ-HC-008~2, REQ-CPU-011~2 */
static void test_raise_in_own_vcpus_only(void **state)
{
	(void)state;
	struct cpu *b0 = cpu_get(1);
	struct cpu *b1 = cpu_get(2);

	assert_int_equal(hc(cpu_get(0), BH_HC_CALL_COUNT, 0, 0, 0).x0, 9);
	fake.current = b0;
	assert_int_equal(fake_run(start_cpu, b0), FAKE_VCPU_ENTER);
	assert_int_equal(partition_vcpu_on(b0, 1, ipa_init(BETA_RAM_IPA), 0), CORE_OK);
	fake.current = b1;
	assert_int_equal(fake_run(start_cpu, b1), FAKE_VCPU_ENTER);
	/* Its own vCPU: raised at once. The other: pending there, presented when its cpu takes the kick. */
	assert_int_equal(hc(b0, BH_HC_TEST_RAISE, 0, 3, 0).x0, BH_OK);
	assert_int_equal(b0->arch.injected, 1u << 3);
	assert_int_equal(hc(b0, BH_HC_TEST_RAISE, 1, 4, 0).x0, BH_OK);
	assert_int_equal(fake_take_kick(b1), FAKE_RETURNED);
	assert_int_equal(b1->arch.injected, 1u << 4);
	/* Only the caller's own partition: vCPU 2 of beta does not exist, alpha's vCPU 0 is not beta's. */
	assert_int_equal(hc(b0, BH_HC_TEST_RAISE, 2, 4, 0).x0, BH_ERR_INVALID_PARAM);
	/* The refusal's incident names the interrupt and the vCPU asked for. */
	assert_non_null(strstr(fake.console, "TEST_RAISE of interrupt 4 in vCPU 2 refused"));
	assert_int_equal(hc(b0, BH_HC_TEST_RAISE, 0x100000000ull, 4, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(hc(b0, BH_HC_TEST_RAISE, 0, 32, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(cpu_get(0)->arch.injections, 0);
	assert_int_equal(hc(b0, BH_HC_INCIDENTS, BH_INCIDENT_CALL, 0, 0).x1, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_raise_in_own_vcpus_only, hc_setup),
	};
	return cmocka_run_group_tests_name("hypercall_testbuild", tests, NULL, NULL);
}
