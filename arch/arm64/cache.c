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

/*
 * Applies data-cache operation `op` to every line of [va, va + size): four
 * lines a step, so the loop's own test is paid once per four operations
 * (partition images and the boot tables are tens of KiB: the loop is most of
 * the cost).
 */
#define DC_RANGE(op, va, size)                                                                    \
	do {                                                                                      \
		uint64_t line_ = dcache_line();                                                   \
		uint64_t end_ = (va) + (size);                                                    \
		uint64_t a_ = (va) & ~(line_ - 1u);                                               \
		for (; (a_ + (3u * line_)) < end_; a_ += 4u * line_) {                            \
			__asm__ volatile("dc " op ", %0\n\tdc " op ", %1\n\tdc " op ", %2\n\tdc " op ", %3" \
					 : : "r"(a_), "r"(a_ + line_), "r"(a_ + (2u * line_)),           \
					   "r"(a_ + (3u * line_)) : "memory");                             \
		}                                                                                 \
		for (; a_ < end_; a_ += line_) {                                                  \
			__asm__ volatile("dc " op ", %0" : : "r"(a_) : "memory");                      \
		}                                                                                 \
	} while (0)

/* Implements: REQ-MEM-008 */
void arm64_inval_range(uint64_t va, uint64_t size)
{
	DC_RANGE("ivac", va, size);
	dsb_sy();
}

/* Implements: REQ-TRP-006 */
void arm64_clean_inval_range(uint64_t va, uint64_t size)
{
	DC_RANGE("civac", va, size);
	dsb_sy();
}

/* Implements: REQ-MEM-008 */
void arch_clean_to_poc(paddr_t pa, uint64_t size)
{
	DC_RANGE("cvac", pa_addr(pa), size);
	/* The partition's cores may fetch this code: drop their stale instructions too. */
	__asm__ volatile("dsb ish\n\tic ialluis\n\tdsb ish\n\tisb" : : : "memory");
}
