/* SPDX-License-Identifier: MIT */
/* The table pages of the hypervisor's pools (pools.c), for the unit tests. */
#ifndef BHCC_ARM64_POOLS_H
#define BHCC_ARM64_POOLS_H

#include "bhcc.h"

/* What the counts return when the builder refused a mapping. */
#define POOL_COUNT_FAILED (~0u)

/** One stage-2 mapping as the hypervisor's builder sees it. */
struct s2_map {
	uint64_t ipa;
	uint64_t pa;
	uint64_t size;
};

/**
 * Number of 4 KiB translation table pages one partition's stage-2 tables
 * take, including the level-1 root: what vmsa_map() takes for @maps.
 */
unsigned s2_count_pages(const struct s2_map *maps, unsigned n);

/** s2_count_pages() over a partition's regions. */
unsigned s2_partition_pages(const struct bh_partition *p);

/**
 * Pool pages the hypervisor's EL2 map needs (its root is separate): exact for
 * partition RAM, console and GIC, the worst case of any layout for the image
 * inside the hypervisor region.
 */
unsigned el2_count_pages(const struct bh_system *sys);

#endif
