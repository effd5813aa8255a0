/* SPDX-License-Identifier: MIT */
/*
 * The translation-table builder (see pgtable.h): its pool, and the builder
 * for a format known only at run time (pgtable_build.h holds the algorithm).
 */
#include "pgtable.h"
#include "pgtable_build.h"

pte_t *pt_alloc(struct pt_pool *pool)
{
	return pt_take_page(pool);
}

int pt_map(const struct pt_format *fmt, struct pt_pool *pool, pte_t *root, uint64_t va, uint64_t pa,
	   uint64_t size, uint64_t attrs)
{
	return pt_build(fmt, pool, root, va, pa, size, attrs);
}

uint32_t pt_table_depth(const struct pt_format *fmt, const pte_t *root, uint64_t va)
{
	const pte_t *t = root;
	uint32_t l = fmt->root_level;

	while (l < PT_LEAF_LEVEL) {
		pte_t e = t[(va >> pt_level_shift(l)) & (PT_ENTRIES - 1u)];

		if (((e & fmt->valid_mask) == 0u) || ((e & fmt->table_mask) != fmt->table_match)) {
			break;
		}
		t = pt_table_ptr(fmt, e);
		l++;
	}
	return l;
}
