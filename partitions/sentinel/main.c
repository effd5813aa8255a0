/* SPDX-License-Identifier: MIT */
/*
 * Sentinel: the victim that the hostile suite and the interrupt attack tests
 * run beside an attacker, measuring whether anything reaches it.
 *
 * Two vCPUs. vCPU 0 takes its virtual timer on a schedule fixed in absolute
 * system-counter time (tick i at t0 + i * period, so an attacker that reads
 * the same counter knows the schedule), and at each tick raises the PL031
 * RTC's alarm, a level-triggered SPI routed to vCPU 1, and sends SGI 1 to
 * vCPU 1. vCPU 1 takes both: an SPI entry either finds the RTC asserting and
 * clears it, or is a duplicate (taken while the device does not assert).
 * Every `window` ticks make a window; for each the sentinel keeps the ticks,
 * the worst timer latency and the worst gap between two ticks, the SPIs,
 * duplicates and worst SPI latency, the SGIs and worst SGI latency (all in
 * counter ticks, from the counter the IRQ vector reads). It prints nothing
 * until the last window has ended, so that it never waits for the console
 * while it measures, then one line per window:
 *
 *   window W: ticks T, latency L, gap G, spi S, dup D, spi-latency LS, sgi N, sgi-latency LG
 *
 * bootargs: t0= (system counter, the start of window 0), period= (counter
 * ticks), window= (ticks per window), windows=, spi= (the RTC's SPI),
 * hold= (microseconds vCPU 1 keeps each SPI active before it clears the
 * device; 0 by default).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "bhrt.h"
#include "bhrt_gic.h"

#define RTC_BASE 0x09010000u
#define RTC_DR 0x00u
#define RTC_MR 0x04u
#define RTC_IMSC 0x10u
#define RTC_RIS 0x14u
#define RTC_MIS 0x18u
#define RTC_ICR 0x1cu
#define SGI_BEAT 1u
#define MAX_WINDOWS 256u

struct window {
	uint32_t ticks, spis, dups, sgis;
	uint64_t latency, gap, spi_latency, sgi_latency;   /* worst of the window */
};

static struct window windows[MAX_WINDOWS];
static uint64_t period;
static uint32_t per_window;
static uint32_t n_windows;
static uint64_t hold_ticks;

/* Written by vCPU 0 at each tick, read by vCPU 1's handlers. */
static volatile uint32_t tick;           /* ticks taken so far */
static volatile uint32_t alarm_tick;     /* the tick of the latest alarm */
static volatile uint64_t spi_raised_at;  /* virtual counter just before the alarm */
static volatile uint32_t beat_tick;      /* the tick of the latest SGI */
static volatile uint64_t sgi_sent_at;    /* virtual counter just before the SGI */
static volatile uint32_t spi_taken;      /* written by vCPU 1: tick + 1 of the latest SPI taken */
static volatile uint32_t beat_taken;     /* written by vCPU 1: tick + 1 of the latest SGI taken */
static uint64_t deadline;                /* virtual counter of the next tick */
static uint64_t last_entry;

static uint32_t rd(uint32_t reg)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"((uint64_t)RTC_BASE + reg) : "memory");
	return v;
}

static void wr(uint32_t reg, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"((uint64_t)RTC_BASE + reg) : "memory");
}

static struct window *window_of(uint32_t n)
{
	return &windows[(n / per_window) % MAX_WINDOWS];
}

/* The worst of `*w` and the time from `from` to `to` (0 if `to` is earlier:
 * a late delivery of an earlier event, in real-time runs on a loaded host). */
static void worst(uint64_t *w, uint64_t from, uint64_t to)
{
	uint64_t v = (to > from) ? (to - from) : 0u;

	if (v > *w) {
		*w = v;
	}
}

static void barrier(void)
{
	/* Orders normal memory against the device's registers. */
	__asm__ volatile("dsb sy" : : : "memory");
}

/* An alarm at the current second fires at once (QEMU's PL031 as the
 * hardware: the match is checked when MR is written). If the second moved
 * between the read and the write, it did not fire: try again. */
static void raise_alarm(uint32_t n)
{
	alarm_tick = n;
	for (uint32_t attempt = 0u; attempt < 4u; attempt++) {
		spi_raised_at = rt_counter();
		wr(RTC_MR, rd(RTC_DR));
		/* vCPU 1 notes the SPI before it clears the device: asserting, or taken. */
		barrier();
		if (spi_taken == (n + 1u)) {
			return;
		}
		bool asserting = (rd(RTC_RIS) & 1u) != 0u;
		barrier();
		if (asserting || (spi_taken == (n + 1u))) {
			return;
		}
	}
}

static volatile bool rearm;              /* on_tick ran: main arms the next tick */

/* The timer is stopped here and armed again by main once the interrupt has
 * ended: a deadline that passed during the handler (under -icount QEMU may
 * run the other cores in the middle of it) would leave the timer's level
 * line asserted through the EOI, which QEMU's GICv2 never makes pending
 * again (docs/interrupts.md). */
static void on_tick(uint32_t intid, void *arg)
{
	uint64_t entry = rt_irq_entry_counter();
	uint32_t n = tick;
	struct window *w = window_of(n);

	(void)intid;
	(void)arg;
	rt_timer_stop(RT_TIMER_VIRT);
	worst(&w->latency, deadline, entry);
	if (n != 0u) {
		worst(&w->gap, last_entry, entry);
	}
	last_entry = entry;
	w->ticks++;
	raise_alarm(n);
	beat_tick = n;
	sgi_sent_at = rt_counter();
	rt_gic_send_sgi(SGI_BEAT, 1u);
	tick = n + 1u;
	rearm = true;
}

