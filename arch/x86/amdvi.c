/* SPDX-License-Identifier: MIT */
/*
 * DMA isolation with the AMD IOMMU (AMD-Vi), where the board describes one
 * (cfg_system.arch.iommu of kind CFG_X86_IOMMU_AMD, iommu.c; docs/traps.md,
 * "PCI configuration space"). It is
 * set up when the first partition with an assigned PCI function starts and
 * stays on: every requester of bus 0, the board's only bus, has a device
 * table entry, valid with translation and neither read nor write
 * permission, so its DMA is refused; an assigned function's entry
 * translates its bus addresses, which are its partition's guest-physical
 * addresses, through I/O page tables built from the partition's RAM
 * regions (iopt.c: 2 MiB pages; read always, write where the partition may write).
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

static uint64_t devtab[DEVTAB_ENTRIES][4] __attribute__((aligned(4096), section(".noload.amdvi")));
static bool enabled;

/* Implements: REQ-DEV-004 */
static void enable(void)
{
	for (uint32_t i = 0u; i < DEVTAB_ENTRIES; i++) {
		if (devtab[i][0] == 0u) {   /* not an assigned function's: no permission, its DMA is refused */
			devtab[i][0] = DTE_VALID | DTE_TRANSLATION | DTE_MODE_3;
		}
	}
	x86_iommu_write64(MMIO_DEVTAB, pa_from_ptr(devtab).pa | DEVTAB_SIZE_CODE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	x86_iommu_write64(MMIO_CONTROL, CONTROL_ENABLE);
	enabled = true;
}

bool amdvi_active(void)
{
	return enabled;
}

/* Implements: REQ-DEV-004 */
void amdvi_assign(const struct partition *p, uint32_t bdf)
{
	/* iopt.c's tables in AMD-Vi's encoding: a leaf's next level 0 makes it a 2 MiB page. */
	static const struct x86_iopt_format amdvi_format = {
		.table = PTE_PRESENT | PTE_NEXT_2 | PTE_READ | PTE_WRITE,
		.leaf = PTE_PRESENT | PTE_READ,
		.write = PTE_WRITE,
	};

	if (bdf < DEVTAB_ENTRIES) {
		uint64_t root = x86_iopt_build(p, &amdvi_format);

		devtab[bdf][1] = (uint64_t)p->id + 1U;   /* its domain */
		devtab[bdf][0] = DTE_VALID | DTE_TRANSLATION | DTE_MODE_3 | DTE_READ | DTE_WRITE | (root & PTE_ADDR);
		if (!enabled) {
			enable();
		}
	} else {
		panic("PCI %x:%x.%x: the IOMMU's device table covers bus 0 only", bdf >> 8, (bdf >> 3) & 0x1fu, bdf & 7u);
	}
}
