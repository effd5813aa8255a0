/* SPDX-License-Identifier: MIT */
/*
 * The partition's own page tables (crt0.S): an identity map of the low
 * 4 GiB, write-back everywhere. Unlike arm64, x86 memory types come from
 * the MTRRs and the hypervisor's nested tables, not from a device/normal
 * split the partition makes, so memory shared with other partitions is
 * already mapped as its peers map it: rt_mmu_map_normal() only checks that
 * the range is one the map covers.
 */
#include <stdint.h>

#include "bhrt.h"

#define PAGE_SIZE 0x1000UL
#define MAP_LIMIT 0x100000000UL
#define MAIR_NORMAL_WB 0xff

int rt_mmu_map_normal(uint64_t base, uint64_t size)
{
	if (((base | size) & (PAGE_SIZE - 1u)) != 0u) {
		return -1;
	}
	return ((base < MAP_LIMIT) && (size <= (MAP_LIMIT - base))) ? 0 : -1;
}

int rt_mmu_attributes(uint64_t addr)
{
	return (addr < MAP_LIMIT) ? MAIR_NORMAL_WB : -1;
}

uint64_t rt_ram_base(void)
{
	return (uint64_t)(uintptr_t)__ram_start;
}
