/* SPDX-License-Identifier: MIT */
/*
 * Traps from guests. One table entry per exception class: anything not
 * listed is a partition fault, contained by the health monitor.
 */
#include <bulkhead/channel.h>
#include "arch.h"
#include "arm64.h"
#include "core.h"
#include "cpu.h"
#include "log.h"
#include "sysreg.h"
#include "vgic.h"
#include "fault_inject.h"

_Static_assert((EC_HVC64 == (uint64_t)FULL_FRAME_EC_HVC64) && (EC_SYSREG == (uint64_t)FULL_FRAME_EC_SYSREG) && (EC_DABT_LOW == (uint64_t)FULL_FRAME_EC_DABT),
	       "vectors.S: HVCs to arm64_guest_hvc, x19-x29 for exactly the classes whose handlers use them");

/* Parameter names unlike arm64_guest_sync's own: cppcheck scopes them in the function holding the table. */
typedef void (*trap_handler_t)(struct cpu *self, struct guest_frame *frame, uint64_t syndrome);

/* A fault of the partition on this cpu: the health monitor contains it. */
/* Implements: REQ-TRP-001 */
static NORETURN void guest_fault(struct cpu *cpu, uint8_t kind, uint64_t esr, bool addr_valid, uint64_t addr)
{
	uint64_t pc = read_sysreg(elr_el2);
	struct fault fault = {
		.kind = kind,
		.pc = pc,
		.syndrome = esr,
		.addr = addr,
		.addr_valid = addr_valid,
	};

	health_fault(cpu, &fault);
}

/* Stage-2 faults carry the IPA's page in HPFAR_EL2 for translation, access
 * flag and permission faults; other fault codes leave it unknown. */
/* Implements: REQ-TRP-001 */
static bool abort_ipa(uint64_t esr, uint64_t *ipa)
{
	uint64_t fsc = ISS_FSC(esr);

	if ((fsc >= 0x04u) && (fsc <= 0x0fu)) {
		*ipa = ((read_sysreg(hpfar_el2) >> 4) << 12) | (read_sysreg(far_el2) & 0xfffu);
		return true;
	}
	*ipa = 0u;
	return false;
}

/* Implements: REQ-TRP-001, REQ-TRP-011 */
static void trap_dabt(struct cpu *cpu, struct guest_frame *f, uint64_t esr)
{
	uint64_t ipa;
	bool valid = abort_ipa(esr, &ipa);

	/* A translation fault on an emulated device is an access to emulate. */
	if (valid && ((ISS_FSC(esr) & 0x3cu) == 0x04u) && arm64_mmio_emulate(cpu, f, esr, ipa)) {
		return;
	}
	uint8_t kind = ((esr & ISS_DABT_WNR) != 0u) ? BH_FAULT_DATA_WRITE : BH_FAULT_DATA_READ;

	guest_fault(cpu, kind, esr, valid, ipa);
}

/* Implements: REQ-TRP-001 */
static void trap_iabt(struct cpu *cpu, struct guest_frame *f, uint64_t esr)
{
	uint64_t ipa;
	bool valid = abort_ipa(esr, &ipa);

	UNUSED(f);
	guest_fault(cpu, BH_FAULT_INSTRUCTION, esr, valid, ipa);
}

/* Implements: REQ-TRP-004 */
static void trap_sysreg(struct cpu *cpu, struct guest_frame *f, uint64_t esr)
{
	arm64_sysreg_trap(cpu, f, esr);
}

