/* SPDX-License-Identifier: MIT */
/*
 * Channel benchmark (tests/bench/bench.py, `make bench`): two partitions,
 * role=0 the sender and role=1 the receiver, run under QEMU's -icount
 * (one instruction is one tick of the virtual counter) and only one of
 * them runs at a time while the other waits in WFI, so counter deltas
 * count that side's instructions.
 *
 *   doorbell   the receiver waits for its doorbell; the sender reads
 *              t0 = CNTVCT, rings (BH_HC_DOORBELL) and waits in WFE;
 *              latency = the receiver's IRQ vector entry - t0 (both on
 *              the physical counter, which the partitions share): the
 *              sender's hypercall, the hypervisor's cross-core injection
 *              and the receiver's exception entry (as the SGI benchmark).
 *   throughput the sender fills the ring with 64-byte (channel "small")
 *              or 4 KiB (channel "large") records while the receiver
 *              waits, then the receiver drains it while the sender waits;
 *              bytes per 1,000 instructions of both sides together,
 *              against one memcpy of every record inside the sender.
 *
 * Results are printed after the measurements, as "result <name>: ..." lines.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bhrt.h"
#include "bhrt_channel.h"
#include "bhrt_gic.h"

#define SMALL_SLOT 128u
#define SMALL_BYTES 64u
#define LARGE_SLOT 8192u
#define LARGE_BYTES 4096u
#define LATENCY_EVENTS 64u
#define ROUNDS 8u
#define WAIT_US 2000000u          /* virtual time: bounds each wait, never reached when the peer works */

/* Phase markers for the measuring plugin (`make bench` profiles the EL2 work of the doorbell phase). */
volatile uint32_t chanbench_phase;
#define MARKER __attribute__((noipa, used))
MARKER void chanbench_phase_idle(void);
MARKER void chanbench_phase_doorbell(void);
MARKER void chanbench_phase_idle(void) { chanbench_phase = 0u; }
MARKER void chanbench_phase_doorbell(void) { chanbench_phase = 1u; }

static uint8_t record[LARGE_BYTES];
static uint8_t copy[LARGE_BYTES];

/* The physical counter: one time base for both partitions (each has its own virtual offset). */
static inline uint64_t ticks(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(v) : : "memory");
	return v;
}

/* CNTPCT - CNTVCT of this partition (the two reads are one instruction, one tick, apart). */
static uint64_t virtual_offset(void)
{
	uint64_t v;
	uint64_t p;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0\n\tmrs %1, cntpct_el0" : "=r"(v), "=r"(p) : : "memory");
	return p - v - 1u;
}

/* Waits for the peer's next doorbell (bounded). */
static bool wait_peer(struct rt_channel *ch)
{
	uint64_t deadline = rt_counter() + (WAIT_US * rt_counter_hz()) / 1000000u;

	return rt_doorbell_wait(ch->info.doorbell, &ch->seen, deadline);
}

