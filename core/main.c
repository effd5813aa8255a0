/*
 * Boot and core start-up.
 *
 * The boot core initialises what is global, powers on the core of every
 * partition's vCPU 0 and starts its own vCPU; it never waits for another
 * core. Each vCPU 0 core loads its own partition, so partitions load in
 * parallel. Other vCPUs stay powered off until their guest asks for them.
 */
#include <generated/autoconf.h>
#include "core.h"
#include "arch.h"
#include "cfg.h"
#include "cpu.h"
#include "log.h"
#include "partition.h"

static struct cpu cpus[CONFIG_MAX_CORES];

struct cpu *cpu_get(uint32_t index)
{
	return &cpus[index];
}

static void cpus_init(void)
{
	if (cfg_system.n_cpus > (uint32_t)CONFIG_MAX_CORES) {
		panic("%u cores exceed CONFIG_MAX_CORES", cfg_system.n_cpus);
	}
	for (uint32_t i = 0u; i < cfg_system.n_cpus; i++) {
		const struct cfg_cpu *c = &cfg_system.cpus[i];

		cpus[i] = (struct cpu){ .index = i };
		if (c->partition != CFG_NO_PARTITION) {
			cpus[i].partition = partition_get(c->partition);
			cpus[i].vcpu = c->vcpu;
		}
	}
}

NORETURN void core_boot(struct cpu *self)
{
	log_info("Bulkhead: %u cores, %u partitions", cfg_system.n_cpus, cfg_system.n_partitions);
	partitions_init();
	cpus_init();

	for (uint32_t i = 0u; i < cfg_system.n_partitions; i++) {
		struct cpu *boot = &cpus[cfg_system.partitions[i].vcpu_cpu[0]];

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

NORETURN void core_cpu_started(struct cpu *cpu)
{
	struct partition *p = cpu->partition;
	enum cpu_start_reason reason = cpu->start_reason;
	uint64_t entry;
	uint64_t arg;

	/* Requests aimed at this core's previous life are void; a new stop is
	 * seen through the partition state below. */
	__atomic_store_n(&cpu->requests, 0u, __ATOMIC_RELEASE);
	cpu->start_reason = CPU_START_NONE;
	cpu->line.len = 0u;
	if ((p == NULL) || (reason == CPU_START_NONE)) {
		arch_cpu_stop();
	}
	if (reason == CPU_START_BOOT) {
		partition_load(p);
		entry = p->cfg->entry;
		arg = (p->cfg->boot_info.size != 0u) ? p->cfg->boot_info.ipa : 0u;
	} else {
		entry = cpu->start_entry;
		arg = cpu->start_arg;
	}
	if (!partition_vcpu_online(cpu)) {
		arch_cpu_stop();
	}
	log_debug("partition '%s' vCPU %u starts on core %u at 0x%lx", p->cfg->name, cpu->vcpu, cpu->index, entry);
	arch_vcpu_enter(cpu, entry, arg);
}

void core_handle_requests(struct cpu *cpu)
{
	uint32_t req = __atomic_exchange_n(&cpu->requests, 0u, __ATOMIC_ACQ_REL);

	if ((req & CPU_REQ_STOP) != 0u) {
		arch_cpu_stop();
	}
}
