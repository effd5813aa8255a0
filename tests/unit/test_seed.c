/* SPDX-License-Identifier: MIT */
/*
 * Per-boot seeds in a partition's device tree (core/seed.c), on a hand-made
 * flattened tree fragment: the two placeholder properties where the
 * configuration says, between other tokens that must stay untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "cfg.h"
#include "fake_arch.h"
#include "partition.h"
#include "seed.h"

#define KASLR_AT 16u
#define RNG_AT 40u            /* KASLR_AT + 12 + 8, and 4 more bytes of another token */
#define TREE 128u

static uint8_t tree[TREE];
static struct cfg_partition cfg = { .name = "os", .kaslr_seed = KASLR_AT, .rng_seed = RNG_AT };
static struct partition part = { .cfg = &cfg };

static void be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static uint32_t rd32(const uint8_t *b)
{
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

/* FDT_PROP, length, name offset, zeros: what bhcc emits. */
static void placeholder(uint32_t at, uint32_t len)
{
	be32(&tree[at], 3u);              /* FDT_PROP */
	be32(&tree[at + 4u], len);
	be32(&tree[at + 8u], 0x20u);
	memset(&tree[at + 12u], 0, len);
}

static int setup(void **state)
{
	(void)state;
	fake_reset();
	memset(tree, 0xee, sizeof(tree));        /* other tokens: must stay as they are */
	placeholder(KASLR_AT, 8u);
	placeholder(RNG_AT, CFG_RNG_SEED_SIZE);
	cfg.kaslr_seed = KASLR_AT;
	cfg.rng_seed = RNG_AT;
	return 0;
}

static bool all_zero(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (b[i] != 0u) {
			return false;
		}
	}
	return true;
}

static void untouched_outside(void)
{
	for (uint32_t i = 0; i < TREE; i++) {
		bool in_kaslr = i >= KASLR_AT && i < KASLR_AT + 20u;
		bool in_rng = i >= RNG_AT && i < RNG_AT + 12u + CFG_RNG_SEED_SIZE;
		if (!in_kaslr && !in_rng) {
			assert_int_equal(tree[i], 0xee);
		}
	}
}

/* Verifies: REQ-LNX-007 */
static void test_seeds_are_filled_from_the_entropy_source(void **state)
{
	(void)state;
	assert_int_equal(seeds_fill(&part, tree, sizeof(tree)), SEED_FILLED);
	assert_int_equal(fake.entropy_calls, 1u + CFG_RNG_SEED_SIZE / 8u);
	/* The properties stay properties of the same length, their values the source's words. */
	assert_int_equal(rd32(&tree[KASLR_AT]), 3u);
	assert_int_equal(rd32(&tree[KASLR_AT + 4u]), 8u);
	uint64_t kaslr;
	memcpy(&kaslr, &tree[KASLR_AT + 12u], 8);
	assert_true(kaslr == 0x0123456789abcdefu);
	assert_false(all_zero(&tree[RNG_AT + 12u], CFG_RNG_SEED_SIZE));
	uint64_t last;
	memcpy(&last, &tree[RNG_AT + 12u + CFG_RNG_SEED_SIZE - 8u], 8);
	assert_true(last == 0x0123456789abcdefu + CFG_RNG_SEED_SIZE / 8u);
	untouched_outside();
	/* The next boot gets other values. */
	setup(NULL);
	fake.entropy_next = 77u;
	assert_int_equal(seeds_fill(&part, tree, sizeof(tree)), SEED_FILLED);
	memcpy(&kaslr, &tree[KASLR_AT + 12u], 8);
	assert_true(kaslr == 77u);
}

/* Verifies: REQ-LNX-007 */
static void test_without_entropy_the_properties_are_removed_not_zero(void **state)
{
	(void)state;
	fake.no_entropy = true;
	assert_int_equal(seeds_fill(&part, tree, sizeof(tree)), SEED_REMOVED);
	for (uint32_t w = 0; w < (12u + 8u) / 4u; w++) {
		assert_int_equal(rd32(&tree[KASLR_AT + 4u * w]), 4u);   /* FDT_NOP */
	}
	for (uint32_t w = 0; w < (12u + CFG_RNG_SEED_SIZE) / 4u; w++) {
		assert_int_equal(rd32(&tree[RNG_AT + 4u * w]), 4u);
	}
	untouched_outside();
}

