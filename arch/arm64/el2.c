/* SPDX-License-Identifier: MIT */
/*
 * EL2 set-up of each cpu, and the boot and secondary cpus' C entry.
 */
#include <generated/autoconf.h>
#include "arch.h"
#include "arm64.h"
#include "gic.h"
#include "cfg.h"
#include "core.h"
#include "cpu.h"
#include "log.h"
#include "sysreg.h"

#define HCR_GUEST (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_TSC | HCR_TID3 | \
		   HCR_TIDCP | HCR_TACR | HCR_TSW | HCR_RW | HCR_TLOR)

/* Implements: REQ-IRQ-008~2 */
static bool cpu_is_direct(uint32_t cpu)
{
	uint8_t part = cfg_system.cpus[cpu].partition;

	return (part != CFG_NO_PARTITION) && (cfg_system.partitions[part].arch.irq_delivery == (uint8_t)CFG_IRQ_DIRECT);
}

/* Implements: infrastructure */
uint64_t arch_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

/* Implements: infrastructure */
uint64_t arch_counter_hz(void)
{
	return read_sysreg(cntfrq_el0);
}

/* Implements: infrastructure */
uint64_t arm64_cpu_mpidr(uint32_t cpu)
{
	return cfg_system.cpus[cpu].arch.mpidr;
}

/* Implements: REQ-CPU-002 */
static uint32_t boot_cpu_index(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1) & 0xff00ffffffUL;

	for (uint32_t i = 0u; i < cfg_system.n_cpus; i++) {
		if (cfg_system.cpus[i].arch.mpidr == mpidr) {
			return i;
		}
	}
	panic("boot core MPIDR 0x%lx is not a core of the system description", mpidr);
}

/* EL2 controls that stay the same for every vCPU this cpu will run. */
/* Implements: REQ-TRP-003, REQ-TRP-004, REQ-MEM-001 */
static void el2_setup(struct cpu *cpu)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);
	uint64_t isar1 = read_sysreg(id_aa64isar1_el1);
	uint64_t cptr = CPTR_EL2_RES1 | CPTR_TTA | CPTR_TZ;
	uint64_t pmcr_n = (read_sysreg(pmcr_el0) >> 11) & 0x1fu;
	bool direct = cpu_is_direct(cpu->index);

	arm64_set_this_cpu(cpu);
	if (((pfr0 >> 44) & 0xfu) != 0u) {
		cptr |= CPTR_TAM;
	}
	write_sysreg(cptr_el2, cptr);
	write_sysreg(mdcr_el2, pmcr_n | MDCR_TPM | MDCR_TPMCR | MDCR_TPMS | MDCR_TTRF);
	write_sysreg(hstr_el2, 0);
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vtcr_el2, arm64_vtcr());
	cpu->arch.hcr = HCR_GUEST;
	if (direct) {
		/* Physical IRQs go straight to EL1; FIQs (the kick) still come here. */
		cpu->arch.hcr &= ~HCR_IMO;
	}
	if ((isar1 & 0xff0u) != 0u) {
		/* Pointer authentication keys are per-cpu EL1 state: let guests use them natively. */
		cpu->arch.hcr |= HCR_APK | HCR_API;
	}
	isb();
	gic_init_cpu(cpu, direct);
}

/* Implements: REQ-CPU-002, REQ-CPU-009 */
NORETURN void arm64_boot_main(void)
{
	struct cpu *cpu = cpu_get(boot_cpu_index());

	gic_init_global();
	el2_setup(cpu);
	core_boot(cpu);
}

/* Implements: REQ-CPU-002, REQ-CPU-008 */
NORETURN void arm64_secondary_main(uint64_t index)
{
	struct cpu *cpu = cpu_get((uint32_t)index);

	el2_setup(cpu);
	core_cpu_started(cpu);
}
