/* SPDX-License-Identifier: MIT */
/*
 * Drives one fault injection point of a CONFIG_FAULT_INJECTION build
 * (BH_HC_TEST_FAULT, docs/safety/fault-injection.md), the one the bootarg
 * point= names (BH_FAULT_*). Without point=, a bystander: prints ticks=
 * lines, one every 20 ms, and stops.
 *   el2-sync, guest-serror  arms the point, which fires on the call's way
 *                           back; a second life (after a restart) says so
 *                           and stops;
 *   lr-corrupt              raises SGI 5 in itself with IRQs masked (it waits
 *                           in a list register), arms the point (that list
 *                           register is corrupted on the way back), then
 *                           raises SGI 5 again, which makes the hypervisor
 *                           read the list register back;
 *   stuck-core              starts vCPU 1, which spins, arms the point, then
 *                           faults: the stop must reach vCPU 1's core, which
 *                           will not stop;
 *   gic-stuck               arms the point, then starts vCPU 1: its core,
 *                           powered on, wakes its redistributor (GICv3) and
 *                           waits for it, which now never finishes.
 * What it prints after a point fired is what the hypervisor must not allow.
 */
#include <stdint.h>
#include <stdio.h>
#include <bulkhead/hypercall.h>
#include "bhrt.h"
#include "bhrt_gic.h"

#define NO_POINT 99u
#define SGI 5u
#define TICK_US 20000u
/* Long enough for the bystander's first ticks before a point fires. */
#define SETTLE_US 1000000u
/* Guest-physical memory no partition of the test systems has. */
#define UNMAPPED_IPA 0x7f000000UL

static volatile uint64_t spins;

static int64_t arm(uint64_t point)
{
	return rt_hvc(BH_HC_TEST_FAULT, point, 0, 0).x0;
}

static void spin(uint64_t arg)
{
	(void)arg;
	/* Registers only: nothing here needs the hypervisor. */
	for (;;) {
		spins++;
	}
}

static void bystander(uint64_t ticks)
{
	for (uint64_t i = 1u; i <= ticks; i++) {
		rt_delay_us(TICK_US);
		printf("tick %u\n", (unsigned)i);
	}
	printf("bystander done\n");
}

static void lr_corrupt(void)
{
	rt_gic_init();
	rt_irq_mask();
	rt_gic_enable(SGI);
	printf("raise SGI %u: %ld\n", SGI, (long)rt_hvc(BH_HC_TEST_RAISE, 0, SGI, 0).x0);
	printf("arm lr-corrupt: %ld\n", (long)arm(BH_FAULT_LR_CORRUPT));
	printf("raise SGI %u again: %ld\n", SGI, (long)rt_hvc(BH_HC_TEST_RAISE, 0, SGI, 0).x0);
	printf("the corrupted list register was NOT detected\n");
}

static void stuck_core(void)
{
	if (rt_cpu_on(1, spin, 0) != 0) {
		printf("CPU_ON failed\n");
		return;
	}
	while (spins == 0u) {
	}
	printf("vCPU 1 spins; arm stuck-core: %ld\n", (long)arm(BH_FAULT_STUCK_CORE));
	printf("fault: read 0x%lx\n", (unsigned long)*(volatile uint64_t *)UNMAPPED_IPA);
	printf("the fault was NOT contained\n");
}

static void gic_stuck(void)
{
	printf("arm gic-stuck: %ld\n", (long)arm(BH_FAULT_GIC_STUCK));
	printf("CPU_ON vCPU 1: %d\n", rt_cpu_on(1, spin, 0));
	while (spins == 0u) {
	}
	printf("vCPU 1 runs: the stuck controller was NOT detected\n");
}

static void fire(uint64_t point)
{
	rt_delay_us(SETTLE_US);
	if (point == BH_FAULT_LR_CORRUPT) {
		lr_corrupt();
	} else if (point == BH_FAULT_STUCK_CORE) {
		stuck_core();
	} else if (point == BH_FAULT_GIC_STUCK) {
		gic_stuck();
	} else {
		int64_t r = arm(point);
		printf("the hypervisor returned %ld: point %u did NOT fire\n", (long)r, (unsigned)point);
	}
}

int main(void)
{
	struct rt_info info = rt_partition_info();
	uint64_t point = rt_bootarg("point", NO_POINT);

	printf("fault injection: point %u, life %u\n", (unsigned)point, (unsigned)info.restarts);
	if (point == NO_POINT) {
		bystander(rt_bootarg("ticks", 50));
	} else if (info.restarts != 0u) {
		printf("life %u: done\n", (unsigned)info.restarts);
	} else {
		fire(point);
	}
	return 0;
}
