/* SPDX-License-Identifier: MIT */
/*
 * Consumer: takes `count` records from its channel "samples" and checks
 * every one (partitions/producer/stream.h): its sequence number is the
 * next expected one (no gap, no repeat), its check value and pattern are
 * intact. It does `work` rounds of work per record, so that it is slower
 * than the producer and the ring fills.
 *
 * bootargs: count=, bytes=, slot= (as the producer's), work= (rounds per
 * record), restart-at=N: in its first life, after verifying sequence N it
 * takes one more record and restarts the partition (PSCI SYSTEM_RESET)
 * before verifying it: the record it had in hand is lost, and the next life
 * reports it.
 *
 * Its progress survives a restart in its own RAM beyond the program (the
 * hypervisor reloads the image, not the free memory): the next expected
 * sequence number and its complement. A later life that finds them
 * consistent reports how many records the restart lost.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bhrt.h"
#include "bhrt_channel.h"
#include "../producer/stream.h"

#define ERRORS_SHOWN 10u
#define PROGRESS_EVERY 250000u

struct progress {
	uint64_t next;           /* the next sequence number expected */
	uint64_t check;          /* ~next: the record is valid */
};

struct tally {
	uint64_t next;
	uint64_t received;       /* in this life */
	uint64_t duplicates;     /* sequence numbers seen before */
	uint64_t gaps;           /* sequence numbers skipped */
	uint64_t damaged;        /* bad check value or pattern */
	uint64_t lost;           /* skipped by a restart: taken by an earlier life, never verified */
};

static uint8_t record[STREAM_MAX];
static volatile uint64_t work_sink;

static struct progress *saved(void)
{
	return (struct progress *)(void *)__free_start;
}

static bool intact(uint64_t seq, size_t len, size_t bytes)
{
	uint64_t check;
	bool ok = len == bytes;

	memcpy(&check, record + sizeof(seq), sizeof(check));
	ok = ok && (check == (seq ^ STREAM_CHECK));
	for (size_t i = STREAM_HEADER; ok && (i < len); i++) {
		ok = record[i] == stream_byte(seq, i);
	}
	return ok;
}

/* The work that makes this consumer the slower side. */
static void work(uint64_t seq, uint64_t rounds)
{
	uint64_t h = seq;

	for (uint64_t i = 0; i < rounds; i++) {
		h = (h ^ (h >> 7)) * UINT64_C(0x100000001b3);
	}
	work_sink = h;
}

static void check(struct tally *t, size_t len, size_t bytes)
{
	uint64_t seq;

	memcpy(&seq, record, sizeof(seq));
	t->received++;
	if (!intact(seq, len, bytes)) {
		if (t->damaged++ < ERRORS_SHOWN) {
			printf("consumer: record %lu damaged\n", (unsigned long)seq);
		}
	}
	if (seq != t->next) {
		if (seq < t->next) {
			t->duplicates++;
		} else {
			t->gaps += seq - t->next;
		}
		if ((t->duplicates + t->gaps) <= ERRORS_SHOWN) {
			printf("consumer: expected sequence %lu, got %lu\n", (unsigned long)t->next,
			       (unsigned long)seq);
		}
	}
	if (seq >= t->next) {
		t->next = seq + 1u;
	}
	saved()->next = t->next;
	saved()->check = ~t->next;
}

/* Takes one record, waiting (bounded each time) while the ring is empty; false after a stall. */
static bool take(struct rt_channel *ch, size_t *len)
{
	uint64_t stall = rt_counter() + STREAM_STALL_S * rt_counter_hz();
	enum rt_ring_status rc;

	do {
		rc = rt_channel_read(ch, record, sizeof(record), len, STREAM_WAIT_US);
	} while ((rc == RT_RING_EMPTY) && (rt_counter() < stall));
	if (rc != RT_RING_OK) {
		printf("consumer: nothing more received: ring status %d\n", (int)rc);
	}
	return rc == RT_RING_OK;
}

