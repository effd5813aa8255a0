/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 tables of one partition, built at build time: tools/el2map/s2map.c
 * runs this file on the host for every partition of the generated tables and
 * places the result in the image (gen/s2_tables.S), where stage2.c only
 * installs it. Not part of the image. bhcc counted the pool with the same
 * builder (vmsa_map), so a pool that runs out is an inconsistent build.
 */
#include "arm64.h"
#include "cfg.h"
#include "vmsa.h"

/* Implements: REQ-MEM-002, REQ-MEM-003, REQ-MEM-005, REQ-MEM-010, REQ-BLD-033 */
int arm64_s2_map_region(struct pt_pool *pool, pte_t *root, const struct cfg_region *r)
{
	uint64_t attrs = PTE_AF;

	if (r->kind == (uint8_t)CFG_REGION_DEVICE) {
		attrs |= PTE_S2_MEMATTR_DEVICE | PTE_S2_XN;
	} else {
		attrs |= PTE_S2_MEMATTR_NORMAL_WB | PTE_SH_INNER;
		if ((r->access & CFG_ACCESS_X) == 0u) {
			attrs |= PTE_S2_XN;
		}
	}
	if ((r->access & CFG_ACCESS_R) != 0u) {
		attrs |= PTE_S2_AP_R;
	}
	if ((r->access & CFG_ACCESS_W) != 0u) {
		attrs |= PTE_S2_AP_W;
	}
	return vmsa_map(pool, root, r->ipa, r->pa, r->size, attrs);
}
