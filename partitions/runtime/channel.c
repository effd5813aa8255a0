/* SPDX-License-Identifier: MIT */
/*
 * Channels (bhrt_channel.h): found in the device tree, laid out as
 * include/bulkhead/channel.h says, one bhrt_ring.h ring per direction. What
 * this side relies on (where the rings are, their capacity, the counters it
 * answered) lives in struct rt_channel, in its own memory; the peer's
 * counters are only compared for change, never used as an index.
 */
#include <bulkhead/channel.h>
#include <bulkhead/hypercall.h>
#include <stdbool.h>
#include <stdint.h>

#include "bhrt.h"
#include "bhrt_channel.h"

/* The "waiting" counters: the word after the ring's own words in each control block. */
#define PRODUCER_WAITING 2u   /* after head and dropped */
#define CONSUMER_WAITING 1u   /* after tail */
#define ADDRESS_LIMIT (UINT64_C(1) << 48)

static bool str_equal(const char *a, const char *b)
{
	size_t i = 0u;

	while ((a[i] == b[i]) && (a[i] != '\0')) {
		i++;
	}
	return a[i] == b[i];
}

static bool kind_of(const char *name, enum rt_channel_kind *kind)
{
	bool ok = true;

	if (str_equal(name, "data")) {
		*kind = RT_CHANNEL_DATA;
	} else if (str_equal(name, "console")) {
		*kind = RT_CHANNEL_CONSOLE;
	} else if (str_equal(name, "log")) {
		*kind = RT_CHANNEL_LOG;
	} else {
		ok = false;
	}
	return ok;
}

/* Sizes a channel must have: whole pages, at least two per direction, halves of whole pages. */
/* Implements: REQ-CHN-030 */
static bool layout_valid(const struct rt_channel_info *info)
{
	uint64_t direction = info->one_way ? info->size : (info->size / 2u);

	return ((info->ipa % BH_CHANNEL_PAGE) == 0u) && ((info->size % BH_CHANNEL_PAGE) == 0u) &&
	       ((direction % BH_CHANNEL_PAGE) == 0u) && (direction >= BH_CHANNEL_MIN_DIRECTION) &&
	       (info->ipa < ADDRESS_LIMIT) && (info->size <= (ADDRESS_LIMIT - info->ipa)) && (info->end <= 1u);
}

int rt_channel_info_at(uint32_t node, struct rt_channel_info *info)
{
	const char *kind = NULL;
	uint32_t len = 0u;
	bool ok = rt_fdt_node_string(node, "label", &info->label) && rt_fdt_node_string(node, "bulkhead,peer", &info->peer) &&
		  rt_fdt_node_string(node, "bulkhead,kind", &kind) && kind_of(kind, &info->kind) &&
		  rt_fdt_node_reg(node, &info->ipa, &info->size) && rt_fdt_node_u32(node, "bulkhead,channel-id", &info->id) &&
		  rt_fdt_node_u32(node, "bulkhead,end", &info->end) && rt_fdt_node_u32(node, "bulkhead,peer-id", &info->peer_id);

	if (ok && !rt_fdt_node_u32(node, "bulkhead,doorbell", &info->doorbell)) {
		info->doorbell = RT_CHANNEL_NO_DOORBELL;   /* the peer cannot ring: waits poll */
	}
	if (ok) {
		info->one_way = rt_fdt_node_property(node, "bulkhead,one-way", &len) != NULL;
		ok = layout_valid(info);
	}
	return ok ? 0 : -1;
}

/* Implements: REQ-CHN-030 */
int rt_channel_find(const char *label, struct rt_channel_info *info)
{
	uint32_t node = rt_fdt_next_compatible(0u, RT_CHANNEL_COMPATIBLE);

	while (node != 0u) {
		const char *l = NULL;

		if (rt_fdt_node_string(node, "label", &l) && str_equal(l, label)) {
			return rt_channel_info_at(node, info);
		}
		node = rt_fdt_next_compatible(node, RT_CHANNEL_COMPATIBLE);
	}
	return -1;
}

/*
 * Direction `d` of the channel as a ring area: the receiver's page (consumer
 * control block at 0), then the sender's pages (producer control block at
 * 0, slots from BH_CHANNEL_SLOTS_OFFSET), the largest power-of-two number of
 * slots that fits.
 */
