/* SPDX-License-Identifier: MIT */
/*
 * Doorbell interrupts (bhrt_channel.h) on the GIC: each counts its rings in
 * a handler; a wait sleeps in WFI with IRQs masked between the check and
 * the WFI (a pending interrupt still wakes it, so no ring is missed) and the
 * virtual timer set to the deadline, so the wait is bounded even when the
 * peer never rings.
 */
#include <stdbool.h>
#include <stdint.h>

#include "bhrt.h"
#include "bhrt_channel.h"
#include "bhrt_gic.h"

struct doorbell {
	uint32_t intid;
	uint32_t count;          /* written by the handler only */
};

static struct doorbell doorbells[RT_DOORBELLS_MAX];
static uint32_t n_doorbells;

static void doorbell_rang(uint32_t intid, void *arg)
{
	struct doorbell *d = arg;

	(void)intid;
	__atomic_store_n(&d->count, d->count + 1u, __ATOMIC_RELEASE);
}

/* The deadline timer only has to wake the WFI: stop it so that its level interrupt drops. */
static void deadline_reached(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	rt_timer_stop(RT_TIMER_VIRT);
}

static struct doorbell *doorbell_of(uint32_t intid)
{
	for (uint32_t i = 0u; i < n_doorbells; i++) {
		if (doorbells[i].intid == intid) {
			return &doorbells[i];
		}
	}
	return NULL;
}

static bool doorbell_valid(uint32_t intid)
{
	return (intid < RT_GIC_SGI_COUNT) || ((intid >= RT_GIC_SPI_FIRST) && (intid < RT_GIC_MAX_INTID));
}

/* Enables `intid` on this vCPU (an SPI: edge-triggered, routed here), and the deadline timer. */
static void interrupts_on(uint32_t intid)
{
	if (intid >= RT_GIC_SPI_FIRST) {
		rt_gic_set_edge(intid, true);
		(void)rt_gic_route(intid, rt_mpidr());
	}
	rt_gic_set_priority(intid, RT_GIC_PRIORITY_DEFAULT);
	rt_gic_enable(intid);
	(void)rt_irq_set_handler(RT_IRQ_VTIMER, deadline_reached, NULL);
	rt_gic_set_priority(RT_IRQ_VTIMER, RT_GIC_PRIORITY_DEFAULT);
	rt_gic_enable(RT_IRQ_VTIMER);
	rt_irq_unmask();
}

int rt_doorbell_enable(uint32_t intid)
{
	struct doorbell *d = doorbell_of(intid);

	if (!doorbell_valid(intid) || ((d == NULL) && (n_doorbells >= RT_DOORBELLS_MAX))) {
		return -1;
	}
	if ((rt_gic_version() == 0) && (rt_gic_init() < 0)) {
		return -1;
	}
	if (d == NULL) {
		d = &doorbells[n_doorbells];
		d->intid = intid;
		d->count = 0u;
		n_doorbells++;
		(void)rt_irq_set_handler(intid, doorbell_rang, d);
	}
	interrupts_on(intid);
	return 0;
}

uint32_t rt_doorbell_count(uint32_t intid)
{
	const struct doorbell *d = doorbell_of(intid);

	return (d != NULL) ? __atomic_load_n(&d->count, __ATOMIC_ACQUIRE) : 0u;
}

bool rt_doorbell_wait(uint32_t intid, uint32_t *seen, uint64_t deadline)
{
	const struct doorbell *d = doorbell_of(intid);
	bool rang = false;
	uint64_t daif;

	if (d == NULL) {
		return false;
	}
	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #2" : "=r"(daif) : : "memory");
	for (;;) {
		uint32_t c = __atomic_load_n(&d->count, __ATOMIC_ACQUIRE);

		rang = c != *seen;
		if (rang || (rt_counter() >= deadline)) {
			*seen = c;
			break;
		}
		rt_timer_start_at(RT_TIMER_VIRT, deadline);
		__asm__ volatile("wfi\n\tmsr daifclr, #2\n\tisb\n\tmsr daifset, #2" : : : "memory");
	}
	rt_timer_stop(RT_TIMER_VIRT);
	__asm__ volatile("msr daif, %0" : : "r"(daif) : "memory");
	return rang;
}
