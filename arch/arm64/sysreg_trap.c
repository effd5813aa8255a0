/* SPDX-License-Identifier: MIT */
/*
 * Emulation of the system registers and instructions HCR_EL2/MDCR_EL2/
 * CPTR_EL2 trap (docs/traps.md says why each is trapped):
 *   - ID registers read the real value with what partitions cannot use
 *     hidden (SVE, SME, MTE, MPAM, AMU, PMU, SPE, trace, LORegions);
 *   - ACTLR_EL1 reads as zero and ignores writes;
 *   - data cache set/way operations become a clean and invalidate, by
 *     address, of the partition's own memory, once per sweep;
 *   - everything else (implementation-defined registers, PMU, trace,
 *     LORegions, writes to ID registers) is undefined for the guest, as on
 *     a cpu without the feature.
 */
#include "arm64.h"
#include "cpu.h"
#include "incident.h"
#include "partition.h"
#include "sysreg.h"
#include "vgic.h"

#define SR SYSREG_ISS
#define SR_MASK SYSREG_ISS_MASK
#define SR_READ 1u

#define SR_ACTLR_EL1 SR(3, 0, 1, 0, 1)
#define SR_DC_ISW    SR(1, 0, 7, 6, 2)
#define SR_DC_CSW    SR(1, 0, 7, 10, 2)
#define SR_DC_CISW   SR(1, 0, 7, 14, 2)

/* The ID register space's switch key: CRm and op2. */
#define ID_REG(crm, op2) (((crm) << 3) | (op2))

/* Implements: REQ-TRP-005 */
static uint64_t field_clear(uint64_t v, unsigned shift)
{
	return v & ~(0xfUL << shift);
}

/*
 * `v` with each field in `fields` (its lowest "present" value) set in test
 * builds: with CONFIG_TEST_ID_FEATURES every field hidden below reads present
 * first, so the tests see the hiding itself on a CPU that lacks the features.
 * Implements: REQ-TRP-005
 */
static uint64_t test_present(uint64_t v, uint64_t fields)
{
#ifdef CONFIG_TEST_ID_FEATURES
	return v | fields;
#else
	(void)fields;
	return v;
#endif
}

#define FIELD_ONE(shift) (1UL << (shift))

