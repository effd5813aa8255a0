/* SPDX-License-Identifier: MIT */
/*
 * Hypercalls with VMMCALL on AMD (SVM), VMCALL on Intel (VMX): each is #UD
 * on the other vendor's processor, so the vendor is read once from CPUID
 * leaf 0 (arch/x86/README.md). Function id in rax,
 * arguments in rdi, rsi, rdx (rcx, the fourth, is not used by rt_hvc's
 * callers and is passed as 0); results in rax, rdi, rsi, rdx. The
 * hypervisor preserves every other register.
 */
#include "bhrt.h"

#define CPUID_EBX_GENUINE 0x756e6547u   /* "Genu" of "GenuineIntel" */

static bool use_vmcall(void)
{
	static uint32_t hc_insn;   /* 0: not known yet, 1: VMMCALL, 2: VMCALL. Racing vCPUs all find the same. */

	if (hc_insn == 0u) {
		uint32_t a = 0u;
		uint32_t b;
		uint32_t c = 0u;
		uint32_t d;

		__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
		hc_insn = (b == CPUID_EBX_GENUINE) ? (uint32_t)2u : (uint32_t)1u;
	}
	return hc_insn == 2u;
}

struct rt_smccc_res rt_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t rax __asm__("rax") = fid;
	register uint64_t rdi __asm__("rdi") = a1;
	register uint64_t rsi __asm__("rsi") = a2;
	register uint64_t rdx __asm__("rdx") = a3;
	register uint64_t rcx __asm__("rcx") = 0u;

	if (use_vmcall()) {
		__asm__ volatile("vmcall" : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx) : "r"(rcx) : "memory");
	} else {
		__asm__ volatile("vmmcall" : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx) : "r"(rcx) : "memory");
	}
	return (struct rt_smccc_res){ (int64_t)rax, rdi, rsi, rdx };
}

void rt_full_barrier(void)
{
	__asm__ volatile("mfence" : : : "memory");
}
