/* SPDX-License-Identifier: MIT */
/*
 * Partitions at run time: state, start, stop and restart.
 */
#ifndef BULKHEAD_PARTITION_H
#define BULKHEAD_PARTITION_H

#include "types.h"
#include "arch.h"
#include "arch_types.h"
#include "cfg.h"
#include "emul.h"
#include "incident.h"
#include "spinlock.h"

enum partition_state {
	PARTITION_LOADING = 0,      /* vCPU 0's cpu is loading it and will start it */
	PARTITION_RUNNING = 1,
	PARTITION_STOPPING = 2,     /* its other cpus are being stopped */
	PARTITION_STOPPED = 3,
};

struct partition {
	const struct cfg_partition *cfg;
	uint32_t id;                /* index in cfg_system.partitions */
	enum partition_state state; /* under lock */
	uint32_t restarts;          /* restarts since boot */
	uint64_t online;            /* bit v: vCPU v entered the guest and has not turned off */
	bool mapped;                /* address space built (once, by vCPU 0's cpu) */
	bool fenced;                /* address space revoked by a stop (arch_s2_fence) until the next load */
	struct spinlock lock;
	struct incident_counter incidents[BH_INCIDENT_KINDS];   /* since boot, kept across restarts */
	struct emul_table emul[EMUL_SPACES];    /* its emulated devices by space, registered at init (emul.h) */
	struct arch_partition arch; /* the architecture's state of the partition (arch_types.h) */
};

struct cpu;

/** Partition `id`, or NULL when id is out of range. */
struct partition *partition_get(uint32_t id);

/** Sets every partition's run-time state up from the configuration. Boot cpu, once. */
void partitions_init(void);

/**
 * Prepares partition `p` to run from its entry point: builds its address
 * space the first time, copies its image and device tree from their pristine
 * copies and marks it running. Called on vCPU 0's cpu only.
 */
void partition_load(struct partition *p);

/** Host address of [ipa, ipa + size) when it lies in one RAM region with `access`; false otherwise. */
bool partition_translate(const struct partition *p, ipaddr_t ipa, uint64_t size, uint8_t access, paddr_t *out);

/**
 * Stops the calling vCPU's partition: stops its other cpus, marks it
 * stopped and stops the calling cpu. `restart` reloads and restarts it
 * instead. Never returns.
 */
NORETURN void partition_shutdown(struct cpu *self, bool restart);

/**
 * Starts vCPU `vcpu` of the caller's partition at `entry` with argument `arg`
 * (ARM64: a guest's PSCI CPU_ON). CORE_ERR_INVALID: no such vCPU;
 * CORE_ERR_ADDRESS: `entry` is not executable RAM of the partition;
 * CORE_ERR_DENIED: the partition is not running; CORE_ERR_ALREADY_ON,
 * CORE_ERR_ON_PENDING: the vCPU runs or is starting; or arch_cpu_start()'s
 * status.
 */
enum core_status partition_vcpu_on(struct cpu *self, uint32_t vcpu, ipaddr_t entry, uint64_t arg);

/** Power state of vCPU `vcpu` of the caller's partition in *state; CORE_ERR_INVALID: no such vCPU. */
enum core_status partition_vcpu_state(const struct cpu *self, uint32_t vcpu, enum cpu_power *state);

/**
 * Marks the calling vCPU online before it enters its guest. False when the
 * partition is not running (the cpu must stop instead).
 */
bool partition_vcpu_online(struct cpu *self);

/**
 * Starts stopped partition `p` afresh from its entry point (a new life: its
 * restart count goes up), from any cpu. CORE_ERR_DENIED: it is not stopped,
 * or a core of it is not off yet (a stop still under way, or one that could
 * not see a core off and left it fenced); or arch_cpu_start()'s status.
 */
enum core_status partition_start_stopped(struct partition *p);

/** Powers the calling vCPU off (ARM64: a guest's PSCI CPU_OFF); the last one stops the partition. */
NORETURN void partition_vcpu_off(struct cpu *self);

#endif /* BULKHEAD_PARTITION_H */
