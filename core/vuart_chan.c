/* SPDX-License-Identifier: MIT */
/*
 * The channel half of an emulated UART (see vuart_chan.h), shared by the
 * PL011 and 16550 register models.
 */
#include "vuart_chan.h"
#include "cfg.h"
#include "cpu.h"
#include "lib.h"
#include "log.h"
#include "partition.h"
#include "virq.h"

/*
 * The partition runtime's "waiting" counters (partitions/runtime/channel.c):
 * the word after the ring's own in each control block. A side bumps its own
 * before it sleeps on an empty (reader) or full (writer) ring, and the peer
 * rings its doorbell once per new value; the UART does its side of that.
 */
#define PRODUCER_WAITING 2u   /* after head and dropped */
#define CONSUMER_WAITING 1u   /* after tail */

/* Direction `half` of channel `c` (include/bulkhead/channel.h), with console slots. */
/* Implements: REQ-CON-105 */
static struct rt_ring_area direction(const struct cfg_channel *c, uint32_t half)
{
	uint64_t size = c->size / 2u;
	uint64_t receiver = c->pa + (half * size);
	uint64_t sender = receiver + BH_CHANNEL_PAGE;
	uint64_t room = size - BH_CHANNEL_PAGE - BH_CHANNEL_SLOTS_OFFSET;
	uint32_t capacity = 2u;

	/* The largest power of two that fits, as every end computes it. */
	while (((uint64_t)capacity * 2u * BH_CONSOLE_SLOT) <= room) {
		capacity *= 2u;
	}
	return (struct rt_ring_area){
		.producer = pa_ptr(pa_init(sender)),
		.consumer = pa_ptr(pa_init(receiver)),
		.slots = pa_ptr(pa_init(sender + BH_CHANNEL_SLOTS_OFFSET)),
		.capacity = capacity,
		.slot_size = BH_CONSOLE_SLOT,
	};
}

/* Bumps this side's "waiting" counter (in a control block it writes) before
 * looking once more: a record or room the peer made meanwhile is not missed,
 * and a peer that follows the runtime's protocol rings for the next one. A
 * sequentially consistent read-modify-write: the ring's next index load
 * (acquire) is not hoisted above it. */
/* Implements: REQ-CON-106 */
static void announce_wait(uint32_t *waiting)
{
	(void)__atomic_fetch_add(waiting, 1u, __ATOMIC_SEQ_CST);
}

/* Implements: REQ-CON-102 */
void vchan_flush(struct vuart_chan *ch, bool *ring_service)
{
	enum rt_ring_status s;

	if (ch->tx_len == 0u) {
		return;
	}
	s = rt_ring_send(&ch->out, ch->tx, ch->tx_len);
	if ((s == RT_RING_BUSY) && !ch->tx_announced) {
		ch->tx_announced = true;
		announce_wait(&ch->out.head[PRODUCER_WAITING]);
		s = rt_ring_send(&ch->out, ch->tx, ch->tx_len);
	}
	if (s == RT_RING_OK) {
		ch->tx_announced = false;
		ch->tx_len = 0u;
		*ring_service = true;
	} else if (s == RT_RING_CORRUPT) {
		/* The service partition's index is impossible: start afresh, the record is lost. */
		ch->tx_lost += ch->tx_len;
		ch->tx_len = 0u;
		struct rt_ring_area a = direction(ch->channel, 0u);
		(void)rt_ring_attach_producer(&ch->out, &a, RT_RING_BACKPRESSURE);
	} else {
		/* RT_RING_BUSY: kept; the model says full until there is room. */
	}
}

/* Implements: REQ-CON-102, REQ-CON-103 */
void vchan_put(struct vuart_chan *ch, uint8_t c, bool *ring_service)
{
	if (ch->tx_len == VCHAN_RECORD_MAX) {
		vchan_flush(ch, ring_service);
	}
	if (ch->tx_len == VCHAN_RECORD_MAX) {
		ch->tx_lost++;
	} else {
		ch->tx[ch->tx_len] = c;
		ch->tx_len++;
		if ((c == (uint8_t)'\n') || (ch->tx_len == VCHAN_RECORD_MAX)) {
			vchan_flush(ch, ring_service);
		}
	}
}