/* Waits for the ticks; one more than the windows hold, so that the last
 * measured tick is followed by a wait for the next, as every other. */
static void run_ticks(void)
{
	uint32_t total = n_windows * per_window;

	rt_timer_start_at(RT_TIMER_VIRT, deadline);
	while (tick <= total) {
		rt_irq_mask();
		if (rearm) {
			rearm = false;
			deadline += period;
			rt_timer_start_at(RT_TIMER_VIRT, deadline);
		}
		/* Masked: an interrupt already pending ends the WFI at once. */
		rt_wfi();
		rt_irq_unmask();
		__asm__ volatile("isb" : : : "memory");
	}
	rt_irq_mask();
	rt_timer_stop(RT_TIMER_VIRT);
}

static void on_alarm(uint32_t intid, void *arg)
{
	uint64_t entry = rt_irq_entry_counter();
	uint32_t n = alarm_tick;
	struct window *w = window_of(n);

	(void)intid;
	(void)arg;
	if ((rd(RTC_MIS) & 1u) == 0u) {
		/* Taken while the device does not assert it: a duplicate delivery. */
		w->dups++;
		return;
	}
	w->spis++;
	worst(&w->spi_latency, spi_raised_at, entry);
	spi_taken = n + 1u;
	barrier();
	if (hold_ticks != 0u) {
		uint64_t until = rt_counter() + hold_ticks;
		while (rt_counter() < until) {
		}
	}
	wr(RTC_ICR, 1u);
}

static void on_beat(uint32_t intid, void *arg)
{
	uint64_t entry = rt_irq_entry_counter();
	struct window *w = window_of(beat_tick);

	(void)intid;
	(void)arg;
	w->sgis++;
	worst(&w->sgi_latency, sgi_sent_at, entry);
	beat_taken = beat_tick + 1u;
}

static volatile uint32_t second_ready;
static volatile uint32_t finished;

static void second(uint64_t arg)
{
	(void)arg;
	rt_gic_init();
	rt_irq_set_handler(SGI_BEAT, on_beat, NULL);
	rt_gic_enable(SGI_BEAT);
	second_ready = 1u;
	rt_irq_unmask();
	while (finished == 0u) {
		rt_wfi();
	}
}

static uint64_t physical_counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(v) : : "memory");
	return v;
}

int main(void)
{
	uint32_t spi = (uint32_t)rt_bootarg("spi", 34);
	uint64_t t0 = rt_bootarg("t0", 0);

	period = rt_bootarg("period", 20000);
	per_window = (uint32_t)rt_bootarg("window", 50);
	n_windows = (uint32_t)rt_bootarg("windows", 4);
	hold_ticks = (rt_bootarg("hold", 0) * rt_counter_hz()) / 1000000u;
	if ((n_windows >= MAX_WINDOWS) || (per_window == 0u)) {
		printf("sentinel: bad bootargs\n");
		return 1;
	}
	rt_gic_init();
	rt_irq_set_handler(RT_IRQ_VTIMER, on_tick, NULL);
	rt_gic_enable(RT_IRQ_VTIMER);
	rt_irq_set_handler(spi, on_alarm, NULL);
	rt_gic_set_edge(spi, false);
	rt_gic_route(spi, 1u);
	rt_gic_enable(spi);
	wr(RTC_IMSC, 1u);
	wr(RTC_ICR, 1u);
	if (rt_cpu_on(1, second, 0) != 0) {
		printf("sentinel: vCPU 1 did not start\n");
		return 1;
	}
	/* Not a bare spin: under -icount QEMU runs the cores in turn, and a
	 * spinning core would keep vCPU 1's from ever starting. */
	while (second_ready == 0u) {
		__asm__ volatile("yield" : : : "memory");
	}
	/* The schedule in virtual counter time: the virtual counter runs
	 * behind the system counter by the partition's start. */
	uint64_t offset = physical_counter() - rt_counter();
	if (physical_counter() >= t0) {
		printf("sentinel: started after t0 (%lu >= %lu)\n", (unsigned long)physical_counter(),
		       (unsigned long)t0);
		return 1;
	}
	deadline = t0 - offset;
	run_ticks();
	/* vCPU 1's last SPI and SGI, for at most a period. */
	uint64_t until = rt_counter() + period;
	while (((spi_taken != tick) || (beat_taken != tick)) && (rt_counter() < until)) {
		__asm__ volatile("yield" : : : "memory");
	}
	finished = 1u;
	for (uint32_t i = 0u; i < n_windows; i++) {
		const struct window *w = &windows[i];
		printf("window %u: ticks %u, latency %lu, gap %lu, spi %u, dup %u, spi-latency %lu, sgi %u, "
		       "sgi-latency %lu\n", (unsigned)i, (unsigned)w->ticks, (unsigned long)w->latency,
		       (unsigned long)w->gap, (unsigned)w->spis, (unsigned)w->dups, (unsigned long)w->spi_latency,
		       (unsigned)w->sgis, (unsigned long)w->sgi_latency);
	}
	printf("sentinel: %u windows of %u ticks done\n", (unsigned)n_windows, (unsigned)per_window);
	return 0;
}
