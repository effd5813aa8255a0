/* SPDX-License-Identifier: MIT */
/*
 * The message ring of bhrt_ring.h. Ordering: the producer writes a record,
 * then publishes head with release; the consumer reads head with acquire,
 * copies the record out, then publishes tail with release; the producer reads
 * tail with acquire before it reuses a slot. Between partitions the memory is
 * Normal write-back inner-shareable in both, so these are all the barriers
 * needed (LDAR/STLR on arm64).
 *
 * Indices are free-running 32-bit counts; head - tail (mod 2^32) is the
 * number of records waiting, which a consistent ring keeps <= capacity. Any
 * other value comes from a faulty or hostile peer and is refused, never used.
 */
#include <string.h>

#include "bhrt_ring.h"

/* Offsets inside the control blocks (32-bit words). */
#define CTL_HEAD 0u
#define CTL_DROPPED 1u
#define CTL_TAIL 0u

static int is_pow2(uint32_t v)
{
	return (v != 0u) && ((v & (v - 1u)) == 0u);
}

static uint32_t load_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

enum rt_ring_status rt_ring_area_in(void *base, size_t size, uint32_t slot_size, struct rt_ring_area *area)
{
	const size_t controls = 2u * RT_RING_CONTROL_SIZE;
	uint32_t capacity = 1u;

	if ((base == NULL) || (((uintptr_t)base % RT_RING_CONTROL_SIZE) != 0u) ||
	    !is_pow2(slot_size) || (slot_size < (2u * RT_RING_SLOT_HEADER)) || (size < controls)) {
		return RT_RING_INVALID;
	}
	while ((capacity <= (UINT32_MAX / 2u)) &&
	       (((size_t)capacity * 2u * slot_size) <= (size - controls))) {
		capacity *= 2u;
	}
	if (((size_t)capacity * slot_size) > (size - controls) || (capacity < 2u)) {
		return RT_RING_INVALID;
	}
	area->producer = base;
	area->consumer = (uint8_t *)base + RT_RING_CONTROL_SIZE;
	area->slots = (uint8_t *)base + controls;
	area->capacity = capacity;
	area->slot_size = slot_size;
	return RT_RING_OK;
}

/* Implements: REQ-CHN-002 */
static enum rt_ring_status ring_bind(struct rt_ring *r, const struct rt_ring_area *area)
{
	if ((area->producer == NULL) || (area->consumer == NULL) || (area->slots == NULL) ||
	    !is_pow2(area->capacity) || (area->capacity < 2u) || !is_pow2(area->slot_size) ||
	    (area->slot_size < (2u * RT_RING_SLOT_HEADER)) ||
	    (((uintptr_t)area->producer % RT_RING_CONTROL_SIZE) != 0u) ||
	    (((uintptr_t)area->consumer % RT_RING_CONTROL_SIZE) != 0u) ||
	    (((uintptr_t)area->slots % RT_RING_SLOT_HEADER) != 0u)) {
		return RT_RING_INVALID;
	}
	r->head = (uint32_t *)area->producer + CTL_HEAD;
	r->dropped = (uint32_t *)area->producer + CTL_DROPPED;
	r->tail = (uint32_t *)area->consumer + CTL_TAIL;
	r->slots = (uint32_t *)area->slots;
	r->mask = area->capacity - 1u;
	r->slot_size = area->slot_size;
	r->corrupt = 0u;
	r->drops = 0u;
	r->mode = RT_RING_BACKPRESSURE;
	return RT_RING_OK;
}

/* Implements: REQ-CHN-004, REQ-CHN-005 */
enum rt_ring_status rt_ring_attach_producer(struct rt_ring *r, const struct rt_ring_area *area, enum rt_ring_mode mode)
{
	enum rt_ring_status rc = ring_bind(r, area);
	uint32_t head;
	uint32_t tail;

