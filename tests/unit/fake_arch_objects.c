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
}

bool arch_virq_valid(const struct partition *p, uint32_t virq)
{
	(void)p;
	return virq < 32u;
}

void arch_vcpu_inject(struct cpu *cpu, uint32_t virq)
{
	cpu->arch.injected |= 1u << virq;
	cpu->arch.injections++;
}
