/* SPDX-License-Identifier: MIT */
/*
 * arch_entropy (arch/arm64/entropy.c) on the host: no RNDR when
 * ID_AA64ISAR0_EL1 says the core has none; a number from RNDR when one read
 * of at most eight succeeds; none, after exactly eight reads, from a
 * generator that keeps failing. The cores QEMU's tests run (Cortex-A72) have
 * no RNDR, so only here is the loop taken.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "arch.h"

extern uint64_t host_sr_id_aa64isar0_el1, host_sr_s3_3_c2_c4_0, host_cset_ne;

#define RNDR_PRESENT (UINT64_C(1) << 60)
#define NUMBER UINT64_C(0x0123456789abcdef)

static int setup(void **state)
{
	(void)state;
	host_sr_id_aa64isar0_el1 = RNDR_PRESENT | 0x1111u;   /* and other features */
	host_sr_s3_3_c2_c4_0 = NUMBER;
	return 0;
}

/* Without FEAT_RNG no RNDR is read: there is no entropy. */
/* Verifies: REQ-LNX-007 */
static void test_no_rndr_no_entropy(void **state)
{
	(void)state;
	uint64_t out = 0;

	host_sr_id_aa64isar0_el1 = 0x1111u | (UINT64_C(0xe) << 56);
	host_cset_ne = ~UINT64_C(0);
	assert_false(arch_entropy(&out));
	assert_true(host_cset_ne == ~UINT64_C(0));   /* not one read */
}

/* RNDR may fail a few times (the Arm ARM's "reasonable period"): up to eight reads, the first
 * number made is the answer, and no read after it (a later success is left unread, so a loop that
 * went on would end, and show). */
/* Verifies: REQ-LNX-007 */
static void test_a_number_within_eight_reads(void **state)
{
	(void)state;
	uint64_t out = 0;

	host_cset_ne = 1u | (UINT64_C(1) << 9);          /* the first read */
	assert_true(arch_entropy(&out));
	assert_true(out == NUMBER);
	assert_true(host_cset_ne == (UINT64_C(1) << 8));  /* one read */
	host_cset_ne = (UINT64_C(1) << 7) | (UINT64_C(1) << 9);   /* the eighth read */
	assert_true(arch_entropy(&out));
	assert_true(host_cset_ne == (UINT64_C(1) << 1));  /* eight reads */
}

/* A generator that keeps failing costs eight reads, then there is no entropy: never a wait
 * without a bound (a ninth read would have succeeded here). */
/* Verifies: REQ-LNX-007 */
static void test_a_failing_generator_costs_eight_reads(void **state)
{
	(void)state;
	uint64_t out = 0;

	host_cset_ne = UINT64_C(1) << 8;
	assert_false(arch_entropy(&out));
	assert_true(host_cset_ne == 1u);                 /* eight reads, the ninth's outcome left */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_rndr_no_entropy, setup),
		cmocka_unit_test_setup(test_a_number_within_eight_reads, setup),
		cmocka_unit_test_setup(test_a_failing_generator_costs_eight_reads, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