/* A later life: where the ring resumed, and what the restart lost. */
static void report_resume(struct tally *t, const struct rt_info *me)
{
	uint64_t seq;

	memcpy(&seq, record, sizeof(seq));
	if ((me->restarts != 0u) && (saved()->check == ~saved()->next)) {
		uint64_t verified = saved()->next;

		t->lost = (seq > verified) ? (seq - verified) : 0u;
		t->next = (seq > verified) ? seq : verified;   /* a repeat then shows as a duplicate */
		printf("consumer: restart %u: resumed at sequence %lu, had verified up to %lu: %lu lost in the restart\n",
		       me->restarts, (unsigned long)seq, (unsigned long)verified - 1u,
		       (unsigned long)t->lost);
	} else if (me->restarts != 0u) {
		printf("consumer: restart %u: resumed at sequence %lu; progress before unknown\n", me->restarts,
		       (unsigned long)seq);
		t->next = seq;
	} else {
		/* first life: expect 0 */
	}
}

static int stream(struct rt_channel *ch, uint64_t count, size_t bytes)
{
	const struct rt_info me = rt_partition_info();
	uint64_t rounds = rt_bootarg("work", 64u);
	uint64_t restart_at = rt_bootarg("restart-at", UINT64_MAX);
	struct tally t = { 0 };
	size_t len = 0;

	while (t.next < count) {
		if (!take(ch, &len)) {
			break;
		}
		if (t.received == 0u) {
			report_resume(&t, &me);
		}
		work(t.next, rounds);
		check(&t, len, bytes);
		if (((t.next % PROGRESS_EVERY) == 0u) && (t.next != count)) {
			printf("consumer: %lu in order\n", (unsigned long)t.next);
		}
		if ((me.restarts == 0u) && ((t.next - 1u) == restart_at)) {
			(void)take(ch, &len);
			printf("consumer: restarting after sequence %lu, with sequence %lu taken but not verified\n",
			       (unsigned long)restart_at, (unsigned long)restart_at + 1u);
			rt_system_reset();
		}
	}
	printf("consumer: %lu messages up to sequence %lu: %lu received in this life\n", (unsigned long)count,
	       (unsigned long)t.next - 1u, (unsigned long)t.received);
	printf("consumer: %lu duplicated, %lu missing, %lu damaged, %lu lost in restarts\n",
	       (unsigned long)t.duplicates, (unsigned long)t.gaps, (unsigned long)t.damaged, (unsigned long)t.lost);
	printf("consumer: rang %u doorbells, waited %u times\n", ch->notifies, ch->waits);
	printf("consumer: doorbell %u taken %u times\n", ch->info.doorbell, rt_doorbell_count(ch->info.doorbell));
	return ((t.next == count) && (t.duplicates == 0u) && (t.gaps == 0u) && (t.damaged == 0u)) ? 0 : 1;
}

int main(void)
{
	struct rt_channel_info info;
	struct rt_channel ch;
	uint64_t count = rt_bootarg("count", STREAM_COUNT_DEFAULT);
	size_t bytes = (size_t)rt_bootarg("bytes", STREAM_HEADER);
	uint32_t slot = (uint32_t)rt_bootarg("slot", STREAM_SLOT_DEFAULT);
	enum rt_ring_status rc;

	if (rt_channel_find(STREAM_CHANNEL, &info) != 0) {
		printf("consumer: no channel '%s' in the device tree\n", STREAM_CHANNEL);
		return 1;
	}
	rc = rt_channel_open(&ch, &info, slot, RT_RING_BACKPRESSURE);
	if ((rc != RT_RING_OK) || (bytes < STREAM_HEADER) || (bytes > STREAM_MAX)) {
		printf("consumer: cannot take %lu-byte records in %u-byte slots (open: %d)\n", (unsigned long)bytes, slot, (int)rc);
		return 1;
	}
	printf("consumer: checking %lu messages from %s over '%s'\n", (unsigned long)count, info.peer, info.label);
	return stream(&ch, count, bytes);
}
