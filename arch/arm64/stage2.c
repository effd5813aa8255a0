/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 translation: one address space per partition, 39-bit IPA. The
 * tables are computed by the build (tools/el2map/s2map.c runs
 * stage2_build.c on the host; scripts/vmsa_walk.py checks them against the
 * isolation report) and are part of the image: a partition's first load
 * only installs its root. Only the fence changes them afterwards (the root
 * entries' valid bits, with the TLB maintenance that goes with it).
 */
#include <generated/autoconf.h>
#include "arch.h"
#include "arm64.h"
#include "cfg.h"
#include "partition.h"
#include "vmsa.h"
#include "sysreg.h"
#ifdef CONFIG_FAULT_INJECTION
#include "fault_inject.h"
#include "log.h"
#endif

#ifndef BH_NUM_PARTITIONS
#error "BH_NUM_PARTITIONS comes from gen/system.mk"
#endif

/*
 * Each partition's root table, its index the partition's: the first pages of
 * .data, right after the rest of the tables at the end of .rodata
 * (gen/s2_tables.S). Writable because the fence clears and sets their valid
 * bits; the tables below them are read-only to the hypervisor too.
 */
extern pte_t s2_roots[BH_NUM_PARTITIONS][PT_ENTRIES];

/* Implements: REQ-MEM-001, REQ-MEM-005, REQ-BLD-033 */
int arch_s2_build(struct partition *p)
{
#ifdef CONFIG_FAULT_INJECTION
	if (fault_inject_fires(BH_FAULT_S2_TABLE_ALLOC)) {
		log_warning("fault injection: partition '%s': its stage-2 tables taken as missing", p->cfg->name);
		return -1;
	}
#endif
	if (p->id >= (uint32_t)BH_NUM_PARTITIONS) {
		return -1;   /* no table of the build's is this partition's */
	}
	p->arch.s2_root = s2_roots[p->id];
	return 0;
}

/* Implements: REQ-TRP-002 */
void arch_s2_fence(struct partition *p)
{
	pte_t *root = p->arch.s2_root;
	uint64_t own = read_sysreg(vttbr_el2);

	if (root == NULL) {
		return;   /* never mapped: nothing of it can run */
	}
	/* Every translation starts at the root: with its entries invalid, the
	 * next walk of any vCPU of the partition faults to EL2. The other bits
	 * stay for arch_s2_unfence(). */
	for (uint32_t i = 0u; i < PT_ENTRIES; i++) {
		root[i] &= ~PTE_VALID;
	}
	dsb_ish();
	/* TLBI VMALLS12E1IS acts on the VMID in VTTBR_EL2: the partition's, from
	 * whichever cpu fences (EL2's own accesses do not use VTTBR_EL2). */
	write_sysreg(vttbr_el2, arm64_vttbr(p));
	isb();
	__asm__ volatile("tlbi vmalls12e1is\n\tdsb ish" : : : "memory");
	write_sysreg(vttbr_el2, own);
	isb();
}

/* Implements: REQ-TRP-002 */
void arch_s2_unfence(struct partition *p)
{
	pte_t *root = p->arch.s2_root;

	/* Invalid entries are never held in a TLB: making them valid needs no TLBI. */
	for (uint32_t i = 0u; (root != NULL) && (i < PT_ENTRIES); i++) {
		if (root[i] != 0u) {
			root[i] |= PTE_VALID;
		}
	}
	dsb_ishst();
}

/* Implements: REQ-MEM-001 */
uint64_t arm64_vttbr(const struct partition *p)
{
	/* VMID 0 is never used, so a guest never shares TLB entries with "no guest". */
	uint32_t vmid = p->id + 1u;

	return ((uint64_t)vmid << 48) | pt_table_addr(p->arch.s2_root);
}

/* Implements: REQ-MEM-001 */
uint64_t arm64_vtcr(void)
{
	uint64_t parange = read_sysreg(id_aa64mmfr0_el1) & 0xfu;

	if (parange > 5u) {
		parange = 5u;
	}
	/* RES1 bit 31, PS, 4 KiB granule, inner shareable, write-back walks,
	 * start at level 1 (SL0 = 1), T0SZ = 25 (39-bit IPA). */
	return (1UL << 31) | (parange << 16) | (3UL << 12) | (1UL << 10) | (1UL << 8) | (1UL << 6) | 25u;
}
