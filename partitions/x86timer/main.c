/* SPDX-License-Identifier: MIT */
/*
 * x86timer (configs/qemu-x86_64-timer.dts, tests/system/test_x86_timer.py):
 * the local APIC timer Bulkhead gives an x86 vCPU (arch/x86/vtimer.c),
 * through its x2APIC MSRs, in each mode, waiting in HLT for each interrupt
 * so that the hypervisor must wake the halted vCPU on its timer:
 *
 *   one-shot   1 ms at divide 16; the current count while it runs and after
 *   periodic   10 periods of 0.5 ms at divide 1, then stopped by count 0
 *   deadline   IA32_TSC_DEADLINE 1 ms ahead (CPUID advertises it), one in
 *              the past (at once), one disarmed by 0
 *   masked     a masked one-shot: it runs out, nothing is delivered
 *   hostile    reserved bits, mode 3, an unmasked vector 16, a count over
 *              32 bits, a write of the current count, ...: each a #GP
 *
 * It prints what it measured in TSC ticks (the rate of CPUID 0x40000010,
 * which is also the timer's clock); the test checks the figures against the
 * programmed periods (never early, late within its documented tolerance).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "bhrt.h"
#include "bhrt_channel.h"
#include "bhrt_x86.h"

#define VEC 0x60u
#define MSR_TPR 0x808u
#define MSR_SVR 0x80fu
#define MSR_LVT_TIMER 0x832u
#define MSR_INITIAL 0x838u
#define MSR_CURRENT 0x839u
#define MSR_DIVIDE 0x83eu
#define MSR_TSC_DEADLINE 0x6e0u
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define LVT_DEADLINE (2u << 17)
#define DIV_1 0xbu
#define DIV_16 0x3u
#define DIV_128 0xau
#define PERIODS 10u
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)


static uint64_t hz;

/* Waits in HLT until VEC has been taken `n` times, or a second passed; returns the TSC then. */
static uint64_t wait_taken(uint32_t n)
{
	uint64_t end = x86_rdtsc() + hz;

	while ((rt_doorbell_count(VEC) < n) && (x86_rdtsc() < end)) {
		__asm__ volatile("sti; hlt; cli");
	}
	uint64_t t = x86_rdtsc();
	__asm__ volatile("sti");
	return t;
}

/* Spins (interrupts open) for `ticks` TSC ticks. */
static void spin(uint64_t ticks)
{
	uint64_t end = x86_rdtsc() + ticks;

	while (x86_rdtsc() < end) {
		__asm__ volatile("pause");
	}
}

static void one_shot(void)
{
	uint32_t count = (uint32_t)(hz / 1000u / 16u);
	uint32_t seen = rt_doorbell_count(VEC);

	x86_wrmsr(MSR_LVT_TIMER, VEC);
	x86_wrmsr(MSR_DIVIDE, DIV_16);
	uint64_t t0 = x86_rdtsc();
	x86_wrmsr(MSR_INITIAL, count);
	uint32_t running = (uint32_t)x86_rdmsr(MSR_CURRENT);
	uint64_t t1 = wait_taken(seen + 1u);
	spin(3u * (uint64_t)count * 16u);
	printf("x86timer: one-shot: period %lu elapsed %lu current %u of %u then %u, interrupts %u\n",
	       (unsigned long)count * 16u, (unsigned long)(t1 - t0), (unsigned)running, (unsigned)count,
	       (unsigned)x86_rdmsr(MSR_CURRENT), (unsigned)(rt_doorbell_count(VEC) - seen));
}

static void periodic(void)
{
	uint32_t count = (uint32_t)(hz / 2000u);
	uint32_t seen = rt_doorbell_count(VEC);

	x86_wrmsr(MSR_LVT_TIMER, VEC | LVT_PERIODIC);
	x86_wrmsr(MSR_DIVIDE, DIV_1);
	uint64_t t0 = x86_rdtsc();
	x86_wrmsr(MSR_INITIAL, count);
	uint64_t t1 = wait_taken(seen + PERIODS);
	uint32_t running = (uint32_t)x86_rdmsr(MSR_CURRENT);
	x86_wrmsr(MSR_INITIAL, 0u);   /* stops it */
	uint32_t at_stop = rt_doorbell_count(VEC) - seen;
	spin(3u * (uint64_t)count);
	printf("x86timer: periodic: period %u elapsed %lu for %u, running current %u, after stop %u more\n",
	       (unsigned)count, (unsigned long)(t1 - t0), (unsigned)at_stop, (unsigned)(running != 0u),
	       (unsigned)(rt_doorbell_count(VEC) - seen - at_stop));
}

