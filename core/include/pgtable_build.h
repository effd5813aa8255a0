/* SPDX-License-Identifier: MIT */
/*
 * The translation-table builder (pgtable.h), as an inline function of the
 * format: an architecture instantiates it for its own constant format
 * (arch/arm64/vmsa.c: vmsa_map), where the compiler folds every format field
 * into the code; the host unit tests instantiate it for formats of their own.
 * One source, so bhcc's counts (it links vmsa_map) and every pool agree with
 * what the hypervisor builds.
 *
 * Iterative: each chunk walks down from the root, allocating tables on the
 * way, then fills as many consecutive leaves of that table as the range allows.
 */
#ifndef BULKHEAD_PGTABLE_BUILD_H
#define BULKHEAD_PGTABLE_BUILD_H

#include "pgtable.h"

/* pt_alloc(), inline so that the register allocator sees what it clobbers. */
/* Implements: REQ-MEM-006 */
static inline __attribute__((always_inline)) pte_t *pt_take_page(struct pt_pool *pool)
{
	if (pool->used >= pool->n_pages) {
		return NULL;
	}
	pte_t *page = pool->pages[pool->used];
	pool->used++;
	/* Pool pages are not in .bss: zeroing them only when used keeps boot short.
	 * Eight entries per step lets the compiler use paired stores. */
	for (uint32_t i = 0u; i < PT_ENTRIES; i += 8u) {
		page[i] = 0u;
		page[i + 1u] = 0u;
		page[i + 2u] = 0u;
		page[i + 3u] = 0u;
		page[i + 4u] = 0u;
		page[i + 5u] = 0u;
		page[i + 6u] = 0u;
		page[i + 7u] = 0u;
	}
	return page;
}

/* Implements: REQ-MEM-005 */
static inline uint32_t pt_level_shift(uint32_t level)
{
	return PT_PAGE_SHIFT + (9u * (PT_LEAF_LEVEL - level));
}

/*
 * Walks from the root down to the level where the chunk at (va, pa) with
 * `left` bytes to go becomes one leaf, allocating tables on the way.
 * Implements: REQ-MEM-005
 */
static inline __attribute__((always_inline)) int pt_descend(const struct pt_format *f, struct pt_pool *pool,
							    pte_t *root, uint64_t va, uint64_t pa, uint64_t left,
							    pte_t **table, uint32_t *level)
{
	pte_t *t = root;
	uint32_t l = f->root_level;
	uint64_t block = (uint64_t)1u << pt_level_shift(l);

	/* At most three levels: for a constant format the walk becomes straight code. */
#pragma GCC unroll 3
	while (l < PT_LEAF_LEVEL) {
		if ((l >= f->block_level) && (((va | pa) & (block - 1u)) == 0u) && (left >= block)) {
			break;   /* one leaf at this level */
		}
		pte_t *e = &t[(va >> pt_level_shift(l)) & (PT_ENTRIES - 1u)];

		if ((*e & f->valid_mask) == 0u) {
			pte_t *next = pt_take_page(pool);
			if (next == NULL) {
				return PT_ERR_NOMEM;
			}
			*e = pt_table_addr(next) | f->table_bits;
		} else if ((*e & f->table_mask) != f->table_match) {
			return PT_ERR_OVERLAP;
		} else {
			/* A table already: descend into it. */
		}
		t = pt_table_ptr(f, *e);
		l++;
		block = (uint64_t)1u << pt_level_shift(l);
	}
	*table = t;
	*level = l;
	return PT_OK;
}

/*
 * Maps [va, va + size) to [pa, pa + size) under `root` in format `f` with
 * leaf attributes `attrs` (everything but the output address and the
 * format's descriptor type bits), using the largest blocks the format allows
 * wherever both addresses are aligned to them. PT_OK or a PT_ERR_ code.
 * Implements: REQ-MEM-005
 */
static inline __attribute__((always_inline)) int pt_build(const struct pt_format *f, struct pt_pool *pool,
							  pte_t *root, uint64_t va, uint64_t pa, uint64_t size,
							  uint64_t attrs)
{
	const uint64_t page_mask = ((uint64_t)1u << PT_PAGE_SHIFT) - 1u;
	const uint64_t limit = (uint64_t)1u << (pt_level_shift(f->root_level) + 9u);
	uint64_t next_va = va;
	uint64_t next_pa = pa;
	uint64_t left = size;

	if ((((va | pa | size) & page_mask) != 0u) || (va >= limit) || (size > (limit - va)) ||
	    ((pa & ~f->addr_mask) != 0u)) {
		return PT_ERR_ALIGN;
	}
	while (left > 0u) {
		pte_t *table = NULL;
		uint32_t level = f->root_level;
		int err = pt_descend(f, pool, root, next_va, next_pa, left, &table, &level);

		if (err != PT_OK) {
			return err;
		}
		/* Fill consecutive leaves of this table without walking down again. */
		uint64_t block = (uint64_t)1u << pt_level_shift(level);
		uint64_t type = (level == PT_LEAF_LEVEL) ? f->page_bits : f->block_bits;
		uint32_t idx = (uint32_t)((next_va >> pt_level_shift(level)) & (PT_ENTRIES - 1u));
		do {
			if ((table[idx] & f->valid_mask) != 0u) {
				return PT_ERR_OVERLAP;
			}
			table[idx] = next_pa | attrs | type;
			next_va += block;
			next_pa += block;
			left -= block;
			idx++;
		} while ((idx < PT_ENTRIES) && (left >= block));
	}
	return PT_OK;
}

#endif /* BULKHEAD_PGTABLE_BUILD_H */
