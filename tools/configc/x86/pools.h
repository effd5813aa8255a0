/* SPDX-License-Identifier: MIT */
/* The nested page tables' pool (pools.c), for the unit tests. */
#ifndef BHCC_X86_POOLS_H
#define BHCC_X86_POOLS_H

#include "bhcc.h"

/* What the count returns when the builder refused a mapping. */
#define POOL_COUNT_FAILED (~0u)

/**
 * Pages of one partition's nested page tables, the PML4 root included: what
 * arch/x86/npt.c takes from BH_S2_POOL_PAGES for its regions.
 */
unsigned npt_partition_pages(const struct bh_partition *p);

#endif
