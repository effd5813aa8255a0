/* SPDX-License-Identifier: MIT */
/*
 * Exception injection: makes the guest take an exception at EL1 exactly as
 * the hardware would have, so a refused operation is the guest's own
 * problem and never the hypervisor's.
 */
#include "arm64.h"
#include "sysreg.h"

#define SPSR_M_MASK   0x1fUL
#define SPSR_M_EL1T   0x04UL
#define SPSR_M_EL1H   0x05UL
#define SPSR_NRW      (1UL << 4)
#define SPSR_PAN      (1UL << 22)
#define SCTLR_SPAN    (1UL << 23)

/* VBAR_EL1 offsets of the synchronous vectors. */
#define VEC_CURRENT_SP0  0x000u
#define VEC_CURRENT_SPX  0x200u
#define VEC_LOWER_A64    0x400u
#define VEC_LOWER_A32    0x600u

/* Implements: REQ-TRP-004 */
void arm64_inject_undef(struct guest_frame *f)
{
	uint64_t from = read_sysreg(spsr_el2);
	uint64_t offset;

	UNUSED(f);

	if ((from & SPSR_NRW) != 0u) {
		offset = VEC_LOWER_A32;
	} else if ((from & SPSR_M_MASK) == SPSR_M_EL1H) {
		offset = VEC_CURRENT_SPX;
	} else if ((from & SPSR_M_MASK) == SPSR_M_EL1T) {
		offset = VEC_CURRENT_SP0;
	} else {
		offset = VEC_LOWER_A64;
	}
	/* EC 0x00 (unknown reason), a 32-bit instruction, ISS 0. */
	write_sysreg(esr_el1, ESR_IL);
	write_sysreg(elr_el1, read_sysreg(elr_el2));
	write_sysreg(spsr_el1, from);

	uint64_t to = (uint64_t)SPSR_EL1H_DAIF;
	/* PSTATE.PAN is set on exception entry unless SCTLR_EL1.SPAN says otherwise. */
	if ((((read_sysreg(id_aa64mmfr1_el1) >> 20) & 0xfu) != 0u) &&
	    ((read_sysreg(sctlr_el1) & SCTLR_SPAN) == 0u)) {
		to |= SPSR_PAN;
	} else {
		to |= from & SPSR_PAN;
	}
	write_sysreg(spsr_el2, to);
	write_sysreg(elr_el2, read_sysreg(vbar_el1) + offset);
}
