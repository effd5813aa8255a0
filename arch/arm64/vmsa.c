/* SPDX-License-Identifier: MIT */
/*
 * The VMSAv8-64 descriptor format (vmsa.h) and core's table builder
 * instantiated for it. bhcc's arm64 back end links this file too, so that
 * it counts table pages with exactly the code the hypervisor runs.
 */
#include "vmsa.h"
#include "pgtable_build.h"

#define VMSA_TYPE_MASK  3UL
#define VMSA_TYPE_BLOCK 1UL   /* levels 1 and 2 */
#define VMSA_TYPE_TABLE 3UL   /* levels 1 and 2 */
#define VMSA_TYPE_PAGE  3UL   /* level 3 */

const struct pt_format vmsa_format = {
	.root_level = 1u,
	.block_level = 1u,
	.valid_mask = PTE_VALID,
	.table_mask = VMSA_TYPE_MASK,
	.table_match = VMSA_TYPE_TABLE,
	.table_bits = VMSA_TYPE_TABLE,
	.block_bits = VMSA_TYPE_BLOCK,
	.page_bits = VMSA_TYPE_PAGE,
	.addr_mask = 0x0000fffffffff000UL,
};

/* Implements: REQ-MEM-005, REQ-MEM-007 */
int vmsa_map(struct pt_pool *pool, pte_t *root, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs)
{
	return pt_build(&vmsa_format, pool, root, va, pa, size, attrs);
}
