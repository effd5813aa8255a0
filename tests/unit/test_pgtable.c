/* SPDX-License-Identifier: MIT */
/*
 * The translation-table builder (core/include/pgtable_build.h), checked against independent
 * software walkers: in ARM64's format (arch/arm64/vmsa.c: VMSAv8-64, 4 KiB
 * granule, 39-bit input, lookup from level 1), and in the x86-64 4-level
 * format (48-bit input, root at level 0, present/page-size bits) that the x86
 * port's host and nested tables use, defined here as that port will.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vmsa.h"
#include "pgtable_build.h"
#include "count_pool.h"

#define POOL_PAGES 64u
#define GIB (1ull << 30)
#define MIB (1ull << 20)
#define ATTRS (PTE_AF | PTE_S2_AP_R | PTE_S2_MEMATTR_NORMAL_WB)

struct walk {
	bool valid;
	uint64_t out;
	uint64_t attrs;
	unsigned level;
};

static pte_t (*pages)[PT_ENTRIES];

/* The builder for a format known only at run time: the x86 formats below are
 * instances of it as much as vmsa_format is. */
static int build_any(const struct pt_format *f, struct pt_pool *p, pte_t *r, uint64_t va, uint64_t pa,
		     uint64_t size, uint64_t attrs)
{
	return pt_build(f, p, r, va, pa, size, attrs);
}

static struct pt_pool pool;
static pte_t *root;

/* The walker shares no code with the builder: it decodes descriptors as the MMU does. */
static struct walk walk(uint64_t va)
{
	const pte_t *table = root;

	for (unsigned level = 1; level <= 3; level++) {
		unsigned shift = 39 - 9 * level;
		pte_t d = table[(va >> shift) & 0x1ff];

		if ((d & 1) == 0) {
			return (struct walk){ false, 0, 0, level };
		}
		bool table_desc = (level < 3) && ((d & 2) != 0);
		if (!table_desc) {
			if ((level == 3) && ((d & 2) == 0)) {
				/* Type 0b01 at level 3 is reserved: it must fault. */
				return (struct walk){ false, 0, 0, level };
			}
			uint64_t block_mask = (1ull << shift) - 1;
			uint64_t out = (d & 0x0000fffffffff000ull & ~block_mask) | (va & block_mask);
			return (struct walk){ true, out, d & ~0x0000fffffffff003ull, level };
		}
		table = (const pte_t *)(uintptr_t)(d & 0x0000fffffffff000ull);
	}
	return (struct walk){ false, 0, 0, 0 };
}

static int setup(void **state)
{
	(void)state;
	pages = aligned_alloc(4096, POOL_PAGES * sizeof(*pages));
	assert_non_null(pages);
	memset(pages, 0xa5, POOL_PAGES * sizeof(*pages));   /* pool pages start dirty */
	pool = (struct pt_pool){ pages, POOL_PAGES, 0 };
	root = pt_alloc(&pool);
	assert_non_null(root);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(pages);
	return 0;
}

/* Every 4 KiB page of [va, va + size) translates to the matching output address with `attrs`. */
static void assert_mapped(uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs)
{
	for (uint64_t off = 0; off < size; off += 4096) {
		struct walk w = walk(va + off);
		assert_true(w.valid);
		assert_int_equal(w.out, pa + off);
		assert_int_equal(w.attrs, attrs);
	}
}

/* Every page of the first 4 GiB outside the given ranges faults, and so do sample high pages. */
static void assert_only_mapped(const uint64_t (*ranges)[2], size_t n)
{
	for (uint64_t va = 0; va < 4 * GIB; va += 4096) {
		bool inside = false;
		for (size_t i = 0; i < n; i++) {
			inside |= (va >= ranges[i][0]) && (va < ranges[i][0] + ranges[i][1]);
		}
		if (!inside) {
			assert_false(walk(va).valid);
		}
	}
	for (uint64_t va = 4 * GIB; va < (1ull << 39); va += 7 * GIB + 4096) {
		assert_false(walk(va).valid);
	}
}

/* Verifies: REQ-MEM-005 */
static void test_aligned_region_uses_2mib_blocks(void **state)
{
	(void)state;
	assert_int_equal(build_any(&vmsa_format, &pool, root, 0x40000000, 0x41000000, 16 * MIB, ATTRS), PT_OK);
	assert_mapped(0x40000000, 0x41000000, 16 * MIB, ATTRS);
	for (uint64_t off = 0; off < 16 * MIB; off += 2 * MIB) {
		assert_int_equal(walk(0x40000000 + off).level, 2);
	}
	/* root + one level-2 table */
	assert_int_equal(pool.used, 2);
	const uint64_t ranges[][2] = { { 0x40000000, 16 * MIB } };
	assert_only_mapped(ranges, 1);
}

