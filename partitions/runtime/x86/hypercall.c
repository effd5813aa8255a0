/* SPDX-License-Identifier: MIT */
/*
 * Hypercalls with VMMCALL (arch/x86/README.md): function id in rax,
 * arguments in rdi, rsi, rdx (rcx, the fourth, is not used by rt_hvc's
 * callers and is passed as 0); results in rax, rdi, rsi, rdx. The
 * hypervisor preserves every other register.
 */
#include "bhrt.h"

struct rt_smccc_res rt_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t rax __asm__("rax") = fid;
	register uint64_t rdi __asm__("rdi") = a1;
	register uint64_t rsi __asm__("rsi") = a2;
	register uint64_t rdx __asm__("rdx") = a3;
	register uint64_t rcx __asm__("rcx") = 0u;

	__asm__ volatile("vmmcall" : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx) : "r"(rcx) : "memory");
	return (struct rt_smccc_res){ (int64_t)rax, rdi, rsi, rdx };
}

void rt_full_barrier(void)
{
	__asm__ volatile("mfence" : : : "memory");
}
