/* SPDX-License-Identifier: MIT */
/*
 * Virtual interrupts that core raises (see virq.h).
 */
#include "virq.h"
#include "arch.h"
#include "cfg.h"
#include "cpu.h"
#include "log.h"
#include "partition.h"

/* Posts the raise to vCPU `vcpu`'s cpu `target`, when the partition runs it. */
static enum core_status post(struct partition *p, uint32_t vcpu, uint32_t virq, struct cpu *target)
{
	spin_lock(&p->lock);
	bool running = (p->state == PARTITION_RUNNING) && (((p->online >> vcpu) & 1u) != 0u);
	uint32_t life = p->restarts;
	spin_unlock(&p->lock);
	if (!running) {
		return CORE_ERR_DENIED;
	}
	/* Sent with no partition lock held: a queue's lock is a leaf (docs/design.md, Locks). */
	struct cpu_msg m = { CPU_MSG_INJECT, (uint16_t)p->id, virq, life };
	return cpu_msg_send(target, &m);
}

enum core_status core_vcpu_inject(struct cpu *self, struct partition *p, uint32_t vcpu, uint32_t virq)
{
	if ((vcpu >= p->cfg->n_vcpus) || !arch_virq_valid(p, virq)) {
		return CORE_ERR_INVALID;
	}
	struct cpu *target = cpu_get(p->cfg->vcpu_cpu[vcpu]);

	if (target == self) {
		/* The caller runs that vCPU: it is in its trap path now. */
		arch_vcpu_inject(self, virq);
		return CORE_OK;
	}
	return post(p, vcpu, virq, target);
}

enum core_status core_vcpu_post(struct partition *p, uint32_t vcpu, uint32_t virq)
{
	if ((vcpu >= p->cfg->n_vcpus) || !arch_virq_valid(p, virq)) {
		return CORE_ERR_INVALID;
	}
	return post(p, vcpu, virq, cpu_get(p->cfg->vcpu_cpu[vcpu]));
}

void virq_received(struct cpu *self, const struct cpu_msg *m)
{
	const struct partition *p = self->partition;

	/* Posted for this cpu's partition in this life: a restart since voids it. */
	if ((p != NULL) && (m->arg16 == p->id) && (m->arg64 == __atomic_load_n(&p->restarts, __ATOMIC_ACQUIRE))) {
		arch_vcpu_inject(self, m->arg32);
	}
}

void virq_notify_restart(struct cpu *self, struct partition *p)
{
	for (uint32_t i = 0u; i < p->cfg->n_restart_notify; i++) {
		const struct cfg_notify *n = &p->cfg->restart_notify[i];
		struct partition *peer = partition_get(n->partition);
		enum core_status s;

		if (peer == p) {
			continue;
		}
		s = (peer != NULL) ? core_vcpu_inject(self, peer, n->vcpu, n->virq) : CORE_ERR_INVALID;
		if (s != CORE_OK) {
			log_warning("partition '%s' restarted: interrupt %u not raised in partition %u vCPU %u (status %d)",
				    p->cfg->name, n->virq, n->partition, n->vcpu, (int)s);
		}
	}
}