static bool open_channel(struct rt_channel *ch, const char *label, uint32_t slot)
{
	struct rt_channel_info info;

	if ((rt_channel_find(label, &info) != 0) || (rt_channel_open(ch, &info, slot, RT_RING_BACKPRESSURE) != RT_RING_OK)) {
		printf("chanbench: cannot open channel '%s'\n", label);
		return false;
	}
	return true;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a;
	uint64_t y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* ---- sender ---- */

/*
 * Waits for the receiver's reply as the SGI benchmark's sender waits
 * (partitions/bench): IRQs unmasked, WFE (under TCG a yield to the other
 * core) before anything else, so that between its hypercall's return and
 * the receiver's run the sender executes a few instructions, not a wait's
 * set-up; bounded by `deadline` all the same.
 */
static bool wait_reply(struct rt_channel *ch, uint64_t deadline)
{
	for (;;) {
		__asm__ volatile("wfe" : : : "memory");
		uint32_t c = rt_doorbell_count(ch->info.doorbell);
		if (c != ch->seen) {
			ch->seen = c;
			return true;
		}
		if (rt_counter() >= deadline) {
			return false;
		}
	}
}

static void latency(struct rt_channel *small)
{
	static uint64_t lat[LATENCY_EVENTS];
	uint64_t call = 0u;
	uint32_t n = 0u;

	if (!wait_peer(small)) {   /* the receiver is ready */
		printf("result doorbell: the receiver did not start\n");
		return;
	}
	chanbench_phase_doorbell();
	for (uint32_t i = 0u; i < LATENCY_EVENTS; i++) {
		uint64_t entry = 0u;
		size_t len = 0u;
		uint64_t t0;
		uint64_t t1;
		uint64_t deadline;

		rt_delay_us(100u);         /* the receiver waits in WFI by now */
		/* Worked out before t0: after the hypercall the sender goes straight to its wait. */
		deadline = rt_counter() + (WAIT_US * rt_counter_hz()) / 1000000u;
		t0 = ticks();
		(void)rt_channel_notify(small);
		t1 = ticks();   /* the sender's own part: its core runs on until its wait */
		if (!wait_reply(small, deadline) || (rt_channel_recv(small, &entry, sizeof(entry), &len) != RT_RING_OK)) {
			break;
		}
		call = t1 - t0;
		lat[n] = entry - t0;
		n++;
	}
	chanbench_phase_idle();
	if (n == 0u) {
		printf("result doorbell: no events\n");
		return;
	}
	qsort(lat, n, sizeof(lat[0]), cmp_u64);
	printf("result doorbell: events %u min %lu median %lu max %lu\n", (unsigned)n, (unsigned long)lat[0],
	       (unsigned long)lat[n / 2u], (unsigned long)lat[n - 1u]);
	printf("result doorbell-call: %lu\n", (unsigned long)call);
}

static void throughput(const char *name, struct rt_channel *ch, struct rt_channel *control, uint32_t bytes)
{
	uint32_t cap = rt_channel_capacity(ch);
	uint64_t send = 0u, recv = 0u, mc = 0u, t0;
	size_t len = 0u;

	for (uint32_t r = 0u; r < ROUNDS; r++) {
		uint64_t peer = 0u;

		t0 = ticks();
		for (uint32_t i = 0u; i < cap; i++) {
			record[0] = (uint8_t)i;
			(void)rt_channel_send(ch, record, bytes);
		}
		send += ticks() - t0;
		(void)rt_channel_notify(ch);
		if (!wait_peer(control) || (rt_channel_recv(control, &peer, sizeof(peer), &len) != RT_RING_OK)) {
			printf("result throughput %s: the receiver did not answer\n", name);
			return;
		}
		recv += peer;
		t0 = ticks();
		for (uint32_t i = 0u; i < cap; i++) {
			record[0] = (uint8_t)i;
			memcpy(copy, record, bytes);
			__asm__ volatile("" : : "r"(copy) : "memory");
		}
		mc += ticks() - t0;
	}
	uint64_t total = (uint64_t)ROUNDS * cap * bytes;
	printf("result throughput %s: bytes %lu send %lu receive %lu memcpy %lu channel %lu limit %lu\n", name,
	       (unsigned long)total, (unsigned long)send, (unsigned long)recv, (unsigned long)mc,
	       (unsigned long)((total * 1000u) / (send + recv)), (unsigned long)((total * 1000u) / mc));
}

/* ---- receiver ---- */

static void receive_latency(struct rt_channel *small)
{
	(void)rt_channel_notify(small);    /* ready; each reply below also says "ready for the next" */
	for (uint32_t i = 0u; i < LATENCY_EVENTS; i++) {
		uint64_t entry;

		if (!wait_peer(small)) {
			return;
		}
		entry = rt_irq_entry_counter() + virtual_offset();
		(void)rt_channel_send(small, &entry, sizeof(entry));
		(void)rt_channel_notify(small);
	}
}

static void receive_rounds(struct rt_channel *ch, struct rt_channel *control)
{
	for (uint32_t r = 0u; r < ROUNDS; r++) {
		size_t len = 0u;
		uint64_t t0;
		uint64_t spent;

		if (!wait_peer(ch)) {
			return;
		}
		t0 = ticks();
		while (rt_channel_recv(ch, copy, sizeof(copy), &len) == RT_RING_OK) {
		}
		spent = ticks() - t0;
		(void)rt_channel_send(control, &spent, sizeof(spent));
		(void)rt_channel_notify(control);
	}
}

int main(void)
{
	uint64_t role = rt_bootarg("role", 2u);
	struct rt_channel small, large;

	if ((role > 1u) || !open_channel(&small, "small", SMALL_SLOT) || !open_channel(&large, "large", LARGE_SLOT)) {
		printf("chanbench: needs role=0 or 1 and channels 'small', 'large'\n");
		return 1;
	}
	printf("chanbench: %s ready\n", role == 0u ? "sender" : "receiver");
	if (role == 1u) {
		rt_delay_us(20000u);   /* the sender opens its channels first: its doorbell must be on */
		receive_latency(&small);
		receive_rounds(&small, &small);
		receive_rounds(&large, &small);
		return 0;
	}
	latency(&small);
	throughput("64", &small, &small, SMALL_BYTES);
	throughput("4096", &large, &small, LARGE_BYTES);
	return 0;
}