/* The ID register space (op0 3, op1 0, CRn 0, CRm 1..7). Unallocated encodings read as zero. */
/* Implements: REQ-TRP-005 */
static uint64_t id_register(uint32_t crm, uint32_t op2)
{
	switch (ID_REG(crm, op2)) {
	case ID_REG(1u, 0u): return read_sysreg(s3_0_c0_c1_0);                  /* ID_PFR0 */
	case ID_REG(1u, 1u): return read_sysreg(s3_0_c0_c1_1);                  /* ID_PFR1 */
	case ID_REG(1u, 2u): return field_clear(test_present(read_sysreg(s3_0_c0_c1_2), FIELD_ONE(24)), 24); /* ID_DFR0: PerfMon */
	case ID_REG(1u, 3u): return read_sysreg(s3_0_c0_c1_3);                  /* ID_AFR0 */
	case ID_REG(1u, 4u): return read_sysreg(s3_0_c0_c1_4);                  /* ID_MMFR0 */
	case ID_REG(1u, 5u): return read_sysreg(s3_0_c0_c1_5);                  /* ID_MMFR1 */
	case ID_REG(1u, 6u): return read_sysreg(s3_0_c0_c1_6);                  /* ID_MMFR2 */
	case ID_REG(1u, 7u): return read_sysreg(s3_0_c0_c1_7);                  /* ID_MMFR3 */
	case ID_REG(2u, 0u): return read_sysreg(s3_0_c0_c2_0);                  /* ID_ISAR0 */
	case ID_REG(2u, 1u): return read_sysreg(s3_0_c0_c2_1);                  /* ID_ISAR1 */
	case ID_REG(2u, 2u): return read_sysreg(s3_0_c0_c2_2);                  /* ID_ISAR2 */
	case ID_REG(2u, 3u): return read_sysreg(s3_0_c0_c2_3);                  /* ID_ISAR3 */
	case ID_REG(2u, 4u): return read_sysreg(s3_0_c0_c2_4);                  /* ID_ISAR4 */
	case ID_REG(2u, 5u): return read_sysreg(s3_0_c0_c2_5);                  /* ID_ISAR5 */
	case ID_REG(2u, 6u): return read_sysreg(s3_0_c0_c2_6);                  /* ID_MMFR4 */
	case ID_REG(3u, 0u): return read_sysreg(s3_0_c0_c3_0);                  /* MVFR0 */
	case ID_REG(3u, 1u): return read_sysreg(s3_0_c0_c3_1);                  /* MVFR1 */
	case ID_REG(3u, 2u): return read_sysreg(s3_0_c0_c3_2);                  /* MVFR2 */
	case ID_REG(4u, 0u): {                                                  /* ID_AA64PFR0 */
		uint64_t v = test_present(read_sysreg(s3_0_c0_c4_0), FIELD_ONE(32) | FIELD_ONE(40) | FIELD_ONE(44));
		v = field_clear(v, 32);   /* SVE */
		v = field_clear(v, 40);   /* MPAM */
		return field_clear(v, 44); /* AMU */
	}
	case ID_REG(4u, 1u): {                                                  /* ID_AA64PFR1 */
		uint64_t v = test_present(read_sysreg(s3_0_c0_c4_1), FIELD_ONE(8) | FIELD_ONE(16) | FIELD_ONE(24));
		v = field_clear(v, 8);    /* MTE */
		v = field_clear(v, 16);   /* MPAM_frac */
		return field_clear(v, 24); /* SME */
	}
	case ID_REG(5u, 0u): {                                                  /* ID_AA64DFR0 */
		uint64_t v = test_present(read_sysreg(s3_0_c0_c5_0), FIELD_ONE(4) | FIELD_ONE(8) | FIELD_ONE(32) |
					  FIELD_ONE(40) | FIELD_ONE(44));
		v = field_clear(v, 4);    /* TraceVer */
		v = field_clear(v, 8);    /* PMUVer */
		v = field_clear(v, 32);   /* PMSVer (SPE) */
		v = field_clear(v, 40);   /* TraceFilt */
		return field_clear(v, 44); /* TraceBuffer */
	}
	case ID_REG(5u, 1u): return read_sysreg(s3_0_c0_c5_1);                  /* ID_AA64DFR1 */
	case ID_REG(5u, 4u): return read_sysreg(s3_0_c0_c5_4);                  /* ID_AA64AFR0 */
	case ID_REG(5u, 5u): return read_sysreg(s3_0_c0_c5_5);                  /* ID_AA64AFR1 */
	case ID_REG(6u, 0u): return read_sysreg(s3_0_c0_c6_0);                  /* ID_AA64ISAR0 */
	case ID_REG(6u, 1u): return read_sysreg(s3_0_c0_c6_1);                  /* ID_AA64ISAR1 */
	case ID_REG(7u, 0u): return read_sysreg(s3_0_c0_c7_0);                  /* ID_AA64MMFR0 */
	case ID_REG(7u, 1u): return field_clear(test_present(read_sysreg(s3_0_c0_c7_1), FIELD_ONE(16)), 16); /* ID_AA64MMFR1: LO */
	case ID_REG(7u, 2u): return read_sysreg(s3_0_c0_c7_2);                  /* ID_AA64MMFR2 */
	default: return 0u;
	}
}

/* Set/way operations would clean other partitions' lines too; instead the
 * partition's own memory is cleaned and invalidated by address, once per
 * sweep: on the operation for set 0, way 0 of each level. */
