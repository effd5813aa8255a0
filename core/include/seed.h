/* SPDX-License-Identifier: MIT */
/*
 * Per-boot seeds in a partition's device tree: /chosen's kaslr-seed (the
 * kernel's address randomisation) and rng-seed (its entropy pool), which
 * bhcc emits as zero-filled placeholders and names in cfg_partition.
 */
#ifndef BULKHEAD_SEED_H
#define BULKHEAD_SEED_H

#include "types.h"

struct partition;

/** What seeds_fill() did. */
enum seed_result {
	SEED_NONE = 0,      /* the partition's device tree has no seeds */
	SEED_FILLED,        /* every seed holds fresh entropy */
	SEED_REMOVED,       /* no entropy source: the properties are FDT_NOP now, never zeros */
	SEED_BAD_TABLE,     /* a placeholder is not where the configuration says: left alone */
};

/**
 * Fills the seeds of partition `p`'s device tree, just copied to `dt`
 * (`size` bytes, the partition's memory as the hypervisor maps it), from
 * arch_entropy(); when the board has no entropy source, or it fails,
 * overwrites each property with FDT_NOP tokens so the guest finds none
 * rather than a predictable one. Bounded: at most 9 entropy words.
 */
enum seed_result seeds_fill(const struct partition *p, uint8_t *dt, uint64_t size);

#endif /* BULKHEAD_SEED_H */
