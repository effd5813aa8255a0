/* SPDX-License-Identifier: MIT */
/*
 * The partition runtime's message ring (partitions/runtime/ring.c): order and
 * exactly-once delivery under back-pressure, a hostile peer's indices and
 * lengths, lossy mode, restarts of either side. The shared region is a heap
 * block of exactly its size, so the sanitizer build (ring_san) catches any
 * access outside it; guard bytes catch writes beyond a caller's buffer.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "bhrt_ring.h"

#define REGION 4096u
#define SLOT 64u

static uint8_t *region;
static struct rt_ring_area area;

static int setup(void **state)
{
	(void)state;
	region = aligned_alloc(64, REGION);
	assert_non_null(region);
	memset(region, 0, REGION);
	assert_int_equal(rt_ring_area_in(region, REGION, SLOT, &area), RT_RING_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(region);
	return 0;
}

static uint32_t *shared_head(void) { return (uint32_t *)area.producer; }
static uint32_t *shared_tail(void) { return (uint32_t *)area.consumer; }

static int send_u64(struct rt_ring *tx, uint64_t v)
{
	return rt_ring_send(tx, &v, sizeof(v));
}

static int recv_u64(struct rt_ring *rx, uint64_t *v)
{
	size_t len = 0;
	int rc = rt_ring_recv(rx, v, sizeof(*v), &len);

	if (rc == RT_RING_OK) {
		assert_int_equal(len, sizeof(*v));
	}
	return rc;
}

/* Verifies: REQ-CHN-001 */
static void test_layout_fills_the_region_with_a_power_of_two(void **state)
{
	struct rt_ring_area a;
	(void)state;
	/* 4096 - 128 bytes of control leave room for 60 slots of 64: 32 is the power of two. */
	assert_int_equal(area.capacity, 32u);
	assert_ptr_equal(area.producer, region);
	assert_ptr_equal(area.consumer, region + 64);
	assert_ptr_equal(area.slots, region + 128);
	assert_int_equal(rt_ring_area_in(region, REGION, 48u, &a), RT_RING_INVALID);
	assert_int_equal(rt_ring_area_in(region, REGION, 8u, &a), RT_RING_INVALID);
	assert_int_equal(rt_ring_area_in(region + 8, REGION - 8, SLOT, &a), RT_RING_INVALID);
	assert_int_equal(rt_ring_area_in(region, 128u + SLOT, SLOT, &a), RT_RING_INVALID);
	assert_int_equal(rt_ring_area_in(region, 128u + 2u * SLOT, SLOT, &a), RT_RING_OK);
	assert_int_equal(a.capacity, 2u);
}

/* Verifies: REQ-CHN-001 */
static void test_attach_refuses_a_bad_area(void **state)
{
	struct rt_ring r;
	struct rt_ring_area a = area;
	(void)state;
	a.capacity = 24u;
	assert_int_equal(rt_ring_attach_producer(&r, &a, RT_RING_BACKPRESSURE), RT_RING_INVALID);
	a = area;
	a.slot_size = 12u;
	assert_int_equal(rt_ring_attach_consumer(&r, &a), RT_RING_INVALID);
	a = area;
	a.consumer = region + 4;
	assert_int_equal(rt_ring_attach_consumer(&r, &a), RT_RING_INVALID);
	assert_int_equal(rt_ring_attach_producer(&r, &area, (enum rt_ring_mode)7), RT_RING_INVALID);
}

/* Verifies: REQ-CHN-001 */
static void test_full_ring_pushes_back_and_loses_nothing(void **state)
{
	struct rt_ring tx, rx;
	uint64_t v;
	(void)state;
	assert_int_equal(rt_ring_attach_producer(&tx, &area, RT_RING_BACKPRESSURE), RT_RING_OK);
	assert_int_equal(rt_ring_attach_consumer(&rx, &area), RT_RING_OK);
	assert_int_equal(recv_u64(&rx, &v), RT_RING_EMPTY);
	for (uint64_t i = 0; i < area.capacity; i++) {
		assert_int_equal(send_u64(&tx, i), RT_RING_OK);
	}
	assert_int_equal(rt_ring_pending(&rx), area.capacity);
	assert_int_equal(send_u64(&tx, 999), RT_RING_BUSY);
	assert_int_equal(rt_ring_dropped(&rx), 0u);
	for (uint64_t i = 0; i < area.capacity; i++) {
		assert_int_equal(recv_u64(&rx, &v), RT_RING_OK);
		assert_int_equal(v, i);
	}
	assert_int_equal(recv_u64(&rx, &v), RT_RING_EMPTY);
}

