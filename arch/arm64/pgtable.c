/*
 * Translation table builder (see pgtable.h). Iterative: each chunk walks
 * down from the root, allocating tables on the way, then fills as many
 * consecutive leaves of that table as the range allows.
 */
#include "pgtable.h"

pte_t *pt_alloc(struct pt_pool *pool)
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

static unsigned level_shift(unsigned level)
{
	return 12u + (9u * (3u - level));
}

/*
 * Walks from the root down to the level where the chunk at (va, pa) with
 * `left` bytes to go becomes one leaf, allocating tables on the way.
 */
static int pt_descend(struct pt_pool *pool, pte_t *root, uint64_t va, uint64_t pa, uint64_t left,
		      pte_t **table, unsigned *level)
{
	pte_t *t = root;
	unsigned l = PT_START_LEVEL;
	uint64_t block = 1UL << level_shift(l);

	while ((l < 3u) && ((((va | pa) & (block - 1u)) != 0u) || (left < block))) {
		pte_t *e = &t[(va >> level_shift(l)) & (PT_ENTRIES - 1u)];

		if ((*e & PTE_VALID) == 0u) {
			pte_t *next = pt_alloc(pool);
			if (next == NULL) {
				return PT_ERR_NOMEM;
			}
			*e = pt_table_addr(next) | PTE_TYPE_TABLE;
		} else if ((*e & PTE_TYPE_MASK) != PTE_TYPE_TABLE) {
			return PT_ERR_OVERLAP;
		} else {
			/* A table already: descend into it. */
		}
		t = pt_table_ptr(*e);
		l++;
		block = 1UL << level_shift(l);
	}
	*table = t;
	*level = l;
	return PT_OK;
}

int pt_map(struct pt_pool *pool, pte_t *root, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs)
{
	const uint64_t page_mask = (1UL << 12) - 1u;
	uint64_t next_va = va;
	uint64_t next_pa = pa;
	uint64_t left = size;

	if ((((va | pa | size) & page_mask) != 0u) || (va >= (1UL << PT_VA_BITS)) ||
	    (size > ((1UL << PT_VA_BITS) - va)) || ((pa & ~PTE_ADDR_MASK) != 0u)) {
		return PT_ERR_ALIGN;
	}
	while (left > 0u) {
		pte_t *table = NULL;
		unsigned level = PT_START_LEVEL;
		int err = pt_descend(pool, root, next_va, next_pa, left, &table, &level);

		if (err != PT_OK) {
			return err;
		}
		/* Fill consecutive leaves of this table without walking down again. */
		uint64_t block = 1UL << level_shift(level);
		uint64_t type = (level == 3u) ? PTE_TYPE_PAGE : PTE_TYPE_BLOCK;
		uint32_t idx = (uint32_t)((next_va >> level_shift(level)) & (PT_ENTRIES - 1u));
		do {
			if ((table[idx] & PTE_VALID) != 0u) {
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
