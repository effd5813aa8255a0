/* SPDX-License-Identifier: MIT */
/*
 * Channels (docs/channels.md): memory a partition shares with one peer,
 * found in the partition's device tree, with a message ring per direction
 * (bhrt_ring.h laid out as include/bulkhead/channel.h says) and a doorbell
 * each way.
 *
 * Use: rt_channel_find() the channel by its label, rt_channel_open() it
 * with the slot size both ends agreed on (it is not in the device tree),
 * then rt_channel_write()/rt_channel_read(), which ring the peer's doorbell
 * only when the peer asked for it and wait for their own with a bound.
 * rt_channel_send()/rt_channel_recv() and rt_channel_notify() are the same
 * without waiting or ringing, for programs with their own policy.
 *
 * Waking the peer: a side that finds the ring full (writer) or empty
 * (reader) bumps a "waiting" counter in its own control block before it
 * sleeps; the other side rings the doorbell once per new counter value: a
 * reader when it has made room for half the ring, a writer on its next
 * record. Both check after a full barrier, so a wake-up is never missed;
 * the waits are bounded anyway, so a hostile peer costs time, never a hang.
 */
#ifndef BHRT_CHANNEL_H
#define BHRT_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bhrt_ring.h"

/** The device tree's `compatible` of a channel node. */
#define RT_CHANNEL_COMPATIBLE "bulkhead,channel"
/** rt_channel_write()/rt_channel_read() timeout that never gives up. */
#define RT_CHANNEL_FOREVER UINT64_MAX
/** rt_channel_info.doorbell of a channel end without one (its waits poll). */
#define RT_CHANNEL_NO_DOORBELL UINT32_MAX
/** Distinct doorbell interrupts a partition can wait on. */
#define RT_DOORBELLS_MAX 16u

enum rt_channel_kind {
	RT_CHANNEL_DATA = 0,      /* declared in the system description's /channels */
	RT_CHANNEL_CONSOLE = 1,   /* a partition's console to the service partition */
	RT_CHANNEL_LOG = 2,       /* the hypervisor's log to the service partition */
};

/** A channel node of the device tree; the strings point into the tree. */
struct rt_channel_info {
	const char *label;        /* the channel's name ("console", "log" for those) */
	const char *peer;         /* the other end's partition name, "bulkhead" for the hypervisor */
	uint64_t ipa;             /* where this partition sees it */
	uint64_t size;            /* bytes */
	uint32_t id;              /* BH_HC_DOORBELL's argument */
	uint32_t end;             /* 0 or 1: which end this partition is */
	uint32_t peer_id;         /* the peer's partition id, 0xff for the hypervisor */
	uint32_t doorbell;        /* the interrupt raised here when the peer rings, or RT_CHANNEL_NO_DOORBELL */
	enum rt_channel_kind kind;
	bool one_way;             /* only end 0 sends */
};

/** An open channel: lives in the partition's own memory. */
struct rt_channel {
	struct rt_channel_info info;
	struct rt_ring tx;        /* valid when can_send */
	struct rt_ring rx;        /* valid when can_recv */
	bool can_send;
	bool can_recv;
	uint32_t *tx_waiting;     /* shared: this side's "waiting for room" counter (in tx's producer block) */
	uint32_t *rx_waiting;     /* shared: this side's "waiting for data" counter (in rx's consumer block) */
	const uint32_t *peer_rx_waiting;   /* shared: the peer's "waiting for data" on tx */
	const uint32_t *peer_tx_waiting;   /* shared: the peer's "waiting for room" on rx */
	uint32_t served_rx;       /* the peer's last "waiting for data" value answered */
	uint32_t served_tx;       /* the peer's last "waiting for room" value answered */
	uint32_t seen;            /* doorbell count last seen (rt_doorbell_count) */
	uint32_t notifies;        /* doorbells this side rang */
	uint32_t waits;           /* times this side slept on its doorbell */
};

/**
 * Reads the channel node at structure offset `node` (from
 * rt_fdt_next_compatible(..., RT_CHANNEL_COMPATIBLE)). Returns 0, or -1 when
 * a property is missing or out of range (then the channel is unusable).
 */
int rt_channel_info_at(uint32_t node, struct rt_channel_info *info);

/** Finds the channel labelled `label`. Returns 0, or -1 when there is none (or it is malformed). */
int rt_channel_find(const char *label, struct rt_channel_info *info);

/**
 * Opens a channel: lays out its directions, attaches this side's rings
 * (`mode` for the sending one) and enables its doorbell on the calling vCPU
 * (which must be the channel's doorbell vCPU to wait on it). Returns
 * RT_RING_OK, RT_RING_INVALID (bad layout for that slot size, or the
 * doorbell cannot be enabled) or another ring status.
 */
enum rt_ring_status rt_channel_open(struct rt_channel *ch, const struct rt_channel_info *info, uint32_t slot_size,
				    enum rt_ring_mode mode);

/** Records of this side's sending ring (0 when it cannot send). */
uint32_t rt_channel_capacity(const struct rt_channel *ch);

/** rt_ring_send() on this side's sending ring; RT_RING_INVALID when it cannot send. */
enum rt_ring_status rt_channel_send(struct rt_channel *ch, const void *buf, size_t len);
/** rt_ring_recv() on this side's receiving ring; RT_RING_INVALID when it cannot receive. */
enum rt_ring_status rt_channel_recv(struct rt_channel *ch, void *buf, size_t cap, size_t *len);
/** Rings the peer's doorbell (BH_HC_DOORBELL): BH_OK or a BH_ERR_* code. */
int rt_channel_notify(struct rt_channel *ch);

/**
 * Sends one record; when the ring is full, waits up to `timeout_us`
 * microseconds for room (RT_RING_BUSY after that). Rings the peer when it
 * waits for data.
 */
enum rt_ring_status rt_channel_write(struct rt_channel *ch, const void *buf, size_t len, uint64_t timeout_us);
/**
 * Takes one record; when the ring is empty, waits up to `timeout_us`
 * microseconds for one (RT_RING_EMPTY after that). Rings the peer when it
 * waits for room and half the ring is free.
 */
enum rt_ring_status rt_channel_read(struct rt_channel *ch, void *buf, size_t cap, size_t *len, uint64_t timeout_us);

/*
 * Doorbell interrupts (the architecture's part of the runtime). Several
 * channels may share one interrupt: each keeps the count it last saw.
 */

/**
 * Takes interrupt `intid` as a doorbell on the calling vCPU (initialising
 * the GIC driver when nothing has yet), enables the virtual timer's
 * interrupt for the waits' deadlines and unmasks IRQs. Returns 0, or -1
 * (not an SGI or SPI, too many doorbells, or no GIC).
 */
int rt_doorbell_enable(uint32_t intid);
/** How many times `intid` has rung since it was enabled (0 when it is not a doorbell). */
uint32_t rt_doorbell_count(uint32_t intid);
/**
 * Waits until `intid`'s count differs from *seen (then stores it there and
 * returns true) or the virtual counter reaches `deadline` (false). Uses the
 * calling vCPU's virtual timer to bound the wait.
 */
bool rt_doorbell_wait(uint32_t intid, uint32_t *seen, uint64_t deadline);

#endif /* BHRT_CHANNEL_H */
