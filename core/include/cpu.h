/* SPDX-License-Identifier: MIT */
/*
 * Per-cpu state. One physical cpu runs exactly one vCPU of one partition,
 * forever, so the cpu and its vCPU share this structure.
 */
#ifndef BULKHEAD_CPU_H
#define BULKHEAD_CPU_H

#include "types.h"
#include "arch_types.h"
#include "console.h"
#include "cpu_msg.h"

struct partition;

/* Requests other cpus post to this cpu, then kick it (arch_cpu_kick). */
#define CPU_REQ_STOP 0x1u     /* stop: the partition is stopping or restarting; before anything else */
#define CPU_REQ_MSG 0x2u      /* messages wait in its queue (cpu_msg.h) */

/** Why the hypervisor starts this cpu's vCPU when the cpu starts. */
enum cpu_start_reason {
	CPU_START_NONE = 0,       /* nothing to run: power off again */
	CPU_START_BOOT = 1,       /* vCPU 0: load the partition, start at its entry point */
	CPU_START_VCPU_ON = 2,    /* partition_vcpu_on(): start_entry, start_arg */
};

struct cpu {
	uint32_t index;                 /* physical cpu index in cfg_system.cpus */
	struct partition *partition;    /* NULL: the cpu belongs to no partition */
	uint32_t vcpu;                  /* vCPU index inside the partition */
	uint32_t requests;              /* CPU_REQ_*, atomically updated */
	enum cpu_start_reason start_reason;
	uint64_t start_entry;
	uint64_t start_arg;
	struct console_line line;       /* this vCPU's unfinished console line */
	struct cpu_msg_queue msgs;      /* requests with a payload from other cpus */
	struct arch_cpu arch;           /* the architecture's state of the cpu and its vCPU (arch_types.h) */
};

/** The state of physical cpu `index` (< cfg_system.n_cpus). */
struct cpu *cpu_get(uint32_t index);

/** Gives every cpu its partition and vCPU from the configuration. Boot cpu, once, after partitions_init(). */
void cpus_init(void);

#endif /* BULKHEAD_CPU_H */
