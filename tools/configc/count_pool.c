/* SPDX-License-Identifier: MIT */
/* Table pages for dry runs of the hypervisor's table builder (count_pool.h). */
#include <sys/mman.h>

#include "count_pool.h"
#include "pgtable_build.h"

bool count_pool_open(struct count_pool *cp, uint64_t pages)
{
	uint64_t n = pages ? pages : 1;

	if (n > UINT32_MAX)
		return false;
	cp->bytes = (size_t)n * PT_ENTRIES * sizeof(pte_t);
	cp->base = mmap(NULL, cp->bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			-1, 0);
	if (cp->base == MAP_FAILED)
		return false;
	cp->pool = (struct pt_pool){ (pte_t (*)[PT_ENTRIES])cp->base, (uint32_t)n, 0 };
	return true;
}

void count_pool_close(struct count_pool *cp)
{
	munmap(cp->base, cp->bytes);
	cp->base = NULL;
}

uint64_t count_pool_bound(const struct pt_format *fmt, uint64_t va, uint64_t size)
{
	uint64_t pages = 0;

	if (!size)
		return 0;
	for (uint32_t l = fmt->root_level; l < PT_LEAF_LEVEL; l++) {
		uint32_t shift = PT_PAGE_SHIFT + 9u * (PT_LEAF_LEVEL - l);

		pages += ((va + (size - 1)) >> shift) - (va >> shift) + 1;
	}
	return pages;
}

uint32_t pt_table_depth(const struct pt_format *fmt, const pte_t *root, uint64_t va)
{
	const pte_t *t = root;
	uint32_t l = fmt->root_level;

	while (l < PT_LEAF_LEVEL) {
		pte_t e = t[(va >> pt_level_shift(l)) & (PT_ENTRIES - 1u)];

		if (((e & fmt->valid_mask) == 0u) || ((e & fmt->table_mask) != fmt->table_match))
			break;
		t = pt_table_ptr(fmt, e);
		l++;
	}
	return l;
}
