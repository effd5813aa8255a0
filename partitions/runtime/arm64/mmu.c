/* SPDX-License-Identifier: MIT */
/*
 * The partition's own stage-1 map: identity, 4 GiB, its RAM as normal
 * write-back memory in 2 MiB blocks, everything else as device memory (the
 * hypervisor's stage-2 decides what is really there). vCPU 0 builds it
 * before its MMU is on; every vCPU enables it. Before main(), vCPU 0 then
 * remaps the memory it shares with other partitions (channels,
 * shared-memory regions) Normal write-back, as its peers map it: a 2 MiB
 * block the shared range covers only in part becomes a table of 4 KiB
 * pages, from a fixed pool.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bhrt.h"

#define ENTRIES 512u
#define DESC_BLOCK 0x1UL
#define DESC_TABLE 0x3UL
#define DESC_PAGE 0x3UL
#define DESC_TYPE_MASK 0x3UL
#define DESC_ADDR_MASK 0x0000fffffffff000UL
#define DESC_ATTR_MASK (~DESC_ADDR_MASK & ~DESC_TYPE_MASK)
#define PAGE_SIZE 0x1000UL
#define BLOCK_SIZE 0x200000UL
#define MAP_LIMIT 0x100000000UL
#define L3_TABLES 8u           /* 2 MiB blocks shared memory may cover in part */
#define ATTR_NORMAL ((0UL << 2) | (3UL << 8) | (1UL << 10))            /* attr0, inner shareable, AF */
#define ATTR_DEVICE ((1UL << 2) | (1UL << 10) | (1UL << 53) | (1UL << 54)) /* attr1, AF, never executable */

extern char __ram_start[], __ram_end[];
/* In .pagetables: not part of the image, invalidated by crt0 before use. */
static uint64_t rt_pt_l1[ENTRIES] __attribute__((aligned(4096), section(".pagetables")));
static uint64_t rt_pt_l2[4][ENTRIES] __attribute__((aligned(4096), section(".pagetables")));

void rt_mmu_build(void);
void rt_mmu_enable(void);

void rt_mmu_build(void)
{
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

/* Replaces a live descriptor (break-before-make: the old one is gone from every TLB first). */
static void replace_desc(uint64_t *desc, uint64_t value)
{
	__atomic_store_n(desc, 0UL, __ATOMIC_RELAXED);
	__asm__ volatile("dsb ishst\n\ttlbi vmalle1is\n\tdsb ish\n\tisb" : : : "memory");
	__atomic_store_n(desc, value, __ATOMIC_RELAXED);
	__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
}

/* The table of 4 KiB pages behind 2 MiB block entry `l2`, made from the block when it is one; NULL when the pool is spent. */
static uint64_t *pages_of(uint64_t *l2)
{
	static uint64_t rt_pt_l3[L3_TABLES][ENTRIES] __attribute__((aligned(4096), section(".pagetables")));
	static uint32_t l3_used;
	uint64_t *l3;

	if ((*l2 & DESC_TYPE_MASK) == DESC_TABLE) {
		return (uint64_t *)(uintptr_t)(*l2 & DESC_ADDR_MASK);
	}
	if (l3_used >= L3_TABLES) {
		return NULL;
	}
	l3 = rt_pt_l3[l3_used];
	l3_used++;
	for (uint64_t i = 0u; i < ENTRIES; i++) {
		l3[i] = ((*l2 & DESC_ADDR_MASK) + (i * PAGE_SIZE)) | (*l2 & DESC_ATTR_MASK) | DESC_PAGE;
	}
	__asm__ volatile("dsb ishst" : : : "memory");
	replace_desc(l2, (uint64_t)(uintptr_t)l3 | DESC_TABLE);
	return l3;
}

/* Maps [addr, end) inside the 2 MiB block of `addr` Normal. */
static int map_in_block(uint64_t addr, uint64_t end)
{
	uint64_t *l2 = &rt_pt_l2[addr >> 30][(addr >> 21) & (ENTRIES - 1u)];
	uint64_t block = addr & ~(BLOCK_SIZE - 1u);
	uint64_t *l3;

	if ((addr == block) && ((end - addr) >= BLOCK_SIZE) && ((*l2 & DESC_TYPE_MASK) == DESC_BLOCK)) {
		replace_desc(l2, block | DESC_BLOCK | ATTR_NORMAL);
		return 0;
	}
	l3 = pages_of(l2);
	if (l3 == NULL) {
		return -1;
	}
	for (uint64_t a = addr; (a < end) && (a < (block + BLOCK_SIZE)); a += PAGE_SIZE) {
		replace_desc(&l3[(a >> 12) & (ENTRIES - 1u)], a | DESC_PAGE | ATTR_NORMAL);
	}
	return 0;
}

/* Implements: REQ-CHN-033 */
int rt_mmu_map_normal(uint64_t base, uint64_t size)
{
	uint64_t end = base + size;
	int rc = 0;

	if (((base % PAGE_SIZE) != 0u) || ((size % PAGE_SIZE) != 0u) || (base >= MAP_LIMIT) ||
	    (size > (MAP_LIMIT - base))) {
		return -1;
	}
	for (uint64_t a = base; (a < end) && (rc == 0); a = (a & ~(BLOCK_SIZE - 1u)) + BLOCK_SIZE) {
		rc = map_in_block(a, end);
	}
	return rc;
}

int rt_mmu_attributes(uint64_t addr)
{
	uint64_t par;

	if (addr >= MAP_LIMIT) {
		return -1;   /* outside the map: never translates */
	}
	__asm__ volatile("at s1e1r, %1\n\tisb\n\tmrs %0, par_el1" : "=r"(par) : "r"(addr) : "memory");
	return ((par & 1u) != 0u) ? -1 : (int)(par >> 56);
}

uint64_t rt_ram_base(void)
{
	return (uint64_t)__ram_start;
}
