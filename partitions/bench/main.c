/* SPDX-License-Identifier: MIT */
/*
 * Benchmark guest: the same binary runs natively (QEMU loads it at EL1 with
 * no hypervisor) and as a Bulkhead partition. Run under `-icount shift=4`,
 * one instruction is one tick of the 62.5 MHz virtual counter, so every
 * figure below counts instructions, exactly and repeatably.
 *
 *   hypercall  null hypercall round trip (HVC BH_HC_VERSION; natively QEMU's
 *              firmware answers NOT_SUPPORTED): CNTVCT after - before
 *   timer      virtual timer set to CVAL = now + d (d varies), vCPU waits in
 *              WFI with IRQs unmasked; latency = CNTVCT read by the IRQ
 *              vector's 2nd instruction - CVAL
 *   sgi        vCPU 1 waits in WFI; vCPU 0 reads t0 = CNTVCT, sends SGI 1 to
 *              vCPU 1 and waits with WFE; latency = vCPU 1's IRQ vector
 *              CNTVCT - t0
 *
 * Each event starts with a call of the phase's marker function
 * (bench_phase_<name>, never inlined) so that a QEMU plugin can attribute
 * the instructions executed elsewhere (the hypervisor) to phases and
 * events. Output, one line per phase:
 *   result <phase>: n <events> min <ticks> median <ticks> max <ticks>
 */
#include <bulkhead/hypercall.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "bhrt.h"
#include "bhrt_gic.h"

#define EVENTS 1000u
#define WARMUP 16u
#define SGI_BENCH 1u
#define BENCH_PRIORITY 0x80u
#define TIMER_DELAY_MIN 200u
#define TIMER_DELAY_SPAN 800u
#define PTIMER_CHECK_TICKS 2000u
#define PTIMER_CHECK_TIMEOUT 2000000u

enum phase { PHASE_IDLE, PHASE_HYPERCALL, PHASE_TIMER, PHASE_SGI };

/* Written by each marker, so that no two markers are identical functions. */
volatile uint32_t bench_phase;

#define MARKER __attribute__((noipa, used))
MARKER void bench_phase_idle(void);
MARKER void bench_phase_hypercall(void);
MARKER void bench_phase_timer(void);
MARKER void bench_phase_sgi(void);
MARKER void bench_phase_idle(void) { bench_phase = PHASE_IDLE; }
MARKER void bench_phase_hypercall(void) { bench_phase = PHASE_HYPERCALL; }
MARKER void bench_phase_timer(void) { bench_phase = PHASE_TIMER; }
MARKER void bench_phase_sgi(void) { bench_phase = PHASE_SGI; }

static int64_t samples[EVENTS];

static inline uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a;
	int64_t y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Implements: REQ-IRQ-052 */
static void report(const char *name, uint32_t n)
{
	qsort(samples, n, sizeof(samples[0]), cmp_i64);
	printf("result %s: n %u min %ld median %ld max %ld\n", name, (unsigned)n, (long)samples[0],
	       (long)samples[n / 2u], (long)samples[n - 1u]);
}

/* ---- a: null hypercall ---------------------------------------------------- */

static int64_t null_hypercall(void)
{
	register uint64_t x0 __asm__("x0") = BH_HC_VERSION;
	uint64_t t0, t1;

	__asm__ volatile("isb\n\t"
			 "mrs %[t0], cntvct_el0\n\t"
			 "hvc #0\n\t"
			 "mrs %[t1], cntvct_el0"
			 : "+r"(x0), [t0] "=&r"(t0), [t1] "=r"(t1)
			 :
			 : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			   "x14", "x15", "x16", "x17", "memory");
	return (int64_t)(t1 - t0);
}

/* Implements: REQ-IRQ-052 */
static void phase_hypercall(void)
{
	bench_phase_idle();
	for (uint32_t i = 0u; i < WARMUP; i++) {
		(void)null_hypercall();
	}
	for (uint32_t i = 0u; i < EVENTS; i++) {
		bench_phase_hypercall();
		samples[i] = null_hypercall();
	}
	bench_phase_idle();
	report("hypercall", EVENTS);
}

/* ---- b: timer interrupt latency ------------------------------------------- */

static volatile uint32_t timer_fired;
static volatile uint64_t timer_entry;

static void on_timer(uint32_t intid, void *arg)
{
	enum rt_timer t = (enum rt_timer)(uintptr_t)arg;

	(void)intid;
	rt_timer_stop(t);
	timer_entry = rt_irq_entry_counter();
	timer_fired = 1u;
}

static int64_t timer_event(uint32_t i)
{
	uint64_t d = TIMER_DELAY_MIN + ((i * 37u) % TIMER_DELAY_SPAN);

	timer_fired = 0u;
	uint64_t cval = rt_timer_counter(RT_TIMER_VIRT) + d;
	rt_timer_start_at(RT_TIMER_VIRT, cval);
	while (timer_fired == 0u) {
		rt_wfi();
	}
	return (int64_t)(timer_entry - cval);
}

/* Implements: REQ-IRQ-052 */
static void phase_timer(void)
{
	(void)rt_irq_set_handler(RT_IRQ_VTIMER, on_timer, (void *)(uintptr_t)RT_TIMER_VIRT);
	rt_gic_set_priority(RT_IRQ_VTIMER, BENCH_PRIORITY);
	rt_gic_enable(RT_IRQ_VTIMER);
	rt_irq_unmask();
	bench_phase_idle();
	for (uint32_t i = 0u; i < WARMUP; i++) {
		(void)timer_event(i);
	}
	for (uint32_t i = 0u; i < EVENTS; i++) {
		bench_phase_timer();
		samples[i] = timer_event(i);
	}
	bench_phase_idle();
	rt_irq_mask();
	rt_gic_disable(RT_IRQ_VTIMER);
	report("timer", EVENTS);
}