/*
 * A million records, the consumer slower than the producer (it takes one
 * record for every three the producer tries): every sequence number arrives
 * once, in order, and the producer saw back-pressure rather than loss.
 * Verifies: REQ-CHN-001
 */
static void test_a_million_records_with_a_slow_consumer(void **state)
{
	struct rt_ring tx, rx;
	uint64_t sent = 0, expect = 0, busy = 0, v;
	unsigned tick = 0;
	(void)state;
	assert_int_equal(rt_ring_attach_producer(&tx, &area, RT_RING_BACKPRESSURE), RT_RING_OK);
	assert_int_equal(rt_ring_attach_consumer(&rx, &area), RT_RING_OK);
	while (expect < 1000000u) {
		if (sent < 1000000u) {
			int rc = send_u64(&tx, sent);
			if (rc == RT_RING_OK) {
				sent++;
			} else {
				assert_int_equal(rc, RT_RING_BUSY);
				busy++;
			}
		}
		if ((++tick % 3u == 0u) || (sent == 1000000u)) {
			int rc = recv_u64(&rx, &v);
			if (rc == RT_RING_OK) {
				assert_int_equal(v, expect);
				expect++;
			} else {
				assert_int_equal(rc, RT_RING_EMPTY);
			}
		}
	}
	assert_true(busy > 0u);
	assert_int_equal(rt_ring_dropped(&rx), 0u);
	assert_int_equal(tx.corrupt + rx.corrupt, 0u);
}

struct thread_arg {
	struct rt_ring *ring;
	uint64_t count;
	uint64_t errors;
};

static void *producer_thread(void *p)
{
	struct thread_arg *a = p;

	for (uint64_t i = 0; i < a->count;) {
		int rc = send_u64(a->ring, i);
		if (rc == RT_RING_OK) {
			i++;
		} else if (rc != RT_RING_BUSY) {
			a->errors++;
			break;
		}
	}
	return NULL;
}

/*
 * The same across two threads, so the acquire/release pairs are exercised by
 * real concurrency (the host's memory model, not the target's).
 * Verifies: REQ-CHN-001
 */
static void test_two_threads_keep_order(void **state)
{
	struct rt_ring tx, rx;
	struct thread_arg a = { &tx, 1000000u, 0 };
	pthread_t t;
	uint64_t expect = 0, v;
	(void)state;
	assert_int_equal(rt_ring_attach_producer(&tx, &area, RT_RING_BACKPRESSURE), RT_RING_OK);
	assert_int_equal(rt_ring_attach_consumer(&rx, &area), RT_RING_OK);
	assert_int_equal(pthread_create(&t, NULL, producer_thread, &a), 0);
	while (expect < a.count) {
		int rc = recv_u64(&rx, &v);
		if (rc == RT_RING_OK) {
			assert_int_equal(v, expect);
			expect++;
		} else {
			assert_int_equal(rc, RT_RING_EMPTY);
		}
	}
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(a.errors, 0u);
}

/* Verifies: REQ-CHN-002 */
static void test_consumer_refuses_an_impossible_head(void **state)
{
	static const uint32_t heads[] = { 33u, 0x80000000u, 0xffffffffu, 1000u };
	struct rt_ring rx;
	uint8_t buf[SLOT + 8];
	size_t len = 77;
	(void)state;
	assert_int_equal(rt_ring_attach_consumer(&rx, &area), RT_RING_OK);
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		memset(buf, 0xa5, sizeof(buf));
		*shared_head() = heads[i];
		assert_int_equal(rt_ring_recv(&rx, buf, sizeof(buf), &len), RT_RING_CORRUPT);
		assert_int_equal(len, 77u);
		assert_int_equal(buf[0], 0xa5);
		assert_int_equal(*shared_tail(), 0u);
		assert_int_equal(rt_ring_pending(&rx), 0u);
	}
	assert_int_equal(rx.corrupt, 4u);
	/* The largest consistent head is accepted: the whole ring is waiting. */
	*shared_head() = area.capacity;
	assert_int_equal(rt_ring_recv(&rx, buf, sizeof(buf), &len), RT_RING_OK);
}

