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

NORETURN void health_fault(struct cpu *cpu, const struct fault *f)
{
	struct partition *p = cpu->partition;
	bool restart = (p->cfg->fault_policy == (uint8_t)CFG_FAULT_RESTART);
	const char *action = restart ? "restart" : "stop";

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

	if (f->addr_valid) {
		log_error("fault: partition '%s' vCPU %u (core %u): %s at IPA 0x%lx, PC 0x%lx, ESR 0x%lx; %s",
			  p->cfg->name, cpu->vcpu, cpu->index, f->what, f->addr, f->pc, f->syndrome, action);
	} else {
		log_error("fault: partition '%s' vCPU %u (core %u): %s, PC 0x%lx, ESR 0x%lx; %s",
			  p->cfg->name, cpu->vcpu, cpu->index, f->what, f->pc, f->syndrome, action);
	}
	partition_shutdown(cpu, restart);
}
