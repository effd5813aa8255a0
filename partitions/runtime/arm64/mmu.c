/* SPDX-License-Identifier: MIT */
/*
 * The partition's own stage-1 map: identity, 4 GiB, its RAM as normal
 * write-back memory in 2 MiB blocks, everything else as device memory (the
 * hypervisor's stage-2 decides what is really there). vCPU 0 builds it
 * before its MMU is on; every vCPU enables it.
 */
#include <stdbool.h>
#include <stdint.h>

#define ENTRIES 512u
#define DESC_BLOCK 0x1UL
#define DESC_TABLE 0x3UL
#define ATTR_NORMAL ((0UL << 2) | (3UL << 8) | (1UL << 10))            /* attr0, inner shareable, AF */
#define ATTR_DEVICE ((1UL << 2) | (1UL << 10) | (1UL << 53) | (1UL << 54)) /* attr1, AF, never executable */

extern char __ram_start[], __ram_end[];
/* In .pagetables: not part of the image, invalidated by crt0 before use. */
static uint64_t rt_pt_l1[ENTRIES] __attribute__((aligned(4096), section(".pagetables")));

void rt_mmu_build(void);
void rt_mmu_enable(void);

void rt_mmu_build(void)
{
	static uint64_t rt_pt_l2[4][ENTRIES] __attribute__((aligned(4096), section(".pagetables")));
	uint64_t ram_start = (uint64_t)__ram_start;
	uint64_t ram_end = (uint64_t)__ram_end;

	for (uint32_t i = 0u; i < ENTRIES; i++) {
		rt_pt_l1[i] = 0u;
	}
	for (uint64_t gib = 0u; gib < 4u; gib++) {
		for (uint64_t i = 0u; i < ENTRIES; i++) {
			uint64_t addr = (gib << 30) | (i << 21);
			bool ram = (addr >= ram_start) && (addr < ram_end);
			rt_pt_l2[gib][i] = addr | DESC_BLOCK | (ram ? ATTR_NORMAL : ATTR_DEVICE);
		}
		rt_pt_l1[gib] = (uint64_t)rt_pt_l2[gib] | DESC_TABLE;
	}
	__asm__ volatile("dsb sy" : : : "memory");
}

void rt_mmu_enable(void)
{
	uint64_t parange = 0;
	uint64_t tcr;
	uint64_t ttbr = (uint64_t)(uintptr_t)rt_pt_l1;

	__asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(parange));
	parange &= 0x7u;
	if (parange > 5u) {
		parange = 5u;
	}
	/* T0SZ 32 (4 GiB), write-back inner-shareable walks, 4 KiB granule, no TTBR1 walks. */
	tcr = 32u | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 23) | (parange << 32);
	__asm__ volatile(
		"msr mair_el1, %0\n\t"
		"msr tcr_el1, %1\n\t"
		"msr ttbr0_el1, %2\n\t"
		"isb\n\t"
		"tlbi vmalle1\n\t"
		"dsb nsh\n\t"
		"isb\n\t"
		"mrs x9, sctlr_el1\n\t"
		"orr x9, x9, #(1 << 0)\n\t"   /* M */
		"orr x9, x9, #(1 << 2)\n\t"   /* C */
		"orr x9, x9, #(1 << 12)\n\t"  /* I */
		"msr sctlr_el1, x9\n\t"
		"isb\n\t"
		"ic iallu\n\t"
		"dsb nsh\n\t"
		"isb"
		:
		: "r"(0x00ffUL), "r"(tcr), "r"(ttbr)
		: "x9", "memory");
}
