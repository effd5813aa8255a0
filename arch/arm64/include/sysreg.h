/*
 * AArch64 system register access and the EL2 register bits Bulkhead uses.
 */
#ifndef ARM64_SYSREG_H
#define ARM64_SYSREG_H

#include <stdint.h>

#define read_sysreg(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

static inline void isb(void) { __asm__ volatile("isb" : : : "memory"); }
static inline void dsb_sy(void) { __asm__ volatile("dsb sy" : : : "memory"); }
static inline void dsb_ish(void) { __asm__ volatile("dsb ish" : : : "memory"); }
static inline void dsb_ishst(void) { __asm__ volatile("dsb ishst" : : : "memory"); }
static inline void wfi(void) { __asm__ volatile("wfi" : : : "memory"); }

/* HCR_EL2 */
#define HCR_VM    (1ul << 0)   /* stage-2 translation */
#define HCR_SWIO  (1ul << 1)   /* DC ISW acts as DC CISW */
#define HCR_FMO   (1ul << 3)   /* physical FIQ to EL2, virtual FIQ to the guest */
#define HCR_IMO   (1ul << 4)   /* physical IRQ to EL2, virtual IRQ to the guest */
#define HCR_AMO   (1ul << 5)   /* SError to EL2 */
#define HCR_VI    (1ul << 7)
#define HCR_BSU_IS (1ul << 10) /* barriers upgraded to inner shareable */
#define HCR_TSC   (1ul << 19)  /* trap SMC */
#define HCR_TID3  (1ul << 18)  /* trap ID group 3 (feature registers) */
#define HCR_TIDCP (1ul << 20)  /* trap implementation-defined registers */
#define HCR_TACR  (1ul << 21)  /* trap ACTLR_EL1 */
#define HCR_TSW   (1ul << 22)  /* trap data cache set/way maintenance */
#define HCR_RW    (1ul << 31)  /* EL1 is AArch64 */
#define HCR_TLOR  (1ul << 35)  /* trap LORegion registers */
#define HCR_APK   (1ul << 40)  /* pointer-auth key registers not trapped */
#define HCR_API   (1ul << 41)  /* pointer-auth instructions not trapped */

/* SCTLR_EL2 (non-VHE) */
#define SCTLR_EL2_RES1 ((3ul << 28) | (3ul << 22) | (1ul << 18) | (1ul << 16) | (1ul << 11) | (3ul << 4))
#define SCTLR_M   (1ul << 0)
#define SCTLR_A   (1ul << 1)
#define SCTLR_C   (1ul << 2)
#define SCTLR_SA  (1ul << 3)
#define SCTLR_I   (1ul << 12)
#define SCTLR_WXN (1ul << 19)

/* SCTLR_EL1 architectural reset value for a guest: MMU and caches off, RES1 bits set. */
#define SCTLR_EL1_RESET 0x30d00800ul

/* CPTR_EL2 (non-VHE) */
#define CPTR_EL2_RES1 ((1ul << 13) | (1ul << 12) | 0xfful | (1ul << 9))
#define CPTR_TZ   (1ul << 8)   /* trap SVE */
#define CPTR_TTA  (1ul << 20)  /* trap trace registers */
#define CPTR_TAM  (1ul << 30)  /* trap activity monitors */

/* MDCR_EL2 */
#define MDCR_TPMCR (1ul << 5)
#define MDCR_TPM   (1ul << 6)
#define MDCR_TDOSA (1ul << 10) /* trap OS lock/power-down registers */
#define MDCR_TTRF  (1ul << 19)
#define MDCR_TPMS  (1ul << 14)

/* CNTHCTL_EL2 (non-VHE) */
#define CNTHCTL_EL1PCTEN (1ul << 0)
#define CNTHCTL_EL1PCEN  (1ul << 1)

/* SPSR: AArch64 EL1 with SP_EL1, all of DAIF masked. */
#define SPSR_EL1H_DAIF 0x3c5ul

/* ESR_ELx */
#define ESR_EC_SHIFT 26
#define ESR_EC(esr) (((esr) >> ESR_EC_SHIFT) & 0x3fu)
#define ESR_IL (1ul << 25)
#define ESR_ISS(esr) ((esr) & 0x1fffffful)

#define EC_UNKNOWN     0x00u
#define EC_WFX         0x01u
#define EC_CP15_MCR    0x03u
#define EC_CP15_MCRR   0x04u
#define EC_CP14_MCR    0x05u
#define EC_CP14_LDC    0x06u
#define EC_FP_ASIMD    0x07u
#define EC_CP10_MRC    0x08u
#define EC_PAC         0x09u
#define EC_CP14_MRRC   0x0cu
#define EC_BTI         0x0du
#define EC_ILLEGAL     0x0eu
#define EC_SVC32       0x11u
#define EC_HVC32       0x12u
#define EC_SMC32       0x13u
#define EC_SVC64       0x15u
#define EC_HVC64       0x16u
#define EC_SMC64       0x17u
#define EC_SYSREG      0x18u
#define EC_SVE         0x19u
#define EC_IABT_LOW    0x20u
#define EC_IABT_CUR    0x21u
#define EC_PC_ALIGN    0x22u
#define EC_DABT_LOW    0x24u
#define EC_DABT_CUR    0x25u
#define EC_SP_ALIGN    0x26u
#define EC_FP32        0x28u
#define EC_FP64        0x2cu
#define EC_SERROR      0x2fu
#define EC_BRK         0x3cu
#define EC_MAX         0x3fu

/* ESR_EL2.ISS of a trapped system register access (EC 0x18), without Rt and direction. */
#define SYSREG_ISS(op0, op1, crn, crm, op2) \
	(((uint32_t)(op0) << 20) | ((uint32_t)(op2) << 17) | ((uint32_t)(op1) << 14) | \
	 ((uint32_t)(crn) << 10) | ((uint32_t)(crm) << 1))
#define SYSREG_ISS_MASK SYSREG_ISS(3, 7, 15, 15, 7)

/* Data/instruction abort ISS */
#define ISS_DABT_ISV (1ul << 24)
#define ISS_DABT_SAS_SHIFT 22
#define ISS_DABT_SSE (1ul << 21)
#define ISS_DABT_SRT_SHIFT 16
#define ISS_DABT_SF (1ul << 15)
#define ISS_DABT_WNR (1ul << 6)
#define ISS_DABT_S1PTW (1ul << 7)
#define ISS_FSC(iss) ((iss) & 0x3fu)

#endif /* ARM64_SYSREG_H */
