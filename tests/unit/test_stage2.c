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
#include <string.h>
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

/* A partition with no table of the build's (an index past BH_NUM_PARTITIONS) is
 * refused, and given no root: it can never be entered. */
/* Verifies: REQ-MEM-001, REQ-BLD-033 */
static void test_a_partition_past_the_builds_tables_has_none(void **state)
{
	struct partition p = { .id = PARTS };

	(void)state;
	assert_int_equal(arch_s2_build(&p), -1);
	assert_null(p.arch.s2_root);
	p.id = 0xffffffffu;
	assert_int_equal(arch_s2_build(&p), -1);
	assert_null(p.arch.s2_root);
}

extern uint64_t host_sr_id_aa64mmfr0_el1;

/* VTCR_EL2: a 39-bit IPA space (T0SZ 25) walked from level 1 with 4 KiB pages,
 * inner-shareable write-back walks, and an output size the CPU's PARange
 * gives, at most 48 bits (PS 5): larger encodings need 52-bit descriptors. */
/* Verifies: REQ-MEM-001 */
static void test_vtcr_takes_the_cpus_physical_address_size_up_to_48_bits(void **state)
{
	(void)state;
	for (uint64_t parange = 0u; parange < 16u; parange++) {
		host_sr_id_aa64mmfr0_el1 = 0x1120u | parange;   /* other fields must not leak in */
		uint64_t vtcr = arm64_vtcr();

		assert_int_equal((vtcr >> 16) & 7u, (parange > 5u) ? 5u : parange);
		assert_int_equal(vtcr & ~(UINT64_C(7) << 16),
				 (UINT64_C(1) << 31) | (3u << 12) | (1u << 10) | (1u << 8) | (1u << 6) | 25u);
	}
}

extern uint64_t host_sr_vttbr_el2;
/* Each DSB adds one, each TLBI doubles it (tests/fuzz/host_sysreg.h). */
uint64_t host_barrier_trace;

/* Fencing invalidates every root entry (the other bits kept) and leaves the
 * cpu's own VTTBR_EL2 as it was; unfencing makes valid again exactly the
 * entries that were in use. */
/* Verifies: REQ-TRP-002 */
static void test_fence_invalidates_the_root_and_unfence_restores_it(void **state)
{
	struct partition p = { .id = 1u };

	(void)state;
	assert_int_equal(arch_s2_build(&p), 0);
	memset(s2_roots[1], 0, sizeof(s2_roots[1]));
	s2_roots[1][0] = 0x40000000u | PTE_VALID | 0x700u;
	s2_roots[1][3] = 0xc0000000u | PTE_VALID;
	s2_roots[1][PT_ENTRIES - 1u] = 0x80000000u | PTE_VALID | 0x400u;
	host_sr_vttbr_el2 = 0x1234000u;
	host_barrier_trace = 0u;
	arch_s2_fence(&p);
	assert_int_equal(host_sr_vttbr_el2, 0x1234000u);
	/* The invalid entries are visible to every walker (DSB) before the TLBs are invalidated, and
	 * the invalidation is complete (DSB) before the fence returns. */
	assert_int_equal(host_barrier_trace, 3u);   /* (0 + 1) * 2 + 1 */
	for (uint32_t i = 0u; i < PT_ENTRIES; i++) {
		assert_int_equal(s2_roots[1][i] & PTE_VALID, 0u);
	}
	assert_int_equal(s2_roots[1][0], 0x40000700u);
	assert_int_equal(s2_roots[1][PT_ENTRIES - 1u], 0x80000400u);
	arch_s2_unfence(&p);
	assert_int_equal(s2_roots[1][0], 0x40000000u | PTE_VALID | 0x700u);
	assert_int_equal(s2_roots[1][3], 0xc0000000u | PTE_VALID);
	assert_int_equal(s2_roots[1][PT_ENTRIES - 1u], 0x80000000u | PTE_VALID | 0x400u);
	for (uint32_t i = 4u; i < PT_ENTRIES - 1u; i++) {
		assert_int_equal(s2_roots[1][i], 0u);   /* never in use: stays invalid */
	}
	/* A partition never mapped has nothing to fence. */
	struct partition none = { .id = 2u };
	arch_s2_fence(&none);
	arch_s2_unfence(&none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_partition_has_its_own_nonzero_vmid_and_root),
		cmocka_unit_test(test_a_partition_past_the_builds_tables_has_none),
		cmocka_unit_test(test_vtcr_takes_the_cpus_physical_address_size_up_to_48_bits),
		cmocka_unit_test(test_fence_invalidates_the_root_and_unfence_restores_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
