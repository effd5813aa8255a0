/* SPDX-License-Identifier: MIT */
/*
 * Per-cpu message queues (see cpu_msg.h).
 */
#include "cpu_msg.h"
#include "arch.h"
#include "cpu.h"

/* Implements: REQ-CPU-012 */
static bool same(const struct cpu_msg *a, const struct cpu_msg *b)
{
	return (a->kind == b->kind) && (a->arg16 == b->arg16) && (a->arg32 == b->arg32) && (a->arg64 == b->arg64);
}

/* Implements: REQ-CPU-012 */
enum core_status cpu_msg_send(struct cpu *target, const struct cpu_msg *m)
{
	struct cpu_msg_queue *q = &target->msgs;
	bool waiting = false;
	enum core_status ret = CORE_OK;

	spin_lock(&q->lock);
	for (uint32_t i = 0u; (i < q->count) && !waiting; i++) {
		waiting = same(&q->slots[(q->head + i) % CPU_MSG_QUEUE], m);
	}
	if (waiting) {
		/* Merged: the kick that came with it is still to be taken. */
	} else if (q->count == CPU_MSG_QUEUE) {
		ret = CORE_ERR_BUSY;
	} else {
		q->slots[(q->head + q->count) % CPU_MSG_QUEUE] = *m;
		q->count++;
	}
	spin_unlock(&q->lock);
	if (!waiting && (ret == CORE_OK)) {
		__atomic_fetch_or(&target->requests, CPU_REQ_MSG, __ATOMIC_RELEASE);
		arch_cpu_kick(target->index);
	}
	return ret;
}

/* Implements: REQ-CPU-012 */
bool cpu_msg_take(struct cpu *self, struct cpu_msg *out)
{
	struct cpu_msg_queue *q = &self->msgs;
	bool taken = false;

	spin_lock(&q->lock);
	if (q->count != 0u) {
		*out = q->slots[q->head];
		q->head = (q->head + 1u) % CPU_MSG_QUEUE;
		q->count--;
		taken = true;
	}
	spin_unlock(&q->lock);
	return taken;
}

/* Implements: REQ-CPU-012 */
void cpu_msg_reset(struct cpu *cpu)
{
	struct cpu_msg_queue *q = &cpu->msgs;

	spin_lock(&q->lock);
	q->head = 0u;
	q->count = 0u;
	spin_unlock(&q->lock);
}
