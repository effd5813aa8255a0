/* SPDX-License-Identifier: MIT */
/*
 * A vCPU's (re)start: the EL1 state a guest sees reset to its architectural
 * values, the partition's virtual counter, and the entry into the guest.
 */
#include <generated/autoconf.h>
#include "arch.h"
#include "arm64.h"
#include "cpu.h"
#include "partition.h"
#include "sysreg.h"
#include "vgic.h"

/* Stacks are not zeroed at boot (.noload). The guest frame lives at the top
 * of each while its vCPU runs. */
uint8_t cpu_stacks[BH_NUM_CORES][CONFIG_CPU_STACK_SIZE]
	__attribute__((aligned(16), section(".noload.cpu_stacks")));

/* Architectural reset values of the EL1 state a guest can see, so that a
 * restarted partition finds the cpu as a fresh one would be. */
/* Implements: REQ-CPU-001 */
static void el1_reset(void)
{
	write_sysreg(sctlr_el1, SCTLR_EL1_RESET);
	write_sysreg(cpacr_el1, 0);
	write_sysreg(tcr_el1, 0);
	write_sysreg(ttbr0_el1, 0);
	write_sysreg(ttbr1_el1, 0);
	write_sysreg(mair_el1, 0);
	write_sysreg(amair_el1, 0);
	write_sysreg(vbar_el1, 0);
	write_sysreg(contextidr_el1, 0);
	write_sysreg(tpidr_el1, 0);
	write_sysreg(tpidr_el0, 0);
	write_sysreg(tpidrro_el0, 0);
	write_sysreg(sp_el0, 0);
	write_sysreg(sp_el1, 0);
	write_sysreg(elr_el1, 0);
	write_sysreg(spsr_el1, 0);
	write_sysreg(esr_el1, 0);
	write_sysreg(far_el1, 0);
	write_sysreg(afsr0_el1, 0);
	write_sysreg(afsr1_el1, 0);
	write_sysreg(par_el1, 0);
	write_sysreg(csselr_el1, 0);
	write_sysreg(cntkctl_el1, 0);
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	write_sysreg(mdscr_el1, 0);
}

/* Implements: REQ-MEM-001 */
void arch_partition_init(struct partition *p)
{
	vgic_partition_init(p);
}

/* Implements: REQ-IRQ-009~2 */
void arch_partition_reset(struct partition *p)
{
	vgic_partition_reset(p);
	/* Each partition's virtual counter starts at zero when the partition (re)starts. */
	p->arch.cntvoff = read_sysreg(cntpct_el0);
}

/* Implements: REQ-CPU-001, REQ-IRQ-009~2 */
NORETURN void arch_vcpu_enter(struct cpu *cpu, uint64_t entry, uint64_t arg)
{
	const struct partition *p = cpu->partition;

	el1_reset();
	vgic_vcpu_reset(cpu);
	write_sysreg(cntvoff_el2, p->arch.cntvoff);
	write_sysreg(vmpidr_el2, (1UL << 31) | cpu->vcpu);
	write_sysreg(vttbr_el2, arm64_vttbr(p));
	write_sysreg(hcr_el2, cpu->arch.hcr);
	isb();
	/* Nothing cached from this cpu's previous vCPU life may survive. */
	__asm__ volatile("tlbi vmalls12e1\n\tdsb nsh\n\tisb" : : : "memory");
	arm64_enter_vcpu(&cpu_stacks[cpu->index][CONFIG_CPU_STACK_SIZE], entry, arg);
}