/* Verifies: REQ-MEM-005 */
static void test_gib_aligned_region_uses_1gib_block(void **state)
{
	(void)state;
	assert_int_equal(build_any(&vmsa_format, &pool, root, 2 * GIB, 5 * GIB, GIB, ATTRS), PT_OK);
	assert_int_equal(walk(2 * GIB).level, 1);
	assert_int_equal(walk(2 * GIB + 12345 * 4096ull).out, 5 * GIB + 12345 * 4096ull);
	assert_int_equal(pool.used, 1);
	const uint64_t ranges[][2] = { { 2 * GIB, GIB } };
	assert_only_mapped(ranges, 1);
}

/* Verifies: REQ-MEM-005 */
static void test_misaligned_output_uses_pages(void **state)
{
	(void)state;
	/* Input 2 MiB aligned, output only 4 KiB aligned: no block is possible. */
	assert_int_equal(build_any(&vmsa_format, &pool, root, 0x40000000, 0x41001000, 4 * MIB, ATTRS), PT_OK);
	assert_mapped(0x40000000, 0x41001000, 4 * MIB, ATTRS);
	assert_int_equal(walk(0x40000000).level, 3);
	/* root + level 2 + two level-3 tables */
	assert_int_equal(pool.used, 4);
}

/* Verifies: REQ-MEM-005 */
static void test_mixed_region_blocks_in_the_middle(void **state)
{
	(void)state;
	/* 1 MiB before a 2 MiB boundary up to 1 MiB after the 3rd boundary: pages, two blocks, pages. */
	uint64_t va = 0x40100000, pa = 0x60100000, size = 6 * MIB;
	assert_int_equal(build_any(&vmsa_format, &pool, root, va, pa, size, ATTRS), PT_OK);
	assert_mapped(va, pa, size, ATTRS);
	assert_int_equal(walk(0x40100000).level, 3);
	assert_int_equal(walk(0x40200000).level, 2);
	assert_int_equal(walk(0x40400000).level, 2);
	assert_int_equal(walk(0x40600000).level, 3);
	const uint64_t ranges[][2] = { { va, size } };
	assert_only_mapped(ranges, 1);
}

/* Verifies: REQ-MEM-005, REQ-MEM-003 */
static void test_several_regions_share_tables_and_keep_attributes(void **state)
{
	(void)state;
	uint64_t ro = PTE_AF | PTE_S2_AP_R | PTE_S2_XN | PTE_S2_MEMATTR_NORMAL_WB;
	uint64_t dev = PTE_AF | PTE_S2_AP_R | PTE_S2_AP_W | PTE_S2_XN | PTE_S2_MEMATTR_DEVICE;
	assert_int_equal(build_any(&vmsa_format, &pool, root, 0x40000000, 0x48000000, 8 * MIB, ATTRS), PT_OK);
	assert_int_equal(build_any(&vmsa_format, &pool, root, 0x40800000, 0x49000000, 64 * 1024, ro), PT_OK);
	assert_int_equal(build_any(&vmsa_format, &pool, root, 0x09010000, 0x09010000, 4096, dev), PT_OK);
	assert_mapped(0x40000000, 0x48000000, 8 * MIB, ATTRS);
	assert_mapped(0x40800000, 0x49000000, 64 * 1024, ro);
	assert_mapped(0x09010000, 0x09010000, 4096, dev);
	/* root, L2 for GiB 1, L3 for the small region, L2 for GiB 0, L3 for the device */
	assert_int_equal(pool.used, 5);
	const uint64_t ranges[][2] = { { 0x40000000, 8 * MIB }, { 0x40800000, 64 * 1024 }, { 0x09010000, 4096 } };
	assert_only_mapped(ranges, 3);
}

