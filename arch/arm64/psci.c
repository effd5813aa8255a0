/* SPDX-License-Identifier: MIT */
/*
 * PSCI for guests (emulated per partition, nothing reaches the firmware) and
 * the one correspondence between PSCI's numbers and core's power model
 * (enum core_status, enum cpu_power): core speaks only its own, this file
 * translates both ways, for guests and for the firmware (firmware.c).
 */
#include <bulkhead/hypercall.h>
#include <bulkhead/psci.h>
#include "arm64.h"
#include "cpu.h"
#include "log.h"
#include "partition.h"
#include "sysreg.h"

#define PSCI_VERSION_1_1 0x10001u
/* Arm TRNG firmware interface (DEN0098), in the standard service range PSCI
 * shares: Linux asks for its version once SMCCC 1.1 is there. */
#define TRNG_VERSION 0x84000050u

/* PSCI's return code for each core status, indexed by -status. PSCI has no
 * "busy": a full resource is a refusal (DENIED), which psci_to_status()
 * reads back as CORE_ERR_DENIED, the earlier entry. */
static const int32_t psci_codes[] = {
	[-CORE_OK] = PSCI_RET_SUCCESS,
	[-CORE_ERR_INVALID] = PSCI_RET_INVALID_PARAMETERS,
	[-CORE_ERR_ADDRESS] = PSCI_RET_INVALID_ADDRESS,
	[-CORE_ERR_DENIED] = PSCI_RET_DENIED,
	[-CORE_ERR_ALREADY_ON] = PSCI_RET_ALREADY_ON,
	[-CORE_ERR_ON_PENDING] = PSCI_RET_ON_PENDING,
	[-CORE_ERR_BUSY] = PSCI_RET_DENIED,
	[-CORE_ERR_HW] = PSCI_RET_INTERNAL_FAILURE,
};

#define PSCI_CODES (sizeof(psci_codes) / sizeof(psci_codes[0]))

/* Implements: REQ-CPU-003 */
int64_t psci_from_status(enum core_status status)
{
	uint32_t i = (uint32_t)-(int32_t)status;

	return (i < PSCI_CODES) ? psci_codes[i] : PSCI_RET_INTERNAL_FAILURE;
}

/* Implements: REQ-CPU-003 */
enum core_status psci_to_status(int64_t psci)
{
	for (uint32_t i = 0u; i < PSCI_CODES; i++) {
		if (psci_codes[i] == psci) {
			return (enum core_status)-(int32_t)i;
		}
	}
	return CORE_ERR_HW;
}

/* Implements: REQ-CPU-003 */
static int64_t psci_from_power(enum cpu_power power)
{
	switch (power) {
	case CPU_POWER_OFF:
		return PSCI_AFFINITY_OFF;
	case CPU_POWER_ON_PENDING:
		return PSCI_AFFINITY_ON_PENDING;
	default:
		return PSCI_AFFINITY_ON;
	}
}

/* Implements: REQ-CPU-003, REQ-TRP-002, REQ-FSF-005 */
enum cpu_power psci_to_power(int64_t affinity)
{
	/* An error (a bad MPIDR) counts as on: a stop must never be believed early. */
	if (affinity == PSCI_AFFINITY_OFF) {
		return CPU_POWER_OFF;
	}
	return (affinity == PSCI_AFFINITY_ON_PENDING) ? CPU_POWER_ON_PENDING : CPU_POWER_ON;
}

/* Implements: REQ-CPU-005 */
static bool psci_supported(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
	case SMCCC_VERSION:   /* PSCI_FEATURES is how a guest learns SMCCC 1.1+ is there */
		return true;
	default:
		return false;
	}
}

/* A guest names its vCPUs by their virtual MPIDR: Aff0 = vCPU index, the
 * other affinity levels zero. Anything else is not one of its cores. */
/* Implements: REQ-CPU-003 */
static bool vcpu_from_mpidr(uint64_t mpidr, uint32_t *vcpu)
{
	if ((mpidr & ~0xffUL) != 0u) {
		return false;
	}
	*vcpu = (uint32_t)mpidr;
	return true;
}