/* Implements: REQ-CHN-030 */
static enum rt_ring_status direction_area(const struct rt_channel_info *info, uint32_t d, uint32_t slot_size,
					  struct rt_ring_area *area)
{
	uint64_t size = info->one_way ? info->size : (info->size / 2u);
	uint8_t *base = (uint8_t *)(uintptr_t)(info->ipa + ((uint64_t)d * size));
	uint64_t room = size - BH_CHANNEL_PAGE - BH_CHANNEL_SLOTS_OFFSET;
	uint32_t capacity = 1u;

	if ((slot_size < (2u * RT_RING_SLOT_HEADER)) || ((slot_size & (slot_size - 1u)) != 0u)) {
		return RT_RING_INVALID;
	}
	while ((capacity <= (UINT32_MAX / 2u)) && (((uint64_t)capacity * 2u * slot_size) <= room)) {
		capacity *= 2u;
	}
	if (((uint64_t)capacity * slot_size) > room) {
		capacity = 0u;   /* not even one slot: ring_bind refuses it */
	}
	area->consumer = base;
	area->producer = &base[BH_CHANNEL_PAGE];
	area->slots = &base[BH_CHANNEL_PAGE + BH_CHANNEL_SLOTS_OFFSET];
	area->capacity = capacity;
	area->slot_size = slot_size;
	return RT_RING_OK;
}

static enum rt_ring_status open_tx(struct rt_channel *ch, uint32_t d, uint32_t slot_size, enum rt_ring_mode mode)
{
	struct rt_ring_area area;
	enum rt_ring_status rc = direction_area(&ch->info, d, slot_size, &area);

	if (rc == RT_RING_OK) {
		rc = rt_ring_attach_producer(&ch->tx, &area, mode);
	}
	if (rc == RT_RING_OK) {
		ch->can_send = true;
		ch->tx_waiting = (uint32_t *)area.producer + PRODUCER_WAITING;
		ch->peer_rx_waiting = (const uint32_t *)area.consumer + CONSUMER_WAITING;
		ch->served_rx = __atomic_load_n(ch->peer_rx_waiting, __ATOMIC_ACQUIRE);
	}
	return rc;
}

static enum rt_ring_status open_rx(struct rt_channel *ch, uint32_t d, uint32_t slot_size)
{
	struct rt_ring_area area;
	enum rt_ring_status rc = direction_area(&ch->info, d, slot_size, &area);

	if (rc == RT_RING_OK) {
		rc = rt_ring_attach_consumer(&ch->rx, &area);
	}
	if (rc == RT_RING_OK) {
		ch->can_recv = true;
		ch->rx_waiting = (uint32_t *)area.consumer + CONSUMER_WAITING;
		ch->peer_tx_waiting = (const uint32_t *)area.producer + PRODUCER_WAITING;
		ch->served_tx = __atomic_load_n(ch->peer_tx_waiting, __ATOMIC_ACQUIRE);
	}
	return rc;
}

/* Implements: REQ-CHN-030 */
enum rt_ring_status rt_channel_open(struct rt_channel *ch, const struct rt_channel_info *info, uint32_t slot_size,
				    enum rt_ring_mode mode)
{
	enum rt_ring_status rc = RT_RING_OK;

	*ch = (struct rt_channel){ .info = *info };
	if (!layout_valid(info)) {
		return RT_RING_INVALID;
	}
	/* One-way: direction 0 from end 0. Two-way: end e sends on direction e. */
	if (!info->one_way || (info->end == 0u)) {
		rc = open_tx(ch, info->one_way ? 0u : info->end, slot_size, mode);
	}
	if ((rc == RT_RING_OK) && (!info->one_way || (info->end == 1u))) {
		rc = open_rx(ch, info->one_way ? 0u : (1u - info->end), slot_size);
	}
	if ((rc == RT_RING_OK) && (info->doorbell != RT_CHANNEL_NO_DOORBELL) && (rt_doorbell_enable(info->doorbell) != 0)) {
		rc = RT_RING_INVALID;
	}
	if (rc == RT_RING_OK) {
		ch->seen = rt_doorbell_count(info->doorbell);
	}
	return rc;
}