/* The EL1 physical timer once, polled with a timeout: a functional check only. */
static void check_ptimer(void)
{
	(void)rt_irq_set_handler(RT_IRQ_PTIMER, on_timer, (void *)(uintptr_t)RT_TIMER_PHYS);
	rt_gic_set_priority(RT_IRQ_PTIMER, BENCH_PRIORITY);
	rt_gic_enable(RT_IRQ_PTIMER);
	timer_fired = 0u;
	uint64_t cval = rt_timer_counter(RT_TIMER_PHYS) + PTIMER_CHECK_TICKS;
	rt_timer_start_at(RT_TIMER_PHYS, cval);
	rt_irq_unmask();
	uint64_t end = rt_counter() + PTIMER_CHECK_TIMEOUT;
	while ((timer_fired == 0u) && (rt_counter() < end)) {
	}
	rt_irq_mask();
	rt_timer_stop(RT_TIMER_PHYS);
	rt_gic_disable(RT_IRQ_PTIMER);
	printf("check ptimer: %s\n", (timer_fired != 0u) ? "ok" : "no interrupt");
}

/* ---- c: SGI between two vCPUs --------------------------------------------- */

static volatile uint32_t sgi_armed;    /* vCPU 1 is about to wait (or waits) in WFI */
static volatile uint32_t sgi_done;     /* vCPU 1 took the SGI */
static volatile uint32_t sgi_stop;
static volatile uint32_t sgi_ready;    /* vCPU 1: 1 ready, 2 GIC failed */
static volatile uint64_t sgi_entry;

static void on_sgi(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	sgi_entry = rt_irq_entry_counter();
	sgi_armed = 0u;
	__atomic_store_n(&sgi_done, 1u, __ATOMIC_RELEASE);
	__asm__ volatile("sev");
}

static void sgi_receiver(uint64_t arg)
{
	(void)arg;
	if (rt_gic_init() < 0) {
		__atomic_store_n(&sgi_ready, 2u, __ATOMIC_RELEASE);
		return;
	}
	(void)rt_irq_set_handler(SGI_BENCH, on_sgi, NULL);
	rt_gic_set_priority(SGI_BENCH, BENCH_PRIORITY);
	rt_gic_enable(SGI_BENCH);
	__atomic_store_n(&sgi_ready, 1u, __ATOMIC_RELEASE);
	rt_irq_unmask();
	while (__atomic_load_n(&sgi_stop, __ATOMIC_ACQUIRE) == 0u) {
		sgi_armed = 1u;
		rt_wfi();
	}
	rt_irq_mask();
	rt_gic_disable(SGI_BENCH);
}

static void wfe(void)
{
	__asm__ volatile("wfe" : : : "memory");
}

static int64_t sgi_event(const struct rt_gic_sgi *sgi)
{
	/* vCPU 1 must be in its WFI: it said it is about to wait; one more
	 * yield lets it get there. */
	while (sgi_armed == 0u) {
		wfe();
	}
	wfe();
	sgi_done = 0u;
	uint64_t t0 = counter();
	rt_gic_sgi_fire(sgi);
	while (__atomic_load_n(&sgi_done, __ATOMIC_ACQUIRE) == 0u) {
		wfe();
	}
	return (int64_t)(sgi_entry - t0);
}

/* Implements: REQ-IRQ-052 */
static void phase_sgi(const struct rt_info *info)
{
	if (info->n_vcpus < 2u) {
		printf("result sgi: skipped (needs 2 vCPUs, have %u)\n", (unsigned)info->n_vcpus);
		return;
	}
	int r = rt_cpu_on(1u, sgi_receiver, 0u);
	if (r != 0) {
		printf("result sgi: skipped (CPU_ON vCPU 1: %d)\n", r);
		return;
	}
	while (__atomic_load_n(&sgi_ready, __ATOMIC_ACQUIRE) == 0u) {
		wfe();
	}
	if (sgi_ready != 1u) {
		printf("result sgi: skipped (vCPU 1 has no GIC)\n");
		return;
	}
	uint64_t target = 1u; /* vCPU 1: MPIDR Aff0 = 1 */
	struct rt_gic_sgi sgi;
	(void)rt_gic_sgi_prepare(&sgi, SGI_BENCH, target);
	bench_phase_idle();
	for (uint32_t i = 0u; i < WARMUP; i++) {
		(void)sgi_event(&sgi);
	}
	for (uint32_t i = 0u; i < EVENTS; i++) {
		bench_phase_sgi();
		samples[i] = sgi_event(&sgi);
	}
	bench_phase_idle();
	__atomic_store_n(&sgi_stop, 1u, __ATOMIC_RELEASE);
	(void)rt_gic_send_sgi(SGI_BENCH, target);
	while (rt_affinity_info(1u) != 1) {
		wfe();
	}
	report("sgi", EVENTS);
}

/* Implements: REQ-IRQ-052 */
int main(void)
{
	struct rt_info info = rt_partition_info();

	bench_phase_idle();
	printf("bench: %s, %u vCPUs, counter %lu Hz\n", rt_native() ? "native" : "bulkhead",
	       (unsigned)info.n_vcpus, (unsigned long)rt_counter_hz());
	phase_hypercall();
	/* The GIC only now: the hypercall figure does not depend on it. */
	int gic = rt_gic_init();
	printf("gic: version %d\n", gic);
	if (gic < 0) {
		printf("result timer: skipped (no GIC)\n");
		printf("result sgi: skipped (no GIC)\n");
	} else {
		phase_timer();
		check_ptimer();
		phase_sgi(&info);
	}
	printf("unhandled interrupts: %u\n", (unsigned)rt_irq_unhandled());
	printf("bench done\n");
	return 0;
}
