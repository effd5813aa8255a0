/* SPDX-License-Identifier: MIT */
/*
 * Address range arithmetic that never overflows: a range is [base, last]
 * with last = base + size - 1, so a range ending at 2^64 is still valid.
 */
#ifndef BHCC_RANGE_H
#define BHCC_RANGE_H

#include <stdbool.h>
#include <stdint.h>

/** True when [base, base + size) runs past 2^64. */
static inline bool range_wraps(uint64_t base, uint64_t size)
{
	return size != 0 && base > UINT64_MAX - (size - 1);
}

/** Last address of a non-empty, non-wrapping range. */
static inline uint64_t range_last(uint64_t base, uint64_t size)
{
	return base + (size - 1);
}

/** True when two non-empty, non-wrapping ranges share an address. */
static inline bool ranges_overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
	return a <= range_last(b, b_size) && b <= range_last(a, a_size);
}

/** True when [base, base + size) lies inside [outer, outer + outer_size). */
static inline bool range_inside(uint64_t base, uint64_t size, uint64_t outer, uint64_t outer_size)
{
	return base >= outer && size <= outer_size && base - outer <= outer_size - size;
}

/** True when @addr lies inside [base, base + size). */
static inline bool range_contains(uint64_t base, uint64_t size, uint64_t addr)
{
	return addr >= base && addr - base < size;
}

static inline bool is_aligned(uint64_t v, uint64_t align)
{
	return (v & (align - 1)) == 0;
}

#endif /* BHCC_RANGE_H */
