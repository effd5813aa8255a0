/* SPDX-License-Identifier: MIT */
/*
 * Freestanding memory and string routines. Built with
 * -fno-tree-loop-distribute-patterns so GCC does not turn these loops back
 * into calls to themselves.
 */
#include "lib.h"

/*
 * Copies `blocks` 128-byte blocks, both ends 8-byte aligned; returns the words
 * copied. Sixteen loads before sixteen stores (paired by the compiler): the
 * loop's own test is paid once per 128 bytes. Out of line so that a short
 * copy does not pay for the registers it needs.
 */
/* Implements: infrastructure */
static __attribute__((noinline)) size_t copy_blocks128(uint64_t *dw, const uint64_t *sw, size_t blocks)
{
	for (size_t b = 0u; b < blocks; b++) {
		const uint64_t *from = &sw[b * 16u];
		uint64_t *to = &dw[b * 16u];
		uint64_t a0 = from[0];
		uint64_t a1 = from[1];
		uint64_t a2 = from[2];
		uint64_t a3 = from[3];
		uint64_t a4 = from[4];
		uint64_t a5 = from[5];
		uint64_t a6 = from[6];
		uint64_t a7 = from[7];
		uint64_t a8 = from[8];
		uint64_t a9 = from[9];
		uint64_t a10 = from[10];
		uint64_t a11 = from[11];
		uint64_t a12 = from[12];
		uint64_t a13 = from[13];
		uint64_t a14 = from[14];
		uint64_t a15 = from[15];

		to[0] = a0;
		to[1] = a1;
		to[2] = a2;
		to[3] = a3;
		to[4] = a4;
		to[5] = a5;
		to[6] = a6;
		to[7] = a7;
		to[8] = a8;
		to[9] = a9;
		to[10] = a10;
		to[11] = a11;
		to[12] = a12;
		to[13] = a13;
		to[14] = a14;
		to[15] = a15;
	}
	return blocks * 16u;
}

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
		size_t w = 0u;

		/* Whole 128-byte blocks first (partition images, at every start). */
		if (words >= 16u) {
			w = copy_blocks128(dw, sw, words / 16u);
		}
		for (; w < words; w += 2u) {
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