/*
 * Record lengths beyond a slot are skipped and counted; a length that fits the
 * slot but not the caller's buffer leaves the record for a bigger buffer, and
 * nothing is written past the buffer.
 * Verifies: REQ-CHN-002
 */
static void test_consumer_refuses_impossible_lengths(void **state)
{
	struct rt_ring tx, rx;
	uint8_t buf[24 + 8];
	uint8_t big[SLOT];
	size_t len = 0;
	uint32_t *slot0;
	(void)state;
	assert_int_equal(rt_ring_attach_producer(&tx, &area, RT_RING_BACKPRESSURE), RT_RING_OK);
	assert_int_equal(rt_ring_attach_consumer(&rx, &area), RT_RING_OK);
	memset(big, 0x42, sizeof(big));
	assert_int_equal(rt_ring_send(&tx, big, SLOT - RT_RING_SLOT_HEADER), RT_RING_OK);
	assert_int_equal(rt_ring_send(&tx, big, 40u), RT_RING_OK);
	assert_int_equal(rt_ring_send(&tx, big, 3u), RT_RING_OK);
	slot0 = (uint32_t *)area.slots;
	*slot0 = 0xfffffff0u;   /* the hostile producer rewrites the first length */
	memset(buf, 0xa5, sizeof(buf));
	assert_int_equal(rt_ring_recv(&rx, buf, 24u, &len), RT_RING_CORRUPT);
	assert_int_equal(rx.corrupt, 1u);
	assert_int_equal(*shared_tail(), 1u);
	assert_int_equal(rt_ring_recv(&rx, buf, 24u, &len), RT_RING_TOO_BIG);
	for (size_t i = 0; i < sizeof(buf); i++) {
		assert_int_equal(buf[i], 0xa5);
	}
	assert_int_equal(rt_ring_recv(&rx, big, sizeof(big), &len), RT_RING_OK);
	assert_int_equal(len, 40u);
	assert_int_equal(rt_ring_recv(&rx, buf, 24u, &len), RT_RING_OK);
	assert_int_equal(len, 3u);
	assert_int_equal(buf[3], 0xa5);
	assert_int_equal(rt_ring_send(&tx, big, SLOT - RT_RING_SLOT_HEADER + 1u), RT_RING_TOO_BIG);
}

/* Verifies: REQ-CHN-003 */
static void test_producer_refuses_an_impossible_tail(void **state)
{
	static const uint32_t tails[] = { 5u, 0xffffffd0u, 0x7fffffffu };
	struct rt_ring tx;
	uint8_t before[REGION];
	(void)state;
	assert_int_equal(rt_ring_attach_producer(&tx, &area, RT_RING_BACKPRESSURE), RT_RING_OK);
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		*shared_tail() = tails[i];
		memcpy(before, region, REGION);
		assert_int_equal(send_u64(&tx, 1), RT_RING_CORRUPT);
		assert_memory_equal(before, region, REGION);
	}
	assert_int_equal(tx.corrupt, 3u);
	/* A tail that says the consumer is exactly one ring behind means full. */
	*shared_tail() = (uint32_t)0u - area.capacity;
	assert_int_equal(send_u64(&tx, 1), RT_RING_BUSY);
}

