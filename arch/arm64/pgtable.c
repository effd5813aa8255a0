/*
 * Translation table builder (see pgtable.h). Iterative: every chunk of the
 * range walks down from the root, allocating tables on the way.
 */
#include "pgtable.h"

pte_t *pt_alloc(struct pt_pool *pool)
{
	if (pool->used >= pool->n_pages) {
		return NULL;
	}
	pte_t *page = pool->pages[pool->used];
	pool->used++;
	/* Pool pages are not in .bss: zeroing them only when used keeps boot short. */
	for (uint32_t i = 0u; i < PT_ENTRIES; i++) {
		page[i] = 0u;
	}
	return page;
}

static unsigned level_shift(unsigned level)
{
	return 12u + (9u * (3u - level));
}

int pt_map(struct pt_pool *pool, pte_t *root, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs)
{
	const uint64_t page_mask = (1ul << 12) - 1u;

	if ((((va | pa | size) & page_mask) != 0u) || (va >= (1ul << PT_VA_BITS)) ||
	    (size > ((1ul << PT_VA_BITS) - va)) || ((pa & ~PTE_ADDR_MASK) != 0u)) {
		return PT_ERR_ALIGN;
	}
	while (size > 0u) {
		pte_t *table = root;

		for (unsigned level = PT_START_LEVEL; level <= 3u; level++) {
			uint64_t block = 1ul << level_shift(level);
			pte_t *e = &table[(va >> level_shift(level)) & (PT_ENTRIES - 1u)];
			bool leaf = (level == 3u) || ((((va | pa) & (block - 1u)) == 0u) && (size >= block));

			if (leaf) {
				if ((*e & PTE_VALID) != 0u) {
					return PT_ERR_OVERLAP;
				}
				*e = pa | attrs | ((level == 3u) ? PTE_TYPE_PAGE : PTE_TYPE_BLOCK);
				va += block;
				pa += block;
				size -= block;
				break;
			}
			if ((*e & PTE_VALID) == 0u) {
				pte_t *next = pt_alloc(pool);
				if (next == NULL) {
					return PT_ERR_NOMEM;
				}
				*e = (uint64_t)(uintptr_t)next | PTE_TYPE_TABLE;
			} else if ((*e & PTE_TYPE_MASK) != PTE_TYPE_TABLE) {
				return PT_ERR_OVERLAP;
			}
			table = pt_table_ptr(*e);
		}
	}
	return PT_OK;
}
