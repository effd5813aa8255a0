/* SPDX-License-Identifier: MIT */
/*
 * The fake architecture's hooks that act on its part of core's objects
 * (tests/unit/fake_arch/arch_types.h). Apart from fake_arch.c because the
 * arm64 trap fuzz target links fake_arch.c with ARM64's objects and these
 * hooks from ARM64 or its own harness.
 */
#include "arch.h"
#include "cpu.h"
#include "fake_arch.h"
#include "partition.h"

void arch_partition_init(struct partition *p)
{
	p->arch.inits++;
}

void arch_partition_reset(struct partition *p)
{
	p->arch.resets++;
	/* What was raised in the partition's last life is void (arch.h). */
	for (uint32_t v = 0u; v < p->cfg->n_vcpus; v++) {
		cpu_get(p->cfg->vcpu_cpu[v])->arch.raised = 0u;
	}
}

bool arch_virq_valid(const struct partition *p, uint32_t virq)
{
	(void)p;
	return virq < 32u;
}

bool fake_line_masked;

bool arch_line_target(const struct partition *p, uint32_t line, uint32_t *vcpu, uint32_t *virq)
{
	*vcpu = 0u;
	*virq = line;
	return arch_virq_valid(p, line) && !fake_line_masked;
}

void arch_vcpu_inject(struct cpu *cpu, uint32_t virq)
{
	cpu->arch.injected |= 1u << virq;
	cpu->arch.injections++;
}

void arch_vcpu_raise(struct partition *p, uint32_t vcpu, uint32_t virq)
{
	struct cpu *t = cpu_get(p->cfg->vcpu_cpu[vcpu]);

	uint32_t was = t->arch.raised;

	t->arch.raised |= 1u << virq;
	t->arch.raises++;
	/* As ARM64: only the raise that makes it pending interrupts the cpu. */
	if ((was & (1u << virq)) == 0u) {
		arch_cpu_kick(t->index);
	}
}

void fake_present_raised(struct cpu *cpu)
{
	uint32_t raised = cpu->arch.raised;

	cpu->arch.raised = 0u;
	for (uint32_t v = 0u; v < 32u; v++) {
		if (((raised >> v) & 1u) != 0u) {
			arch_vcpu_inject(cpu, v);
		}
	}
}
