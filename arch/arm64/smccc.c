/* SPDX-License-Identifier: MIT */
/*
 * SMC Calling Convention dispatch for guests (HVC #0 or a trapped SMC):
 * SMCCC architecture calls, PSCI (emulated per partition, psci.c) and
 * Bulkhead's own hypercalls. Nothing reaches the platform firmware.
 */
#include <bulkhead/hypercall.h>
#include "arm64.h"
#include "core.h"
#include "cpu.h"
#include "incident.h"
#include "partition.h"
#include "sysreg.h"
#include "fault_inject.h"

#define SMCCC_ARCH_FEATURES  0x80000001u
#define SMCCC_VERSION_1_1    0x10001u

/* Implements: REQ-HC-001 */
static uint64_t ret(int64_t v)
{
	return (uint64_t)v;
}

/* A call refused with `status`: counted and logged (rate-limited) as a call incident.
 * Out of line so that the served calls do not carry it. */
/* Implements: REQ-HC-002, REQ-TRP-009 */
__attribute__((noinline, cold)) void arm64_refuse_call(const struct cpu *cpu, struct guest_frame *f,
							 const char *conduit, int64_t status)
{
	incident_log(cpu, BH_INCIDENT_CALL, "%s function 0x%lx (x1 0x%lx) refused with %ld", conduit, f->x[0], f->x[1],
		     status);
	f->x[0] = ret(status);
}

/* Implements: REQ-LNX-005, REQ-HC-005 */
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
		/* The firmware workarounds (ARCH_WORKAROUND_1/2/3: branch predictor
		 * invalidation, SSBD, BHB) are not offered: ARCH_FEATURES answers
		 * NOT_SUPPORTED for them, which SMCCC 1.1 defines as "not implemented,
		 * the PE may be affected", the truth (docs/linux.md). */
		arm64_refuse_call(cpu, f, "SMCCC", BH_ERR_NOT_SUPPORTED);
		break;
	}
}

/* Inlined into both conduits: the null hypercall's path stays one function. */
/* Implements: REQ-HC-001, REQ-HC-002 */
static inline __attribute__((always_inline)) void smccc(struct cpu *cpu, struct guest_frame *f)
{
	uint32_t fid = (uint32_t)f->x[0];
	uint32_t owner = (fid >> BH_SMCCC_OWNER_SHIFT) & BH_SMCCC_OWNER_MASK;

	if ((fid & BH_SMCCC_FAST) == 0u) {
		/* Yielding calls would need a Trusted OS; there is none for partitions. */
		arm64_refuse_call(cpu, f, "yielding", BH_ERR_NOT_SUPPORTED);
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
		arm64_refuse_call(cpu, f, "SMCCC", BH_ERR_NOT_SUPPORTED);
		break;
	}
}

/* SMCCC calls are HVC #0 and SMC #0; other immediates are not calls we define,
 * whatever their function id, through either conduit. */
/* Implements: REQ-HC-002 */
static __attribute__((noinline, cold)) void refuse_immediate(struct guest_frame *f, uint64_t esr, const char *conduit)
{
	const struct cpu *cpu = arm64_this_cpu();

	incident_log(cpu, BH_INCIDENT_CALL, "%s #0x%lx (function 0x%lx) refused", conduit, esr & 0xffffu, f->x[0]);
	f->x[0] = ret(BH_ERR_NOT_SUPPORTED);
}

/* Implements: REQ-HC-001, REQ-HC-002 */
void arm64_trap_hvc(struct cpu *cpu, struct guest_frame *f, uint64_t esr)
{
	if ((esr & 0xffffu) != 0u) {
		refuse_immediate(f, esr, "HVC");
		return;
	}
	smccc(cpu, f);
}

/* Implements: REQ-TRP-003, REQ-CPU-010, REQ-HC-002 */
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

/*
 * An HVC from the guest, straight from the vector (vectors.S): Bulkhead's
 * own calls (fast, SMC64, vendor-hypervisor owner: W0 bits 31:24 are
 * BH_HC_ID(0)'s) go to their table at once; everything else takes the
 * general SMCCC path, which would route them there too.
 */
/* Implements: REQ-HC-001, REQ-HC-002, REQ-TRP-008 */
void arm64_guest_hvc(struct guest_frame *f, uint64_t esr)
{
	struct cpu *cpu = arm64_this_cpu();

	if (((esr & 0xffffu) == 0u) && (((uint32_t)f->x[0] >> 24) == ((uint32_t)BH_HC_ID(0u) >> 24))) {
		hypercall_dispatch(cpu, f->x);
	} else {
		arm64_trap_hvc(cpu, f, esr);
	}
#ifdef CONFIG_FAULT_INJECTION
	arm64_fault_inject_trap_exit(cpu);
#endif
}
