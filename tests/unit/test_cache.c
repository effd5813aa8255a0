/* SPDX-License-Identifier: MIT */
/*
 * arch/arm64/cache.c on the host: a blob's load copies every byte, takes the
 * one-pass copy-and-clean (arm64_copy_clean256, assembly on the target,
 * recorded here) only for whole 256-byte blocks of 64-byte aligned ends on
 * 64-byte lines, and cleans the rest line by line; a range operation touches
 * every line of its range once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "arch.h"
#include "arm64.h"

extern uint64_t host_sr_ctr_el0, host_dc_ops, host_dc_last;

#define SIZE 1000u

static uint8_t src[4096] __attribute__((aligned(256)));
static uint8_t dst[4096] __attribute__((aligned(256)));
static struct { uint64_t dst, src, blocks; unsigned calls; } fast;

/* What the assembly does: copies `blocks` * 256 bytes and cleans their lines. */
void arm64_copy_clean256(uint64_t d, uint64_t s, uint64_t blocks)
{
	fast.dst = d;
	fast.src = s;
	fast.blocks = blocks;
	fast.calls++;
	memcpy((void *)(uintptr_t)d, (const void *)(uintptr_t)s, blocks * 256u);
}

static void line_size(uint32_t bytes)
{
	host_sr_ctr_el0 = (uint64_t)__builtin_ctz(bytes / 4u) << 16;
}

static int setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(src); i++) {
		src[i] = (uint8_t)(i * 7u + 3u);
	}
	memset(dst, 0, sizeof(dst));
	memset(&fast, 0, sizeof(fast));
	host_dc_ops = 0;
	host_dc_last = 0;
	line_size(64u);
	return 0;
}

static void load(size_t to, size_t from, uint64_t size)
{
	arch_load_blob(pa_init((uintptr_t)&dst[to]), pa_init((uintptr_t)&src[from]), size);
	assert_memory_equal(&dst[to], &src[from], size);
}

/* 64-byte aligned ends on 64-byte lines: three whole blocks in one pass, the 232 bytes after them
 * copied and cleaned by line (4 lines). */
/* Verifies: REQ-MEM-008~2 */
static void test_aligned_blob_takes_the_one_pass_copy_for_whole_blocks(void **state)
{
	(void)state;
	load(0u, 0u, SIZE);
	assert_int_equal(fast.calls, 1u);
	assert_true(fast.dst == (uintptr_t)dst && fast.src == (uintptr_t)src);
	assert_int_equal(fast.blocks, 3u);
	assert_int_equal(host_dc_ops, 4u);
	assert_true(host_dc_last == (uintptr_t)&dst[960]);
	assert_int_equal(dst[SIZE], 0u);
}

/* A source or destination off a 64-byte boundary, other line sizes, less than a block: no one-pass
 * copy; every line of the destination is cleaned. */
/* Verifies: REQ-MEM-008~2 */
static void test_other_blobs_are_copied_and_cleaned_by_line(void **state)
{
	(void)state;
	load(0u, 8u, SIZE);                       /* the source misaligned */
	assert_int_equal(fast.calls, 0u);
	assert_int_equal(host_dc_ops, 16u);       /* [dst, dst + 1000): 16 lines of 64 */
	setup(NULL);
	load(32u, 0u, SIZE);                      /* the destination misaligned: [32, 1032) */
	assert_int_equal(fast.calls, 0u);
	assert_int_equal(host_dc_ops, 17u);
	setup(NULL);
	load(1u, 1u, SIZE);                       /* both misaligned by one byte */
	assert_int_equal(fast.calls, 0u);
	setup(NULL);
	line_size(32u);
	load(0u, 0u, SIZE);                       /* 32-byte lines */
	assert_int_equal(fast.calls, 0u);
	assert_int_equal(host_dc_ops, 32u);
	setup(NULL);
	load(0u, 0u, 255u);                       /* less than a block */
	assert_int_equal(fast.calls, 0u);
	assert_int_equal(host_dc_ops, 4u);
	setup(NULL);
	load(0u, 0u, 512u);                       /* exactly two blocks: nothing after them */
	assert_int_equal(fast.blocks, 2u);
	assert_int_equal(host_dc_ops, 0u);
}

/* A range operation covers every line its range touches, once: from the line holding the first
 * byte to the one holding the last. */
/* Verifies: REQ-MEM-008~2 */
static void test_range_operations_touch_each_line_once(void **state)
{
	(void)state;
	static const struct { uint64_t off, size, lines; } cases[] = {
		{ 0u, 64u, 1u }, { 0u, 65u, 2u }, { 63u, 2u, 2u }, { 0u, 192u, 3u }, { 0u, 256u, 4u }, { 0u, 320u, 5u }, { 10u, 1000u, 16u },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		host_dc_ops = 0;
		arm64_clean_inval_range((uintptr_t)&dst[cases[i].off], cases[i].size);
		assert_int_equal(host_dc_ops, cases[i].lines);
		host_dc_ops = 0;
		arm64_inval_range((uintptr_t)&dst[cases[i].off], cases[i].size);
		assert_int_equal(host_dc_ops, cases[i].lines);
		host_dc_ops = 0;
		arch_clean_to_poc(pa_init((uintptr_t)&dst[cases[i].off]), cases[i].size);
		assert_int_equal(host_dc_ops, cases[i].lines);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_aligned_blob_takes_the_one_pass_copy_for_whole_blocks, setup),
		cmocka_unit_test_setup(test_other_blobs_are_copied_and_cleaned_by_line, setup),
		cmocka_unit_test_setup(test_range_operations_touch_each_line_once, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
