/* SPDX-License-Identifier: MIT */
/*
 * SMC Calling Convention calls: HVC to the hypervisor, or SMC (trapped by it).
 */
#include "bhrt.h"

#define SMCCC_CLOBBERS "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", \
	"x14", "x15", "x16", "x17", "memory"

struct rt_smccc_res rt_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : SMCCC_CLOBBERS);
	return (struct rt_smccc_res){ (int64_t)x0, x1, x2, x3 };
}

struct rt_smccc_res rt_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : SMCCC_CLOBBERS);
	return (struct rt_smccc_res){ (int64_t)x0, x1, x2, x3 };
}

void rt_full_barrier(void)
{
	__asm__ volatile("dmb ish" : : : "memory");
}