uint32_t rt_channel_capacity(const struct rt_channel *ch)
{
	return ch->can_send ? (ch->tx.mask + 1u) : 0u;
}

enum rt_ring_status rt_channel_send(struct rt_channel *ch, const void *buf, size_t len)
{
	return ch->can_send ? rt_ring_send(&ch->tx, buf, len) : RT_RING_INVALID;
}

enum rt_ring_status rt_channel_recv(struct rt_channel *ch, void *buf, size_t cap, size_t *len)
{
	return ch->can_recv ? rt_ring_recv(&ch->rx, buf, cap, len) : RT_RING_INVALID;
}

/* Implements: REQ-CHN-032 */
int rt_channel_notify(struct rt_channel *ch)
{
	ch->notifies++;
	return (int)rt_hvc(BH_HC_DOORBELL, ch->info.id, 0u, 0u).x0;
}

/* The counter deadline `timeout_us` from now, saturating. */
static uint64_t deadline_in(uint64_t timeout_us)
{
	uint64_t hz = rt_counter_hz();
	uint64_t now = rt_counter();
	uint64_t ticks = (timeout_us > (UINT64_MAX / hz)) ? UINT64_MAX : ((timeout_us * hz) / 1000000u);

	return (ticks > (UINT64_MAX - now)) ? UINT64_MAX : (now + ticks);
}

/* Answers the peer's latest "waiting" value once: rings its doorbell. */
static void answer(struct rt_channel *ch, const uint32_t *peer_waiting, uint32_t *served)
{
	uint32_t w = __atomic_load_n(peer_waiting, __ATOMIC_ACQUIRE);

	if (w != *served) {
		*served = w;
		(void)rt_channel_notify(ch);
	}
}

/* Tells the peer this side is about to sleep; the full barrier orders it before the recheck. */
/* Implements: REQ-CHN-032 */
static void announce_wait(uint32_t *waiting)
{
	__atomic_store_n(waiting, __atomic_load_n(waiting, __ATOMIC_RELAXED) + 1u, __ATOMIC_RELEASE);
	rt_full_barrier();
}

/* Implements: REQ-CHN-032 */
static bool sleep_until(struct rt_channel *ch, uint64_t deadline)
{
	ch->waits++;
	return rt_doorbell_wait(ch->info.doorbell, &ch->seen, deadline);
}

/* Implements: REQ-CHN-034 */
enum rt_ring_status rt_channel_write(struct rt_channel *ch, const void *buf, size_t len, uint64_t timeout_us)
{
	uint64_t deadline = deadline_in(timeout_us);
	enum rt_ring_status rc = rt_channel_send(ch, buf, len);

	while (rc == RT_RING_BUSY) {
		announce_wait(ch->tx_waiting);
		rc = rt_channel_send(ch, buf, len);
		if ((rc == RT_RING_BUSY) && !sleep_until(ch, deadline) && (rt_counter() >= deadline)) {
			break;
		}
	}
	if (rc == RT_RING_OK) {
		rt_full_barrier();
		answer(ch, ch->peer_rx_waiting, &ch->served_rx);
	}
	return rc;
}

/* Implements: REQ-CHN-034, REQ-CHN-035 */
enum rt_ring_status rt_channel_read(struct rt_channel *ch, void *buf, size_t cap, size_t *len, uint64_t timeout_us)
{
	uint64_t deadline = deadline_in(timeout_us);
	enum rt_ring_status rc = rt_channel_recv(ch, buf, cap, len);

	while (rc == RT_RING_EMPTY) {
		announce_wait(ch->rx_waiting);
		rc = rt_channel_recv(ch, buf, cap, len);
		if ((rc == RT_RING_EMPTY) && !sleep_until(ch, deadline) && (rt_counter() >= deadline)) {
			break;
		}
	}
	if (rc == RT_RING_OK) {
		rt_full_barrier();
		if (rt_ring_pending(&ch->rx) <= ((ch->rx.mask + 1u) / 2u)) {
			answer(ch, ch->peer_tx_waiting, &ch->served_tx);
		}
	}
	return rc;
}
