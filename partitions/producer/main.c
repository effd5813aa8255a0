/* SPDX-License-Identifier: MIT */
/*
 * Producer: sends `count` numbered records over its channel "samples"
 * (partitions/producer/stream.h), waiting with back-pressure when the
 * consumer is slower, and says how long it took and how often it waited.
 * bootargs: count= (messages), bytes= (record size, >= 16), slot= (ring
 * slot size, as the consumer's).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bhrt.h"
#include "bhrt_channel.h"
#include "stream.h"

static uint8_t record[STREAM_MAX];

static void fill(uint64_t seq, size_t bytes)
{
	uint64_t check = seq ^ STREAM_CHECK;

	memcpy(record, &seq, sizeof(seq));
	memcpy(record + sizeof(seq), &check, sizeof(check));
	for (size_t i = STREAM_HEADER; i < bytes; i++) {
		record[i] = stream_byte(seq, i);
	}
}

/* Sends one record, waiting (bounded each time) while the ring is full; false after a stall. */
static bool send_one(struct rt_channel *ch, size_t bytes, uint64_t seq)
{
	uint64_t stall = rt_counter() + STREAM_STALL_S * rt_counter_hz();
	enum rt_ring_status rc;

	do {
		rc = rt_channel_write(ch, record, bytes, STREAM_WAIT_US);
	} while ((rc == RT_RING_BUSY) && (rt_counter() < stall));
	if (rc != RT_RING_OK) {
		printf("producer: sequence %lu not sent: ring status %d\n", (unsigned long)seq, (int)rc);
	}
	return rc == RT_RING_OK;
}

int main(void)
{
	struct rt_channel_info info;
	struct rt_channel ch;
	uint64_t count = rt_bootarg("count", STREAM_COUNT_DEFAULT);
	size_t bytes = (size_t)rt_bootarg("bytes", STREAM_HEADER);
	uint32_t slot = (uint32_t)rt_bootarg("slot", STREAM_SLOT_DEFAULT);
	uint64_t start;
	uint64_t seq = 0;
	enum rt_ring_status rc;

	if (rt_channel_find(STREAM_CHANNEL, &info) != 0) {
		printf("producer: no channel '%s' in the device tree\n", STREAM_CHANNEL);
		return 1;
	}
	rc = rt_channel_open(&ch, &info, slot, RT_RING_BACKPRESSURE);
	if ((rc != RT_RING_OK) || (bytes < STREAM_HEADER) || (bytes > STREAM_MAX) ||
	    (bytes > rt_ring_max_payload(&ch.tx))) {
		printf("producer: cannot send %lu-byte records in %u-byte slots (open: %d)\n", (unsigned long)bytes, slot, (int)rc);
		return 1;
	}
	printf("producer: channel memory 0x%lx attributes 0x%02x, the page after it 0x%02x\n",
	       (unsigned long)info.ipa, rt_mmu_attributes(info.ipa), rt_mmu_attributes(info.ipa + info.size));
	printf("producer: %lu messages of %lu bytes to %s over '%s' (%u slots)\n", (unsigned long)count, (unsigned long)bytes,
	       info.peer, info.label, rt_channel_capacity(&ch));
	start = rt_counter();
	for (seq = 0; seq < count; seq++) {
		fill(seq, bytes);
		if (!send_one(&ch, bytes, seq)) {
			break;
		}
	}
	printf("producer: sent %lu messages in %lu ms; waited %u times, rang %u doorbells\n",
	       (unsigned long)seq, (unsigned long)((rt_counter() - start) * 1000u / rt_counter_hz()),
	       ch.waits, ch.notifies);
	printf("producer: doorbell %u taken %u times\n", ch.info.doorbell, rt_doorbell_count(ch.info.doorbell));
	return seq == count ? 0 : 1;
}
