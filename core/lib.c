/* SPDX-License-Identifier: MIT */
/*
 * Freestanding memory and string routines. Built with
 * -fno-tree-loop-distribute-patterns so GCC does not turn these loops back
 * into calls to themselves.
 */
#include "lib.h"

/* Implements: infrastructure */
void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	size_t i = 0u;

	/* Partition images are copied at every start: move words when both ends allow it. */
	if ((((uintptr_t)dst | (uintptr_t)src) & 7u) == 0u) {
		uint64_t *dw = dst;
		const uint64_t *sw = src;
		size_t words = (n / 16u) * 2u;

		for (size_t w = 0u; w < words; w += 2u) {
			uint64_t a = sw[w];
			uint64_t b = sw[w + 1u];
			dw[w] = a;
			dw[w + 1u] = b;
		}
		i = words * 8u;
	}
	for (; i < n; i++) {
		d[i] = s[i];
	}
	return dst;
}

/* Implements: infrastructure */
void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	for (size_t i = 0u; i < n; i++) {
		d[i] = (uint8_t)c;
	}
	return dst;
}

/* Implements: infrastructure */
int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a;
	const uint8_t *y = b;

	for (size_t i = 0u; i < n; i++) {
		if (x[i] != y[i]) {
			return (x[i] < y[i]) ? -1 : 1;
		}
	}
	return 0;
}

/* Implements: infrastructure */
size_t strlen(const char *s)
{
	size_t n = 0u;

	while (s[n] != '\0') {
		n++;
	}
	return n;
}
