/* SPDX-License-Identifier: MIT */
/*
 * The partition runtime's channels (partitions/runtime/channel.c) and the
 * device-tree node walk under them (fdt.c): a guest device tree as bhcc
 * emits it is built here with libfdt, the channel memory is a heap block
 * whose address the tree gives, and the hypervisor (doorbell hypercall),
 * the counter and the doorbell interrupts are stand-ins that record what
 * the runtime asked for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>

#include <bulkhead/channel.h>
#include <bulkhead/hypercall.h>
#include "bhrt.h"
#include "bhrt_channel.h"

#define TREE_SIZE 4096
#define CHANNEL_SIZE 0x10000u   /* two-way: two directions of 32 KiB */
#define ONE_WAY_SIZE 0x4000u
#define SLOT 64u

/* ---- stand-ins for the hypervisor, the counter and the GIC ---- */
static void *tree;
static uint64_t counter;
static unsigned doorbells_rung;
static uint64_t last_doorbell_id;
static uint32_t refused_doorbell = 0xffffffffu;
static uint64_t mapped_base[8], mapped_size[8];
static unsigned n_mapped;

uint64_t rt_dtb(void) { return (uint64_t)(uintptr_t)tree; }
uint64_t rt_counter(void) { return counter++; }
uint64_t rt_counter_hz(void) { return 1000000u; }
int rt_printf(const char *fmt, ...) { (void)fmt; return 0; }

struct rt_smccc_res rt_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)a2;
	(void)a3;
	assert_int_equal(fid, BH_HC_DOORBELL);
	doorbells_rung++;
	last_doorbell_id = a1;
	return (struct rt_smccc_res){ .x0 = BH_OK };
}

