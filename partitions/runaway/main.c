/* SPDX-License-Identifier: MIT */
/*
 * A direct-delivery partition that holds the hypervisor's kick off: vCPU 0
 * makes its running priority 0x00, which the kick (a priority-0x00 group-0
 * interrupt) cannot preempt, and runs on; vCPU 1 then faults. The hypervisor
 * must stop vCPU 0 anyway (docs/interrupts.md, the stage-2 fence). Each life
 * (restart count n) takes the n-th way of holding the kick off:
 *   0  ICC_AP1R0_EL1 = 1, then a loop that touches memory and prints
 *   1  ICC_BPR1_EL1 = 7 inside the handler of an SGI, which never returns
 *   2  ICC_AP1R0_EL1 = 1, then vCPU 0 faults itself (vCPU 1 stays off): the
 *      partition restarts on vCPU 0's own cpu, which never stopped
 *   3  ICC_AP1R0_EL1 = 1, then WFI with nothing pending: nothing wakes it
 * Each life first prints the ICC_AP1R0_EL1 it found: a new life must not
 * inherit the kick held off. Bootargs: victim= another partition's memory,
 * which the faulting vCPU reads; lives= how many lives to run (default 4).
 */
#include <stdint.h>
#include <stdio.h>
#include "bhrt.h"
#include "bhrt_gic.h"

#define ICC_AP1R0_EL1 "S3_0_C12_C9_0"
#define ICC_BPR1_EL1 "S3_0_C12_C12_3"
#define SGI_HOLD 3u
#define FAULT_AFTER_US 20000u
#define PRINTS 200u

static volatile uint64_t spins;

static void fault_now(uint64_t victim)
{
	rt_printf("vCPU %u reads 0x%lx\n", (unsigned)rt_partition_info().vcpu, (unsigned long)victim);
	rt_printf("read 0x%lx\n", (unsigned long)*(volatile uint64_t *)(uintptr_t)victim);
	rt_printf("the read was NOT stopped\n");
}

static void fault_soon(uint64_t victim)
{
	rt_delay_us(FAULT_AFTER_US);
	fault_now(victim);
}

static void hold_kick_off(void)
{
	__asm__ volatile("msr " ICC_AP1R0_EL1 ", %0\n\tisb" : : "r"((uint64_t)1u) : "memory");
}

/* Runs on, with memory traffic and a line now and then, until stopped. */
static void run_on(void)
{
	for (uint32_t i = 1u; i <= PRINTS; i++) {
		uint64_t until = rt_counter() + (rt_counter_hz() / 200u);

		while (rt_counter() < until) {
			spins++;
		}
		rt_printf("vCPU 0 still running %u\n", (unsigned)i);
	}
	rt_printf("vCPU 0 was NOT stopped\n");
}

static void hold_in_handler(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	__asm__ volatile("msr " ICC_BPR1_EL1 ", %0\n\tisb" : : "r"((uint64_t)7u) : "memory");
	rt_printf("vCPU 0 holds the kick off: ICC_BPR1_EL1 = 7 in a handler\n");
	run_on();
}

int main(void)
{
	struct rt_info info = rt_partition_info();
	uint64_t victim = rt_bootarg("victim", 0);
	uint64_t lives = rt_bootarg("lives", 4);
	uint64_t ap1r0;

	if (info.restarts >= lives) {
		printf("all %u lives stopped\n", (unsigned)lives);
		return 0;
	}
	if (rt_gic_init() != 3) {
		printf("needs a GICv3\n");
		return 1;
	}
	__asm__ volatile("mrs %0, " ICC_AP1R0_EL1 : "=r"(ap1r0));
	rt_printf("life %u starts with ICC_AP1R0_EL1 0x%lx\n", (unsigned)info.restarts, (unsigned long)ap1r0);
	if (((info.restarts % 4u) != 2u) && (rt_cpu_on(1, fault_soon, victim) != 0)) {
		printf("CPU_ON failed\n");
		return 1;
	}
	switch (info.restarts % 4u) {
	case 0:
		hold_kick_off();
		rt_printf("vCPU 0 holds the kick off: ICC_AP1R0_EL1 = 1\n");
		run_on();
		break;
	case 1:
		rt_irq_set_handler(SGI_HOLD, hold_in_handler, NULL);
		rt_gic_enable(SGI_HOLD);
		rt_irq_unmask();
		rt_gic_send_sgi(SGI_HOLD, rt_mpidr());
		rt_delay_us(1000000u);
		rt_printf("vCPU 0: SGI %u never came\n", SGI_HOLD);
		break;
	case 2:
		hold_kick_off();
		rt_printf("vCPU 0 holds the kick off: ICC_AP1R0_EL1 = 1, and faults itself\n");
		fault_now(victim);
		break;
	default:
		hold_kick_off();
		rt_printf("vCPU 0 holds the kick off: ICC_AP1R0_EL1 = 1, then WFI\n");
		for (;;) {
			rt_wfi();
		}
	}
	return 1;
}
