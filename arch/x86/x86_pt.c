/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 page-table format for core's builder (x86_pt.h). Levels as
 * pgtable.h numbers them: 0 the PML4, 1 the PDPT (1 GiB), 2 the PD (2 MiB),
 * 3 the PT (4 KiB). An entry is a table when P is set and PS clear.
 */
#include "cfg.h"
#include "pgtable_build.h"
#include "x86_pt.h"

static inline __attribute__((always_inline)) struct pt_format x86_format(uint64_t table_bits, bool gib_pages)
{
	return (struct pt_format){
		.root_level = 0u,
		.block_level = gib_pages ? 1u : 2u,
		.valid_mask = X86_PTE_P,
		.table_mask = X86_PTE_P | X86_PTE_PS,
		.table_match = X86_PTE_P,
		.table_bits = table_bits | X86_PTE_P,
		.block_bits = X86_PTE_PS,
		.page_bits = 0u,
		.addr_mask = X86_PTE_ADDR,
	};
}

int x86_pt_map(struct pt_pool *pool, pte_t *root, uint64_t va, uint64_t pa, uint64_t size,
	       uint64_t attrs, uint64_t table_bits, bool gib_pages)
{
	const struct pt_format f = x86_format(table_bits, gib_pages);

	return pt_build(&f, pool, root, va, pa, size, attrs);
}

uint64_t x86_npt_attrs(uint8_t access, bool device)
{
	uint64_t attrs = X86_PTE_P | X86_PTE_U;

	if ((access & CFG_ACCESS_W) != 0u) {
		attrs |= X86_PTE_W;
	}
	if (device || ((access & CFG_ACCESS_X) == 0u)) {
		attrs |= X86_PTE_NX;
	}
	if (device) {
		attrs |= X86_PTE_PCD | X86_PTE_PWT;   /* uncached */
	}
	return attrs;
}

uint64_t x86_ept_attrs(uint8_t access, bool device)
{
	uint64_t attrs = X86_EPT_R | (device ? X86_EPT_MT_UC : X86_EPT_MT_WB);

	if ((access & CFG_ACCESS_W) != 0u) {
		attrs |= X86_EPT_W;
	}
	if (!device && ((access & CFG_ACCESS_X) != 0u)) {
		attrs |= X86_EPT_X;
	}
	return attrs;
}
