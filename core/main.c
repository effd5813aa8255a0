/* SPDX-License-Identifier: MIT */
/*
 * Boot.
 *
 * The boot cpu initialises what is global, starts the cpu of every
 * partition's vCPU 0 and enters its own vCPU; it never waits for another
 * cpu. Each vCPU 0's cpu loads its own partition (cpu.c), so partitions load
 * in parallel. Other vCPUs stay off until their guest asks for them.
 */
#include <generated/autoconf.h>
#include "core.h"
#include "arch.h"
#include "cfg.h"
#include "channel.h"
#include "cpu.h"
#include "log.h"
#include "log_ring.h"
#include "partition.h"
#include "fault_inject.h"

/* Implements: REQ-CPU-002, REQ-CPU-008, REQ-CPU-009, REQ-LOG-001~2 */
NORETURN void core_boot(struct cpu *self)
{
	log_info("Bulkhead: %u cores, %u partitions", cfg_system.n_cpus, cfg_system.n_partitions);
#ifdef CONFIG_FAULT_INJECTION
	fault_inject_boot();
#endif
	partitions_init();
	channels_init();
	log_ring_init();
	cpus_init();

	for (uint32_t i = 0u; i < cfg_system.n_partitions; i++) {
		struct cpu *boot = cpu_get(cfg_system.partitions[i].vcpu_cpu[0]);

		boot->start_reason = CPU_START_BOOT;
		if (boot != self) {
			enum core_status ret = arch_cpu_start(boot->index);
			if (ret != CORE_OK) {
				log_error("core %u would not power on (status %d)", boot->index, (int)ret);
			}
		}
	}
	core_cpu_started(self);
}
