/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 address spaces (arch/arm64/stage2.c) on the host: the VTTBR_EL2
 * value of each partition names its own root table (the one the build placed
 * for its index) and a VMID of its own, never 0 (the VMID of the EL1&0
 * entries made with no guest).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "arm64.h"
#include "arch.h"
#include "partition.h"

#define PARTS 4u

/* The roots the build places in the image (gen/s2_tables.S), one per partition. */
pte_t s2_roots[PARTS][PT_ENTRIES] __attribute__((aligned(4096)));

void arch_cpu_relax(void)
{
}

#define VMID_SHIFT 48u
#define BADDR_MASK ((UINT64_C(1) << VMID_SHIFT) - 1u)

/* Verifies: REQ-MEM-001 */
static void test_each_partition_has_its_own_nonzero_vmid_and_root(void **state)
{
	static struct partition parts[PARTS];
	uint64_t vmids = 0u;

	(void)state;
	for (uint32_t i = 0u; i < PARTS; i++) {
		parts[i].id = i;
		assert_int_equal(arch_s2_build(&parts[i]), 0);
		assert_ptr_equal(parts[i].arch.s2_root, s2_roots[i]);
	}
	for (uint32_t i = 0u; i < PARTS; i++) {
		uint64_t vttbr = arm64_vttbr(&parts[i]);
		uint64_t vmid = vttbr >> VMID_SHIFT;

		assert_true(vmid != 0u);                  /* never the no-guest VMID */
		assert_true(vmid < 64u);
		assert_false(vmids & (UINT64_C(1) << vmid));   /* no two partitions share one */
		vmids |= UINT64_C(1) << vmid;
		assert_int_equal(vttbr & BADDR_MASK, pt_table_addr(parts[i].arch.s2_root));
		for (uint32_t j = 0u; j < i; j++) {
			assert_ptr_not_equal(parts[i].arch.s2_root, parts[j].arch.s2_root);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_partition_has_its_own_nonzero_vmid_and_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
