/*
 * VMSAv8-64 translation tables, 4 KiB granule, 39-bit input addresses,
 * lookup starting at level 1. The same builder serves the hypervisor's own
 * EL2 stage-1 tables and every partition's stage-2 tables; only the leaf
 * attributes differ. Pure C, so the host unit tests run it unchanged.
 */
#ifndef ARM64_PGTABLE_H
#define ARM64_PGTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "types.h"

#define PT_ENTRIES 512u
#define PT_VA_BITS 39u
#define PT_START_LEVEL 1u

typedef uint64_t pte_t;

#define PTE_VALID      (1UL << 0)
#define PTE_TYPE_MASK  3UL
#define PTE_TYPE_BLOCK 1UL   /* levels 1 and 2 */
#define PTE_TYPE_TABLE 3UL   /* levels 1 and 2 */
#define PTE_TYPE_PAGE  3UL   /* level 3 */
#define PTE_ADDR_MASK  0x0000fffffffff000UL
#define PTE_AF         (1UL << 10)
#define PTE_SH_INNER   (3UL << 8)

/* Stage-1 (EL2) leaf attributes */
#define PTE_S1_ATTR(idx) ((uint64_t)(idx) << 2)   /* index into MAIR_EL2 */
#define PTE_S1_AP_RO   (1UL << 7)
#define PTE_S1_AP1     (1UL << 6)                 /* RES1 in the EL2 regime */
#define PTE_S1_XN      (1UL << 54)

/* Stage-2 leaf attributes */
#define PTE_S2_MEMATTR_NORMAL_WB (0xfUL << 2)
#define PTE_S2_MEMATTR_DEVICE    (0x1UL << 2)     /* Device-nGnRE */
#define PTE_S2_AP_R    (1UL << 6)
#define PTE_S2_AP_W    (1UL << 7)
#define PTE_S2_XN      (1UL << 54)

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

/**
 * Maps [va, va + size) to [pa, pa + size) under `root` with leaf attributes
 * `attrs` (everything but the output address and the descriptor type),
 * using 1 GiB and 2 MiB blocks wherever both addresses are aligned.
 */
int pt_map(struct pt_pool *pool, pte_t *root, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs);

/** Converts between a table's address and the pointer the builder uses: tables
 *  are in memory the hypervisor maps one to one (pa_ptr, pa_from_ptr). */
static inline pte_t *pt_table_ptr(pte_t desc)
{
	return (pte_t *)pa_ptr(pa_init(desc & PTE_ADDR_MASK));
}

static inline pte_t pt_table_addr(const pte_t *table)
{
	return pa_addr(pa_from_ptr(table));
}

#endif /* ARM64_PGTABLE_H */
