/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's memory and string routines (core/lib.c), built under
 * other names (tests/unit/lib.mk) beside the host's C library: exact copies
 * and fills for every alignment of both ends and every length up to and
 * past the 128-byte blocks, nothing written outside them, and memcmp's and
 * strlen's results. A partition's pristine image is copied by memcpy and its
 * memory cleared by memset at every start (REQ-MEM-008~2); console prefixes
 * are measured by strlen (REQ-CON-001).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "lib.h"

#define GUARD 16u
#define MAX_LEN 400u
#define ROOM (GUARD + 16u + MAX_LEN + GUARD)

/* Both buffers 16-byte aligned, so that an offset names the alignment of an end. */
static _Alignas(16) uint8_t src[ROOM];
static _Alignas(16) uint8_t dst[ROOM];

static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 7u + 3u + (i >> 8));
}

static void fill(uint8_t *buf, uint8_t v)
{
	for (size_t i = 0u; i < ROOM; i++) {
		buf[i] = v;
	}
}

/* Every length to MAX_LEN (the 16-byte pairs, the 128-byte blocks and the tails), every
 * alignment of each end: the copy is exact, returns dst and writes nothing else. */
/* Verifies: REQ-MEM-008~2 */
static void test_memcpy_exact_at_every_alignment_and_length(void **state)
{
	(void)state;
	for (size_t i = 0u; i < ROOM; i++) {
		src[i] = pattern(i);
	}
	for (size_t so = 0u; so < 16u; so += 1u) {
		for (size_t doff = 0u; doff < 16u; doff += (so == 0u || so == 8u) ? 1u : 5u) {
			for (size_t n = 0u; n <= MAX_LEN; n++) {
				uint8_t *d = &dst[GUARD + doff];
				const uint8_t *s = &src[GUARD + so];

				fill(dst, 0xa5u);
				assert_ptr_equal(memcpy(d, s, n), d);
				for (size_t k = 0u; k < n; k++) {
					if (d[k] != s[k]) {
						fail_msg("memcpy(dst+%zu, src+%zu, %zu): byte %zu is %u, not %u", doff, so, n, k,
							 d[k], s[k]);
					}
				}
				for (size_t k = 0u; k < ROOM; k++) {
					if ((k < GUARD + doff || k >= GUARD + doff + n) && dst[k] != 0xa5u) {
						fail_msg("memcpy(dst+%zu, src+%zu, %zu) wrote byte %zu outside", doff, so, n, k);
					}
				}
			}
		}
	}
}

/* A whole partition-sized copy: many 128-byte blocks and a tail. */
/* Verifies: REQ-MEM-008~2 */
static void test_memcpy_of_many_blocks(void **state)
{
	static _Alignas(16) uint8_t big_src[8192u + 40u];
	static _Alignas(16) uint8_t big_dst[8192u + 40u + GUARD];

	(void)state;
	for (size_t i = 0u; i < sizeof(big_src); i++) {
		big_src[i] = pattern(i * 13u);
	}
	for (size_t i = 0u; i < sizeof(big_dst); i++) {
		big_dst[i] = 0x5au;
	}
	memcpy(big_dst, big_src, sizeof(big_src));
	assert_memory_equal(big_dst, big_src, sizeof(big_src));
	for (size_t i = sizeof(big_src); i < sizeof(big_dst); i++) {
		assert_int_equal(big_dst[i], 0x5au);
	}
}

/* The fill is the low byte of c, exactly n bytes at any alignment, and returns dst. */
/* Verifies: REQ-MEM-008~2 */
static void test_memset_fills_exactly_n_bytes(void **state)
{
	(void)state;
	for (size_t off = 0u; off < 16u; off++) {
		for (size_t n = 0u; n <= 300u; n++) {
			uint8_t *d = &dst[GUARD + off];

			fill(dst, 0x3cu);
			assert_ptr_equal(memset(d, 0x1e7, n), d);
			for (size_t k = 0u; k < ROOM; k++) {
				uint8_t want = (k >= GUARD + off && k < GUARD + off + n) ? 0xe7u : 0x3cu;

				if (dst[k] != want) {
					fail_msg("memset(dst+%zu, 0x1e7, %zu): byte %zu is %u", off, n, k, dst[k]);
				}
			}
		}
	}
}

/* Equal ranges compare 0, the first differing byte decides as an unsigned byte, bytes past n do
 * not count. */
/* Verifies: REQ-MEM-008~2 */
static void test_memcmp_orders_by_first_difference(void **state)
{
	uint8_t a[8] = { 1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u };
	uint8_t b[8] = { 1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u };

	(void)state;
	assert_int_equal(memcmp(a, b, 8u), 0);
	assert_int_equal(memcmp(a, b, 0u), 0);
	b[7] = 9u;
	assert_int_equal(memcmp(a, b, 7u), 0);
	assert_int_equal(memcmp(a, b, 8u), -1);
	assert_int_equal(memcmp(b, a, 8u), 1);
	a[0] = 0x80u;
	b[0] = 0x7fu;
	assert_int_equal(memcmp(a, b, 8u), 1);   /* unsigned: 0x80 > 0x7f, though b differs later too */
	assert_int_equal(memcmp(b, a, 1u), -1);
	a[0] = 1u;
	b[0] = 1u;
	a[3] = 0u;
	assert_int_equal(memcmp(a, b, 8u), -1);  /* the first difference, not the last */
}

/* Verifies: REQ-CON-001 */
static void test_strlen_counts_to_the_terminator(void **state)
{
	static const char text[] = "[bulkhead] \0after";

	(void)state;
	assert_int_equal(strlen(""), 0);
	assert_int_equal(strlen("a"), 1);
	assert_int_equal(strlen(text), 11);
	assert_int_equal(strlen(&text[12]), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy_exact_at_every_alignment_and_length),
		cmocka_unit_test(test_memcpy_of_many_blocks),
		cmocka_unit_test(test_memset_fills_exactly_n_bytes),
		cmocka_unit_test(test_memcmp_orders_by_first_difference),
		cmocka_unit_test(test_strlen_counts_to_the_terminator),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
