/* SPDX-License-Identifier: MIT */
/*
 * The translation-table builder's pool (see pgtable.h). The builder itself is
 * pgtable_build.h, which an architecture instantiates for its constant format
 * (arch/arm64/vmsa.c); the hypervisor links nothing it does not run.
 */
#include "pgtable.h"
#include "pgtable_build.h"

/* Implements: REQ-MEM-006 */
pte_t *pt_alloc(struct pt_pool *pool)
{
	return pt_take_page(pool);
}
