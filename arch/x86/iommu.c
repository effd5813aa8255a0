/* SPDX-License-Identifier: MIT */
/*
 * The board's IOMMU, as the description names it (cfg_system.arch.iommu_kind,
 * from the compatible of its /board node: bhcc's x86 back end): AMD-Vi
 * (amdvi.c), VT-d (vtd.c) or none, when pci.c denies bus mastering. Both
 * drivers are in every image, so that the analyses of the x86 evidence
 * builds (MISRA, stack, complexity) cover both without an image per
 * IOMMU; the generated description picks one at run time, and the one not
 * picked costs its code and, never touched, its NOLOAD tables' addresses.
 */
#include "cfg.h"
#include "x86.h"

/* Implements: REQ-DEV-004, REQ-DEV-005 */
void x86_iommu_assign(struct partition *p, uint32_t bdf)
{
	switch (cfg_system.arch.iommu_kind) {
	case CFG_X86_IOMMU_AMD:
		amdvi_assign(p, bdf);
		break;
	case CFG_X86_IOMMU_VTD:
		vtd_assign(p, bdf);
		break;
	case CFG_X86_IOMMU_NONE:
	default:
		/* no IOMMU: pci.c denies bus mastering instead */
		break;
	}
}

bool x86_iommu_active(void)
{
	bool active;

	switch (cfg_system.arch.iommu_kind) {
	case CFG_X86_IOMMU_AMD:
		active = amdvi_active();
		break;
	case CFG_X86_IOMMU_VTD:
		active = vtd_active();
		break;
	case CFG_X86_IOMMU_NONE:
	default:
		active = false;
		break;
	}
	return active;
}

/* AMD-Vi records no faults (amdvi.c: QEMU 7.2 never writes its event log). */
/* Implements: REQ-DEV-006 */
void x86_iommu_poll(void)
{
	if (cfg_system.arch.iommu_kind == CFG_X86_IOMMU_VTD) {
		vtd_poll();
	}
}

/*
 * Each access is one instruction of its width: a 64-bit register written in
 * halves may be taken half-written (QEMU takes AMD-Vi's device table base
 * only from an 8-byte write; VT-d's command registers act on the write of
 * their upper half).
 */
uint32_t x86_iommu_read32(uint32_t offset)
{
	uint64_t address = cfg_system.arch.iommu.base + offset;
	uint32_t value;

	__asm__ volatile("movl (%1), %0" : "=r"(value) : "r"(address) : "memory");
	return value;
}

uint64_t x86_iommu_read64(uint32_t offset)
{
	uint64_t address = cfg_system.arch.iommu.base + offset;
	uint64_t value;

	__asm__ volatile("movq (%1), %0" : "=r"(value) : "r"(address) : "memory");
	return value;
}

void x86_iommu_write32(uint32_t offset, uint32_t v)
{
	uint64_t address = cfg_system.arch.iommu.base + offset;
	uint32_t value = v;

	__asm__ volatile("movl %0, (%1)" : : "r"(value), "r"(address) : "memory");
}

void x86_iommu_write64(uint32_t offset, uint64_t v)
{
	uint64_t address = cfg_system.arch.iommu.base + offset;
	uint64_t value = v;

	__asm__ volatile("movq %0, (%1)" : : "r"(value), "r"(address) : "memory");
}