/* Verifies: REQ-LNX-007 */
static void test_a_source_failing_halfway_removes_both(void **state)
{
	(void)state;
	/* The kaslr seed and half the rng seed got words, then the source failed: neither may stay. */
	fake.entropy_limit = 1u + 4u;
	assert_int_equal(seeds_fill(&part, tree, sizeof(tree)), SEED_REMOVED);
	assert_int_equal(fake.entropy_calls, 1u + 4u + 1u);
	for (uint32_t w = 0; w < (12u + 8u) / 4u; w++) {
		assert_int_equal(rd32(&tree[KASLR_AT + 4u * w]), 4u);
	}
	for (uint32_t w = 0; w < (12u + CFG_RNG_SEED_SIZE) / 4u; w++) {
		assert_int_equal(rd32(&tree[RNG_AT + 4u * w]), 4u);
	}
	untouched_outside();
}

/* Verifies: REQ-LNX-007 */
static void test_a_placeholder_not_where_the_table_says_is_left_alone(void **state)
{
	(void)state;
	uint8_t before[TREE];

	memcpy(before, tree, sizeof(tree));
	cfg.rng_seed = RNG_AT + 4u;                 /* not a property token there */
	assert_int_equal(seeds_fill(&part, tree, sizeof(tree)), SEED_BAD_TABLE);
	cfg.rng_seed = RNG_AT;
	cfg.kaslr_seed = TREE - 8u;                 /* past the end */
	assert_int_equal(seeds_fill(&part, tree, sizeof(tree)), SEED_BAD_TABLE);
	cfg.kaslr_seed = KASLR_AT;
	be32(&tree[KASLR_AT + 4u], 4u);             /* the wrong length */
	assert_int_equal(seeds_fill(&part, tree, sizeof(tree)), SEED_BAD_TABLE);
	be32(&tree[KASLR_AT + 4u], 8u);
	/* Tokens and lengths are read as whole big-endian words: a stray high byte is no FDT_PROP
	 * and no length of 8. */
	static const uint32_t stray[] = { 0x80000000u, 0x00800000u, 0x01000000u };
	for (uint32_t i = 0u; i < sizeof(stray) / sizeof(stray[0]); i++) {
		be32(&tree[KASLR_AT], 3u | stray[i]);
		assert_int_equal(seeds_fill(&part, tree, sizeof(tree)), SEED_BAD_TABLE);
		be32(&tree[KASLR_AT], 3u);
		be32(&tree[KASLR_AT + 4u], 8u | stray[i]);
		assert_int_equal(seeds_fill(&part, tree, sizeof(tree)), SEED_BAD_TABLE);
		be32(&tree[KASLR_AT + 4u], 8u);
	}
	/* Offset 0 is "none": never taken for a placeholder, whatever the bytes there. */
	uint8_t head[8];
	memcpy(head, tree, sizeof(head));
	be32(&tree[0], 3u);                         /* FDT_PROP */
	be32(&tree[4], 8u);
	cfg.kaslr_seed = 0u;
	assert_int_equal(seeds_fill(&part, tree, sizeof(tree)), SEED_BAD_TABLE);
	memcpy(tree, head, sizeof(head));
	cfg.kaslr_seed = KASLR_AT;
	assert_memory_equal(tree, before, sizeof(tree));
	assert_int_equal(fake.entropy_calls, 0u);
	/* None asked for: nothing done. */
	cfg.kaslr_seed = 0u;
	cfg.rng_seed = 0u;
	assert_int_equal(seeds_fill(&part, tree, sizeof(tree)), SEED_NONE);
	assert_memory_equal(tree, before, sizeof(tree));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_seeds_are_filled_from_the_entropy_source, setup),
		cmocka_unit_test_setup(test_without_entropy_the_properties_are_removed_not_zero, setup),
		cmocka_unit_test_setup(test_a_source_failing_halfway_removes_both, setup),
		cmocka_unit_test_setup(test_a_placeholder_not_where_the_table_says_is_left_alone, setup),
	};
	return cmocka_run_group_tests_name("seed", tests, NULL, NULL);
}
