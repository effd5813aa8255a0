/* SPDX-License-Identifier: MIT */
/*
 * Data cache maintenance by address range.
 */
#include <string.h>
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

/* Implements: REQ-MEM-008~2 */
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

/*
 * A blob from the image store, copied and cleaned: with 64-byte lines and
 * both ends 64-byte aligned (images are page aligned) in one pass of 256
 * bytes a step (arm64_copy_clean256), the rest with memcpy and DC CVAC.
 */
/* Implements: REQ-MEM-008~2 */
void arch_load_blob(paddr_t dst, paddr_t src, uint64_t size)
{
	uint64_t d = pa_addr(dst);
	uint64_t s = pa_addr(src);
	uint64_t fast = 0u;

	if ((dcache_line() == 64u) && (((d | s) & 63u) == 0u)) {
		fast = size & ~(uint64_t)255u;
		if (fast != 0u) {
			arm64_copy_clean256(d, s, fast / 256u);
		}
	}
	if (fast < size) {
		(void)memcpy(pa_ptr(pa_init(d + fast)), pa_ptr(pa_init(s + fast)), size - fast);
		DC_RANGE("cvac", d + fast, size - fast);
	}
	__asm__ volatile("dsb ish\n\tic ialluis\n\tdsb ish\n\tisb" : : : "memory");
}

/* Implements: REQ-MEM-008~2 */
void arch_clean_to_poc(paddr_t pa, uint64_t size)
{
	DC_RANGE("cvac", pa_addr(pa), size);
	/* The partition's cores may fetch this code: drop their stale instructions too. */
	__asm__ volatile("dsb ish\n\tic ialluis\n\tdsb ish\n\tisb" : : : "memory");
}
