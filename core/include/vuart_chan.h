/* SPDX-License-Identifier: MIT */
/*
 * The channel half of an emulated UART (vuart_pl011.c, vuart_16550.c): the
 * hypervisor's end (end 0) of a partition's console channel, with what
 * every UART model does the same way. Written bytes gather into one console
 * record that goes out when it ends a line, fills, or the model flushes it
 * (the guest stopped writing for now); the ring applies back-pressure, and
 * a byte written while there is no room is lost and counted. Input records
 * are taken one at a time into a buffer the model's data register reads.
 * The runtime's "waiting" counters are bumped so that a service partition
 * that rings only peers that wait still wakes the UART (docs/channels.md).
 * Nothing here waits; the register models and their locks are the callers'.
 */
#ifndef BULKHEAD_VUART_CHAN_H
#define BULKHEAD_VUART_CHAN_H

#include "bhrt_ring.h"
#include "bulkhead/channel.h"
#include "channel.h"
#include "status.h"
#include "types.h"

struct cpu;
struct partition;
struct cfg_channel;

/** A record's payload: a console slot less its header. */
#define VCHAN_RECORD_MAX (BH_CONSOLE_SLOT - RT_RING_SLOT_HEADER)

/** The channel half of one emulated UART. */
struct vuart_chan {
	const struct cfg_channel *channel;
	struct rt_ring out;            /* producer: what the partition writes */
	struct rt_ring in;             /* consumer: what it is sent */
	uint8_t tx[VCHAN_RECORD_MAX];
	uint32_t tx_len;
	uint8_t rx[VCHAN_RECORD_MAX];
	uint32_t rx_len;
	uint32_t rx_pos;
	uint32_t tx_lost;              /* bytes written while there was no room */
	bool tx_announced;             /* the output ring was full: the service partition was told */
	bool rx_announced;             /* the input ring was empty: the service partition was told */
};

/**
 * Attaches @ch to partition @p's console channel (its configuration's
 * console.channel, checked to be a two-way console channel whose end 0 is
 * the hypervisor's for @p), empties both rings and binds @ring with
 * @context to the channel's doorbell. Boot cpu, once; an inconsistent
 * configuration is a table bug (panic).
 */
void vchan_init(struct vuart_chan *ch, struct partition *p, channel_hyp_ring_t ring, void *context);

/** Drops what was buffered either way (the partition restarts); the rings stay. */
void vchan_reset(struct vuart_chan *ch);

/** Sends the transmit buffer as one record; *ring_service when it went out. */
void vchan_flush(struct vuart_chan *ch, bool *ring_service);

/** One byte written: buffered, sent at a line's end or a full record, or lost and counted. */
void vchan_put(struct vuart_chan *ch, uint8_t c, bool *ring_service);

/**
 * Room for @fifo bytes without loss: what a transmit interrupt promises.
 * Inline, as the lost-byte check and the notification's test below: each
 * UART access asks them, and as calls into vuart_chan.c they cost the PL011
 * about 40 more EL2 instructions per access (make bench's emulated PL011
 * row: 315 before the split, 352.5 with calls, 308.9 inline).
 */
/* Implements: REQ-CON-103 */
static inline bool vchan_tx_room(const struct vuart_chan *ch, uint32_t fifo)
{
	return ((VCHAN_RECORD_MAX - ch->tx_len) >= fifo) || (rt_ring_pending(&ch->out) <= ch->out.mask);
}

/** Takes the next input record when the buffer is empty; true when one arrived. */
bool vchan_rx_fill(struct vuart_chan *ch, bool *ring_service);

/** Input bytes buffered and not yet read. */
/* Implements: REQ-CON-104, REQ-CON-108 */
static inline uint32_t vchan_rx_pending(const struct vuart_chan *ch)
{
	return ch->rx_len - ch->rx_pos;
}

/** The next input byte (0 when there is none); refills from the ring. */
uint8_t vchan_get(struct vuart_chan *ch, bool *ring_service);

/** The doorbell's part: a record that waited for room goes, input is taken (true: a record arrived). */
bool vchan_doorbell(struct vuart_chan *ch, bool *ring_service);

/**
 * The bytes lost since the last report, once a record went out (the report
 * follows what came before the loss, and a full ring reports nothing yet).
 */
/* Implements: REQ-CON-103 */
static inline uint32_t vchan_take_lost(struct vuart_chan *ch)
{
	uint32_t lost = 0u;

	if ((ch->tx_lost != 0u) && (ch->tx_len == 0u)) {
		lost = ch->tx_lost;
		ch->tx_lost = 0u;
	}
	return lost;
}

/**
 * After the model's lock is dropped: logs @lost bytes of @p's UART and,
 * when @ring_service, rings the service partition's doorbell.
 */
void vchan_report(struct cpu *self, const struct vuart_chan *ch, const struct partition *p, bool ring_service,
		  uint32_t lost);

/* Implements: REQ-CON-102, REQ-CON-103 */
static inline void vchan_notify(struct cpu *self, const struct vuart_chan *ch, const struct partition *p,
				bool ring_service, uint32_t lost)
{
	if (ring_service || (lost != 0u)) {
		vchan_report(self, ch, p, ring_service, lost);
	}
}

#endif /* BULKHEAD_VUART_CHAN_H */
