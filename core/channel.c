/* SPDX-License-Identifier: MIT */
/*
 * Doorbells of channels (see channel.h).
 */
#include "channel.h"
#include "arch.h"
#include "core.h"
#include "cpu.h"
#include "partition.h"
#include "virq.h"

/* A hypervisor end's handler; set at init, read-only after. */
struct hyp_end {
	channel_hyp_ring_t ring;
	void *context;
};

/* Slots for the description's channels (bhcc's BH_NUM_CHANNELS), not for
 * the 256 cfg's uint8_t index could name: resident memory follows what the system needs. C has no
 * empty array, so a system without channels keeps one unused slot. */
#define CHANNEL_SLOTS ((BH_NUM_CHANNELS > 0) ? (uint32_t)BH_NUM_CHANNELS : 1u)

static struct hyp_end hyp_ends[CHANNEL_SLOTS];

/*
 * What a ring from end e of channel c does, worked out once at init from
 * the configuration, so that a ring checks only what can change at run
 * time (the peer's state, under its lock: virq_raise). `caller` is the
 * partition that owns end e (NULL: a hypervisor end, which never calls);
 * `peer` is set when the other end is a partition whose doorbell can be
 * raised there (the vCPU exists, the architecture can raise that
 * interrupt), else NULL and ring_other decides from `peer_end`.
 */
struct bell {
	const struct partition *caller;
	struct partition *peer;
	const struct cfg_channel_end *peer_end;
	uint32_t vcpu;
	uint32_t virq;
};

static struct bell bells[CHANNEL_SLOTS][2];
/* The channels a ring may name: the configuration's, within CHANNEL_SLOTS. */
static uint32_t n_bells;

/* Implements: REQ-CHN-009 */
static bool raisable(const struct cfg_channel_end *end, const struct partition *p)
{
	return (end->kind == (uint8_t)CFG_END_PARTITION) && (end->doorbell != CFG_NO_DOORBELL) && (p != NULL) &&
	       (end->vcpu < p->cfg->n_vcpus) && arch_virq_valid(p, end->doorbell);
}

/* Implements: REQ-CHN-009, REQ-MEM-011, REQ-MEM-012 */
void channels_init(void)
{
	if (cfg_system.n_channels > (uint32_t)BH_NUM_CHANNELS) {
		panic("%u channels exceed the %u this image was built for", cfg_system.n_channels,
		      (uint32_t)BH_NUM_CHANNELS);
	}
	n_bells = 0u;
	for (uint32_t c = 0u; (c < cfg_system.n_channels) && (c < CHANNEL_SLOTS); c++) {
		for (uint32_t e = 0u; e < 2u; e++) {
			const struct cfg_channel_end *end = &cfg_system.channels[c].end[e];
			const struct cfg_channel_end *peer_end = &cfg_system.channels[c].end[1u - e];
			struct partition *peer = partition_get(peer_end->partition);
			struct bell *b = &bells[c][e];

			b->caller = (end->kind == (uint8_t)CFG_END_PARTITION) ? partition_get(end->partition) : NULL;
			b->peer = raisable(peer_end, peer) ? peer : NULL;
			b->peer_end = peer_end;
			b->vcpu = peer_end->vcpu;
			b->virq = peer_end->doorbell;
		}
		n_bells = c + 1u;
	}
}

/* Implements: REQ-CON-102, REQ-LOG-001~2, REQ-CHN-009 */
enum core_status channel_bind_hyp_end(uint32_t channel, channel_hyp_ring_t ring, void *context)
{
	if ((channel >= cfg_system.n_channels) || (channel >= CHANNEL_SLOTS) ||
	    (cfg_system.channels[channel].end[0].kind != (uint8_t)CFG_END_HYPERVISOR)) {
		return CORE_ERR_INVALID;
	}
	hyp_ends[channel].ring = ring;
	hyp_ends[channel].context = context;
	return CORE_OK;
}

/* The peer of the caller's end, or NULL when the caller is not an end of @ch. */
/* Implements: REQ-CHN-009 */
static const struct cfg_channel_end *peer_of(const struct cfg_channel *ch, uint32_t partition)
{
	const struct cfg_channel_end *peer = NULL;

	if ((ch->end[0].kind == (uint8_t)CFG_END_PARTITION) && (ch->end[0].partition == partition)) {
		peer = &ch->end[1];
	} else if ((ch->end[1].kind == (uint8_t)CFG_END_PARTITION) && (ch->end[1].partition == partition)) {
		peer = &ch->end[0];
	} else {
		/* Not an end: a partition never reaches a channel it does not map. */
	}
	return peer;
}

/* Implements: REQ-CHN-009 */
bool channel_has_end(const struct partition *p, uint32_t channel)
{
	return (channel < cfg_system.n_channels) && (channel < CHANNEL_SLOTS) &&
	       (peer_of(&cfg_system.channels[channel], p->id) != NULL);
}

/* An unbound hypervisor end (the log): the hypervisor reads it when it writes, nothing to do. */
/* Implements: infrastructure */
static enum core_status hyp_end_idle(struct cpu *self, uint32_t channel, void *context)
{
	UNUSED(self);
	UNUSED(channel);
	UNUSED(context);
	return CORE_OK;
}

/* Implements: REQ-CON-102, REQ-LOG-001~2 */
static enum core_status ring_hypervisor(struct cpu *self, uint32_t channel)
{
	const struct hyp_end *h = &hyp_ends[channel];
	channel_hyp_ring_t ring = (h->ring != NULL) ? h->ring : hyp_end_idle;

	return ring(self, channel, h->context);
}

/* A ring whose peer is not a raisable partition doorbell: a hypervisor end,
 * a peer that polls, or a doorbell the peer cannot take (bhcc refuses one). */
/* Implements: REQ-CHN-009, REQ-CON-102, REQ-LOG-001~2 */
static __attribute__((noinline)) enum core_status ring_other(struct cpu *self, uint32_t channel,
							     const struct cfg_channel_end *peer_end)
{
	enum core_status s = CORE_ERR_DENIED;

	if (peer_end->kind == (uint8_t)CFG_END_HYPERVISOR) {
		s = ring_hypervisor(self, channel);
	} else if (peer_end->doorbell == CFG_NO_DOORBELL) {
		s = CORE_OK;   /* the peer polls */
	} else {
		/* not raisable: CORE_ERR_DENIED */
	}
	return s;
}

/* Implements: REQ-CHN-009 */
enum core_status channel_ring(struct cpu *self, uint32_t channel)
{
	const struct partition *me = self->partition;
	struct bell *b;

	if (channel >= n_bells) {
		return CORE_ERR_INVALID;
	}
	/* The caller must own an end (the first that matches, as peer_of). */
	b = &bells[channel][0];
	if (b->caller != me) {
		b = &bells[channel][1];
		if (b->caller != me) {
			return CORE_ERR_DENIED;
		}
	}

	/*
	 * What the caller wrote before the call is seen before the peer's
	 * interrupt, with no barrier here: the raise is a pending bit set with
	 * release semantics under the peer partition's lock (arch_vcpu_raise),
	 * which orders every earlier store of this core (its guest's included:
	 * program order runs across the trap) before the acquire with which the
	 * peer's core takes the bit, and the architecture completes the store
	 * before the kick that makes the peer's core look.
	 */
	if (b->peer == NULL) {
		return ring_other(self, channel, b->peer_end);
	}
	return virq_raise(b->peer, b->vcpu, b->virq);
}
