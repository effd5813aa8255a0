/* SPDX-License-Identifier: MIT */
/*
 * What an architecture calls in core/: boot, cpu start, traps that core
 * handles (hypercalls, faults, requests from other cpus).
 */
#ifndef BULKHEAD_CORE_H
#define BULKHEAD_CORE_H

#include "types.h"

struct cpu;

/** Called once on the boot cpu with its MMU on: initialises and starts everything. */
NORETURN void core_boot(struct cpu *cpu);

/** Called on every cpu the hypervisor starts (and at the end of core_boot). */
NORETURN void core_cpu_started(struct cpu *cpu);

/**
 * Handles what other cpus posted to `cpu` (after arch_cpu_kick): a stop
 * first, then the messages of its queue. Called in the cpu's trap path.
 */
void core_handle_requests(struct cpu *cpu);

/**
 * A Bulkhead hypercall: r[0] holds the function id and r[1..6] the
 * arguments on entry; r[0..3] hold the results on return.
 */
void hypercall_dispatch(struct cpu *cpu, uint64_t r[7]);

/** What went wrong in a partition, for the log and the health monitor. */
struct fault {
	uint8_t kind;          /* BH_FAULT_* (include/bulkhead/channel.h) */
	uint64_t pc;           /* guest program counter */
	uint64_t syndrome;     /* architecture syndrome (ARM64: ESR_EL2) */
	uint64_t addr;         /* faulting guest-physical address, if addr_valid */
	bool addr_valid;
};

/** Contains a partition fault: logs it and applies the partition's fault policy. Never returns. */
NORETURN void health_fault(struct cpu *cpu, const struct fault *f);

#endif /* BULKHEAD_CORE_H */
