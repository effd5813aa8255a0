/* SPDX-License-Identifier: MIT */
/*
 * The emulated-device registry (core/emul.c, emul.h) on the fake system:
 * what a partition's emulated regions may be and how an access finds its
 * handler.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "emul.h"
#include "cpu.h"
#include "fake_arch.h"
#include "fake_system.h"
#include "partition.h"

#define DEV 0x08000000u
#define PAGE 0x1000u

static struct cpu *seen_cpu;
static uint64_t seen_offset;

static bool dev_a(struct cpu *cpu, void *context, uint64_t offset, bool write, uint32_t size, uint64_t *value)
{
	(void)write;
	(void)size;
	seen_cpu = cpu;
	seen_offset = offset;
	*value = 0xa000u + *(const uint32_t *)context;
	return true;
}

static bool dev_b(struct cpu *cpu, void *context, uint64_t offset, bool write, uint32_t size, uint64_t *value)
{
	(void)cpu;
	(void)context;
	(void)offset;
	(void)write;
	(void)size;
	*value = 0xb;
	return false;
}

static int setup(void **state)
{
	(void)state;
	fake_system_boot();
	return 0;
}

/* Calls the handler of the region holding `addr` as an architecture's trap path would. */
static bool access(struct partition *p, enum emul_space space, uint64_t addr, uint64_t *value)
{
	const struct emul_region *r = emul_find(&p->emul[space], addr);

	return (r != NULL) && r->handler(cpu_get(0), r->context, addr - r->base, false, 4u, value);
}

/* Verifies: REQ-TRP-011 */
static void test_access_reaches_the_handler_of_its_region(void **state)
{
	(void)state;
	struct partition *alpha = partition_get(0);
	static const uint32_t unit = 7u;
	uint64_t v = 0;

	assert_int_equal(alpha->arch.inits, 1);   /* the architecture registers its devices at init */
	assert_int_equal(emul_register(alpha, EMUL_MMIO, DEV, PAGE, dev_a, (void *)&unit), CORE_OK);
	assert_int_equal(emul_register(alpha, EMUL_MMIO, DEV + 4u * PAGE, PAGE, dev_b, NULL), CORE_OK);
	assert_true(access(alpha, EMUL_MMIO, DEV + 0x10u, &v));
	assert_int_equal(v, 0xa007u);
	assert_int_equal(seen_offset, 0x10u);
	assert_ptr_equal(seen_cpu, cpu_get(0));
	assert_true(access(alpha, EMUL_MMIO, DEV + PAGE - 4u, &v));
	assert_int_equal(seen_offset, PAGE - 4u);
	/* A handler that refuses leaves the access unemulated (a fault). */
	assert_false(access(alpha, EMUL_MMIO, DEV + 4u * PAGE, &v));
	/* Outside every region, before, between and after them, nothing is found. */
	assert_null(emul_find(&alpha->emul[EMUL_MMIO], DEV - 4u));
	assert_null(emul_find(&alpha->emul[EMUL_MMIO], DEV + PAGE));
	assert_null(emul_find(&alpha->emul[EMUL_MMIO], DEV + 5u * PAGE));
	/* Each space and each partition has its own table. */
	assert_null(emul_find(&alpha->emul[EMUL_PIO], DEV));
	assert_null(emul_find(&partition_get(1)->emul[EMUL_MMIO], DEV));
	assert_int_equal(emul_register(alpha, EMUL_PIO, DEV, PAGE, dev_b, NULL), CORE_OK);
	assert_false(access(alpha, EMUL_PIO, DEV, &v));
	assert_int_equal(v, 0xb);
}

/* Verifies: REQ-TRP-011 */
static void test_bad_regions_are_refused(void **state)
{
	(void)state;
	struct partition *alpha = partition_get(0);

	assert_int_equal(emul_register(alpha, EMUL_MMIO, DEV, 0, dev_a, NULL), CORE_ERR_INVALID);
	assert_int_equal(emul_register(alpha, EMUL_MMIO, DEV + 4u, PAGE, dev_a, NULL), CORE_ERR_INVALID);
	assert_int_equal(emul_register(alpha, EMUL_MMIO, DEV, PAGE + 4u, dev_a, NULL), CORE_ERR_INVALID);
	assert_int_equal(emul_register(alpha, EMUL_MMIO, UINT64_MAX - 7u, 16u, dev_a, NULL), CORE_ERR_INVALID);
	assert_int_equal(emul_register(alpha, EMUL_MMIO, DEV, PAGE, NULL, NULL), CORE_ERR_INVALID);
	assert_int_equal(emul_register(alpha, (enum emul_space)EMUL_SPACES, DEV, PAGE, dev_a, NULL), CORE_ERR_INVALID);
	/* Memory the partition maps (RAM, a read-only region, a device) is never emulated. */
	assert_int_equal(emul_register(alpha, EMUL_MMIO, ALPHA_RAM_IPA + PAGE, PAGE, dev_a, NULL), CORE_ERR_INVALID);
	assert_int_equal(emul_register(alpha, EMUL_MMIO, ALPHA_RO_IPA - PAGE, 2u * PAGE, dev_a, NULL), CORE_ERR_INVALID);
	assert_int_equal(emul_register(alpha, EMUL_MMIO, ALPHA_DEV_IPA, 8u, dev_a, NULL), CORE_ERR_INVALID);
	/* Only the partition's own regions count: with the device left out of its
	 * description (n_regions 2), its address is free to emulate. */
	fake_partitions[0].n_regions = 2u;
	assert_int_equal(emul_register(alpha, EMUL_MMIO, ALPHA_DEV_IPA, PAGE, dev_a, NULL), CORE_OK);
	fake_partitions[0].n_regions = 3u;
	alpha->emul[EMUL_MMIO].n = 0u;
	/* Regions never overlap. */
	assert_int_equal(emul_register(alpha, EMUL_MMIO, DEV, 2u * PAGE, dev_a, NULL), CORE_OK);
	assert_int_equal(emul_register(alpha, EMUL_MMIO, DEV + PAGE, PAGE, dev_b, NULL), CORE_ERR_INVALID);
	assert_int_equal(emul_register(alpha, EMUL_MMIO, DEV - PAGE, 2u * PAGE, dev_b, NULL), CORE_ERR_INVALID);
	assert_int_equal(alpha->emul[EMUL_MMIO].n, 1);
}

/* Verifies: REQ-TRP-011 */
static void test_table_is_bounded(void **state)
{
	(void)state;
	struct partition *beta = partition_get(1);

	for (uint32_t i = 0; i < EMUL_REGIONS; i++) {
		assert_int_equal(emul_register(beta, EMUL_MMIO, DEV + 2u * i * PAGE, PAGE, dev_a, NULL), CORE_OK);
	}
	assert_int_equal(emul_register(beta, EMUL_MMIO, DEV + 2u * EMUL_REGIONS * PAGE, PAGE, dev_a, NULL),
			 CORE_ERR_BUSY);
	/* The last region is found, the refused one is not. */
	assert_non_null(emul_find(&beta->emul[EMUL_MMIO], DEV + 2u * (EMUL_REGIONS - 1u) * PAGE));
	assert_null(emul_find(&beta->emul[EMUL_MMIO], DEV + 2u * EMUL_REGIONS * PAGE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_access_reaches_the_handler_of_its_region, setup),
		cmocka_unit_test_setup(test_bad_regions_are_refused, setup),
		cmocka_unit_test_setup(test_table_is_bounded, setup),
	};
	return cmocka_run_group_tests_name("emul", tests, NULL, NULL);
}
