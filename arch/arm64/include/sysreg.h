/* SPDX-License-Identifier: MIT */
/*
 * AArch64 system register access and the EL2 register bits Bulkhead uses.
 */
#ifndef ARM64_SYSREG_H
#define ARM64_SYSREG_H

#include <stdbool.h>
#include <stdint.h>

#define read_sysreg(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
/* The value is evaluated in C, outside the asm statement, so that analysers
 * (which do not look into asm operands) see it used. */
#define write_sysreg(r, v) do { \
		const uint64_t wsr_v_ = (uint64_t)(v); \
		__asm__ volatile("msr " #r ", %0" : : "r"(wsr_v_) : "memory"); \
	} while (false)

/* Implements: infrastructure */
static inline void isb(void) { __asm__ volatile("isb" : : : "memory"); }
/* Implements: infrastructure */
static inline void dsb_sy(void) { __asm__ volatile("dsb sy" : : : "memory"); }
/* Implements: infrastructure */
static inline void dsb_ish(void) { __asm__ volatile("dsb ish" : : : "memory"); }
/* Implements: infrastructure */
static inline void dsb_ishst(void) { __asm__ volatile("dsb ishst" : : : "memory"); }
/* Implements: infrastructure */
static inline void wfi(void) { __asm__ volatile("wfi" : : : "memory"); }

/* HCR_EL2 */
#define HCR_VM    (1UL << 0)   /* stage-2 translation */
#define HCR_SWIO  (1UL << 1)   /* DC ISW acts as DC CISW */
#define HCR_FMO   (1UL << 3)   /* physical FIQ to EL2, virtual FIQ to the guest */
#define HCR_IMO   (1UL << 4)   /* physical IRQ to EL2, virtual IRQ to the guest */
#define HCR_AMO   (1UL << 5)   /* SError to EL2 */
#define HCR_TSC   (1UL << 19)  /* trap SMC */
#define HCR_TID3  (1UL << 18)  /* trap ID group 3 (feature registers) */
#define HCR_TIDCP (1UL << 20)  /* trap implementation-defined registers */
#define HCR_TACR  (1UL << 21)  /* trap ACTLR_EL1 */
#define HCR_TSW   (1UL << 22)  /* trap data cache set/way maintenance */
#define HCR_RW    (1UL << 31)  /* EL1 is AArch64 */
#define HCR_TLOR  (1UL << 35)  /* trap LORegion registers */
#define HCR_APK   (1UL << 40)  /* pointer-auth key registers not trapped */
#define HCR_API   (1UL << 41)  /* pointer-auth instructions not trapped */

/* SCTLR_EL1 architectural reset value for a guest: MMU and caches off, RES1 bits set. */
#define SCTLR_EL1_RESET 0x30d00800UL

/* CPTR_EL2 (non-VHE) */
#define CPTR_EL2_RES1 ((1UL << 13) | (1UL << 12) | 0xffUL | (1UL << 9))
#define CPTR_TZ   (1UL << 8)   /* trap SVE */
#define CPTR_TTA  (1UL << 20)  /* trap trace registers */
#define CPTR_TAM  (1UL << 30)  /* trap activity monitors */

/* MDCR_EL2 */
#define MDCR_TPMCR (1UL << 5)
#define MDCR_TPM   (1UL << 6)
#define MDCR_TTRF  (1UL << 19)
#define MDCR_TPMS  (1UL << 14)

/* CNTHCTL_EL2 (non-VHE) */
#define CNTHCTL_EL1PCTEN (1UL << 0)
#define CNTHCTL_EL1PCEN  (1UL << 1)

/* ESR_ELx */
#define ESR_EC_SHIFT 26
#define ESR_EC(esr) (((esr) >> ESR_EC_SHIFT) & 0x3fu)
#define ESR_IL (1UL << 25)
#define ESR_ISS(esr) ((esr) & 0x1ffffffUL)

#define EC_HVC64       0x16u
#define EC_SMC64       0x17u
#define EC_SYSREG      0x18u
#define EC_IABT_LOW    0x20u
#define EC_DABT_LOW    0x24u
#define EC_MAX         0x3fu

/* ESR_EL2.ISS of a trapped system register access (EC 0x18), without Rt and direction. */
#define SYSREG_ISS(op0, op1, crn, crm, op2) \
	(((uint32_t)(op0) << 20) | ((uint32_t)(op2) << 17) | ((uint32_t)(op1) << 14) | \
	 ((uint32_t)(crn) << 10) | ((uint32_t)(crm) << 1))
#define SYSREG_ISS_MASK SYSREG_ISS(3, 7, 15, 15, 7)

/* Data/instruction abort ISS */
#define ISS_DABT_ISV (1UL << 24)
#define ISS_DABT_SAS_SHIFT 22
#define ISS_DABT_SSE (1UL << 21)
#define ISS_DABT_SRT_SHIFT 16
#define ISS_DABT_SF (1UL << 15)
#define ISS_DABT_WNR (1UL << 6)
#define ISS_DABT_S1PTW (1UL << 7)
#define ISS_FSC(iss) ((iss) & 0x3fu)

#endif /* ARM64_SYSREG_H */
