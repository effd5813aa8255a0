/* SPDX-License-Identifier: MIT */
/*
 * Demo partition: says who it is, proves its memory view by writing and
 * reading back a pattern over all of its free RAM, starts its other vCPUs,
 * beats on its virtual timer's interrupt, exchanges SGIs between its vCPUs,
 * takes the alarm interrupt of a passed-through PL031 RTC when its device
 * tree shows one, and stops itself (bootargs "reset-once=1": restarts itself
 * once first, PSCI SYSTEM_RESET, leaving interrupts enabled and pending for
 * its second life to find cleared, and a marker in the last word of its free
 * RAM for its second life to report kept or zeroed: scrub-on-restart).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "bhrt.h"
#include "bhrt_gic.h"

#define HEARTBEATS 5
#define LAST_LIFE_MARKER UINT64_C(0x4546494c2d54534c)   /* "LST-LIFE" */
#define HEARTBEAT_US 20000u
#define SGI_PING 1u
#define SGI_PONG 2u

/* PL031 real-time clock */
#define RTC_DR 0x00u
#define RTC_MR 0x04u
#define RTC_IMSC 0x10u
#define RTC_ICR 0x1cu
#define RTC_WAIT_S 3u
#define GICD_IROUTER 0x6000u
#define GICD_IROUTER_IRM (1u << 31)

struct vcpu_state {
	volatile uint32_t ticks;
	volatile uint32_t pongs;
};

static struct vcpu_state vcpus[8];
static volatile uint32_t secondaries_done;
static volatile uint32_t pings_done;
static volatile uint32_t rtc_alarms;
static uint64_t rtc_base;

static uint32_t mmio_read(uint64_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

static void mmio_write(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)addr = v;
}

/* Every 64-bit word gets a value derived from its own address. */
static uint64_t memory_test(uint64_t *start, uint64_t *end)
{
	uint64_t errors = 0;

	for (uint64_t *p = start; p < end; p++) {
		*p = (uint64_t)(uintptr_t)p ^ 0x5a5a5a5aa5a5a5a5ull;
	}
	for (uint64_t *p = start; p < end; p++) {
		if (*p != ((uint64_t)(uintptr_t)p ^ 0x5a5a5a5aa5a5a5a5ull)) {
			errors++;
		}
	}
	return errors;
}

static uint64_t timer_period(void)
{
	return (rt_counter_hz() * HEARTBEAT_US) / 1000000u;
}

/* The calling vCPU's state: SGIs and PPIs are per vCPU. */
static struct vcpu_state *this_vcpu(void)
{
	return &vcpus[rt_mpidr() & 7u];
}

static void on_timer(uint32_t intid, void *arg)
{
	struct vcpu_state *s = this_vcpu();

	(void)intid;
	(void)arg;
	s->ticks++;
	rt_timer_start_at(RT_TIMER_VIRT, rt_timer_cval(RT_TIMER_VIRT) + timer_period());
}

/* vCPU 0 pings, the others answer: both directions cross cores in the partition. */
static void on_ping(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	rt_gic_send_sgi(SGI_PONG, 0);
}

static void on_pong(uint32_t intid, void *arg)
{
	struct vcpu_state *s = this_vcpu();

	(void)intid;
	(void)arg;
	s->pongs++;
}

static void on_rtc(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	mmio_write(rtc_base + RTC_ICR, 1u);
	rtc_alarms++;
}

/* What a previous life left in the interrupt controller: the restart must have cleared it. */
static void report_leftovers(uint32_t rtc_irq)
{
	uint32_t ids[2] = { RT_IRQ_VTIMER, rtc_irq };
	uint32_t enabled = 0, pending = 0, prioritised = 0;

	for (uint32_t i = 0; i < 2u; i++) {
		if (ids[i] != 0u) {
			enabled += rt_gic_enabled(ids[i]) ? 1u : 0u;
			pending += rt_gic_pending(ids[i]) ? 1u : 0u;
			prioritised += (rt_gic_priority(ids[i]) != 0u) ? 1u : 0u;
		}
	}
	printf("interrupts left from before: %u enabled, %u pending, %u with a priority\n", (unsigned)enabled,
	       (unsigned)pending, (unsigned)prioritised);
	if ((rtc_irq != 0u) && (rt_gic_version() == 3)) {
		/* GICD_IROUTER<n>: Aff0, the vCPU it is routed to, and IRM (bit 31), "any vCPU". */
		uint32_t router = mmio_read(RT_GICD_BASE + GICD_IROUTER + (8u * (uint64_t)rtc_irq));
		printf("RTC interrupt routed to vCPU %u, routing mode %u\n", (unsigned)(router & 0xffu),
		       (unsigned)(router >> 31));
	}
}

