/* SPDX-License-Identifier: MIT */
/*
 * DMA isolation with the AMD IOMMU (AMD-Vi), where the board describes one
 * (cfg_system.arch.iommu; docs/traps.md, "PCI configuration space"). It is
 * set up when the first partition with an assigned PCI function starts and
 * stays on: every requester of bus 0, the board's only bus, has a device
 * table entry, valid with translation and neither read nor write
 * permission, so its DMA is refused; an assigned function's entry
 * translates its bus addresses, which are its partition's guest-physical
 * addresses, through I/O page tables built here from the partition's RAM
 * regions (2 MiB pages; read always, write where the partition may write).
 * No command is ever needed: the tables are complete before the IOMMU is
 * enabled and never change. A refused DMA is not reported: the event log is
 * not set up, because QEMU 7.2's AMD IOMMU never writes one (its
 * amdvi_test_mask() ORs where it should AND, so every event looks like an
 * overflow), and code no test can reach would be unverified; the transfer
 * simply does not happen (docs/traps.md).
 */
#include "cfg.h"
#include "log.h"
#include "partition.h"
#include "x86.h"

#define MMIO_DEVTAB 0x0000u
#define MMIO_CONTROL 0x0018u
#define CONTROL_ENABLE 0x1ULL

#define DEVTAB_ENTRIES 256u           /* bus 0 */
#define DEVTAB_SIZE_CODE 1u           /* (1 + 1) x 4 KiB */
#define DTE_VALID 0x1ULL
#define DTE_TRANSLATION 0x2ULL
#define DTE_MODE_3 (3ULL << 9)        /* three levels: 512 GiB of bus addresses */
#define DTE_READ (1ULL << 61)
#define DTE_WRITE (1ULL << 62)
#define PTE_PRESENT 0x1ULL
#define PTE_NEXT_2 (2ULL << 9)        /* a level-2 table below */
#define PTE_READ (1ULL << 61)
#define PTE_WRITE (1ULL << 62)
#define PTE_ADDR 0x000ffffffffff000ULL
#define TWO_MIB 0x200000ULL
#define ONE_GIB 0x40000000ULL

/* One I/O page-table tree per partition, a level-3 root and one level-2 table per GiB it uses. */
#define IOPT_L2_TABLES 4u

struct iopt {
	uint64_t root[512];
	uint64_t l2[IOPT_L2_TABLES][512];
};

static uint64_t devtab[DEVTAB_ENTRIES][4] __attribute__((aligned(4096), section(".noload.amdvi")));
static bool enabled;

/*
 * One 8-byte store to a register of the IOMMU: a 64-bit register written
 * in halves may be taken half-written (QEMU takes the device table's base
 * only from an 8-byte write), so the store is the instruction itself.
 */
static void iommu_write(uint32_t offset, uint64_t v)
{
	uint64_t address = cfg_system.arch.iommu.base + offset;
	uint64_t value = v;

	__asm__ volatile("movq %0, (%1)" : : "r"(value), "r"(address) : "memory");
}

/* Implements: REQ-DEV-004 */
static void enable(void)
{
	for (uint32_t i = 0u; i < DEVTAB_ENTRIES; i++) {
		if (devtab[i][0] == 0u) {   /* not an assigned function's: no permission, its DMA is refused */
			devtab[i][0] = DTE_VALID | DTE_TRANSLATION | DTE_MODE_3;
		}
	}
	iommu_write(MMIO_DEVTAB, pa_from_ptr(devtab).pa | DEVTAB_SIZE_CODE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	iommu_write(MMIO_CONTROL, CONTROL_ENABLE);
	enabled = true;
}

/*
 * The partition's RAM as 2 MiB pages at its guest-physical addresses; a
 * region that is not 2 MiB aligned on both sides, or beyond the tables'
 * reach, refuses the boot (the description would have to change).
 */
/* Implements: REQ-DEV-004 */
static uint64_t build_tables(const struct partition *p)
{
	static struct iopt iopts[BH_NUM_PARTITIONS] __attribute__((aligned(4096), section(".noload.amdvi")));
	struct iopt *t = &iopts[p->id];

	for (uint32_t i = 0u; i < p->cfg->n_regions; i++) {
		const struct cfg_region *r = &p->cfg->regions[i];
		uint64_t leaf = PTE_PRESENT | PTE_READ;

		if ((r->access & CFG_ACCESS_W) != 0u) {
			leaf |= PTE_WRITE;
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

			t->root[gib] = PTE_PRESENT | PTE_NEXT_2 | PTE_READ | PTE_WRITE | pa_from_ptr(t->l2[gib]).pa;
			t->l2[gib][(bus % ONE_GIB) / TWO_MIB] = leaf | ((r->pa + off) & PTE_ADDR);   /* next level 0: a 2 MiB page */
		}
	}
	return pa_from_ptr(t->root).pa;
}

bool x86_iommu_active(void)
{
	return enabled;
}

/* Implements: REQ-DEV-004 */
void x86_iommu_assign(struct partition *p, uint32_t bdf)
{
	if (cfg_system.arch.iommu.size == 0u) {
		return;   /* no IOMMU: pci.c denies bus mastering instead */
	}
	if (bdf < DEVTAB_ENTRIES) {
		uint64_t root = build_tables(p);

		devtab[bdf][1] = (uint64_t)p->id + 1U;   /* its domain */
		devtab[bdf][0] = DTE_VALID | DTE_TRANSLATION | DTE_MODE_3 | DTE_READ | DTE_WRITE | (root & PTE_ADDR);
		if (!enabled) {
			enable();
		}
	} else {
		panic("PCI %x:%x.%x: the IOMMU's device table covers bus 0 only", bdf >> 8, (bdf >> 3) & 0x1fu, bdf & 7u);
	}
}
