/*
 * EL2 set-up of each cpu, the boot and secondary cpus' C entry, and vCPU entry.
 */
#include <generated/autoconf.h>
#include "arch.h"
#include "arm64.h"
#include "gic.h"
#include "cfg.h"
#include "core.h"
#include "cpu.h"
#include "log.h"
#include "partition.h"
#include "sysreg.h"
#include "vgic.h"

/* Stacks are not zeroed at boot (.noload). The guest frame lives at the top
 * of each while its vCPU runs. */
uint8_t cpu_stacks[CONFIG_MAX_CORES][CONFIG_CPU_STACK_SIZE]
	__attribute__((aligned(16), section(".noload.cpu_stacks")));

#define HCR_GUEST (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_TSC | HCR_TID3 | \
		   HCR_TIDCP | HCR_TACR | HCR_TSW | HCR_RW | HCR_TLOR)

static uint64_t hcr_guest;
/* Each partition's virtual counter starts at zero when the partition (re)starts. */
static uint64_t cntvoff[CONFIG_MAX_PARTITIONS];

static bool core_is_direct(uint32_t core)
{
	uint8_t part = cfg_system.cpus[core].partition;

	return (part != CFG_NO_PARTITION) && (cfg_system.partitions[part].arch.irq_delivery == (uint8_t)CFG_IRQ_DIRECT);
}

uint64_t arch_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t arch_counter_hz(void)
{
	return read_sysreg(cntfrq_el0);
}

uint64_t arm64_cpu_mpidr(uint32_t core)
{
	return cfg_system.cpus[core].arch.mpidr;
}

static uint32_t boot_core_index(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1) & 0xff00ffffffUL;

	for (uint32_t i = 0u; i < cfg_system.n_cpus; i++) {
		if (cfg_system.cpus[i].arch.mpidr == mpidr) {
			return i;
		}
	}
	panic("boot core MPIDR 0x%lx is not a core of the system description", mpidr);
}

/* EL2 controls that stay the same for every vCPU this core will run. */
static void el2_setup(uint32_t core)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);
	uint64_t isar1 = read_sysreg(id_aa64isar1_el1);
	uint64_t cptr = CPTR_EL2_RES1 | CPTR_TTA | CPTR_TZ;
	uint64_t pmcr_n = (read_sysreg(pmcr_el0) >> 11) & 0x1fu;

	arm64_set_this_cpu(cpu_get(core));
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
	/* Pointer authentication keys are per-core EL1 state: let guests use them natively. */
	hcr_guest = HCR_GUEST;
	if ((isar1 & 0xff0u) != 0u) {
		hcr_guest |= HCR_APK | HCR_API;
	}
	isb();
	gic_init_cpu(core, core_is_direct(core));
}

NORETURN void arm64_boot_main(void)
{
	uint32_t core = boot_core_index();

	gic_init_global();
	el2_setup(core);
	core_boot(cpu_get(core));
}

NORETURN void arm64_secondary_main(uint64_t core)
{
	el2_setup((uint32_t)core);
	core_cpu_started(cpu_get((uint32_t)core));
}

/* Architectural reset values of the EL1 state a guest can see, so that a
 * restarted partition finds the core as a fresh one would be. */
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

void arch_partition_reset(uint32_t part)
{
	vgic_partition_reset(part);
	cntvoff[part] = read_sysreg(cntpct_el0);
}

NORETURN void arch_vcpu_enter(struct cpu *cpu, uint64_t entry, uint64_t arg)
{
	uint32_t part = cpu->partition->id;

	el1_reset();
	vgic_vcpu_reset(cpu);
	write_sysreg(cntvoff_el2, cntvoff[part]);
	write_sysreg(vmpidr_el2, (1UL << 31) | cpu->vcpu);
	write_sysreg(vttbr_el2, arm64_vttbr(part));
	/* Direct delivery: physical IRQs go straight to EL1; FIQs (the kick) still come here. */
	write_sysreg(hcr_el2, core_is_direct(cpu->index) ? (hcr_guest & ~HCR_IMO) : hcr_guest);
	isb();
	/* Nothing cached from this core's previous vCPU life may survive. */
	__asm__ volatile("tlbi vmalls12e1\n\tdsb nsh\n\tisb" : : : "memory");
	arm64_enter_vcpu(&cpu_stacks[cpu->index][CONFIG_CPU_STACK_SIZE], entry, arg);
}
