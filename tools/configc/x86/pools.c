/* SPDX-License-Identifier: MIT */
/*
 * The nested page tables' pool, counted by a dry run of the hypervisor's own
 * builder (x86_pt_map: core/pgtable.c in arch/x86/x86_pt.c's format) against
 * a pool of host pages (count_pool.h): each partition's regions mapped as
 * arch/x86/npt.c maps them, from a root taken from the same pool. The sum is
 * BH_S2_POOL_PAGES. The hypervisor's own map has a fixed pool of its own
 * (arch/x86/setup.c), so there is no EL2-style count.
 */
#include "backend.h"
#include "cfg.h"
#include "count_pool.h"
#include "pools.h"
#include "x86_pt.h"

/* The most pages a four-level tree can take over the 48-bit space. */
#define TREE_MAX_PAGES (1u + 512u + 512u * 512u + 512u * 512u * 512u)

/* The same format x86_pt.c builds with, for count_pool_bound() (2 MiB blocks). */
static const struct pt_format npt_format = {
	.root_level = 0u,
	.block_level = 2u,
	.valid_mask = X86_PTE_P,
	.table_mask = X86_PTE_P | X86_PTE_PS,
	.table_match = X86_PTE_P,
	.table_bits = X86_PTE_P | X86_PTE_W | X86_PTE_U,
	.block_bits = X86_PTE_PS,
	.page_bits = 0u,
	.addr_mask = X86_PTE_ADDR,
};

unsigned npt_partition_pages(const struct bh_partition *p)
{
	struct count_pool cp;
	uint64_t bound = 1;
	unsigned pages = POOL_COUNT_FAILED;
	pte_t *root;
	bool ok = true;

	for (unsigned i = 0; i < p->n_regions; i++)
		bound += count_pool_bound(&npt_format, p->regions[i].ipa, p->regions[i].size);
	if (!count_pool_open(&cp, bound < TREE_MAX_PAGES ? bound : TREE_MAX_PAGES))
		return POOL_COUNT_FAILED;
	root = pt_alloc(&cp.pool);
	for (unsigned i = 0; ok && i < p->n_regions; i++) {
		const struct bh_region *r = &p->regions[i];

		ok = x86_pt_map(&cp.pool, root, r->ipa, r->pa, r->size,
				x86_npt_attrs(r->access, r->kind == CFG_REGION_DEVICE),
				X86_PTE_W | X86_PTE_U, false) == PT_OK;
	}
	if (ok && root)
		pages = cp.pool.used;
	count_pool_close(&cp);
	return pages;
}

void be_count_pools(struct bh_ctx *c)
{
	struct bh_system *s = c->sys;

	s->s2_pages = 0;
	s->el2_pages = 0;
	for (unsigned i = 0; i < s->n_partitions; i++) {
		struct bh_partition *p = &s->partitions[i];

		p->s2_pages = npt_partition_pages(p);
		if (p->s2_pages == POOL_COUNT_FAILED) {
			diag_error(c->diag, p->path, NULL,
				   "internal error: the hypervisor's nested-page-table builder refuses this partition's map (or bhcc could not reserve memory to count it)");
			return;
		}
		s->s2_pages += p->s2_pages;
	}
}