/* Verifies: REQ-MEM-005 */
static void test_rejects_bad_ranges(void **state)
{
	(void)state;
	assert_int_equal(build_any(&vmsa_format, &pool, root, 0x40000800, 0x41000000, 4096, ATTRS), PT_ERR_ALIGN);
	assert_int_equal(build_any(&vmsa_format, &pool, root, 0x40000000, 0x41000010, 4096, ATTRS), PT_ERR_ALIGN);
	assert_int_equal(build_any(&vmsa_format, &pool, root, 0x40000000, 0x41000000, 100, ATTRS), PT_ERR_ALIGN);
	assert_int_equal(build_any(&vmsa_format, &pool, root, 1ull << 39, 0, 4096, ATTRS), PT_ERR_ALIGN);
	assert_int_equal(build_any(&vmsa_format, &pool, root, (1ull << 39) - 4096, 0, 8192, ATTRS), PT_ERR_ALIGN);
	assert_int_equal(build_any(&vmsa_format, &pool, root, 0, 1ull << 48, 4096, ATTRS), PT_ERR_ALIGN);
	assert_int_equal(pool.used, 1);
}

/* Verifies: REQ-MEM-005 */
static void test_rejects_overlap(void **state)
{
	(void)state;
	assert_int_equal(build_any(&vmsa_format, &pool, root, 0x40000000, 0x41000000, 2 * MIB, ATTRS), PT_OK);
	assert_int_equal(build_any(&vmsa_format, &pool, root, 0x40100000, 0x50000000, 4096, ATTRS), PT_ERR_OVERLAP);
	assert_int_equal(build_any(&vmsa_format, &pool, root, 0x40000000, 0x50000000, 2 * MIB, ATTRS), PT_ERR_OVERLAP);
	assert_int_equal(build_any(&vmsa_format, &pool, root, 0x40300000, 0x50000000, 4096, ATTRS), PT_OK);
	assert_int_equal(build_any(&vmsa_format, &pool, root, 0x40300000, 0x50000000, 4096, ATTRS), PT_ERR_OVERLAP);
	assert_int_equal(build_any(&vmsa_format, &pool, root, 0x40200000, 0x50000000, 2 * MIB, ATTRS), PT_ERR_OVERLAP);
}

/* Verifies: REQ-MEM-006 */
static void test_pool_exhaustion_is_an_error(void **state)
{
	(void)state;
	struct pt_pool small = { pages + 1, 2, 0 };
	pte_t *r = pt_alloc(&small);
	assert_non_null(r);
	/* Needs L2 and L3: only one page is left. */
	pte_t *saved = root;
	root = r;
	assert_int_equal(build_any(&vmsa_format, &small, r, 0x40001000, 0x41001000, 4096, ATTRS), PT_ERR_NOMEM);
	assert_null(pt_alloc(&small));
	root = saved;
}

/* ---- the x86-64 4-level format ------------------------------------------ */

#define X86_P   0x1ull
#define X86_RW  0x2ull
#define X86_US  0x4ull
#define X86_PS  0x80ull
#define X86_NX  (1ull << 63)
#define X86_ADDR 0x000ffffffffff000ull

/* Long-mode paging (and AMD NPT, which uses it): PML4 at level 0, 1 GiB pages. */
static const struct pt_format x86_format = {
	.root_level = 0, .block_level = 1, .valid_mask = X86_P, .table_mask = X86_P | X86_PS,
	.table_match = X86_P, .table_bits = X86_P | X86_RW | X86_US, .block_bits = X86_P | X86_PS,
	.page_bits = X86_P, .addr_mask = X86_ADDR,
};

/* The same without 1 GiB pages (a CPU without PDPE1GB). */
static const struct pt_format x86_2m_format = {
	.root_level = 0, .block_level = 2, .valid_mask = X86_P, .table_mask = X86_P | X86_PS,
	.table_match = X86_P, .table_bits = X86_P | X86_RW | X86_US, .block_bits = X86_P | X86_PS,
	.page_bits = X86_P, .addr_mask = X86_ADDR,
};

/* An x86 walker sharing no code with the builder; attrs are the bits besides the address, P and PS. */
static struct walk x86_walk(uint64_t va)
{
	const pte_t *table = root;

	for (unsigned level = 0; level <= 3; level++) {
		unsigned shift = 39 - 9 * level;
		pte_t d = table[(va >> shift) & 0x1ff];

		if ((d & X86_P) == 0 || (level == 0 && (d & X86_PS))) {
			return (struct walk){ false, 0, 0, level };
		}
		if (level == 3 || (d & X86_PS)) {
			uint64_t mask = (1ull << shift) - 1;
			return (struct walk){ true, (d & X86_ADDR & ~mask) | (va & mask),
					      d & ~(X86_ADDR | X86_P | (level < 3 ? X86_PS : 0)), level };
		}
		/* The builder's table descriptors let the leaves decide the rights. */
		assert_int_equal(d & (X86_RW | X86_US), X86_RW | X86_US);
		table = (const pte_t *)(uintptr_t)(d & X86_ADDR);
	}
	return (struct walk){ false, 0, 0, 0 };
}

