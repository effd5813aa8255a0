/*
 * SMC Calling Convention dispatch for guests (HVC #0 or a trapped SMC):
 * SMCCC architecture calls, PSCI (emulated per partition) and Bulkhead's
 * own hypercalls. Nothing reaches the platform firmware.
 */
#include <bulkhead/hypercall.h>
#include <bulkhead/psci.h>
#include "arm64.h"
#include "core.h"
#include "cpu.h"
#include "incident.h"
#include "log.h"
#include "partition.h"
#include "sysreg.h"

#define SMCCC_VERSION        0x80000000u
#define SMCCC_ARCH_FEATURES  0x80000001u
#define SMCCC_VERSION_1_1    0x10001u
#define PSCI_VERSION_1_1     0x10001u

static uint64_t ret(int64_t v)
{
	return (uint64_t)v;
}

/* A call refused with `status`: counted and logged (rate-limited) as a call incident.
 * Out of line so that the served calls do not carry it. */
static __attribute__((noinline, cold)) void refuse_call(const struct cpu *cpu, struct guest_frame *f,
							 const char *conduit, int64_t status)
{
	incident_log(cpu, BH_INCIDENT_CALL, "%s function 0x%lx (x1 0x%lx) refused with %ld", conduit, f->x[0], f->x[1],
		     status);
	f->x[0] = ret(status);
}

static void smccc_arch(const struct cpu *cpu, struct guest_frame *f)
{
	switch ((uint32_t)f->x[0]) {
	case SMCCC_VERSION:
		f->x[0] = SMCCC_VERSION_1_1;
		break;
	case SMCCC_ARCH_FEATURES:
		f->x[0] = ((uint32_t)f->x[1] == SMCCC_VERSION) ? 0u : ret(BH_ERR_NOT_SUPPORTED);
		break;
	default:
		/* Firmware workarounds (ARCH_WORKAROUND_*) are not offered to partitions. */
		refuse_call(cpu, f, "SMCCC", BH_ERR_NOT_SUPPORTED);
		break;
	}
}

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
		return true;
	default:
		return false;
	}
}

/* A guest names its vCPUs by their virtual MPIDR: Aff0 = vCPU index, the
 * other affinity levels zero. Anything else is not one of its cores. */
static bool vcpu_from_mpidr(uint64_t mpidr, uint32_t *vcpu)
{
	if ((mpidr & ~0xffUL) != 0u) {
		return false;
	}
	*vcpu = (uint32_t)mpidr;
	return true;
}

/* Not inlined: keeps the hypercall path's frame as small as it is without PSCI. */
static __attribute__((noinline)) void arm64_psci(struct cpu *cpu, struct guest_frame *f)
{
	uint32_t fid = (uint32_t)f->x[0];
	bool is32 = (fid & 0x40000000u) == 0u;
	uint64_t a1 = is32 ? (uint32_t)f->x[1] : f->x[1];
	uint64_t a2 = is32 ? (uint32_t)f->x[2] : f->x[2];
	uint64_t a3 = is32 ? (uint32_t)f->x[3] : f->x[3];
	uint32_t vcpu;
	int64_t r;
	bool refused = false;

	switch (fid) {
	case PSCI_VERSION:
		r = PSCI_VERSION_1_1;
		break;
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		/* Every state is entered as standby: the core waits for an interrupt. */
		wfi();
		r = PSCI_RET_SUCCESS;
		break;
	case PSCI_CPU_OFF:
		partition_vcpu_off(cpu);
		break;   /* not reached */
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		r = vcpu_from_mpidr(a1, &vcpu) ? partition_vcpu_on(cpu, vcpu, ipa_init(a2), a3)
					       : PSCI_RET_INVALID_PARAMETERS;
		/* Another vCPU's state (already on, pending) is an answer; a bad argument is refused. */
		refused = (r == PSCI_RET_INVALID_PARAMETERS) || (r == PSCI_RET_INVALID_ADDRESS) ||
			  (r == PSCI_RET_DENIED);
		break;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		r = ((a2 == 0u) && vcpu_from_mpidr(a1, &vcpu)) ? partition_vcpu_state(cpu, vcpu)
							      : PSCI_RET_INVALID_PARAMETERS;
		refused = r == PSCI_RET_INVALID_PARAMETERS;
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
		refuse_call(cpu, f, "PSCI", r);
	} else {
		f->x[0] = ret(r);
	}
}

/* Inlined into both conduits: the null hypercall's path stays one function. */
static inline __attribute__((always_inline)) void smccc(struct cpu *cpu, struct guest_frame *f)
{
	uint32_t fid = (uint32_t)f->x[0];
	uint32_t owner = (fid >> BH_SMCCC_OWNER_SHIFT) & BH_SMCCC_OWNER_MASK;

	if ((fid & BH_SMCCC_FAST) == 0u) {
		/* Yielding calls would need a Trusted OS; there is none for partitions. */
		refuse_call(cpu, f, "yielding", BH_ERR_NOT_SUPPORTED);
		return;
	}
	switch (owner) {
	case BH_SMCCC_OWNER_ARCH:
		smccc_arch(cpu, f);
		break;
	case BH_SMCCC_OWNER_PSCI:
		arm64_psci(cpu, f);
		break;
	case BH_SMCCC_OWNER_VENDOR_HYP:
		hypercall_dispatch(cpu, f->x);
		break;
	default:
		refuse_call(cpu, f, "SMCCC", BH_ERR_NOT_SUPPORTED);
		break;
	}
}

/* SMCCC calls are HVC #0 and SMC #0; other immediates are not calls we define,
 * whatever their function id, through either conduit. */
static __attribute__((noinline, cold)) void refuse_immediate(struct guest_frame *f, uint64_t esr, const char *conduit)
{
	const struct cpu *cpu = arm64_this_cpu();

	incident_log(cpu, BH_INCIDENT_CALL, "%s #0x%lx (function 0x%lx) refused", conduit, esr & 0xffffu, f->x[0]);
	f->x[0] = ret(BH_ERR_NOT_SUPPORTED);
}

void arm64_trap_hvc(struct cpu *cpu, struct guest_frame *f, uint64_t esr)
{
	if ((esr & 0xffffu) != 0u) {
		refuse_immediate(f, esr, "HVC");
		return;
	}
	smccc(cpu, f);
}

void arm64_trap_smc(struct cpu *cpu, struct guest_frame *f, uint64_t esr)
{
	/* A trapped SMC returns to the SMC itself: step over it. */
	arm64_guest_skip(esr);
	if ((esr & 0xffffu) != 0u) {
		refuse_immediate(f, esr, "SMC");
		return;
	}
	smccc(cpu, f);
}
