/* SPDX-License-Identifier: MIT */
/*
 * Single-producer single-consumer message ring over memory that two
 * partitions share (a channel). Each side keeps what it relies on (capacity,
 * slot size, where the slots are, its own index) in its own memory; the
 * shared memory holds only the records and two indices, and each side reads
 * the other's index and every record length as hostile input: masked,
 * range-checked, read once, never trusted for an address.
 *
 * Shared layout: the producer's control block (head: records published,
 * dropped: records a lossy producer could not publish), the consumer's
 * control block (tail: records consumed), then capacity slots of slot_size
 * bytes, each an 8-byte header (payload length) and the payload. The two
 * control blocks may sit in pages with different rights (a one-way channel
 * maps the producer's block and the slots read-only for the consumer, the
 * consumer's block writable for it).
 */
#ifndef BHRT_RING_H
#define BHRT_RING_H

#include <stddef.h>
#include <stdint.h>

/** Results of ring operations: 0 or positive is success, negative an error. */
enum rt_ring_status {
	RT_RING_OK = 0,
	RT_RING_DROPPED = 1,    /* lossy producer: the ring was full, the record counted as dropped */
	RT_RING_BUSY = -1,      /* producer: the ring is full, nothing written; try again later */
	RT_RING_EMPTY = -2,     /* consumer: nothing to read */
	RT_RING_TOO_BIG = -3,   /* the record does not fit (a slot, or the caller's buffer) */
	RT_RING_CORRUPT = -4,   /* the peer's index or a record length is out of range */
	RT_RING_INVALID = -5,   /* bad layout: sizes not powers of two, areas too small or misaligned */
};

/** How a producer treats a full ring. */
enum rt_ring_mode {
	RT_RING_BACKPRESSURE,   /* a full ring returns RT_RING_BUSY: the writer waits or retries */
	RT_RING_LOSSY,          /* a full ring drops the record and counts it where the consumer sees it */
};

/** Bytes of each control block (a cache line of its own, so the two sides never share one). */
#define RT_RING_CONTROL_SIZE 64u
/** Bytes of a slot's header; the payload follows it. */
#define RT_RING_SLOT_HEADER 8u

/** Where the shared parts of one ring are, as each side maps them. */
struct rt_ring_area {
	void *producer;   /* RT_RING_CONTROL_SIZE bytes the producer writes */
	void *consumer;   /* RT_RING_CONTROL_SIZE bytes the consumer writes */
	void *slots;      /* capacity * slot_size bytes the producer writes */
	uint32_t capacity;   /* slots, a power of two */
	uint32_t slot_size;  /* bytes per slot, a power of two >= 16 */
};

/** One side of a ring; lives in that side's own memory. */
struct rt_ring {
	uint32_t *head;        /* shared: producer's published count */
	uint32_t *dropped;     /* shared: lossy producer's drop count */
	uint32_t *tail;        /* shared: consumer's count */
	uint32_t *slots;      /* slot i at slots[i * slot_size / 4] */
	uint32_t mask;         /* capacity - 1 */
	uint32_t slot_size;
	uint32_t next;         /* producer: the head it owns; consumer: the tail it owns */
	uint32_t drops;        /* producer: records dropped (lossy mode), published in *dropped */
	uint32_t corrupt;      /* times the peer's index or a record was out of range */
	enum rt_ring_mode mode;
};

/**
 * Lays a ring out in one region both sides map at `base` (a two-way channel
 * or a test): the two control blocks, then the largest power-of-two number
 * of slots that fits. RT_RING_INVALID when base is not 64-byte aligned,
 * slot_size is not a power of two >= 16, or fewer than 2 slots fit.
 */
enum rt_ring_status rt_ring_area_in(void *base, size_t size, uint32_t slot_size, struct rt_ring_area *area);

/**
 * Attaches the producer side. A fresh ring (or one whose shared indices are
 * inconsistent, say after the peer wrote garbage) starts at the consumer's
 * tail; a ring the producer published into before it restarted resumes at
 * its head, so the consumer sees neither a gap nor a repeat.
 */
enum rt_ring_status rt_ring_attach_producer(struct rt_ring *r, const struct rt_ring_area *area, enum rt_ring_mode mode);

/**
 * Attaches the consumer side: resumes at the shared tail when it is
 * consistent with the head (a restarted consumer loses only what it had
 * taken but not finished), otherwise skips to the head and counts the
 * skipped records as corrupt.
 */
enum rt_ring_status rt_ring_attach_consumer(struct rt_ring *r, const struct rt_ring_area *area);

/** Largest payload a record of this ring can carry. */
uint32_t rt_ring_max_payload(const struct rt_ring *r);

/**
 * Publishes one record of len bytes. RT_RING_OK, RT_RING_DROPPED (lossy mode,
 * ring full), RT_RING_BUSY (back-pressure mode, ring full), RT_RING_TOO_BIG,
 * or RT_RING_CORRUPT (the consumer's tail is impossible; nothing written).
 */
enum rt_ring_status rt_ring_send(struct rt_ring *r, const void *buf, size_t len);

/**
 * Takes the oldest record into buf (cap bytes) and stores its length in
 * *len. RT_RING_OK, RT_RING_EMPTY, RT_RING_TOO_BIG (buf too small; the record
 * stays), or RT_RING_CORRUPT (an impossible head: nothing taken; or an
 * impossible record length: that record is skipped).
 */
enum rt_ring_status rt_ring_recv(struct rt_ring *r, void *buf, size_t cap, size_t *len);

/** Records the producer has dropped (lossy mode), as published in shared memory. */
uint32_t rt_ring_dropped(const struct rt_ring *r);

/** Records waiting, as this side sees them (0 when the peer's index is impossible). */
uint32_t rt_ring_pending(const struct rt_ring *r);

#endif
