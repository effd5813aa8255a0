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

static struct hyp_end hyp_ends[CHANNEL_MAX];

/* Bit e: end e's doorbell can be raised in its partition (the vCPU exists, the
 * architecture can raise that interrupt there), worked out once at init so
 * that a ring checks nothing the configuration fixed. */
static uint8_t raisable[CHANNEL_MAX];

/* Implements: REQ-CHN-009 */
void channels_init(void)
{
	for (uint32_t c = 0u; (c < cfg_system.n_channels) && (c < CHANNEL_MAX); c++) {
		raisable[c] = 0u;
		for (uint32_t e = 0u; e < 2u; e++) {
			const struct cfg_channel_end *end = &cfg_system.channels[c].end[e];
			const struct partition *p = partition_get(end->partition);

			if ((end->kind == (uint8_t)CFG_END_PARTITION) && (end->doorbell != CFG_NO_DOORBELL) && (p != NULL) &&
			    (end->vcpu < p->cfg->n_vcpus) && arch_virq_valid(p, end->doorbell)) {
				raisable[c] |= (uint8_t)(1u << e);
			}
		}
	}
}

/* Implements: REQ-CON-102, REQ-LOG-001 */
enum core_status channel_bind_hyp_end(uint32_t channel, channel_hyp_ring_t ring, void *context)
{
	if ((channel >= cfg_system.n_channels) || (channel >= CHANNEL_MAX) ||
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
	return (channel < cfg_system.n_channels) && (channel < CHANNEL_MAX) &&
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

/* Implements: REQ-CON-102, REQ-LOG-001 */
static enum core_status ring_hypervisor(struct cpu *self, uint32_t channel)
{
	const struct hyp_end *h = &hyp_ends[channel];
	channel_hyp_ring_t ring = (h->ring != NULL) ? h->ring : hyp_end_idle;

	return ring(self, channel, h->context);
}

/* Implements: REQ-CHN-009 */
enum core_status channel_ring(struct cpu *self, uint32_t channel)
{
	const struct cfg_channel *ch;
	const struct cfg_channel_end *peer;

	if ((channel >= cfg_system.n_channels) || (channel >= CHANNEL_MAX)) {
		return CORE_ERR_INVALID;
	}
	ch = &cfg_system.channels[channel];
	peer = peer_of(ch, self->partition->id);
	if (peer == NULL) {
		return CORE_ERR_DENIED;
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
	if (peer->kind == (uint8_t)CFG_END_HYPERVISOR) {
		return ring_hypervisor(self, channel);
	}
	if (peer->doorbell == CFG_NO_DOORBELL) {
		return CORE_OK;   /* the peer polls */
	}
	uint32_t mask = 2u;   /* bit e: end e */
	if (peer == &ch->end[0]) {
		mask = 1u;
	}
	if (((uint32_t)raisable[channel] & mask) == 0u) {
		return CORE_ERR_DENIED;   /* a doorbell the peer cannot take (bhcc refuses one) */
	}
	return virq_raise(partition_get(peer->partition), peer->vcpu, peer->doorbell);
}
