/* SPDX-License-Identifier: MIT */
/*
 * Physical cpus: their state, their start, and the requests other cpus post
 * to them.
 */
#include <generated/autoconf.h>
#include "core.h"
#include "arch.h"
#include "cfg.h"
#include "cpu.h"
#include "log.h"
#include "fault_inject.h"
#include "partition.h"
#include "service.h"
#include "virq.h"

/* As many as the board has (bhcc's BH_NUM_CORES): a pool sized by the description. */
static struct cpu cpus[BH_NUM_CORES];

/* Implements: infrastructure */
struct cpu *cpu_get(uint32_t index)
{
	return &cpus[index];
}

/* Implements: REQ-CPU-002 */
void cpus_init(void)
{
	if (cfg_system.n_cpus > (uint32_t)BH_NUM_CORES) {
		panic("%u cores exceed the %u this image was built for", cfg_system.n_cpus, (uint32_t)BH_NUM_CORES);
	}
	for (uint32_t i = 0u; i < cfg_system.n_cpus; i++) {
		const struct cfg_cpu *c = &cfg_system.cpus[i];

		struct cpu *cpu = &cpus[i];

		/* Field by field: the architecture part (arch_types.h) is set up
		 * when the cpu starts, before this runs on the boot cpu. */
		cpu->index = i;
		cpu->partition = (c->partition != CFG_NO_PARTITION) ? partition_get(c->partition) : NULL;
		cpu->vcpu = (c->partition != CFG_NO_PARTITION) ? c->vcpu : 0u;
		cpu->requests = 0u;
		cpu->start_reason = CPU_START_NONE;
		cpu->start_entry = 0u;
		cpu->start_arg = 0u;
		cpu->line.len = 0u;
	}
}

/* Implements: REQ-CPU-001, REQ-CPU-002, REQ-CPU-008, REQ-CPU-013~2 */
NORETURN void core_cpu_started(struct cpu *cpu)
{
	struct partition *p = cpu->partition;
	enum cpu_start_reason reason = cpu->start_reason;
	uint64_t entry;
	uint64_t arg;

	/* Requests aimed at this cpu's previous life are void; a new stop is
	 * seen through the partition state below. */
	__atomic_store_n(&cpu->requests, 0u, __ATOMIC_RELEASE);
	cpu_msg_reset(cpu);
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
	if ((reason == CPU_START_BOOT) && (p->restarts != 0u)) {
		virq_notify_restart(cpu, p);
	}
	log_debug("partition '%s' vCPU %u starts on core %u at 0x%lx", p->cfg->name, cpu->vcpu, cpu->index, entry);
	arch_vcpu_enter(cpu, entry, arg);
}

/* Implements: REQ-CPU-012 */
static void handle_msg(struct cpu *cpu, const struct cpu_msg *m)
{
	if (m->kind == (uint16_t)CPU_MSG_CONTROL) {
		service_control_received(cpu, m);
	} else {
		/* Only core sends messages: an unknown kind is a hypervisor bug. */
		panic("core %u: message of unknown kind %u", cpu->index, m->kind);
	}
}

/* Out of line: a kick without a request (an SGI's) pays one test only. */
/* Implements: REQ-TRP-010, REQ-CPU-012 */
static __attribute__((noinline)) void handle_requests(struct cpu *cpu, uint32_t req)
{
	struct cpu_msg m;

	if ((req & CPU_REQ_STOP) != 0u) {
#ifdef CONFIG_FAULT_INJECTION
		fault_inject_stop(cpu);
#endif
		arch_cpu_stop();
	}
	/* At most a queue's worth: a message posted meanwhile comes with its own kick. */
	for (uint32_t i = 0u; ((req & CPU_REQ_MSG) != 0u) && (i < CPU_MSG_QUEUE) && cpu_msg_take(cpu, &m); i++) {
		handle_msg(cpu, &m);
	}
}

/* Implements: REQ-TRP-010, REQ-CPU-012 */
void core_handle_requests(struct cpu *cpu)
{
	uint32_t req = __atomic_exchange_n(&cpu->requests, 0u, __ATOMIC_ACQ_REL);

	if (req != 0u) {
		handle_requests(cpu, req);
	}
}
