/*
 * Freestanding memory and string routines. Built with
 * -fno-tree-loop-distribute-patterns so GCC does not turn these loops back
 * into calls to themselves.
 */
#include "lib.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	/* Partition images are copied at every start: move words when both ends allow it. */
	if ((((uintptr_t)d | (uintptr_t)s) & 7u) == 0u) {
		while (n >= 16u) {
			uint64_t a = ((const uint64_t *)(const void *)s)[0];
			uint64_t b = ((const uint64_t *)(const void *)s)[1];
			((uint64_t *)(void *)d)[0] = a;
			((uint64_t *)(void *)d)[1] = b;
			d += 16;
			s += 16;
			n -= 16u;
		}
	}
	while (n > 0u) {
		*d = *s;
		d++;
		s++;
		n--;
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	while (n > 0u) {
		*d = (uint8_t)c;
		d++;
		n--;
	}
	return dst;
}

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

size_t strlen(const char *s)
{
	size_t n = 0u;

	while (s[n] != '\0') {
		n++;
	}
	return n;
}
