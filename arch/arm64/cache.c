/* SPDX-License-Identifier: MIT */
/*
 * Data cache maintenance by address range.
 */
#include "arch.h"
#include "arm64.h"
#include "sysreg.h"

/* Implements: infrastructure */
static uint64_t dcache_line(void)
{
	return 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xfu);
}

/* Implements: REQ-MEM-008 */
void arm64_inval_range(uint64_t va, uint64_t size)
{
	uint64_t line = dcache_line();

	for (uint64_t a = va & ~(line - 1u); a < (va + size); a += line) {
		__asm__ volatile("dc ivac, %0" : : "r"(a) : "memory");
	}
	dsb_sy();
}

/* Implements: REQ-TRP-006 */
void arm64_clean_inval_range(uint64_t va, uint64_t size)
{
	uint64_t line = dcache_line();

	for (uint64_t a = va & ~(line - 1u); a < (va + size); a += line) {
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	}
	dsb_sy();
}

/* Implements: REQ-MEM-008 */
void arch_clean_to_poc(paddr_t pa, uint64_t size)
{
	uint64_t line = dcache_line();
	uint64_t va = pa_addr(pa);

	for (uint64_t a = va & ~(line - 1u); a < (va + size); a += line) {
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	}
	/* The partition's cores may fetch this code: drop their stale instructions too. */
	__asm__ volatile("dsb ish\n\tic ialluis\n\tdsb ish\n\tisb" : : : "memory");
}