static void start_interrupts(void)
{
	rt_gic_init();
	rt_irq_set_handler(RT_IRQ_VTIMER, on_timer, NULL);
	rt_irq_set_handler(SGI_PING, on_ping, NULL);
	rt_irq_set_handler(SGI_PONG, on_pong, NULL);
	rt_gic_enable(RT_IRQ_VTIMER);
	rt_gic_enable(SGI_PING);
	rt_gic_enable(SGI_PONG);
	rt_timer_start_at(RT_TIMER_VIRT, rt_counter() + timer_period());
	rt_irq_unmask();
}

static void wait_ticks(struct vcpu_state *s, uint32_t n)
{
	while (s->ticks < n) {
		rt_wfi();
	}
}

static void secondary(uint64_t vcpu)
{
	struct vcpu_state *s = &vcpus[vcpu];

	rt_printf("vCPU %u online\n", (unsigned)vcpu);
	start_interrupts();
	for (uint32_t i = 1; i <= HEARTBEATS; i++) {
		wait_ticks(s, i);
		rt_printf("vCPU %u heartbeat %u\n", (unsigned)vcpu, (unsigned)i);
	}
	rt_timer_stop(RT_TIMER_VIRT);
	/* Keep answering pings until vCPU 0 has sent them all. */
	while (__atomic_load_n(&pings_done, __ATOMIC_ACQUIRE) == 0u) {
		rt_delay_us(100);
	}
	rt_irq_mask();
	__atomic_fetch_add(&secondaries_done, 1u, __ATOMIC_RELEASE);
}

/* The RTC and its interrupt, if the guest device tree hands one over. */
static uint32_t find_rtc(void)
{
	uint32_t len = 0;
	const uint8_t *reg = rt_fdt_property("rtc@9010000", "reg", &len);
	const uint8_t *irq;

	if ((reg == NULL) || (len < 8)) {
		return 0;
	}
	rtc_base = ((uint64_t)reg[4] << 24) | ((uint64_t)reg[5] << 16) | ((uint64_t)reg[6] << 8) | reg[7];
	irq = rt_fdt_property("rtc@9010000", "interrupts", &len);
	if ((irq == NULL) || (len < 12)) {
		return 0;
	}
	/* <GIC_SPI n flags>: INTID = 32 + n */
	return 32u + (((uint32_t)irq[4] << 24) | ((uint32_t)irq[5] << 16) | ((uint32_t)irq[6] << 8) | irq[7]);
}

static void arm_rtc_alarm(uint32_t intid)
{
	rt_irq_set_handler(intid, on_rtc, NULL);
	rt_gic_route(intid, rt_mpidr());
	rt_gic_enable(intid);
	mmio_write(rtc_base + RTC_ICR, 1u);
	mmio_write(rtc_base + RTC_MR, mmio_read(rtc_base + RTC_DR) + 1u);
	mmio_write(rtc_base + RTC_IMSC, 1u);
}

