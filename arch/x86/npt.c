/* SPDX-License-Identifier: MIT */
/*
 * Nested page tables (AMD NPT, Intel EPT): one address space per partition,
 * built once from cfg_system's regions with core's table builder in the
 * x86-64 four-level shape (x86_pt.c) and the vendor's entry bits (vendor.h),
 * 2 MiB pages where alignment allows, from a pool exactly as large as the
 * system description needs (BH_S2_POOL_PAGES).
 */
#include <generated/autoconf.h>
#include "arch.h"
#include "cfg.h"
#include "partition.h"
#include "spinlock.h"
#include "vendor.h"
#include "x86.h"
#include "x86_pt.h"

#ifndef BH_S2_POOL_PAGES
#error "BH_S2_POOL_PAGES comes from gen/system.mk (the nested page tables' pool)"
#endif

static pte_t npt_pages[BH_S2_POOL_PAGES][PT_ENTRIES] __attribute__((aligned(4096), section(".noload.npt_pool")));
static struct pt_pool npt_pool = { npt_pages, BH_S2_POOL_PAGES, 0u };
static struct spinlock npt_lock = SPINLOCK_INIT;

static int npt_map(struct partition *p, const struct cfg_region *r)
{
	bool device = r->kind == (uint8_t)CFG_REGION_DEVICE;
	int ret;

	if ((r->access & CFG_ACCESS_R) == 0u) {
		return PT_ERR_ALIGN;   /* bhcc never emits one: a region x86 cannot express */
	}
	spin_lock(&npt_lock);
	ret = x86_pt_map(&npt_pool, p->arch.npt_root, r->ipa, r->pa, r->size,
			 vendor_npt_leaf(r->access, device), vendor_npt_table_bits(), false);
	spin_unlock(&npt_lock);
	return ret;
}

int arch_s2_build(struct partition *p)
{
	spin_lock(&npt_lock);
	p->arch.npt_root = pt_alloc(&npt_pool);
	spin_unlock(&npt_lock);
	if (p->arch.npt_root == NULL) {
		return -1;
	}
	/* bhcc sized the pool for exactly these mappings. */
	for (uint32_t i = 0u; i < p->cfg->n_regions; i++) {
		if (npt_map(p, &p->cfg->regions[i]) != 0) {
			return -1;
		}
	}
	return 0;
}

/*
 * The root entries lose their present bits: the next walk of any vCPU of
 * the partition faults (a nested page fault exit) into the hypervisor,
 * where its stopped state stops it. x86 has no broadcast flush of another cpu's nested TLB: the cpus of
 * the partition are kicked by the stop that fences (partition.c) and flush
 * the partition's ASID when they run it again (arch_vcpu_enter).
 */
void arch_s2_fence(struct partition *p)
{
	pte_t *root = p->arch.npt_root;
	uint64_t present = vendor_npt_present_bits();

	for (uint32_t i = 0u; (root != NULL) && (i < PT_ENTRIES); i++) {
		__atomic_and_fetch(&root[i], ~present, __ATOMIC_SEQ_CST);
	}
}

void arch_s2_unfence(struct partition *p)
{
	pte_t *root = p->arch.npt_root;
	uint64_t present = vendor_npt_present_bits();

	for (uint32_t i = 0u; (root != NULL) && (i < PT_ENTRIES); i++) {
		if (root[i] != 0u) {
			root[i] |= present;
		}
	}
}
