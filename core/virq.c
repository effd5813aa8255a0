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

/* Implements: REQ-CPU-011~2 */
enum core_status virq_raise(struct partition *p, uint32_t vcpu, uint32_t virq)
{
	enum core_status s = CORE_ERR_DENIED;

	spin_lock(&p->lock);
	if ((p->state == PARTITION_RUNNING) && (((p->online >> vcpu) & 1u) != 0u)) {
		/* Under the lock: a restart cannot slip between the check and the raise (arch.h). */
		arch_vcpu_raise(p, vcpu, virq);
		s = CORE_OK;
	}
	spin_unlock(&p->lock);
	return s;
}

/* Implements: REQ-CPU-011~2 */
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
	return virq_raise(p, vcpu, virq);
}

/* Implements: REQ-CPU-011~2 */
enum core_status core_vcpu_post(struct partition *p, uint32_t vcpu, uint32_t virq)
{
	if ((vcpu >= p->cfg->n_vcpus) || !arch_virq_valid(p, virq)) {
		return CORE_ERR_INVALID;
	}
	return virq_raise(p, vcpu, virq);
}

/* Implements: REQ-CPU-013~2 */
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
