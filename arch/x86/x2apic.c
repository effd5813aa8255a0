/* SPDX-License-Identifier: MIT */
/*
 * The guest's local APIC, in x2APIC mode from the start (its MSRs, all
 * trapped by the MSR permission map): its id is its core's x2APIC id, and
 * an IPI reaches only the partition's own cores, the x86 counterpart of
 * arm64's SGI filtering. A fixed IPI (vector 32-255) to one of its own
 * cores, to itself or to all of its cores is raised in those vCPUs
 * (vintr.c); one to any other x2APIC id, a logical destination, and NMI,
 * SMI or lowest-priority delivery are refused and counted as interrupt
 * incidents and reach nobody. INIT and STARTUP to another of its own vCPUs,
 * by its APIC id, are how an OS starts an application processor: a STARTUP
 * is core's vCPU start (PSCI CPU_ON's) in real mode at its vector's page;
 * to anybody else, by shorthand or logical destination, they are refused.
 * An OS that turns x2APIC off reaches the same registers through the
 * xAPIC page (xapic.c), and there a flat logical destination names the
 * partition's vCPUs whose LDR it matches, nobody else.
 * The other registers and the timer: x2apic_regs.c, vtimer.c.
 */
#include <bulkhead/hypercall.h>
#include "cfg.h"
#include "cpu.h"
#include "incident.h"
#include "partition.h"
#include "virq.h"
#include "x86.h"

#define MSR_APIC_BASE     0x01bu
#define MSR_X2APIC_ID     0x802u
#define MSR_X2APIC_VER    0x803u
#define MSR_X2APIC_EOI    0x80bu
#define MSR_X2APIC_ICR    0x830u
#define MSR_X2APIC_SELF   0x83fu

#define APIC_BASE_VALUE   0xfee00000u
#define APIC_BASE_BSP     ((uint32_t)1u << 8)
#define APIC_BASE_EXTD    ((uint32_t)1u << 10)   /* x2APIC mode */
#define APIC_BASE_EN      ((uint32_t)1u << 11)
#define APIC_VERSION      0x50014u     /* integrated APIC, LVT entries 0-5 */

#define ICR_VECTOR(icr)     ((uint32_t)(icr) & 0xffu)
#define ICR_MODE(icr)       (((uint32_t)(icr) >> 8) & 0x7u)   /* 0: fixed */
#define ICR_MODE_INIT       5u
#define ICR_MODE_STARTUP    6u
#define ICR_ASSERT          ((uint32_t)1u << 14)
#define ICR_LOGICAL         ((uint32_t)1u << 11)
#define ICR_SHORTHAND(icr)  (((uint32_t)(icr) >> 18) & 0x3u)
#define ICR_DEST(icr)       ((uint32_t)((icr) >> 32))
#define SHORTHAND_NONE      0u
#define SHORTHAND_SELF      1u
#define SHORTHAND_ALL       2u
#define DEST_BROADCAST      0xffffffffu

static uint64_t apic_base(const struct cpu *cpu)
{
	return APIC_BASE_VALUE | APIC_BASE_EN | (cpu->arch.vlapic.xapic ? 0u : APIC_BASE_EXTD) |
	       ((cpu->vcpu == 0u) ? APIC_BASE_BSP : 0u);
}

/*
 * The APIC base MSR: only its mode changes. x2APIC on (the entry state), or
 * off into xAPIC mode, directly or through disabled (Linux writes both when
 * it finds no interrupt remapping): the xAPIC page then reaches the same
 * registers (xapic.c). The base address and BSP bit stay.
 */
/* Implements: REQ-XARCH-044~2 */
static bool apic_base_write(struct cpu *cpu, uint64_t value)
{
	uint32_t bsp = (cpu->vcpu == 0u) ? APIC_BASE_BSP : 0u;
	uint32_t fixed = APIC_BASE_VALUE | bsp;
	uint32_t mode = APIC_BASE_EN | APIC_BASE_EXTD;

	if ((value & ~(uint64_t)mode) != (uint64_t)fixed) {
		return false;
	}
	cpu->arch.vlapic.xapic = (value & APIC_BASE_EXTD) == 0u;
	return true;
}

bool x86_apic_logical_names(const struct partition *p, uint32_t v, uint32_t dest)
{
	const struct cpu *c = cpu_get(p->cfg->vcpu_cpu[v]);

	return c->arch.vlapic.xapic && !c->arch.vlapic.dfr_cluster &&
	       (((__atomic_load_n(&c->arch.vlapic.ldr, __ATOMIC_RELAXED) >> 24) & dest & 0xffu) != 0u);
}

/* Whether the ICR's shorthand and destination name vCPU `v` (of the sender's partition). */
static bool names_vcpu(const struct cpu *cpu, uint32_t v, uint32_t shorthand, uint32_t dest, bool logical)
{
	const struct partition *p = cpu->partition;
	bool self = v == cpu->vcpu;

	if (shorthand == SHORTHAND_SELF) {
		return self;
	}
	if ((shorthand == SHORTHAND_ALL) || ((shorthand == SHORTHAND_NONE) && (dest == DEST_BROADCAST))) {
		return true;
	}
	if ((shorthand == SHORTHAND_NONE) && logical) {
		return x86_apic_logical_names(p, v, dest);
	}
	if (shorthand == SHORTHAND_NONE) {
		return cfg_system.cpus[p->cfg->vcpu_cpu[v]].arch.apic_id == dest;
	}
	return !self;   /* all but self */
}

