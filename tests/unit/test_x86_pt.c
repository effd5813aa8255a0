/* SPDX-License-Identifier: MIT */
/*
 * The x86 port's table builder (arch/x86/x86_pt.c) and nested-table
 * attributes, checked by a software walker of the x86-64 four-level format
 * that shares no code with the builder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cfg.h"
#include "x86_pt.h"

#define POOL_PAGES 32u
#define MIB (1ull << 20)

static pte_t (*pages)[PT_ENTRIES];
static struct pt_pool pool;
static pte_t *root;

struct walk {
	bool present;
	uint64_t out;
	uint64_t leaf;
	unsigned size_shift;
	bool tables_user_writable;   /* every table entry on the way has U and W */
};

/* As the MMU walks: PML4, PDPT (PS: 1 GiB), PD (PS: 2 MiB), PT. */
static struct walk walk(uint64_t va)
{
	const pte_t *t = root;
	struct walk w = { .tables_user_writable = true };

	for (unsigned level = 0; level < 4; level++) {
		unsigned shift = 39 - 9 * level;
		pte_t e = t[(va >> shift) & 0x1ff];

		if ((e & 1) == 0) {
			return w;
		}
		if (level == 3 || (level > 0 && (e & 0x80))) {
			uint64_t mask = (1ull << shift) - 1;
			w.present = true;
			w.out = (e & 0x000ffffffffff000ull & ~mask) | (va & mask);
			w.leaf = e;
			w.size_shift = shift;
			return w;
		}
		w.tables_user_writable = w.tables_user_writable && (e & 2) && (e & 4);
		t = (const pte_t *)(uintptr_t)(e & 0x000ffffffffff000ull);
	}
	return w;
}

static int setup(void **state)
{
	(void)state;
	pages = aligned_alloc(4096, POOL_PAGES * 4096);
	pool = (struct pt_pool){ pages, POOL_PAGES, 0 };
	root = pt_alloc(&pool);
	return root == NULL;
}

static int teardown(void **state)
{
	(void)state;
	free(pages);
	return 0;
}

/* Verifies: REQ-XARCH-007 */
static void test_aligned_ram_uses_2mib_pages(void **state)
{
	uint64_t attrs = x86_npt_attrs(CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X, false);

	(void)state;
	assert_int_equal(x86_pt_map(&pool, root, 0, 0x2000000, 16 * MIB, attrs, X86_PTE_W | X86_PTE_U, false), PT_OK);
	assert_int_equal(pool.used, 3);   /* PML4, PDPT, one PD: no page table */
	for (uint64_t va = 0; va < 16 * MIB; va += 0x1ff000) {
		struct walk w = walk(va);
		assert_true(w.present);
		assert_int_equal(w.out, 0x2000000 + va);
		assert_int_equal(w.size_shift, 21);
		assert_true(w.tables_user_writable);
		assert_true((w.leaf & X86_PTE_U) && (w.leaf & X86_PTE_W));
		assert_false(w.leaf & X86_PTE_NX);
	}
	assert_false(walk(16 * MIB).present);
	assert_false(walk(0x8000000).present);
}

/* Verifies: REQ-XARCH-007 */
static void test_unaligned_uses_4kib_pages_and_rights(void **state)
{
	uint64_t ro = x86_npt_attrs(CFG_ACCESS_R, false);
	uint64_t dev = x86_npt_attrs(CFG_ACCESS_R | CFG_ACCESS_W, true);

	(void)state;
	assert_int_equal(x86_pt_map(&pool, root, 0x101000, 0x5001000, 0x3000, ro, X86_PTE_W | X86_PTE_U, false), PT_OK);
	assert_int_equal(x86_pt_map(&pool, root, 0xfec00000, 0xfec00000, 0x1000, dev, X86_PTE_W | X86_PTE_U, false), PT_OK);
	struct walk w = walk(0x102345);
	assert_true(w.present);
	assert_int_equal(w.out, 0x5002345);
	assert_int_equal(w.size_shift, 12);
	assert_false(w.leaf & X86_PTE_W);
	assert_true(w.leaf & X86_PTE_NX);
	assert_false(walk(0x100000).present);
	assert_false(walk(0x104000).present);
	w = walk(0xfec00010);
	assert_true(w.present);
	assert_true((w.leaf & X86_PTE_PCD) && (w.leaf & X86_PTE_NX) && (w.leaf & X86_PTE_W));
	/* Overlap and misalignment are refused, never merged. */
	assert_int_equal(x86_pt_map(&pool, root, 0x102000, 0x6000000, 0x1000, ro, X86_PTE_W | X86_PTE_U, false),
			 PT_ERR_OVERLAP);
	assert_int_equal(x86_pt_map(&pool, root, 0x200800, 0x6000000, 0x1000, ro, X86_PTE_W | X86_PTE_U, false),
			 PT_ERR_ALIGN);
}

/* Verifies: REQ-XARCH-031 */
static void test_ept_entries_from_the_same_builder(void **state)
{
	uint64_t ram = x86_ept_attrs(CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X, false);
	uint64_t ro = x86_ept_attrs(CFG_ACCESS_R, false);
	uint64_t dev = x86_ept_attrs(CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X, true);

	(void)state;
	assert_int_equal(x86_pt_map(&pool, root, 0x200000, 0x5000000, 16 * MIB, ram, X86_EPT_RWX, false), PT_OK);
	assert_int_equal(x86_pt_map(&pool, root, 0x1301000, 0x7001000, 0x1000, ro, X86_EPT_RWX, false), PT_OK);
	assert_int_equal(x86_pt_map(&pool, root, 0xfec00000, 0xfec00000, 0x1000, dev, X86_EPT_RWX, false), PT_OK);
	/* RAM: 2 MiB leaves (bit 7, as NPT's PS), readable, writable, executable, write-back (type 6 in bits 5:3). */
	struct walk w = walk(0x300123);
	assert_true(w.present);
	assert_int_equal(w.out, 0x5100123);
	assert_int_equal(w.size_shift, 21);
	assert_int_equal(w.leaf & 0x3f, 0x37);
	/* Every table entry on the way grants read, write and execute (EPT ANDs the levels). */
	assert_int_equal(root[0] & 7, 7);
	/* Read-only: no W, no X. */
	w = walk(0x1301000);
	assert_true(w.present);
	assert_int_equal(w.leaf & 0x3f, 0x31);
	/* A device: never executable, uncached (type 0). */
	w = walk(0xfec00000);
	assert_true(w.present);
	assert_int_equal(w.leaf & 0x3f, 0x03);
	assert_false(walk(0x1300000).present);
	assert_false(walk(0x1302000).present);
}

/* Verifies: REQ-XARCH-007 */
static void test_pool_exhaustion_is_an_error(void **state)
{
	struct pt_pool tiny = { pages, 1, 0 };
	pte_t *r = pt_alloc(&tiny);

	(void)state;
	assert_non_null(r);
	assert_int_equal(x86_pt_map(&tiny, r, 0, 0, 0x1000, x86_npt_attrs(CFG_ACCESS_R, false), X86_PTE_W, false),
			 PT_ERR_NOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_aligned_ram_uses_2mib_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unaligned_uses_4kib_pages_and_rights, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ept_entries_from_the_same_builder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_exhaustion_is_an_error, setup, teardown),
	};
	return cmocka_run_group_tests_name("x86_pt", tests, NULL, NULL);
}