static void deadline(void)
{
	uint64_t d = hz / 1000u;
	uint32_t seen = rt_doorbell_count(VEC);

	x86_wrmsr(MSR_LVT_TIMER, VEC | LVT_DEADLINE);
	uint64_t t0 = x86_rdtsc();
	x86_wrmsr(MSR_TSC_DEADLINE, t0 + d);
	bool reads_back = x86_rdmsr(MSR_TSC_DEADLINE) == t0 + d;
	uint64_t t1 = wait_taken(seen + 1u);
	uint64_t after = x86_rdmsr(MSR_TSC_DEADLINE);
	printf("x86timer: deadline: period %lu elapsed %lu, read back %u, after expiry %lu\n",
	       (unsigned long)d, (unsigned long)(t1 - t0), (unsigned)reads_back, (unsigned long)after);

	x86_wrmsr(MSR_TSC_DEADLINE, 1u);   /* long past: at once */
	(void)wait_taken(seen + 2u);
	x86_wrmsr(MSR_TSC_DEADLINE, x86_rdtsc() + d);
	x86_wrmsr(MSR_TSC_DEADLINE, 0u);   /* disarmed */
	spin(3u * d);
	printf("x86timer: deadline: past %u, disarmed %u\n", (unsigned)(rt_doorbell_count(VEC) - seen - 1u),
	       (unsigned)(rt_doorbell_count(VEC) - seen - 2u));
}

static void masked(void)
{
	uint32_t count = (uint32_t)(hz / 4000u);
	uint32_t seen = rt_doorbell_count(VEC);

	x86_wrmsr(MSR_LVT_TIMER, VEC | LVT_MASKED);
	x86_wrmsr(MSR_DIVIDE, DIV_1);
	x86_wrmsr(MSR_INITIAL, count);
	spin(3u * (uint64_t)count);
	printf("x86timer: masked: current %u, interrupts %u\n", (unsigned)x86_rdmsr(MSR_CURRENT),
	       (unsigned)(rt_doorbell_count(VEC) - seen));
}

static void hostile(void)
{
	static const struct { uint32_t msr; uint64_t value; } refused[] = {
		{ MSR_LVT_TIMER, VEC | (3u << 17) },            /* mode 3 */
		{ MSR_LVT_TIMER, 16u },                          /* an unmasked exception vector */
		{ MSR_LVT_TIMER, VEC | (1u << 20) },            /* a reserved bit */
		{ MSR_LVT_TIMER, VEC | (1ULL << 40) },          /* a reserved bit in the high half */
		{ MSR_INITIAL, 1ULL << 32 },                     /* more than 32 bits */
		{ MSR_DIVIDE, 0x4u },                            /* a reserved divide bit */
		{ MSR_CURRENT, 5u },                             /* read-only */
		{ MSR_SVR, 0x1ffu | (1u << 12) },                /* EOI-broadcast suppression, not offered */
		{ MSR_TPR, 0x100u },                             /* beyond the priority */
	};
	uint32_t n = (uint32_t)(sizeof(refused) / sizeof(refused[0]));
	uint32_t before = x86_msr_refusals();

	x86_wrmsr(MSR_LVT_TIMER, VEC);
	for (uint32_t i = 0u; i < n; i++) {
		x86_wrmsr(refused[i].msr, refused[i].value);
	}
	uint32_t gps = x86_msr_refusals() - before;
	bool lvt_kept = x86_rdmsr(MSR_LVT_TIMER) == VEC;
	/* Absurd but valid: the longest count (2^39 ticks), the farthest deadline; each then stopped. */
	x86_wrmsr(MSR_DIVIDE, DIV_128);
	x86_wrmsr(MSR_INITIAL, 0xffffffffu);
	x86_wrmsr(MSR_INITIAL, 0u);
	x86_wrmsr(MSR_LVT_TIMER, VEC | LVT_DEADLINE);
	x86_wrmsr(MSR_TSC_DEADLINE, ~0ULL);
	x86_wrmsr(MSR_TSC_DEADLINE, 0u);
	x86_wrmsr(MSR_LVT_TIMER, VEC | LVT_MASKED);
	printf("x86timer: hostile: %u writes, %u #GP, timer entry kept %u, then %u #GP\n", (unsigned)n,
	       (unsigned)gps, (unsigned)lvt_kept, (unsigned)(x86_msr_refusals() - before - gps));
}

int main(void)
{
	hz = rt_counter_hz();
	x86_msr_refusals_catch();
	if (rt_doorbell_enable(VEC) != 0) {   /* the IDT's gates, interrupts taken */
		printf("x86timer: vector 0x%x is no doorbell\n", VEC);
		return 1;
	}
	uint32_t apic_khz = x86_cpuid(0x40000010u).ebx;
	printf("x86timer: TSC %lu Hz, timer clock %u kHz, TSC-deadline %s\n", (unsigned long)hz,
	       (unsigned)apic_khz, ((x86_cpuid(1u).ecx & CPUID1_ECX_TSC_DEADLINE) != 0u) ? "advertised" : "not advertised");
	x86_wrmsr(MSR_SVR, 0x100u | 0xffu);   /* software-enabled: its timer delivers */
	one_shot();
	periodic();
	deadline();
	masked();
	hostile();
	printf("x86timer: done\n");
	return 0;
}
