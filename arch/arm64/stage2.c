/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 translation: one address space per partition, 39-bit IPA, tables
 * from a pool exactly as large as bhcc counted for the system description
 * (with this same builder). Tables are built once; only the fence changes
 * them afterwards (its valid bits, with the TLB maintenance that goes with
 * it).
 */
#include <generated/autoconf.h>
#include "arch.h"
#include "arm64.h"
#include "cfg.h"
#include "partition.h"
#include "vmsa.h"
#include "spinlock.h"
#include "sysreg.h"
#ifdef CONFIG_FAULT_INJECTION
#include "fault_inject.h"
#include "log.h"
#endif

#ifndef BH_S2_POOL_PAGES
#error "BH_S2_POOL_PAGES comes from gen/system.mk (bhcc counts the stage-2 tables)"
#endif
#define S2_POOL_PAGES ((uint32_t)BH_S2_POOL_PAGES)

static pte_t s2_pages[S2_POOL_PAGES][PT_ENTRIES]
	__attribute__((aligned(4096), section(".noload.s2_pool")));
static struct pt_pool s2_pool = { s2_pages, S2_POOL_PAGES, 0u };
static struct spinlock s2_lock = SPINLOCK_INIT;

/* Implements: REQ-MEM-001, REQ-MEM-005 */
int arch_s2_init(struct partition *p)
{
	spin_lock(&s2_lock);
	p->arch.s2_root = pt_alloc(&s2_pool);
	spin_unlock(&s2_lock);
	return (p->arch.s2_root != NULL) ? 0 : -1;
}

/* Implements: REQ-MEM-002, REQ-MEM-003, REQ-MEM-005, REQ-MEM-010 */
int arch_s2_map(struct partition *p, ipaddr_t ipa, paddr_t pa, uint64_t size, uint8_t access, bool device)
{
	uint64_t attrs = PTE_AF;
	int ret;

	if (device) {
		attrs |= PTE_S2_MEMATTR_DEVICE | PTE_S2_XN;
	} else {
		attrs |= PTE_S2_MEMATTR_NORMAL_WB | PTE_SH_INNER;
		if ((access & CFG_ACCESS_X) == 0u) {
			attrs |= PTE_S2_XN;
		}
	}
	if ((access & CFG_ACCESS_R) != 0u) {
		attrs |= PTE_S2_AP_R;
	}
	if ((access & CFG_ACCESS_W) != 0u) {
		attrs |= PTE_S2_AP_W;
	}
	spin_lock(&s2_lock);
#ifdef CONFIG_FAULT_INJECTION
	if (fault_inject_fires(BH_FAULT_S2_TABLE_ALLOC)) {
		log_warning("fault injection: partition '%s': every stage-2 table page taken", p->cfg->name);
		s2_pool.used = s2_pool.n_pages;   /* the builder must fail */
	}
#endif
	ret = vmsa_map(&s2_pool, p->arch.s2_root, ipa_addr(ipa), pa_addr(pa), size, attrs);
	spin_unlock(&s2_lock);
	/* Table walks are coherent (VTCR: inner shareable, write-back). */
	dsb_ishst();
	return ret;
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
