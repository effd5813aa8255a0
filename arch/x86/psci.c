/* SPDX-License-Identifier: MIT */
/*
 * The partition's power interface on x86: the PSCI function ids of
 * include/bulkhead/psci.h through VMMCALL (the partition runtime uses the
 * same ids on both architectures), with the target of CPU_ON and
 * AFFINITY_INFO a vCPU index (x86 has no MPIDR). Mapped onto core's
 * partition API as ARM64's psci.c does.
 */
#include <bulkhead/psci.h>
#include "cpu.h"
#include "incident.h"
#include "log.h"
#include "partition.h"
#include "x86.h"

#define PSCI_VERSION_1_1 0x10001u

/* PSCI's return code of each core status, indexed by -status (BUSY: a refusal). */

static int64_t from_status(enum core_status s)
{
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
	uint32_t i = (uint32_t)-(int32_t)s;

	return (i < (uint32_t)(sizeof(psci_codes) / sizeof(psci_codes[0]))) ? psci_codes[i] : PSCI_RET_INTERNAL_FAILURE;
}

bool x86_psci(struct cpu *cpu, uint64_t r[7])
{
	uint32_t fid = (uint32_t)r[0];
	int64_t ret;

	switch (fid) {
	case PSCI_VERSION:
		ret = PSCI_VERSION_1_1;
		break;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		ret = from_status(partition_vcpu_on(cpu, (uint32_t)r[1], ipa_init(r[2]), r[3] & 0xffffffffu));
		break;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64: {
		enum cpu_power power = CPU_POWER_ON;
		enum core_status s = (r[2] == 0u) ? partition_vcpu_state(cpu, (uint32_t)r[1], &power) : CORE_ERR_INVALID;

		ret = (s != CORE_OK) ? from_status(s)
		      : ((power == CPU_POWER_OFF) ? PSCI_AFFINITY_OFF
			 : ((power == CPU_POWER_ON_PENDING) ? PSCI_AFFINITY_ON_PENDING : PSCI_AFFINITY_ON));
		break;
	}
	case PSCI_CPU_OFF:
		partition_vcpu_off(cpu);
		break;   /* not reached: these three do not return */
	case PSCI_SYSTEM_OFF:
		log_info("partition '%s': PSCI SYSTEM_OFF", cpu->partition->cfg->name);
		partition_shutdown(cpu, false);
		break;
	case PSCI_SYSTEM_RESET:
		log_info("partition '%s': PSCI SYSTEM_RESET", cpu->partition->cfg->name);
		partition_shutdown(cpu, true);
		break;
	default:
		return false;
	}
	if ((ret < 0) && (ret != PSCI_RET_ALREADY_ON) && (ret != PSCI_RET_ON_PENDING)) {
		incident_log(cpu, BH_INCIDENT_CALL, "PSCI 0x%x refused (%ld)", fid, ret);
	}
	r[0] = (uint64_t)ret;
	return true;
}
