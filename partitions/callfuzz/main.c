/* SPDX-License-Identifier: MIT */
/*
 * Hostile calls: CALLS seeded random SMCCC calls (HVC and SMC) with random
 * arguments in x1..x7. Function ids are drawn half from the ranges the
 * hypervisor serves (arch, PSCI, Bulkhead's own, each with nearby ids) and
 * half at random; pointers are random, so mostly outside the partition.
 * Calls that would end or suspend the caller (PSCI CPU_OFF, CPU_SUSPEND,
 * SYSTEM_OFF/RESET/RESET2/SUSPEND) and console output are left out: the
 * program must live to report. Bootargs: seed=N calls=N.
 */
#include <bulkhead/hypercall.h>
#include <bulkhead/psci.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "bhrt.h"

static bool ends_or_prints(uint32_t fid)
{
	uint32_t psci = fid & ~0x40000000u;   /* SMC32 and SMC64 forms alike */

	return (psci == PSCI_CPU_SUSPEND_32) || (psci == PSCI_CPU_OFF) || (psci == PSCI_SYSTEM_OFF) ||
	       (psci == PSCI_SYSTEM_RESET) || (psci == 0x8400000eu) /* SYSTEM_SUSPEND */ ||
	       (psci == 0x84000012u) /* SYSTEM_RESET2 */ || (psci == 0x8400000cu) /* CPU_FREEZE */ ||
	       (psci == 0x8400000du) /* CPU_DEFAULT_SUSPEND */ || (fid == BH_HC_CONSOLE_PUTC);
}

static uint32_t function_id(void)
{
	static const uint32_t bases[] = { 0x80000000u, 0x84000000u, 0xc4000000u, BH_HC_ID(0u), 0x8600ff00u };
	uint64_t r = rt_random();

	if ((r & 1u) == 0u) {
		return (uint32_t)(r >> 32);
	}
	return bases[(r >> 1) % (sizeof(bases) / sizeof(bases[0]))] + (uint32_t)((r >> 8) & 0x1fu);
}

static int64_t call(bool smc, uint32_t fid, const uint64_t a[7])
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a[0];
	register uint64_t x2 __asm__("x2") = a[1];
	register uint64_t x3 __asm__("x3") = a[2];
	register uint64_t x4 __asm__("x4") = a[3];
	register uint64_t x5 __asm__("x5") = a[4];
	register uint64_t x6 __asm__("x6") = a[5];
	register uint64_t x7 __asm__("x7") = a[6];

	if (smc) {
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6),
				 "+r"(x7) : : "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
				 "memory");
	} else {
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6),
				 "+r"(x7) : : "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
				 "memory");
	}
	return (int64_t)x0;
}

int main(void)
{
	uint32_t calls = (uint32_t)rt_bootarg("calls", 10000);
	uint32_t ok = 0u;
	uint32_t not_supported = 0u;
	uint32_t other = 0u;

	rt_random_seed(rt_bootarg("seed", 1));
	for (uint32_t i = 0u; i < calls; i++) {
		uint32_t fid = function_id();
		uint64_t a[7];

		for (uint32_t k = 0u; k < 7u; k++) {
			a[k] = rt_random();
		}
		if (ends_or_prints(fid)) {
			continue;
		}
		int64_t ret = call((rt_random() & 1u) != 0u, fid, a);
		if (ret == 0) {
			ok++;
		} else if (ret == -1) {
			not_supported++;
		} else {
			other++;
		}
	}
	printf("callfuzz: %u calls done, %u returned 0, %u NOT_SUPPORTED, %u other\n", (unsigned)calls,
	       (unsigned)ok, (unsigned)not_supported, (unsigned)other);
	return 0;
}
