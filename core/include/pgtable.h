/* SPDX-License-Identifier: MIT */
/*
 * The translation-table builder: one algorithm for every table the
 * hypervisor builds (ARM64: each partition's stage 2 and its own EL2 map;
 * x86 next: NPT/EPT and the host's tables) and for bhcc, which runs it on
 * the host against a pool of its own to count the pages each pool needs.
 *
 * Every format it serves has 4 KiB tables of 512 eight-byte entries, levels
 * numbered so that level 3 maps 4 KiB pages, level 2 2 MiB and level 1
 * 1 GiB; a format differs in its root level, the largest block it allows
 * and how a descriptor says what it is (struct pt_format). Pure C on
 * <stdint.h> and types.h, so the host tests and bhcc run it unchanged.
 */
#ifndef BULKHEAD_PGTABLE_H
#define BULKHEAD_PGTABLE_H

#include "types.h"

#define PT_ENTRIES 512u
#define PT_PAGE_SHIFT 12u
#define PT_LEAF_LEVEL 3u

typedef uint64_t pte_t;

/**
 * A descriptor format. Level l of a table translates bits
 * [12 + 9 * (3 - l), 21 + 9 * (3 - l)) of the input address; the root at
 * root_level covers 2^(12 + 9 * (4 - root_level)) bytes of input.
 */
struct pt_format {
	uint8_t root_level;    /* 0 (48-bit input), 1 (39-bit) or 2 (30-bit) */
	uint8_t block_level;   /* lowest level number whose entries may be blocks: 1 (1 GiB) or 2 */
	pte_t valid_mask;      /* an entry with none of these bits set is free */
	pte_t table_mask;      /* an entry is a next-level table when (e & table_mask) == table_match */
	pte_t table_match;
	pte_t table_bits;      /* or'ed with a table's address to make a table descriptor */
	pte_t block_bits;      /* or'ed into a block descriptor (levels above 3) */
	pte_t page_bits;       /* or'ed into a page descriptor (level 3) */
	pte_t addr_mask;       /* the output address bits of a descriptor */
};

/** A statically sized pool of table pages. Not locked: callers serialise. */
struct pt_pool {
	pte_t (*pages)[PT_ENTRIES];
	uint32_t n_pages;
	uint32_t used;
};

#define PT_OK 0
#define PT_ERR_NOMEM (-1)      /* pool exhausted */
#define PT_ERR_ALIGN (-2)      /* address or size not 4 KiB aligned, or out of range */
#define PT_ERR_OVERLAP (-3)    /* part of the range is already mapped */

/** Takes one zeroed page from the pool; NULL when it is empty. */
pte_t *pt_alloc(struct pt_pool *pool);

/** Converts between a table's address and the pointer the builder uses: tables
 *  are in memory the hypervisor maps one to one (pa_ptr, pa_from_ptr). */
/* Implements: infrastructure */
static inline pte_t *pt_table_ptr(const struct pt_format *fmt, pte_t desc)
{
	return (pte_t *)pa_ptr(pa_init(desc & fmt->addr_mask));
}

/* Implements: infrastructure */
static inline pte_t pt_table_addr(const pte_t *table)
{
	return pa_addr(pa_from_ptr(table));
}

#endif /* BULKHEAD_PGTABLE_H */