/* Verifies: REQ-MEM-005 */
static void test_x86_format(void **state)
{
	const uint64_t attrs = X86_RW | X86_NX;
	const uint64_t tib = 512 * GIB;   /* one PML4 entry */

	(void)state;
	/* A 1 GiB page, then 4 MiB across a PML4 boundary in 2 MiB pages. */
	assert_int_equal(build_any(&x86_format, &pool, root, 3 * GIB, 7 * GIB, GIB, attrs), PT_OK);
	assert_int_equal(build_any(&x86_format, &pool, root, tib - 2 * MIB, 0x40000000, 4 * MIB, attrs), PT_OK);
	/* 12 KiB of 4 KiB pages at the top of the 48-bit space. */
	assert_int_equal(build_any(&x86_format, &pool, root, (1ull << 48) - 0x3000, 0x1000, 0x3000, X86_RW),
			 PT_OK);
	assert_int_equal(x86_walk(3 * GIB + 0x12345000).level, 1);
	assert_int_equal(x86_walk(3 * GIB + 0x12345000).out, 7 * GIB + 0x12345000);
	assert_int_equal(x86_walk(3 * GIB).attrs, attrs);
	for (uint64_t off = 0; off < 4 * MIB; off += 4096) {
		struct walk w = x86_walk(tib - 2 * MIB + off);
		assert_true(w.valid);
		assert_int_equal(w.level, 2);
		assert_int_equal(w.out, 0x40000000 + off);
		assert_int_equal(w.attrs, attrs);
	}
	assert_int_equal(x86_walk((1ull << 48) - 0x1000).level, 3);
	assert_int_equal(x86_walk((1ull << 48) - 0x1000).out, 0x3000);
	assert_false(x86_walk(4 * GIB).valid);
	assert_false(x86_walk(tib + 2 * MIB).valid);
	assert_false(x86_walk((1ull << 48) - 0x4000).valid);
	/* root; PDPT 0 (the 1 GiB page); a PD under it and PDPT 1 with a PD for the
	 * 4 MiB on both sides of the boundary; PDPT, PD and PT under PML4 entry 511. */
	assert_int_equal(pool.used, 1 + 1 + 1 + 2 + 3);
	assert_int_equal(pt_table_depth(&x86_format, root, (1ull << 48) - 0x1000), 3);
	assert_int_equal(pt_table_depth(&x86_format, root, 3 * GIB), 1);
	assert_int_equal(pt_table_depth(&x86_format, root, 2000 * GIB), 0);
	/* Beyond 48 bits, overlaps. */
	assert_int_equal(build_any(&x86_format, &pool, root, 1ull << 48, 0, 4096, attrs), PT_ERR_ALIGN);
	assert_int_equal(build_any(&x86_format, &pool, root, 0, 1ull << 52, 4096, attrs), PT_ERR_ALIGN);
	assert_int_equal(build_any(&x86_format, &pool, root, 3 * GIB + 4096, 0, 4096, attrs), PT_ERR_OVERLAP);
}

/* Verifies: REQ-MEM-005 */
static void test_x86_format_without_1gib_pages(void **state)
{
	(void)state;
	assert_int_equal(build_any(&x86_2m_format, &pool, root, GIB, GIB, GIB, X86_RW), PT_OK);
	for (uint64_t off = 0; off < GIB; off += 2 * MIB) {
		assert_int_equal(x86_walk(GIB + off).level, 2);
		assert_int_equal(x86_walk(GIB + off).out, GIB + off);
	}
	assert_int_equal(pool.used, 3);   /* root, PDPT, one PD full of 2 MiB pages */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_aligned_region_uses_2mib_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gib_aligned_region_uses_1gib_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misaligned_output_uses_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mixed_region_blocks_in_the_middle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_several_regions_share_tables_and_keep_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rejects_bad_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rejects_overlap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_exhaustion_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_x86_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_x86_format_without_1gib_pages, setup, teardown),
	};
	return cmocka_run_group_tests_name("pgtable", tests, NULL, NULL);
}
