/* SPDX-License-Identifier: MIT */
/*
 * Requests with a payload from one cpu to another: a small queue per cpu,
 * many senders, one receiver (the cpu itself, in its trap path once kicked).
 *
 * A full queue is an error returned to the sender, never a wait. A stop is
 * not a message: it stays the always-deliverable flag CPU_REQ_STOP
 * (cpu.h), so that no full queue can ever refuse it, and it is seen first.
 *
 * Locking: a queue's lock is held only to copy one message in or out (and,
 * sending, to look for the same message already waiting), never while
 * taking another lock, and never taken while another lock is held
 * (docs/design.md, Locks).
 */
#ifndef BULKHEAD_CPU_MSG_H
#define BULKHEAD_CPU_MSG_H

#include "spinlock.h"
#include "status.h"
#include "types.h"

struct cpu;

/* What a message asks of the receiving cpu (struct cpu_msg's kind). */
/** Stop (arg32 = BH_CONTROL_STOP) or restart (BH_CONTROL_RESTART) the receiver's partition,
 *  arg16, in the life arg64: the service partition's request (core/service.c). */
#define CPU_MSG_CONTROL 2u

/** One message. */
struct cpu_msg {
	uint16_t kind;       /* CPU_MSG_* */
	uint16_t arg16;
	uint32_t arg32;
	uint64_t arg64;
};

/*
 * Messages a cpu holds at most. Messages merge while they wait (below), so
 * this bounds the different ones: a cpu runs one partition, whose control
 * requests (stop, restart) differ only by kind and life, so 16 leaves room
 * for lives that ended while their requests still waited. Virtual
 * interrupts are no messages (arch_vcpu_raise(): a pending bit and a kick).
 */
#define CPU_MSG_QUEUE 16u

/** A cpu's queue (struct cpu's `msgs`). */
struct cpu_msg_queue {
	struct spinlock lock;
	uint32_t head;       /* oldest message */
	uint32_t count;
	struct cpu_msg slots[CPU_MSG_QUEUE];
};

/**
 * Posts `m` to cpu `target` and kicks it (arch_cpu_kick). A message equal to
 * one still waiting there merges with it: CORE_OK, nothing added. Returns
 * CORE_ERR_BUSY when the queue is full; never waits.
 */
enum core_status cpu_msg_send(struct cpu *target, const struct cpu_msg *m);

/** Takes the oldest message waiting for the calling cpu `self` into *out; false when none. */
bool cpu_msg_take(struct cpu *self, struct cpu_msg *out);

/** Drops every message waiting for `cpu` (its new life starts). */
void cpu_msg_reset(struct cpu *cpu);

#endif /* BULKHEAD_CPU_MSG_H */