	if (rc != RT_RING_OK) {
		return rc;
	}
	if ((mode != RT_RING_BACKPRESSURE) && (mode != RT_RING_LOSSY)) {
		return RT_RING_INVALID;
	}
	r->mode = mode;
	head = load_acquire(r->head);
	tail = load_acquire(r->tail);
	if ((head - tail) > (r->mask + 1u)) {
		r->corrupt++;
		head = tail;
		store_release(r->head, head);
	}
	r->next = head;
	/* Drops keep counting across a restart of the producer: the consumer reports the total. */
	r->drops = load_acquire(r->dropped);
	return RT_RING_OK;
}

/* Implements: REQ-CHN-005 */
enum rt_ring_status rt_ring_attach_consumer(struct rt_ring *r, const struct rt_ring_area *area)
{
	enum rt_ring_status rc = ring_bind(r, area);
	uint32_t head;
	uint32_t tail;

	if (rc != RT_RING_OK) {
		return rc;
	}
	head = load_acquire(r->head);
	tail = load_acquire(r->tail);
	if ((head - tail) > (r->mask + 1u)) {
		r->corrupt++;
		tail = head;
		store_release(r->tail, tail);
	}
	r->next = tail;
	return RT_RING_OK;
}

uint32_t rt_ring_max_payload(const struct rt_ring *r)
{
	return r->slot_size - RT_RING_SLOT_HEADER;
}

/* A slot is 32-bit words: its first holds the payload length, the payload starts at the third. */
static uint32_t *slot_at(const struct rt_ring *r, uint32_t index)
{
	return &r->slots[(size_t)(index & r->mask) * (r->slot_size / 4u)];
}

static uint8_t *payload_of(uint32_t *slot)
{
	return (uint8_t *)&slot[RT_RING_SLOT_HEADER / 4u];
}

/* Implements: REQ-CHN-001, REQ-CHN-003, REQ-CHN-004 */
enum rt_ring_status rt_ring_send(struct rt_ring *r, const void *buf, size_t len)
{
	uint32_t used;
	uint32_t *slot;

	if (len > rt_ring_max_payload(r)) {
		return RT_RING_TOO_BIG;
	}
	used = r->next - load_acquire(r->tail);
	if (used > (r->mask + 1u)) {
		r->corrupt++;
		return RT_RING_CORRUPT;
	}
	if (used == (r->mask + 1u)) {
		if (r->mode == RT_RING_LOSSY) {
			r->drops++;
			store_release(r->dropped, r->drops);
			return RT_RING_DROPPED;
		}
		return RT_RING_BUSY;
	}
	slot = slot_at(r, r->next);
	__atomic_store_n(slot, (uint32_t)len, __ATOMIC_RELAXED);
	(void)memcpy(payload_of(slot), buf, len);
	r->next++;
	store_release(r->head, r->next);
	return RT_RING_OK;
}

/* Implements: REQ-CHN-001, REQ-CHN-002 */
enum rt_ring_status rt_ring_recv(struct rt_ring *r, void *buf, size_t cap, size_t *len)
{
	uint32_t avail = load_acquire(r->head) - r->next;
	uint32_t *slot;
	uint32_t n;

	if (avail == 0u) {
		return RT_RING_EMPTY;
	}
	if (avail > (r->mask + 1u)) {
		r->corrupt++;
		return RT_RING_CORRUPT;
	}
	slot = slot_at(r, r->next);
	/* Read once: the producer may change it under us; only this copy is used. */
	n = __atomic_load_n(slot, __ATOMIC_RELAXED);
	if (n > rt_ring_max_payload(r)) {
		r->corrupt++;
		r->next++;
		store_release(r->tail, r->next);
		return RT_RING_CORRUPT;
	}
	if (n > cap) {
		return RT_RING_TOO_BIG;
	}
	(void)memcpy(buf, payload_of(slot), n);
	*len = n;
	r->next++;
	store_release(r->tail, r->next);
	return RT_RING_OK;
}

/* Implements: REQ-CHN-004 */
uint32_t rt_ring_dropped(const struct rt_ring *r)
{
	return load_acquire(r->dropped);
}

uint32_t rt_ring_pending(const struct rt_ring *r)
{
	uint32_t n = load_acquire(r->head) - load_acquire(r->tail);

	return (n > (r->mask + 1u)) ? 0u : n;
}
