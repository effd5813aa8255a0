/* SPDX-License-Identifier: MIT */
/*
 * Channels at run time (docs/channels.md). Their memory is in the ends'
 * stage-2 tables (bhcc's regions, with each end's rights) and, for a
 * channel with a hypervisor end, in the hypervisor's own map; what the
 * hypervisor does at run time is ring doorbells.
 */
#ifndef BULKHEAD_CORE_CHANNEL_H
#define BULKHEAD_CORE_CHANNEL_H

#include "cfg.h"
#include "status.h"
#include "types.h"

struct cpu;
struct partition;

/**
 * What the hypervisor does when a partition rings a channel whose other end
 * is the hypervisor (an emulated UART's input, say). Runs on the ringing
 * cpu, in its trap path: bounded work, no waiting. Its status is the
 * doorbell's.
 */
typedef enum core_status (*channel_hyp_ring_t)(struct cpu *self, uint32_t channel, void *context);

/**
 * Makes @ring (with @context) the hypervisor end of @channel, at init.
 * CORE_ERR_INVALID: no such channel, or its end 0 is not the hypervisor.
 * Unbound hypervisor ends (the log) take a doorbell as a no-op.
 */
enum core_status channel_bind_hyp_end(uint32_t channel, channel_hyp_ring_t ring, void *context);

/** Works out which ends' doorbells can be raised. Boot cpu, once, after partitions_init(). */
void channels_init(void);

/**
 * Partition @self->partition rings @channel's doorbell: raises the other
 * end's doorbell interrupt in its configured vCPU (virq_raise(): pending
 * there and its cpu kicked, never a wait), or calls the hypervisor end's
 * handler. Everything the caller wrote before is visible to the peer when
 * its interrupt arrives. CORE_ERR_INVALID: no such channel;
 * CORE_ERR_DENIED: the caller is not an end of it, the peer is not running
 * (or its vCPU is off), or the peer's doorbell is one it cannot take.
 */
enum core_status channel_ring(struct cpu *self, uint32_t channel);

/** True when partition @p is an end of @channel (false for no such channel). */
bool channel_has_end(const struct partition *p, uint32_t channel);

#endif /* BULKHEAD_CORE_CHANNEL_H */
