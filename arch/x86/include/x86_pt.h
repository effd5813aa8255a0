/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 four-level page-table format, used for the hypervisor's own
 * map and for each partition's nested page tables (AMD NPT walks the same
 * format; Intel EPT the same shape with its own entry bits): core's table builder (pgtable_build.h) instantiated for it in
 * x86_pt.c. Pure C, so the host unit tests link it unchanged.
 */
#ifndef X86_PT_H
#define X86_PT_H

#include "pgtable.h"

#define X86_PTE_P    (1ULL << 0)
#define X86_PTE_W    (1ULL << 1)
#define X86_PTE_U    (1ULL << 2)    /* NPT: every level must have it (guest accesses are user accesses) */
#define X86_PTE_PWT  (1ULL << 3)
#define X86_PTE_PCD  (1ULL << 4)
#define X86_PTE_PS   (1ULL << 7)    /* a 2 MiB or 1 GiB block at levels 2 and 1 */
#define X86_PTE_G    (1ULL << 8)
#define X86_PTE_NX   (1ULL << 63)
#define X86_PTE_ADDR 0x000ffffffffff000ULL

/* Intel EPT entries: the same four-level shape, with read/write/execute in
 * bits 0-2 (R where x86 has P) and a memory type in a leaf's bits 3-5. */
#define X86_EPT_R     (1ULL << 0)
#define X86_EPT_W     (1ULL << 1)
#define X86_EPT_X     (1ULL << 2)
#define X86_EPT_RWX   (X86_EPT_R | X86_EPT_W | X86_EPT_X)
#define X86_EPT_MT_UC 0ULL   /* memory type 0 in bits 5:3 */
#define X86_EPT_MT_WB (6ULL << 3)

/**
 * Maps [va, va + size) to [pa, pa + size) under PML4 `root` with leaf
 * attributes `attrs` (X86_PTE_* with X86_PTE_P), 2 MiB blocks wherever both
 * addresses and the size allow (1 GiB ones too when `gib_pages`);
 * intermediate entries carry `table_bits`. PT_OK or a PT_ERR_ code.
 */
int x86_pt_map(struct pt_pool *pool, pte_t *root, uint64_t va, uint64_t pa, uint64_t size,
	       uint64_t attrs, uint64_t table_bits, bool gib_pages);

/**
 * The nested page-table leaf attributes of a region with CFG_ACCESS_* rights
 * `access`: present, user (as NPT requires), writable only with W, never
 * executable without X or for a device, uncached for a device. Read is
 * implied: x86 has no write-only or execute-only page (npt.c refuses a
 * region without R).
 */
uint64_t x86_npt_attrs(uint8_t access, bool device);

/**
 * The EPT leaf attributes of the same region: readable, writable only with
 * W, executable only with X and never for a device, write-back memory or
 * uncached for a device.
 */
uint64_t x86_ept_attrs(uint8_t access, bool device);

#endif /* X86_PT_H */
