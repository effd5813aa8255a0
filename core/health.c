/* SPDX-License-Identifier: MIT */
/*
 * Health monitor: a partition fault is logged and contained by the
 * partition's fault policy. Nothing here touches another partition.
 */
#include "core.h"
#include "arch.h"
#include "cpu.h"
#include "incident.h"
#include "log.h"
#include "partition.h"
#include "fault_inject.h"

/* Implements: REQ-TRP-001, REQ-TRP-002 */
NORETURN void health_fault(struct cpu *cpu, const struct fault *f)
{
	struct partition *p = cpu->partition;
	bool restart = (p->cfg->fault_policy == (uint8_t)CFG_FAULT_RESTART);

	if (__atomic_load_n(&p->state, __ATOMIC_ACQUIRE) != PARTITION_RUNNING) {
		/* The partition is stopping: this is the stop reaching this cpu
		 * (its fenced address space, partition_shutdown), not the guest's fault. */
#ifdef CONFIG_FAULT_INJECTION
		fault_inject_stop(cpu);
#endif
		arch_cpu_stop();
	}
	/* Every fault is logged: each costs the partition a stop or a restart, which bounds them. */
	incident_note(p, BH_INCIDENT_FAULT);

	log_fault(cpu, f, restart);
	partition_shutdown(cpu, restart);
}
