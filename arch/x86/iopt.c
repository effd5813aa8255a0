/* SPDX-License-Identifier: MIT */
/*
 * The I/O page tables both IOMMU drivers give an assigned function
 * (amdvi.c, vtd.c): its bus addresses are its partition's guest-physical
 * ones, mapped to the partition's RAM regions from the compiled
 * description, as the nested tables map them, in 2 MiB pages under one
 * root per partition (three levels: 512 GiB of bus addresses, of which the
 * first IOPT_L2_TABLES GiB are used). AMD-Vi and VT-d second-level tables
 * share this radix layout and differ only in the bits an entry carries, so
 * the walk is written once and each driver passes its encoding.
 */
#include "cfg.h"
#include "log.h"
#include "partition.h"
#include "x86.h"

#define TWO_MIB 0x200000ULL
#define ONE_GIB 0x40000000ULL
#define IOPT_ADDR 0x000ffffffffff000ULL

/* A level-3 root and one level-2 table per GiB a partition's RAM uses. */
#define IOPT_L2_TABLES 4u

struct iopt {
	uint64_t root[512];
	uint64_t l2[IOPT_L2_TABLES][512];
};

/*
 * A region that is not 2 MiB aligned on both sides, or beyond the tables'
 * reach, refuses the boot (the description would have to change).
 */
/* Implements: REQ-DEV-004, REQ-DEV-005 */
uint64_t x86_iopt_build(const struct partition *p, const struct x86_iopt_format *f)
{
	static struct iopt iopts[BH_NUM_PARTITIONS] __attribute__((aligned(4096), section(".noload.iopt")));
	struct iopt *t = &iopts[p->id];

	for (uint32_t i = 0u; i < p->cfg->n_regions; i++) {
		const struct cfg_region *r = &p->cfg->regions[i];
		uint64_t leaf = f->leaf;

		if ((r->access & CFG_ACCESS_W) != 0u) {
			leaf |= f->write;
		}
		if (r->kind == (uint8_t)CFG_REGION_DEVICE) {
			continue;   /* device to device: not through the IOMMU */
		}
		if ((((r->ipa | r->pa | r->size) & (TWO_MIB - 1U)) != 0U) || ((r->ipa + r->size) > ((uint64_t)IOPT_L2_TABLES * ONE_GIB))) {
			panic("partition '%s': RAM 0x%lx+0x%lx is not in 2 MiB pages below %u GiB; the IOMMU's tables for its DMA need them",
			      p->cfg->name, r->ipa, r->size, IOPT_L2_TABLES);
		}
		for (uint64_t off = 0u; off < r->size; off += TWO_MIB) {
			uint64_t bus = r->ipa + off;
			uint64_t gib = bus / ONE_GIB;

			t->root[gib] = f->table | pa_from_ptr(t->l2[gib]).pa;
			t->l2[gib][(bus % ONE_GIB) / TWO_MIB] = leaf | ((r->pa + off) & IOPT_ADDR);
		}
	}
	return pa_from_ptr(t->root).pa;
}