/* Implements: REQ-TRP-001, REQ-TRP-008 */
void arm64_guest_sync(struct guest_frame *f, uint64_t esr)
{
	/* tools/cert/stack-model.txt declares its targets (and reads it from the image). */
	/* HVCs come through arm64_guest_hvc (vectors.S); the entry stays for completeness. */
	static const trap_handler_t sync_handlers[EC_MAX + 1u] = {
		[EC_HVC64] = arm64_trap_hvc,
		[EC_SMC64] = arm64_trap_smc,
		[EC_SYSREG] = trap_sysreg,
		[EC_DABT_LOW] = trap_dabt,
		[EC_IABT_LOW] = trap_iabt,
	};
	struct cpu *cpu = arm64_this_cpu();
	/* ESR_EL2 as the vector read it (vectors.S). */
	uint64_t ec = ESR_EC(esr);

	if (sync_handlers[ec] == NULL) {
		guest_fault(cpu, BH_FAULT_UNHANDLED_TRAP, esr, false, 0u);
	} else {
		sync_handlers[ec](cpu, f, esr);
	}
#ifdef CONFIG_FAULT_INJECTION
	arm64_fault_inject_trap_exit(cpu);
#endif
}

/* A trapped system-register access whose Rt is not x19-x29, straight from
 * the vector (vectors.S): the SGI sender's path on GICv3. */
/* Implements: REQ-TRP-004, REQ-TRP-008 */
void arm64_guest_sysreg(struct guest_frame *f, uint64_t esr)
{
	struct cpu *cpu = arm64_this_cpu();

	arm64_sysreg_trap(cpu, f, esr);
#ifdef CONFIG_FAULT_INJECTION
	arm64_fault_inject_trap_exit(cpu);
#endif
}

/* A data abort whose SRT is not x19-x29, straight from the vector
 * (vectors.S): an emulated device's access, the GICv2 SGI first. */
/* Implements: REQ-TRP-001, REQ-TRP-011, REQ-IRQ-003 */
void arm64_guest_dabt(struct guest_frame *f, uint64_t esr)
{
	struct cpu *cpu = arm64_this_cpu();

#if BH_GIC_VERSION == 2
	if ((esr & VGIC_SGIR_ESR_MASK) == VGIC_SGIR_ESR) {
		/* HPFAR_EL2 is valid: the mask admits translation faults only. */
		uint64_t ipa = ((read_sysreg(hpfar_el2) >> 4) << 12) | (read_sysreg(far_el2) & 0xfffu);

		if (vgic_sgir_trap(esr, ipa)) {
			/* What arm64_mmio_emulate() does for it, without the lookup. */
			uint32_t rt = (uint32_t)(esr >> ISS_DABT_SRT_SHIFT) & 0x1fu;

			arm64_guest_skip(esr);
			vgic_sgir(cpu, (rt == 31u) ? 0u : (uint32_t)f->x[rt]);
#ifdef CONFIG_FAULT_INJECTION
			arm64_fault_inject_trap_exit(cpu);
#endif
			return;
		}
	}
#endif
	trap_dabt(cpu, f, esr);
#ifdef CONFIG_FAULT_INJECTION
	arm64_fault_inject_trap_exit(cpu);
#endif
}

/* Implements: REQ-IRQ-002, REQ-IRQ-006 */
void arm64_guest_irq(struct guest_frame *f)
{
	UNUSED(f);
	/* One interrupt per exit: another pending one is taken right after the return. */
	vgic_irq(arm64_this_cpu());
}

/* Implements: REQ-IRQ-008~2 */
void arm64_guest_fiq(struct guest_frame *f)
{
	UNUSED(f);
#if BH_GIC_VERSION == 3
	/* Only a direct-delivery cpu gets FIQs: its kick. */
	vgic_fiq(arm64_this_cpu());
#else
	/* GICv2 without Security Extensions signals every interrupt as IRQ: no FIQ comes. */
#endif
}

/* Implements: REQ-FSF-003 */
void arm64_guest_serror(struct guest_frame *f)
{
	UNUSED(f);
	guest_fault(arm64_this_cpu(), BH_FAULT_SERROR, read_sysreg(esr_el2), false, 0u);
}

/* Implements: REQ-FSF-001 */
NORETURN void arm64_hyp_fault(uint64_t kind)
{
	panic("exception at EL2 (vector %lu): ESR 0x%lx ELR 0x%lx FAR 0x%lx", kind,
	      read_sysreg(esr_el2), read_sysreg(elr_el2), read_sysreg(far_el2));
}
