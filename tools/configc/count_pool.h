/* SPDX-License-Identifier: MIT */
/*
 * A pool of translation-table pages for dry runs: a back end runs the
 * hypervisor's own table builder (core/include/pgtable.h) against it and
 * reads how many pages it took, so that every pool the hypervisor sizes from
 * bhcc's counts is counted by the code that fills it.
 */
#ifndef BHCC_COUNT_POOL_H
#define BHCC_COUNT_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "pgtable.h"

struct count_pool {
	struct pt_pool pool;
	void *base;
	size_t bytes;
};

/**
 * Opens a pool of @pages pages (at least 1). The pages are address space the
 * system backs only when the builder writes them, so a bound far above the
 * real need costs nothing. False when the space cannot be reserved.
 */
bool count_pool_open(struct count_pool *cp, uint64_t pages);

/** Gives the pool's pages back. */
void count_pool_close(struct count_pool *cp);

/**
 * The most table pages format @fmt can need to map a range of @size bytes
 * from @va (every slot it touches above the leaf level needs at most one).
 */
uint64_t count_pool_bound(const struct pt_format *fmt, uint64_t va, uint64_t size);

/**
 * The level of the deepest table on the walk from `root` to `va`: the root's
 * level when the root's entry for `va` is not a table, up to 3 when a
 * level-3 table maps it. Tells where a dry run's tables exist already.
 */
uint32_t pt_table_depth(const struct pt_format *fmt, const pte_t *root, uint64_t va);

#endif /* BHCC_COUNT_POOL_H */