/* Verifies: REQ-CHN-004 */
static void test_lossy_mode_counts_what_it_drops(void **state)
{
	struct rt_ring tx, rx;
	uint64_t v;
	(void)state;
	assert_int_equal(rt_ring_attach_producer(&tx, &area, RT_RING_LOSSY), RT_RING_OK);
	assert_int_equal(rt_ring_attach_consumer(&rx, &area), RT_RING_OK);
	for (uint64_t i = 0; i < area.capacity + 5u; i++) {
		assert_int_equal(send_u64(&tx, i), (i < area.capacity) ? RT_RING_OK : RT_RING_DROPPED);
	}
	assert_int_equal(rt_ring_dropped(&rx), 5u);
	for (uint64_t i = 0; i < area.capacity; i++) {
		assert_int_equal(recv_u64(&rx, &v), RT_RING_OK);
		assert_int_equal(v, i);
	}
	assert_int_equal(send_u64(&tx, 100), RT_RING_OK);
	assert_int_equal(recv_u64(&rx, &v), RT_RING_OK);
	assert_int_equal(v, 100u);
	/* A restarted producer keeps counting from the published total. */
	assert_int_equal(rt_ring_attach_producer(&tx, &area, RT_RING_LOSSY), RT_RING_OK);
	for (uint64_t i = 0; i < area.capacity + 2u; i++) {
		(void)send_u64(&tx, i);
	}
	assert_int_equal(rt_ring_dropped(&rx), 7u);
}

/*
 * The consumer restarts midway (a fresh rt_ring in its memory): it resumes at
 * the shared tail, so nothing is delivered twice; what it had taken but not
 * processed is the visible gap. A restarted producer resumes at its head.
 * Verifies: REQ-CHN-005
 */
static void test_restart_of_either_side_duplicates_nothing(void **state)
{
	struct rt_ring tx, rx;
	uint64_t v, expect = 0;
	(void)state;
	assert_int_equal(rt_ring_attach_producer(&tx, &area, RT_RING_BACKPRESSURE), RT_RING_OK);
	assert_int_equal(rt_ring_attach_consumer(&rx, &area), RT_RING_OK);
	for (uint64_t i = 0; i < 10u; i++) {
		assert_int_equal(send_u64(&tx, i), RT_RING_OK);
	}
	for (; expect < 4u; expect++) {
		assert_int_equal(recv_u64(&rx, &v), RT_RING_OK);
		assert_int_equal(v, expect);
	}
	memset(&rx, 0xee, sizeof(rx));
	assert_int_equal(rt_ring_attach_consumer(&rx, &area), RT_RING_OK);
	memset(&tx, 0xee, sizeof(tx));
	assert_int_equal(rt_ring_attach_producer(&tx, &area, RT_RING_BACKPRESSURE), RT_RING_OK);
	assert_int_equal(send_u64(&tx, 10), RT_RING_OK);
	for (; expect < 11u; expect++) {
		assert_int_equal(recv_u64(&rx, &v), RT_RING_OK);
		assert_int_equal(v, expect);
	}
	assert_int_equal(recv_u64(&rx, &v), RT_RING_EMPTY);
	assert_int_equal(tx.corrupt + rx.corrupt, 0u);
}

/*
 * Attaching to a ring whose indices are inconsistent (garbage left by a
 * faulty peer) starts from a consistent state instead of using them.
 * Verifies: REQ-CHN-005, REQ-CHN-002
 */
static void test_attach_repairs_inconsistent_indices(void **state)
{
	struct rt_ring tx, rx;
	uint64_t v;
	(void)state;
	*shared_head() = 0x12345678u;
	*shared_tail() = 7u;
	assert_int_equal(rt_ring_attach_consumer(&rx, &area), RT_RING_OK);
	assert_int_equal(rx.corrupt, 1u);
	assert_int_equal(*shared_tail(), 0x12345678u);
	assert_int_equal(recv_u64(&rx, &v), RT_RING_EMPTY);
	*shared_head() = 99u;
	assert_int_equal(rt_ring_attach_producer(&tx, &area, RT_RING_BACKPRESSURE), RT_RING_OK);
	assert_int_equal(tx.corrupt, 1u);
	assert_int_equal(*shared_head(), 0x12345678u);
	assert_int_equal(send_u64(&tx, 5), RT_RING_OK);
	assert_int_equal(recv_u64(&rx, &v), RT_RING_OK);
	assert_int_equal(v, 5u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_layout_fills_the_region_with_a_power_of_two, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_refuses_a_bad_area, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_ring_pushes_back_and_loses_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_million_records_with_a_slow_consumer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_threads_keep_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_consumer_refuses_an_impossible_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_consumer_refuses_impossible_lengths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_producer_refuses_an_impossible_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lossy_mode_counts_what_it_drops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_of_either_side_duplicates_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_repairs_inconsistent_indices, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
