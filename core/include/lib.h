/* SPDX-License-Identifier: MIT */
/*
 * The few C library routines the freestanding hypervisor needs. GCC may emit
 * calls to memcpy/memset on its own, so they keep their standard names.
 */
#ifndef BULKHEAD_LIB_H
#define BULKHEAD_LIB_H

#include "types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/** True when [base, base + size) lies inside [outer, outer + outer_size), without overflow. */
/* Implements: REQ-HC-003 */
static inline bool range_within(uint64_t base, uint64_t size, uint64_t outer, uint64_t outer_size)
{
	return (base >= outer) && (size <= outer_size) && ((base - outer) <= (outer_size - size));
}

#endif /* BULKHEAD_LIB_H */