/* CPU_ON: a bad argument is refused; another vCPU's state (on, starting) is an answer. */
/* Implements: REQ-CPU-003, REQ-CPU-004, REQ-TRP-009 */
static int64_t psci_cpu_on(struct cpu *cpu, uint64_t mpidr, uint64_t entry, uint64_t arg, bool *refused)
{
	uint32_t vcpu = 0u;
	enum core_status s = vcpu_from_mpidr(mpidr, &vcpu) ? partition_vcpu_on(cpu, vcpu, ipa_init(entry), arg)
							    : CORE_ERR_INVALID;

	*refused = (s == CORE_ERR_INVALID) || (s == CORE_ERR_ADDRESS) || (s == CORE_ERR_DENIED);
	return psci_from_status(s);
}

/* Implements: REQ-CPU-003, REQ-TRP-009 */
static int64_t psci_affinity_info(const struct cpu *cpu, uint64_t mpidr, uint64_t level, bool *refused)
{
	uint32_t vcpu = 0u;
	enum cpu_power power = CPU_POWER_ON;
	enum core_status s = ((level == 0u) && vcpu_from_mpidr(mpidr, &vcpu)) ? partition_vcpu_state(cpu, vcpu, &power)
									       : CORE_ERR_INVALID;

	*refused = s != CORE_OK;
	return (s == CORE_OK) ? psci_from_power(power) : psci_from_status(s);
}

/* Not inlined: keeps the hypercall path's frame as small as it is without PSCI. */
/* Implements: REQ-CPU-003, REQ-CPU-005, REQ-CPU-006, REQ-CPU-007, REQ-LNX-004, REQ-TRP-009 */
__attribute__((noinline)) void arm64_psci(struct cpu *cpu, struct guest_frame *f)
{
	uint32_t fid = (uint32_t)f->x[0];
	bool is32 = (fid & 0x40000000u) == 0u;
	uint64_t a1 = is32 ? (uint32_t)f->x[1] : f->x[1];
	uint64_t a2 = is32 ? (uint32_t)f->x[2] : f->x[2];
	uint64_t a3 = is32 ? (uint32_t)f->x[3] : f->x[3];
	int64_t r;
	bool refused = false;

	switch (fid) {
	case PSCI_VERSION:
		r = PSCI_VERSION_1_1;
		break;
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		/* Every state is entered as standby: the cpu waits for an interrupt. */
		wfi();
		r = PSCI_RET_SUCCESS;
		break;
	case PSCI_CPU_OFF:
		partition_vcpu_off(cpu);
		break;   /* not reached */
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		r = psci_cpu_on(cpu, a1, a2, a3, &refused);
		break;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		r = psci_affinity_info(cpu, a1, a2, &refused);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		r = PSCI_TOS_NOT_PRESENT_MP;
		break;
	case PSCI_SYSTEM_OFF:
		log_info("partition '%s': PSCI SYSTEM_OFF", cpu->partition->cfg->name);
		partition_shutdown(cpu, false);
		break;   /* not reached */
	case PSCI_SYSTEM_RESET:
		log_info("partition '%s': PSCI SYSTEM_RESET", cpu->partition->cfg->name);
		partition_shutdown(cpu, true);
		break;   /* not reached */
	case TRNG_VERSION:
		/* A question, not a refusal: no TRNG is offered (docs/linux.md, entropy). */
		r = PSCI_RET_NOT_SUPPORTED;
		break;
	case PSCI_FEATURES:
		/* A question, not a refusal, whatever the answer. */
		r = psci_supported((uint32_t)a1) ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED;
		break;
	default:
		r = PSCI_RET_NOT_SUPPORTED;
		refused = true;
		break;
	}
	if (refused) {
		arm64_refuse_call(cpu, f, "PSCI", r);
	} else {
		f->x[0] = (uint64_t)r;
	}
}