/* Implements: REQ-TRP-006 */
static void set_way(const struct cpu *cpu, uint64_t operand)
{
	const struct cfg_partition *p = cpu->partition->cfg;

	if ((operand & ~0xeUL) != 0u) {
		return;
	}
	for (uint32_t i = 0u; i < p->n_regions; i++) {
		if (p->regions[i].kind == (uint8_t)CFG_REGION_RAM) {
			arm64_clean_inval_range(p->regions[i].pa, p->regions[i].size);
		}
	}
}

/* A register or instruction the partition may not use: undefined, as on a cpu without it;
 * the incident counted and logged with the encoding the guest used. */
/* Implements: REQ-TRP-004, REQ-TRP-009 */
static void refuse_register(const struct cpu *cpu, struct guest_frame *f, uint32_t iss)
{
	uint32_t op0 = (iss >> 20) & 3u;
	const char *insn = ((iss & SR_READ) != 0u) ? "MRS" : "MSR";

	if (op0 == 1u) {
		insn = "SYS";
	}
	incident_log(cpu, BH_INCIDENT_REGISTER, "%s S%u_%u_C%u_C%u_%u undefined, PC 0x%lx", insn, op0,
		     (iss >> 14) & 7u, (iss >> 10) & 0xfu, (iss >> 1) & 0xfu, (iss >> 17) & 7u, read_sysreg(elr_el2));
	arm64_inject_undef(f);
}

/* Implements: REQ-TRP-007, REQ-TRP-004, REQ-TRP-006 */
static __attribute__((noinline)) void sysreg_other(struct cpu *cpu, struct guest_frame *f, uint64_t esr)
{
	uint32_t iss = (uint32_t)ESR_ISS(esr);
	uint32_t reg = iss & SR_MASK;
	bool read = (iss & SR_READ) != 0u;
	uint32_t rt = (iss >> 5) & 0x1fu;
	uint64_t value = (rt == 31u) ? 0u : f->x[rt];
	bool id_space = (reg & SR(3, 7, 15, 0, 0)) == SR(3, 0, 0, 0, 0);
	uint32_t crm = (iss >> 1) & 0xfu;

	if (id_space && (crm >= 1u) && read) {
		value = id_register(crm, (iss >> 17) & 0x7u);
	} else if (reg == SR_ACTLR_EL1) {
		value = 0u;
	} else if ((reg == SR_DC_ISW) || (reg == SR_DC_CSW) || (reg == SR_DC_CISW)) {
		set_way(cpu, value);
#if BH_GIC_VERSION == 3
	} else if (vgic_sysreg(cpu, reg, read, &value)) {
		/* GIC CPU interface: SGIs, and the shared registers on direct-delivery cpus. */
#endif
	} else {
		refuse_register(cpu, f, iss);
		return;
	}
	if (read && (rt != 31u)) {
		f->x[rt] = value;
	}
	arm64_guest_skip(esr);
}

/* Implements: REQ-TRP-004 */
void arm64_sysreg_trap(struct cpu *cpu, struct guest_frame *f, uint64_t esr)
{
#if BH_GIC_VERSION == 3
	/* SGIs are the only frequent trap here: handled first, without the rest. */
	if ((ESR_ISS(esr) & (SR_MASK | SR_READ)) == SR(3, 0, 12, 11, 5)) {   /* ICC_SGI1R_EL1 */
		uint32_t rt = ((uint32_t)esr >> 5) & 0x1fu;
		uint64_t value = (rt == 31u) ? 0u : f->x[rt];

		/* Stepped over first, so that the send is a tail call (no frame
		 * here): nothing vgic_sgi1r does reads ELR_EL2. EC_SYSREG is taken
		 * from AArch64 state only, where an MSR is 4 bytes (IL is 1). */
		write_sysreg(elr_el2, read_sysreg(elr_el2) + 4u);
		vgic_sgi1r(cpu, value);
		return;
	}
#endif
	sysreg_other(cpu, f, esr);
}