void rt_full_barrier(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
int rt_doorbell_enable(uint32_t intid) { return intid == refused_doorbell ? -1 : 0; }
uint32_t rt_doorbell_count(uint32_t intid) { (void)intid; return 0u; }

/* Nobody rings in these tests: a wait lasts until its deadline. */
bool rt_doorbell_wait(uint32_t intid, uint32_t *seen, uint64_t deadline)
{
	(void)intid;
	(void)seen;
	if (counter < deadline) {
		counter = deadline;
	}
	return false;
}

int rt_mmu_map_normal(uint64_t base, uint64_t size)
{
	if (n_mapped < 8u) {
		mapped_base[n_mapped] = base;
		mapped_size[n_mapped] = size;
		n_mapped++;
	}
	return 0;
}

/* ---- the guest device tree ---- */
struct node_spec {
	const char *name;
	const char *compatible;
	const char *label;
	uint64_t ipa;
	uint64_t size;
	uint32_t id;
	uint32_t end;
	const char *kind;
	bool one_way;
	uint32_t doorbell;
	bool no_doorbell;         /* leave bulkhead,doorbell out */
};

static void add_reg(void *fdt, uint64_t base, uint64_t size)
{
	fdt32_t cells[4] = { cpu_to_fdt32((uint32_t)(base >> 32)), cpu_to_fdt32((uint32_t)base),
			     cpu_to_fdt32((uint32_t)(size >> 32)), cpu_to_fdt32((uint32_t)size) };

	assert_int_equal(fdt_property(fdt, "reg", cells, sizeof(cells)), 0);
}

static void add_node(void *fdt, const struct node_spec *n)
{
	assert_int_equal(fdt_begin_node(fdt, n->name), 0);
	assert_int_equal(fdt_property_string(fdt, "compatible", n->compatible), 0);
	add_reg(fdt, n->ipa, n->size);
	assert_int_equal(fdt_property_string(fdt, "label", n->label), 0);
	if (strcmp(n->compatible, RT_CHANNEL_COMPATIBLE) == 0) {
		assert_int_equal(fdt_property_u32(fdt, "bulkhead,channel-id", n->id), 0);
		assert_int_equal(fdt_property_u32(fdt, "bulkhead,end", n->end), 0);
		assert_int_equal(fdt_property_string(fdt, "bulkhead,kind", n->kind), 0);
		if (n->one_way) {
			assert_int_equal(fdt_property(fdt, "bulkhead,one-way", NULL, 0), 0);
		}
		assert_int_equal(fdt_property_string(fdt, "bulkhead,peer", "consumer"), 0);
		assert_int_equal(fdt_property_u32(fdt, "bulkhead,peer-id", 1u), 0);
		if (!n->no_doorbell) {
			assert_int_equal(fdt_property_u32(fdt, "bulkhead,doorbell", n->doorbell), 0);
		}
	}
	/* A child with properties of the same names: they must not be taken for the node's. */
	assert_int_equal(fdt_begin_node(fdt, "child"), 0);
	assert_int_equal(fdt_property_string(fdt, "label", "not-me"), 0);
	assert_int_equal(fdt_property_u32(fdt, "bulkhead,doorbell", 99u), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
}

static void build_tree(const struct node_spec *nodes, unsigned n)
{
	free(tree);
	tree = malloc(TREE_SIZE);
	assert_non_null(tree);
	assert_int_equal(fdt_create(tree, TREE_SIZE), 0);
	assert_int_equal(fdt_finish_reservemap(tree), 0);
	assert_int_equal(fdt_begin_node(tree, ""), 0);
	assert_int_equal(fdt_property_u32(tree, "#address-cells", 2), 0);
	assert_int_equal(fdt_property_u32(tree, "#size-cells", 2), 0);
	assert_int_equal(fdt_begin_node(tree, "chosen"), 0);
	assert_int_equal(fdt_property_string(tree, "bootargs", "role=1"), 0);
	assert_int_equal(fdt_end_node(tree), 0);
	for (unsigned i = 0; i < n; i++) {
		add_node(tree, &nodes[i]);
	}
	assert_int_equal(fdt_end_node(tree), 0);
	assert_int_equal(fdt_finish(tree), 0);
}

static uint8_t *memory;   /* the channels' memory, 4 KiB aligned */

static int setup(void **state)
{
	(void)state;
	memory = aligned_alloc(4096, CHANNEL_SIZE + ONE_WAY_SIZE);
	assert_non_null(memory);
	memset(memory, 0, CHANNEL_SIZE + ONE_WAY_SIZE);
	doorbells_rung = 0;
	n_mapped = 0;
	refused_doorbell = 0xffffffffu;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(memory);
	free(tree);
	tree = NULL;
	return 0;
}

static uint64_t addr(const void *p) { return (uint64_t)(uintptr_t)p; }

/* "samples" two-way at memory, "events" one-way after it, a shared-memory node, an unrelated node. */
static void standard_tree(uint32_t end)
{
	struct node_spec nodes[] = {
		{ "serial@9000000", "arm,pl011", "uart", 0x9000000u, 0x1000u, 0, 0, NULL, false, 0, false },
		{ "channel@1", RT_CHANNEL_COMPATIBLE, "samples", addr(memory), CHANNEL_SIZE, 3, end, "data", false, 5, false },
		{ "channel@2", RT_CHANNEL_COMPATIBLE, "events", addr(memory) + CHANNEL_SIZE, ONE_WAY_SIZE, 4, end, "log",
		  true, 40, false },
		{ "shared-memory@3", "bulkhead,shared-memory", "pool", 0x50000000u, 0x3000u, 0, 0, NULL, false, 0, false },
	};

	build_tree(nodes, 4);
}

/* Opens both ends of one channel of standard_tree(0), as its two partitions would. */
static void open_both_ends(const char *label, struct rt_channel *end0, struct rt_channel *end1)
{
	struct rt_channel_info i0, i1;

	standard_tree(0);
	assert_int_equal(rt_channel_find(label, &i0), 0);
	i1 = i0;
	i1.end = 1;
	assert_int_equal(rt_channel_open(end0, &i0, SLOT, RT_RING_BACKPRESSURE), RT_RING_OK);
	assert_int_equal(rt_channel_open(end1, &i1, SLOT, RT_RING_BACKPRESSURE), RT_RING_OK);
}

/* Verifies: REQ-CHN-030 */
static void test_find_reads_the_node_by_label(void **state)
{
	struct rt_channel_info info;

	(void)state;
	standard_tree(1);
	assert_int_equal(rt_channel_find("samples", &info), 0);
	assert_string_equal(info.label, "samples");
	assert_string_equal(info.peer, "consumer");
	assert_int_equal(info.ipa, addr(memory));
	assert_int_equal(info.size, CHANNEL_SIZE);
	assert_int_equal(info.id, 3);
	assert_int_equal(info.end, 1);
	assert_int_equal(info.peer_id, 1);
	assert_int_equal(info.doorbell, 5);   /* the node's own, not its child's 99 */
	assert_int_equal(info.kind, RT_CHANNEL_DATA);
	assert_false(info.one_way);
	assert_int_equal(rt_channel_find("events", &info), 0);
	assert_true(info.one_way);
	assert_int_equal(info.kind, RT_CHANNEL_LOG);
	assert_int_equal(info.doorbell, 40);
	/* Not channels: the UART, the shared-memory region, a child's label, a prefix. */
	assert_int_equal(rt_channel_find("uart", &info), -1);
	assert_int_equal(rt_channel_find("pool", &info), -1);
	assert_int_equal(rt_channel_find("not-me", &info), -1);
	assert_int_equal(rt_channel_find("sample", &info), -1);
}

/* Verifies: REQ-CHN-030 */
static void test_malformed_nodes_are_refused(void **state)
{
	struct rt_channel_info info;
	struct node_spec bad[] = {
		{ "channel@1", RT_CHANNEL_COMPATIBLE, "odd-size", addr(memory), 0x5000u, 0, 0, "data", false, 5, false },
		{ "channel@2", RT_CHANNEL_COMPATIBLE, "small", addr(memory), 0x1000u, 0, 0, "data", true, 5, false },
		{ "channel@3", RT_CHANNEL_COMPATIBLE, "unaligned", addr(memory) + 8u, 0x4000u, 0, 0, "data", false, 5, false },
		{ "channel@4", RT_CHANNEL_COMPATIBLE, "end-2", addr(memory), 0x4000u, 0, 2, "data", false, 5, false },
		{ "channel@5", RT_CHANNEL_COMPATIBLE, "kind", addr(memory), 0x4000u, 0, 0, "video", false, 5, false },
		{ "channel@6", RT_CHANNEL_COMPATIBLE, "no-bell", addr(memory), 0x4000u, 0, 0, "data", false, 5, true },
		{ "channel@7", RT_CHANNEL_COMPATIBLE, "wraps", UINT64_C(0xfffffffffffff000), 0x4000u, 0, 0, "data", false, 5, false },
		{ "channel@8", RT_CHANNEL_COMPATIBLE, "good", addr(memory), 0x4000u, 0, 0, "data", false, 5, false },
	};
	const char *names[] = { "odd-size", "small", "unaligned", "end-2", "kind", "wraps" };
	struct rt_channel c;

	(void)state;
	build_tree(bad, 8);
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(rt_channel_find(names[i], &info), -1);
	}
	assert_int_equal(rt_channel_find("good", &info), 0);
	/* Without a doorbell (optional in the binding) it opens; no interrupt is asked for. */
	assert_int_equal(rt_channel_find("no-bell", &info), 0);
	assert_int_equal(info.doorbell, RT_CHANNEL_NO_DOORBELL);
	refused_doorbell = RT_CHANNEL_NO_DOORBELL;
	assert_int_equal(rt_channel_open(&c, &info, SLOT, RT_RING_BACKPRESSURE), RT_RING_OK);
}

/* Verifies: REQ-CHN-030 */
static void test_each_end_sends_on_its_own_direction(void **state)
{
	struct rt_channel c0, c1;
	char buf[SLOT];
	size_t len = 0;

	(void)state;
	open_both_ends("samples", &c0, &c1);
	/* Direction 0 (end 0 -> end 1): receiver page first, the sender's control block one page on. */
	assert_ptr_equal(c0.tx.tail, (uint32_t *)memory);
	assert_ptr_equal(c0.tx.head, (uint32_t *)(memory + BH_CHANNEL_PAGE));
	assert_ptr_equal(c0.tx.slots, (uint32_t *)(memory + BH_CHANNEL_PAGE + BH_CHANNEL_SLOTS_OFFSET));
	/* Direction 1 (end 1 -> end 0) in the second half. */
	assert_ptr_equal(c1.tx.tail, (uint32_t *)(memory + CHANNEL_SIZE / 2u));
	assert_ptr_equal(c1.tx.head, (uint32_t *)(memory + CHANNEL_SIZE / 2u + BH_CHANNEL_PAGE));
	/* Slots of the largest power-of-two count in the sender's pages: (32 KiB - 4 KiB - 64) / 64 -> 256. */
	assert_int_equal(rt_channel_capacity(&c0), 256);
	assert_int_equal(rt_channel_send(&c0, "to one", 7), RT_RING_OK);
	assert_int_equal(rt_channel_send(&c1, "to zero", 8), RT_RING_OK);
	assert_int_equal(rt_channel_recv(&c1, buf, sizeof(buf), &len), RT_RING_OK);
	assert_string_equal(buf, "to one");
	assert_int_equal(rt_channel_recv(&c0, buf, sizeof(buf), &len), RT_RING_OK);
	assert_string_equal(buf, "to zero");
	assert_int_equal(rt_channel_recv(&c0, buf, sizeof(buf), &len), RT_RING_EMPTY);
}

/* Verifies: REQ-CHN-030 */
static void test_one_way_receiver_never_sends(void **state)
{
	struct rt_channel c0, c1;
	char buf[SLOT];
	size_t len = 0;

	(void)state;
	open_both_ends("events", &c0, &c1);
	assert_int_equal(rt_channel_send(&c1, "x", 1), RT_RING_INVALID);
	assert_int_equal(rt_channel_recv(&c0, buf, sizeof(buf), &len), RT_RING_INVALID);
	assert_int_equal(rt_channel_capacity(&c1), 0);
	/* The whole channel is one direction: (16 KiB - 4 KiB - 64) / 64 -> 128 slots. */
	assert_int_equal(rt_channel_capacity(&c0), 128);
	assert_int_equal(rt_channel_send(&c0, "y", 2), RT_RING_OK);
	assert_int_equal(rt_channel_recv(&c1, buf, sizeof(buf), &len), RT_RING_OK);
	assert_string_equal(buf, "y");
}

/* Verifies: REQ-CHN-030 */
static void test_open_refuses_what_cannot_work(void **state)
{
	struct rt_channel_info info;
	struct rt_channel c;

	(void)state;
	standard_tree(0);
	assert_int_equal(rt_channel_find("events", &info), 0);
	/* Slots larger than the sender's pages, or not a power of two. */
	assert_int_equal(rt_channel_open(&c, &info, 16384u, RT_RING_BACKPRESSURE), RT_RING_INVALID);
	assert_int_equal(rt_channel_open(&c, &info, 96u, RT_RING_BACKPRESSURE), RT_RING_INVALID);
	/* A doorbell the interrupt controller cannot take. */
	refused_doorbell = info.doorbell;
	assert_int_equal(rt_channel_open(&c, &info, SLOT, RT_RING_BACKPRESSURE), RT_RING_INVALID);
}

/* Verifies: REQ-CHN-032 */
static void test_a_waiting_reader_is_rung_once(void **state)
{
	struct rt_channel w, r;
	char buf[SLOT];
	size_t len = 0;

	(void)state;
	open_both_ends("samples", &w, &r);
	/* Nobody waits: writing rings nothing. */
	assert_int_equal(rt_channel_write(&w, "a", 2, 0), RT_RING_OK);
	assert_int_equal(doorbells_rung, 0);
	assert_int_equal(rt_channel_read(&r, buf, sizeof(buf), &len, 0), RT_RING_OK);
	/* The reader finds the ring empty and waits (until its deadline, here). */
	assert_int_equal(rt_channel_read(&r, buf, sizeof(buf), &len, 100), RT_RING_EMPTY);
	assert_int_equal(r.waits, 1);
	/* The next record rings the reader's doorbell, once; the channel id is the hypercall's argument. */
	assert_int_equal(rt_channel_write(&w, "b", 2, 0), RT_RING_OK);
	assert_int_equal(doorbells_rung, 1);
	assert_int_equal(last_doorbell_id, 3);
	assert_int_equal(rt_channel_write(&w, "c", 2, 0), RT_RING_OK);
	assert_int_equal(doorbells_rung, 1);
}

/* Verifies: REQ-CHN-032 */
static void test_a_waiting_writer_is_rung_when_half_the_ring_is_free(void **state)
{
	struct rt_channel w, r;
	uint32_t seq = 0, got = 0;
	size_t len = 0;
	uint32_t cap;

	(void)state;
	open_both_ends("samples", &w, &r);
	cap = rt_channel_capacity(&w);
	while (rt_channel_write(&w, &seq, sizeof(seq), 0) == RT_RING_OK) {
		seq++;
	}
	/* Full: the writer waited its timeout, said so, and wrote nothing more. */
	assert_int_equal(seq, cap);
	assert_int_equal(w.waits, 1);
	assert_int_equal(doorbells_rung, 0);
	for (uint32_t i = 0; i < cap / 2u - 1u; i++) {
		assert_int_equal(rt_channel_read(&r, &got, sizeof(got), &len, 0), RT_RING_OK);
		assert_int_equal(got, i);
	}
	assert_int_equal(doorbells_rung, 0);
	/* The record that leaves half the ring free rings the writer, once. */
	assert_int_equal(rt_channel_read(&r, &got, sizeof(got), &len, 0), RT_RING_OK);
	assert_int_equal(doorbells_rung, 1);
	while (rt_channel_read(&r, &got, sizeof(got), &len, 0) == RT_RING_OK) {
	}
	assert_int_equal(got, cap - 1u);
	assert_int_equal(doorbells_rung, 1);
}

/* Verifies: REQ-CHN-033 */
static void test_shared_nodes_are_mapped_as_memory(void **state)
{
	(void)state;
	standard_tree(0);
	assert_int_equal(rt_map_shared_nodes(), 0);
	assert_int_equal(n_mapped, 3);
	assert_int_equal(mapped_base[0], addr(memory));
	assert_int_equal(mapped_size[0], CHANNEL_SIZE);
	assert_int_equal(mapped_base[1], addr(memory) + CHANNEL_SIZE);
	assert_int_equal(mapped_size[1], ONE_WAY_SIZE);
	assert_int_equal(mapped_base[2], 0x50000000u);
	assert_int_equal(mapped_size[2], 0x3000u);
}

/* The older walk by node name (root and /chosen) reads the same tree. Verifies: REQ-CHN-031 */
static void test_root_and_chosen_properties(void **state)
{
	uint32_t len = 0;
	const uint8_t *cells;

	(void)state;
	standard_tree(0);
	assert_int_equal(rt_bootarg("role", 9), 1);
	assert_int_equal(rt_bootarg("rol", 9), 9);
	assert_int_equal(rt_bootarg("missing", 7), 7);
	cells = rt_fdt_property("", "#address-cells", &len);
	assert_non_null(cells);
	assert_int_equal(len, 4);
	assert_int_equal(cells[3], 2);
	assert_null(rt_fdt_property("chosen", "label", &len));
	assert_null(rt_fdt_property("nowhere", "bootargs", &len));
}

/*
 * Every byte of the tree overwritten with every value in turn (and the tree
 * cut short): the walk stays inside the blob (the sanitizer build checks)
 * and ends.
 * Verifies: REQ-CHN-031
 */
static void test_a_corrupt_tree_is_walked_safely(void **state)
{
	struct rt_channel_info info;
	uint32_t size;
	uint8_t *copy;

	(void)state;
	standard_tree(0);
	size = fdt_totalsize(tree);
	copy = malloc(size);
	assert_non_null(copy);
	memcpy(copy, tree, size);
	for (uint32_t at = 0; at < size; at++) {
		static const uint8_t values[] = { 0x00, 0x01, 0x02, 0x03, 0x09, 0x7f, 0x80, 0xff };

		for (unsigned v = 0; v < sizeof(values); v++) {
			memcpy(tree, copy, size);
			((uint8_t *)tree)[at] = values[v];
			(void)rt_channel_find("events", &info);
			(void)rt_map_shared_nodes();
			(void)rt_bootarg("role", 0);
			n_mapped = 0;
		}
	}
	/* Cut short: the header claims more than the block holds. */
	free(tree);
	tree = malloc(size / 2u);
	assert_non_null(tree);
	memcpy(tree, copy, size / 2u);
	((uint8_t *)tree)[4] = 0;   /* totalsize's top byte: the size now lies within the block */
	fdt_set_totalsize(tree, size / 2u);
	assert_int_equal(rt_channel_find("events", &info), -1);
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_find_reads_the_node_by_label, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_nodes_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_end_sends_on_its_own_direction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_way_receiver_never_sends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_refuses_what_cannot_work, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_waiting_reader_is_rung_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_waiting_writer_is_rung_when_half_the_ring_is_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_nodes_are_mapped_as_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_and_chosen_properties, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_corrupt_tree_is_walked_safely, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