int main(void)
{
	struct rt_info info = rt_partition_info();
	struct vcpu_state *self = &vcpus[0];
	uintptr_t ram = (uintptr_t)__ram_start;
	uintptr_t ram_end = (uintptr_t)__ram_end;
	uintptr_t free = (uintptr_t)__free_start;
	uintptr_t free_end = (uintptr_t)__free_end;
	/* Before the memory test: the device tree lies in free RAM. */
	uint32_t rtc_irq = find_rtc();
	bool reset_once = rt_bootarg("reset-once", 0) != 0;

	printf("hello: partition %u, vCPU %u of %u, restart %u\n", (unsigned)info.partition,
	       (unsigned)info.vcpu, (unsigned)info.n_vcpus, (unsigned)info.restarts);
	printf("RAM 0x%08lx-0x%08lx (%lu KiB)\n", (unsigned long)ram, (unsigned long)(ram_end - 1),
	       (unsigned long)((ram_end - ram) >> 10));

	/* Before the memory test overwrites it: what the last life left at the end of free RAM. */
	volatile uint64_t *marker = (volatile uint64_t *)(free_end - sizeof(uint64_t));
	if (reset_once && (info.restarts != 0)) {
		printf("the last life's marker: %s\n", *marker == LAST_LIFE_MARKER ? "kept" : *marker == 0 ? "zeroed" : "changed");
	}

	uint64_t errors = memory_test((uint64_t *)free, (uint64_t *)free_end);
	printf("memory test 0x%08lx-0x%08lx: %s (%lu errors)\n", (unsigned long)free,
	       (unsigned long)(free_end - 1), errors == 0 ? "passed" : "FAILED", (unsigned long)errors);

	if (reset_once) {
		rt_gic_init();
		report_leftovers(rtc_irq);
	}
	start_interrupts();
	if (rtc_irq != 0) {
		arm_rtc_alarm(rtc_irq);
		printf("RTC at 0x%08lx, alarm interrupt %u armed\n", (unsigned long)rtc_base, (unsigned)rtc_irq);
	}
	uint32_t started = 0;
	for (uint32_t v = 1; v < info.n_vcpus; v++) {
		int r = rt_cpu_on(v, secondary, v);
		printf("CPU_ON vCPU %u: %d\n", (unsigned)v, r);
		started += (r == 0) ? 1u : 0u;
	}
	for (uint32_t i = 1; i <= HEARTBEATS; i++) {
		wait_ticks(self, i);
		printf("heartbeat %u\n", (unsigned)i);
	}
	printf("timer: %u interrupts\n", (unsigned)self->ticks);

	/* Ping every vCPU, ourselves included, and wait for each answer. */
	for (uint32_t v = 0; v < info.n_vcpus; v++) {
		uint32_t before = self->pongs;
		uint64_t deadline = rt_counter() + rt_counter_hz();
		rt_gic_send_sgi(SGI_PING, v);
		while ((self->pongs == before) && (rt_counter() < deadline)) {
			rt_wfi();
		}
		printf("SGI to vCPU %u: %s\n", (unsigned)v, self->pongs != before ? "answered" : "NO ANSWER");
	}
	if (rtc_irq != 0) {
		uint64_t deadline = rt_counter() + RTC_WAIT_S * rt_counter_hz();
		while ((rtc_alarms == 0) && (rt_counter() < deadline)) {
			rt_wfi();
		}
		printf("RTC alarm interrupt %u: %s\n", (unsigned)rtc_irq, rtc_alarms != 0 ? "received" : "MISSING");
	}
	rt_timer_stop(RT_TIMER_VIRT);
	__atomic_store_n(&pings_done, 1u, __ATOMIC_RELEASE);
	while (__atomic_load_n(&secondaries_done, __ATOMIC_ACQUIRE) < started) {
		rt_delay_us(100);
	}
	rt_irq_mask();
	if (reset_once && (info.restarts == 0)) {
		/* Masked at the CPU: both stay enabled and pending into the reset. */
		rt_gic_set_pending(RT_IRQ_VTIMER);
		rt_gic_enable(RT_IRQ_VTIMER);
		rt_gic_set_priority(RT_IRQ_VTIMER, 0x40u);
		if (rtc_irq != 0) {
			rt_gic_set_pending(rtc_irq);
			rt_gic_set_priority(rtc_irq, 0x40u);
			rt_gic_route(rtc_irq, info.n_vcpus - 1u);
			if (rt_gic_version() == 3) {
				/* And "any vCPU" (IRM) on top: the next life must find the mode reset too. */
				mmio_write(RT_GICD_BASE + GICD_IROUTER + (8u * (uint64_t)rtc_irq), GICD_IROUTER_IRM);
			}
		}
		*marker = LAST_LIFE_MARKER;
		printf("resetting\n");
		fflush(stdout);
		rt_system_reset();
	}
	printf("done\n");
	return 0;
}
