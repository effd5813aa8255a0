/* SPDX-License-Identifier: MIT */
/*
 * Emulated MMIO (arch/arm64/mmio.c) on the trap fuzz target's system: a
 * device region of beta's whose handler returns all 64 bits of a pattern
 * on every read, wider than any access, and records what a write gave it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "arm64.h"
#include "cpu.h"
#include "emul.h"
#include "fake_arch.h"
#include "partition.h"
#include "sysreg.h"
#include "traps_system.h"

#define BETA 1u
#define DEV 0x0a000000u
#define PATTERN UINT64_C(0xfedcba98765432f0)

extern uint64_t host_sr_elr_el2;

static uint64_t written;
static unsigned calls;

static bool device(struct cpu *cpu, void *context, uint64_t offset, bool write, uint32_t size, uint64_t *value)
{
	(void)cpu;
	(void)context;
	(void)offset;
	(void)size;
	calls++;
	if (write) {
		written = *value;
	} else {
		*value = PATTERN;   /* more bits than the access asked for */
	}
	return true;
}

static int setup(void **state)
{
	(void)state;
	traps_system_boot();
	/* The boot keeps the emulated regions an earlier test registered (they are set up once). */
	if (emul_find(&partition_get(BETA)->emul[EMUL_MMIO], DEV) == NULL) {
		assert_int_equal(emul_register(partition_get(BETA), EMUL_MMIO, DEV, 0x1000u, device, NULL), CORE_OK);
	}
	assert_ptr_equal(emul_find(&partition_get(BETA)->emul[EMUL_MMIO], DEV)->handler, device);
	fake.current = cpu_get(1);
	written = 0u;
	calls = 0u;
	return 0;
}

/* The syndrome of a data abort with a valid instruction syndrome. */
static uint64_t dabt(uint32_t size_log2, uint32_t rt, bool write, bool sign, bool sf)
{
	return ISS_DABT_ISV | ESR_IL | ((uint64_t)size_log2 << ISS_DABT_SAS_SHIFT) | ((uint64_t)rt << ISS_DABT_SRT_SHIFT) |
	       (write ? ISS_DABT_WNR : 0u) | (sign ? ISS_DABT_SSE : 0u) | (sf ? ISS_DABT_SF : 0u);
}

static uint64_t load(uint32_t size_log2, bool sign, bool sf)
{
	struct guest_frame f = { { 0 }, 0 };

	f.x[3] = UINT64_C(0x1111111111111111);
	host_sr_elr_el2 = 0x1000u;
	assert_true(arm64_mmio_emulate(cpu_get(1), &f, dabt(size_log2, 3u, false, sign, sf), DEV + 8u));
	assert_int_equal(host_sr_elr_el2, 0x1004u);   /* resumes after the instruction */
	return f.x[3];
}

/* Verifies: REQ-TRP-012 */
static void test_read_is_cut_to_its_width_and_extended_as_asked(void **state)
{
	(void)state;
	assert_int_equal(load(0u, false, true), 0xf0u);                          /* LDRB */
	assert_int_equal(load(1u, false, true), 0x32f0u);                        /* LDRH */
	assert_int_equal(load(2u, false, false), 0x765432f0u);                   /* LDR W */
	assert_int_equal(load(3u, false, true), PATTERN);                        /* LDR X */
	assert_int_equal(load(0u, true, true), UINT64_C(0xfffffffffffffff0));    /* LDRSB X */
	assert_int_equal(load(0u, true, false), UINT64_C(0xfffffff0));           /* LDRSB W */
	assert_int_equal(load(1u, true, true), 0x32f0u);                         /* LDRSH X: positive */
	assert_int_equal(load(2u, true, true), 0x765432f0u);                     /* LDRSW: positive */
	assert_int_equal(calls, 8u);
}

/* Verifies: REQ-TRP-012 */
static void test_write_is_cut_to_its_width_and_xzr_reads_are_discarded(void **state)
{
	struct guest_frame f = { { 0 }, 0 };

	(void)state;
	f.x[5] = UINT64_C(0x0123456789abcdef);
	assert_true(arm64_mmio_emulate(cpu_get(1), &f, dabt(0u, 5u, true, false, true), DEV));
	assert_int_equal(written, 0xefu);                                        /* STRB */
	assert_true(arm64_mmio_emulate(cpu_get(1), &f, dabt(2u, 5u, true, false, false), DEV));
	assert_int_equal(written, 0x89abcdefu);                                  /* STR W */
	assert_true(arm64_mmio_emulate(cpu_get(1), &f, dabt(3u, 31u, true, false, true), DEV));
	assert_int_equal(written, 0u);                                           /* STR XZR */
	assert_true(arm64_mmio_emulate(cpu_get(1), &f, dabt(3u, 31u, false, false, true), DEV));
	for (uint32_t i = 0u; i < 31u; i++) {
		assert_int_equal(f.x[i], (i == 5u) ? UINT64_C(0x0123456789abcdef) : 0u);   /* a read into XZR: nothing */
	}
}

/* Verifies: REQ-TRP-012 */
static void test_what_the_syndrome_does_not_describe_stays_a_fault(void **state)
{
	struct guest_frame f = { { 0 }, 0 };

	(void)state;
	assert_false(arm64_mmio_emulate(cpu_get(1), &f, dabt(3u, 1u, false, false, true) & ~ISS_DABT_ISV, DEV));
	assert_false(arm64_mmio_emulate(cpu_get(1), &f, dabt(3u, 1u, false, false, true) | ISS_DABT_S1PTW, DEV));
	assert_false(arm64_mmio_emulate(cpu_get(1), &f, dabt(2u, 1u, false, false, true), DEV + 2u));   /* misaligned */
	assert_false(arm64_mmio_emulate(cpu_get(1), &f, dabt(2u, 1u, false, false, true), DEV + 0x1000u)); /* no region */
	assert_int_equal(calls, 0u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_read_is_cut_to_its_width_and_extended_as_asked, setup),
		cmocka_unit_test_setup(test_write_is_cut_to_its_width_and_xzr_reads_are_discarded, setup),
		cmocka_unit_test_setup(test_what_the_syndrome_does_not_describe_stays_a_fault, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