/*
 * Raises `vector` in the partition's vCPUs the ICR names (none outside it);
 * false: a destination id that is none of its cores. (All-but-self names
 * nobody in a partition of one vCPU, which is no attempt to reach another.)
 */
static bool ipi_own_cores(struct cpu *cpu, uint32_t shorthand, uint32_t dest, bool logical, uint32_t vector)
{
	struct partition *p = cpu->partition;
	bool found = false;

	for (uint32_t v = 0u; v < p->cfg->n_vcpus; v++) {
		if (names_vcpu(cpu, v, shorthand, dest, logical)) {
			found = true;
			/* A vCPU that is off takes no IPI, as a core in wait-for-SIPI takes none. */
			(void)core_vcpu_inject(cpu, p, v, vector);
		}
	}
	return found || (shorthand != SHORTHAND_NONE);
}

/*
 * INIT and STARTUP, to one of the partition's other vCPUs by APIC id; false:
 * refused. A vCPU that is off is in its wait-for-SIPI state already, so an
 * INIT to it changes nothing; an INIT asserted at a running one would reset
 * it, which is not emulated (Linux sends INIT only to cores it has not
 * started). A STARTUP to a vCPU that is on is ignored, as a core outside
 * wait-for-SIPI ignores it (Linux sends two).
 */
/* Implements: REQ-XARCH-050, REQ-LNX-016 */
static bool icr_start(struct cpu *cpu, uint64_t icr)
{
	struct partition *p = cpu->partition;
	uint32_t v = 0u;

	if ((ICR_SHORTHAND(icr) != SHORTHAND_NONE) || ((icr & ICR_LOGICAL) != 0u)) {
		return false;
	}
	while ((v < p->cfg->n_vcpus) && (cfg_system.cpus[p->cfg->vcpu_cpu[v]].arch.apic_id != ICR_DEST(icr))) {
		v++;
	}
	if ((v == p->cfg->n_vcpus) || (v == cpu->vcpu)) {
		return false;
	}
	if (ICR_MODE(icr) == ICR_MODE_INIT) {
		enum cpu_power power = CPU_POWER_ON;

		(void)partition_vcpu_state(cpu, v, &power);
		return ((icr & ICR_ASSERT) == 0u) || (power == CPU_POWER_OFF);
	}
	uint64_t page = (icr & 0xffu) << 12;   /* the vector is the page number of the real-mode entry */
	enum core_status s = partition_vcpu_on(cpu, v, ipa_init(page), X86_START_SIPI);

	return (s == CORE_OK) || (s == CORE_ERR_ALREADY_ON) || (s == CORE_ERR_ON_PENDING);
}

static void icr_write(struct cpu *cpu, uint64_t icr)
{
	uint32_t shorthand = ICR_SHORTHAND(icr);
	bool logical = (icr & ICR_LOGICAL) != 0u;

	if ((ICR_MODE(icr) == ICR_MODE_INIT) || (ICR_MODE(icr) == ICR_MODE_STARTUP)) {
		if (!icr_start(cpu, icr)) {
			incident_log(cpu, BH_INCIDENT_INTERRUPT, "x2APIC ICR 0x%lx refused: INIT or STARTUP only to another "
				     "of its own stopped cores by id", icr);
		}
	} else if ((ICR_MODE(icr) != 0u) || (ICR_VECTOR(icr) < 32u)) {
		incident_log(cpu, BH_INCIDENT_INTERRUPT, "x2APIC ICR 0x%lx refused: only fixed IPIs with vectors 32-255",
			     icr);
	} else if ((shorthand == SHORTHAND_NONE) && logical && (!cpu->arch.vlapic.xapic || cpu->arch.vlapic.dfr_cluster)) {
		incident_log(cpu, BH_INCIDENT_INTERRUPT, "x2APIC ICR 0x%lx refused: no logical destinations", icr);
	} else if (!ipi_own_cores(cpu, shorthand, ICR_DEST(icr), logical, ICR_VECTOR(icr))) {
		incident_log(cpu, BH_INCIDENT_INTERRUPT, "x2APIC ICR 0x%lx refused: x2APIC id %u is not one of its cores",
			     icr, ICR_DEST(icr));
	} else {
		/* raised in its own vCPUs */
	}
}

static bool x2apic_read(struct cpu *cpu, uint32_t msr, uint64_t *value)
{
	switch (msr) {
	case MSR_APIC_BASE:
		*value = apic_base(cpu);
		return true;
	case MSR_X2APIC_ID:
		*value = cpu->arch.apic_id;
		return true;
	case MSR_X2APIC_VER:
		*value = APIC_VERSION;
		return true;
	default:
		return x86_vlapic_msr(cpu, msr, false, value);
	}
}

bool x2apic_msr(struct cpu *cpu, uint32_t msr, bool write, uint64_t *value)
{
	if (!write) {
		return x2apic_read(cpu, msr, value);
	}
	switch (msr) {
	case MSR_APIC_BASE:
		return apic_base_write(cpu, *value);
	case MSR_X2APIC_EOI:
		return *value == 0u;               /* no in-service state to end (vintr.c) */
	case MSR_X2APIC_ICR:
		icr_write(cpu, *value);
		return true;
	case MSR_X2APIC_SELF:
		if ((*value < 32u) || (*value > 255u)) {
			return false;   /* refused with #GP, as a reserved bit or vector would be */
		}
		arch_vcpu_inject(cpu, (uint32_t)*value);
		return true;
	default:
		return x86_vlapic_msr(cpu, msr, true, value);
	}
}
