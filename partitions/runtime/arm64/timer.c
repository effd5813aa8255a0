/* SPDX-License-Identifier: MIT */
/*
 * The architected timers of the calling vCPU (see bhrt_gic.h): the virtual
 * timer (CNTV_*, compares with CNTVCT, PPI 27) and the EL1 physical timer
 * (CNTP_*, compares with CNTPCT, PPI 30).
 */
#include "bhrt_gic.h"

#define CTL_ENABLE 1u

/* Implements: REQ-IRQ-050 */
uint32_t rt_timer_intid(enum rt_timer t)
{
	return (t == RT_TIMER_VIRT) ? RT_IRQ_VTIMER : RT_IRQ_PTIMER;
}

/* Implements: REQ-IRQ-050 */
void rt_timer_start_at(enum rt_timer t, uint64_t cval)
{
	if (t == RT_TIMER_VIRT) {
		__asm__ volatile("msr cntv_cval_el0, %0\n\tmsr cntv_ctl_el0, %1\n\tisb"
				 : : "r"(cval), "r"((uint64_t)CTL_ENABLE) : "memory");
	} else {
		__asm__ volatile("msr cntp_cval_el0, %0\n\tmsr cntp_ctl_el0, %1\n\tisb"
				 : : "r"(cval), "r"((uint64_t)CTL_ENABLE) : "memory");
	}
}

void rt_timer_start_in(enum rt_timer t, uint32_t ticks)
{
	if (t == RT_TIMER_VIRT) {
		__asm__ volatile("msr cntv_tval_el0, %0\n\tmsr cntv_ctl_el0, %1\n\tisb"
				 : : "r"((uint64_t)ticks), "r"((uint64_t)CTL_ENABLE) : "memory");
	} else {
		__asm__ volatile("msr cntp_tval_el0, %0\n\tmsr cntp_ctl_el0, %1\n\tisb"
				 : : "r"((uint64_t)ticks), "r"((uint64_t)CTL_ENABLE) : "memory");
	}
}

void rt_timer_stop(enum rt_timer t)
{
	if (t == RT_TIMER_VIRT) {
		__asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb" : : : "memory");
	} else {
		__asm__ volatile("msr cntp_ctl_el0, xzr\n\tisb" : : : "memory");
	}
}

uint32_t rt_timer_ctl(enum rt_timer t)
{
	uint64_t v;

	if (t == RT_TIMER_VIRT) {
		__asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(v));
	} else {
		__asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(v));
	}
	return (uint32_t)v;
}

uint64_t rt_timer_cval(enum rt_timer t)
{
	uint64_t v;

	if (t == RT_TIMER_VIRT) {
		__asm__ volatile("mrs %0, cntv_cval_el0" : "=r"(v));
	} else {
		__asm__ volatile("mrs %0, cntp_cval_el0" : "=r"(v));
	}
	return v;
}

uint64_t rt_timer_counter(enum rt_timer t)
{
	uint64_t v;

	if (t == RT_TIMER_VIRT) {
		__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	} else {
		__asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(v) : : "memory");
	}
	return v;
}