/* Implements: REQ-CON-104, REQ-CON-105 */
bool vchan_rx_fill(struct vuart_chan *ch, bool *ring_service)
{
	size_t len = 0u;
	bool was_full;

	if (ch->rx_pos < ch->rx_len) {
		return false;
	}
	ch->rx_pos = 0u;
	ch->rx_len = 0u;
	was_full = rt_ring_pending(&ch->in) > ch->in.mask;
	/* Corrupt or oversized records are skipped by the ring and never reach the guest. */
	enum rt_ring_status s = rt_ring_recv(&ch->in, ch->rx, sizeof(ch->rx), &len);
	if ((s == RT_RING_EMPTY) && !ch->rx_announced) {
		ch->rx_announced = true;
		announce_wait(&ch->in.tail[CONSUMER_WAITING]);
		s = rt_ring_recv(&ch->in, ch->rx, sizeof(ch->rx), &len);
	}
	if ((s != RT_RING_OK) || (len == 0u)) {
		return false;
	}
	ch->rx_announced = false;
	ch->rx_len = (uint32_t)len;
	*ring_service = *ring_service || was_full;
	return true;
}

/* Implements: REQ-CON-104 */
uint8_t vchan_get(struct vuart_chan *ch, bool *ring_service)
{
	uint8_t c = 0u;

	(void)vchan_rx_fill(ch, ring_service);
	if (ch->rx_pos < ch->rx_len) {
		c = ch->rx[ch->rx_pos];
		ch->rx_pos++;
		(void)vchan_rx_fill(ch, ring_service);
	}
	return c;
}

/* Implements: REQ-CON-102, REQ-CON-104 */
bool vchan_doorbell(struct vuart_chan *ch, bool *ring_service)
{
	if (ch->tx_announced) {
		/* A record that found the ring full waits: there may be room now. */
		vchan_flush(ch, ring_service);
	}
	return vchan_rx_fill(ch, ring_service);
}

/* Implements: REQ-CON-102, REQ-CON-103 */
void vchan_report(struct cpu *self, const struct vuart_chan *ch, const struct partition *p, bool ring_service,
		  uint32_t lost)
{
	const struct cfg_channel_end *service = &ch->channel->end[1];
	struct partition *peer = partition_get(service->partition);

	if (lost != 0u) {
		log_warning("partition '%s': its UART dropped %u bytes written while its FIFO was full", p->cfg->name,
			    lost);
	}
	if (ring_service && (peer != NULL) && (service->doorbell != CFG_NO_DOORBELL)) {
		/* Not running (stopped, restarting): it finds the records when it is back. */
		(void)core_vcpu_inject(self, peer, service->vcpu, service->doorbell);
	}
}

/* Implements: REQ-CON-101 */
void vchan_reset(struct vuart_chan *ch)
{
	ch->tx_len = 0u;
	ch->rx_len = 0u;
	ch->rx_pos = 0u;
}

/* Implements: REQ-CON-101, REQ-CON-105 */
void vchan_init(struct vuart_chan *ch, struct partition *p, channel_hyp_ring_t ring, void *context)
{
	const struct cfg_partition_console *con = &p->cfg->console;
	const struct cfg_channel *c;

	if (con->channel >= cfg_system.n_channels) {
		panic("partition '%s': its emulated UART has no console channel", p->cfg->name);
	}
	c = &cfg_system.channels[con->channel];
	if ((c->kind != (uint8_t)CFG_CHANNEL_CONSOLE) || (c->one_way != 0u) ||
	    (c->end[0].kind != (uint8_t)CFG_END_HYPERVISOR) || (c->end[0].partition != p->id) ||
	    (c->size != BH_CONSOLE_CHANNEL_SIZE)) {
		panic("partition '%s': its emulated UART's console channel is inconsistent", p->cfg->name);
	}
	(void)memset(ch, 0, sizeof(struct vuart_chan));
	ch->channel = c;
	/* Nobody has used the channel yet: both rings start empty. */
	(void)memset(pa_ptr(pa_init(c->pa)), 0, c->size);
	struct rt_ring_area out = direction(c, 0u);
	struct rt_ring_area in = direction(c, 1u);
	if ((rt_ring_attach_producer(&ch->out, &out, RT_RING_BACKPRESSURE) != RT_RING_OK) ||
	    (rt_ring_attach_consumer(&ch->in, &in) != RT_RING_OK) ||
	    (channel_bind_hyp_end(con->channel, ring, context) != CORE_OK)) {
		panic("partition '%s': its emulated UART cannot be set up", p->cfg->name);
	}
}
