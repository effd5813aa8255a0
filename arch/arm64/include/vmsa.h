/* SPDX-License-Identifier: MIT */
/*
 * VMSAv8-64 translation tables as the hypervisor uses them: 4 KiB granule,
 * 39-bit input addresses, lookup from level 1, for its own EL2 stage-1 map
 * (TCR_EL2.T0SZ = 25) and every partition's stage 2 (VTCR_EL2.T0SZ = 25,
 * SL0 = 1). Both are vmsa_format for core's table builder (pgtable.h); only
 * the leaf attributes differ.
 */
#ifndef ARM64_VMSA_H
#define ARM64_VMSA_H

#include "pgtable.h"

#define PTE_VALID      (1UL << 0)
#define PTE_AF         (1UL << 10)
#define PTE_SH_INNER   (3UL << 8)

/* Stage-1 (EL2) leaf attributes */
#define PTE_S1_ATTR(idx) ((uint64_t)(idx) << 2)   /* index into MAIR_EL2 */
#define PTE_S1_AP_RO   (1UL << 7)
#define PTE_S1_AP1     (1UL << 6)                 /* RES1 in the EL2 regime */
#define PTE_S1_XN      (1UL << 54)

/* Stage-2 leaf attributes */
#define PTE_S2_MEMATTR_NORMAL_WB (0xfUL << 2)
#define PTE_S2_MEMATTR_DEVICE    (0x1UL << 2)     /* Device-nGnRE */
#define PTE_S2_AP_R    (1UL << 6)
#define PTE_S2_AP_W    (1UL << 7)
#define PTE_S2_XN      (1UL << 54)

/** The descriptor format of the EL2 map and of stage 2. */
extern const struct pt_format vmsa_format;

/** pt_build() (pgtable_build.h) compiled for vmsa_format: what the EL2 map and stage 2 use. */
int vmsa_map(struct pt_pool *pool, pte_t *root, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs);

#endif /* ARM64_VMSA_H */
