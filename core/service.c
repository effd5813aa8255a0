/* SPDX-License-Identifier: MIT */
/*
 * The service partition's calls (see service.h). Only the partition the
 * system description names `service` may make them; every argument is
 * checked, and a control request is carried out by the target's own cpu
 * (a message), so the caller never waits on another partition.
 */
#include <bulkhead/hypercall.h>
#include "service.h"
#include "arch.h"
#include "cfg.h"
#include "cpu.h"
#include "incident.h"
#include "log.h"
#include "partition.h"

/* Implements: REQ-HC-009 */
static uint64_t service_result(int64_t s)
{
	return (uint64_t)s;
}

/* The caller is the service partition; otherwise the call is refused and counted. */
/* Implements: REQ-HC-009, REQ-HC-010 */
static bool from_service(const struct cpu *cpu, uint64_t r[7])
{
	bool ok = (cfg_system.service != CFG_NO_PARTITION) && (cpu->partition->id == (uint32_t)cfg_system.service);

	if (!ok) {
		incident_log(cpu, BH_INCIDENT_CALL, "service call 0x%lx refused: not the service partition", r[0]);
		r[0] = service_result(BH_ERR_DENIED);
	}
	return ok;
}

/* Partition r[1], or NULL (INVALID_PARAM answered and counted). */
/* Implements: REQ-HC-004, REQ-HC-010 */
static struct partition *target_of(const struct cpu *cpu, uint64_t r[7])
{
	struct partition *p = (r[1] < (uint64_t)cfg_system.n_partitions) ? partition_get((uint32_t)r[1]) : NULL;

	if (p == NULL) {
		incident_log(cpu, BH_INCIDENT_CALL, "service call 0x%lx for partition %lu refused: no such partition", r[0],
			     r[1]);
		r[0] = service_result(BH_ERR_INVALID_PARAM);
	}
	return p;
}

/* A loading partition is reported off (not started, or being reloaded); one
 * being stopped still runs (it may be restarting): stopped is final. */
/* Implements: REQ-HC-009 */
static uint64_t state_of(struct partition *p)
{
	enum partition_state s = __atomic_load_n(&p->state, __ATOMIC_ACQUIRE);
	uint64_t state = BH_PARTITION_OFF;

	if ((s == PARTITION_RUNNING) || (s == PARTITION_STOPPING)) {
		state = BH_PARTITION_RUNNING;
	} else if (s == PARTITION_STOPPED) {
		state = BH_PARTITION_STOPPED;
	} else {
		/* PARTITION_LOADING */
	}
	return state;
}

/* Implements: REQ-HC-009 */
void hc_partition_status(struct cpu *cpu, uint64_t r[7])
{
	struct partition *p = from_service(cpu, r) ? target_of(cpu, r) : NULL;

	if (p != NULL) {
		uint64_t cores = 0u;

		for (uint32_t v = 0u; v < p->cfg->n_vcpus; v++) {
			cores |= (uint64_t)1u << (p->cfg->vcpu_cpu[v] & 31u);
		}
		r[0] = service_result(BH_OK);
		r[1] = state_of(p) | ((uint64_t)(p->cfg->n_vcpus & 0xffu) << 8) |
		       ((uint64_t)(p->cfg->service_control & 1u) << 16) | (cores << 32);
		r[2] = __atomic_load_n(&p->restarts, __ATOMIC_ACQUIRE);
		r[3] = incident_count(p, BH_INCIDENT_FAULT);
	}
}

/* Asks a running vCPU of running partition `p` to stop or restart it. */
/* Implements: REQ-HC-010 */
static enum core_status request(struct partition *p, uint32_t action)
{
	enum core_status s = CORE_ERR_DENIED;

	spin_lock(&p->lock);
	bool running = (p->state == PARTITION_RUNNING) && (p->online != 0u);
	uint64_t online = p->online;
	uint32_t life = p->restarts;
	spin_unlock(&p->lock);
	if (running) {
		uint32_t v = 0u;
		struct cpu_msg m = { CPU_MSG_CONTROL, (uint16_t)p->id, action, life };

		/* The first vCPU online: its cpu carries it out in its own trap path. */
		while ((v < p->cfg->n_vcpus) && (((online >> v) & 1u) == 0u)) {
			v++;
		}
		/* A queue's lock is a leaf: sent with no partition lock held. */
		s = (v < p->cfg->n_vcpus) ? cpu_msg_send(cpu_get(p->cfg->vcpu_cpu[v]), &m) : CORE_ERR_DENIED;
	}
	return s;
}

/* What a control request does in the target's current state. */
/* Implements: REQ-HC-010 */
static enum core_status control(struct partition *p, uint32_t action)
{
	enum partition_state state = __atomic_load_n(&p->state, __ATOMIC_ACQUIRE);
	enum core_status s;

	if (state == PARTITION_RUNNING) {
		s = request(p, action);
	} else if (state == PARTITION_STOPPED) {
		s = (action == BH_CONTROL_RESTART) ? partition_start_stopped(p) : CORE_OK;
	} else {
		/* Loading or stopping: a change is under way; ask again when it is done. */
		s = CORE_ERR_DENIED;
	}
	return s;
}

/* Implements: REQ-HC-010 */
void hc_partition_control(struct cpu *cpu, uint64_t r[7])
{
	struct partition *p = from_service(cpu, r) ? target_of(cpu, r) : NULL;

	if (p == NULL) {
		/* answered */
	} else if ((r[2] != BH_CONTROL_STOP) && (r[2] != BH_CONTROL_RESTART)) {
		incident_log(cpu, BH_INCIDENT_CALL, "control action %lu for partition %lu refused: no such action", r[2],
			     r[1]);
		r[0] = service_result(BH_ERR_INVALID_PARAM);
	} else if ((p == cpu->partition) || (p->cfg->service_control == 0u)) {
		incident_log(cpu, BH_INCIDENT_CALL, "control of partition '%s' refused: not under service control",
			     p->cfg->name);
		r[0] = service_result(BH_ERR_DENIED);
	} else {
		enum core_status s = control(p, (uint32_t)r[2]);

		if (s == CORE_OK) {
			log_info("partition '%s': %s requested by the service partition", p->cfg->name,
				 (r[2] == BH_CONTROL_STOP) ? "stop" : "restart");
			r[0] = service_result(BH_OK);
		} else {
			incident_log(cpu, BH_INCIDENT_CALL, "control of partition '%s' refused in its state (status %d)",
				     p->cfg->name, (int)s);
			r[0] = service_result(BH_ERR_DENIED);
		}
	}
}

/* Implements: REQ-HC-010 */
void service_control_received(struct cpu *self, const struct cpu_msg *m)
{
	struct partition *p = self->partition;

	/* For this cpu's partition in this life; a restart or a stop since voids it
	 * (partition_shutdown() ignores a partition that is no longer running). */
	if ((p != NULL) && (m->arg16 == p->id) && (m->arg64 == __atomic_load_n(&p->restarts, __ATOMIC_ACQUIRE))) {
		partition_shutdown(self, m->arg32 == BH_CONTROL_RESTART);
	}
}
