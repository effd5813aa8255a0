/* SPDX-License-Identifier: MIT */
/*
 * The hostile suite's attacker: attack vectors run one after another beside
 * the sentinel (partitions/sentinel), each in its own window of the
 * sentinel's schedule, so that the test can compare what the sentinel
 * measured in that window with the control windows before the first vector.
 *
 * The schedule is absolute system-counter time (bootargs t0=, period=,
 * window= as the sentinel's; first=, the first attack window), so the
 * attacker needs no channel to the victim. A vector that faults the attacker
 * ends its life: the hypervisor restarts it (fault policy "restart") and the
 * new life finds, from the counter, the first vector whose window is still
 * ahead. For each vector the attacker prints
 *
 *   vector N windows A-B life L expects E: NAME
 *   vector N: as expected|UNEXPECTED ...|ESCAPE ... (call +a, register +b, interrupt +c, console +d, EL1 +e)
 *
 * the second line only if the vector returns (a faulting one does not). The
 * incident counts come from the hypervisor (BH_HC_INCIDENTS), the EL1
 * exceptions from the runtime's exception hook. Other bootargs: victim=,
 * hyp= (host-physical addresses to attack), ro=, nx= (its own read-only
 * and non-executable regions), spi= (the victim's), direct=1 (its own
 * delivery), only=N (the two controls and vector N alone: to study one),
 * attack=1|2 (instead of the suite, one of issue 9's two
 * attacks, again and again, until the sentinel's last window: 1, EOImode 1
 * and ICC_DIR_EL1 of the victim's SPI; 2, ICC_EOIR1_EL1 of it).
 */
#include <bulkhead/hypercall.h>
#include <stdio.h>
#include "bhrt.h"
#include "bhrt_gic.h"
#include "hostile.h"

#define MAX_VECTORS 160u
#define KINDS 4u   /* call, register, interrupt, console: what a vector's own actions cause */

static const struct vector *plan[MAX_VECTORS];
static uint32_t plan_start[MAX_VECTORS];   /* first window of each vector */
static uint32_t n_plan;
static volatile uint32_t exceptions;
static uint64_t t0;
static uint64_t window_ticks;

uint64_t now(void)
{
	uint64_t v;

	/* YIELD: under -icount QEMU runs the cores in turn, and a core that
	 * never yields nor waits can keep the others from running for as long
	 * as no timer is due; every loop of a vector reads the clock. */
	__asm__ volatile("yield\n\tisb\n\tmrs %0, cntpct_el0" : "=r"(v) : : "memory");
	return v;
}

bool past_deadline(const struct ctx *c)
{
	return now() >= c->deadline;
}

uint32_t el1_exceptions(void)
{
	return exceptions;
}

/* Exceptions the vectors provoke at EL1 (undefined instructions, alignment
 * and debug exceptions) are counted and stepped over. */
static bool on_exception(uint64_t esr, uint64_t elr, uint64_t far)
{
	uint32_t ec = (uint32_t)(esr >> 26);

	(void)elr;
	(void)far;
	exceptions++;
	/* An instruction abort cannot be stepped over: let the runtime stop. */
	return (ec != 0x20u) && (ec != 0x21u);
}

int64_t call3(bool smc, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct rt_smccc_res r = smc ? rt_smc(fid, a1, a2, a3) : rt_hvc(fid, a1, a2, a3);

	return r.x0;
}

static uint64_t incidents(uint32_t kind)
{
	return rt_hvc(BH_HC_INCIDENTS, kind, 0, 0).x1;
}

/* The physical timer, used only to sleep until a window starts. */
static void on_wake(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	rt_timer_stop(RT_TIMER_PHYS);
}

void restore_wake_handler(void)
{
	rt_irq_set_handler(RT_IRQ_PTIMER, on_wake, NULL);
	rt_gic_enable(RT_IRQ_PTIMER);
}

static void sleep_until(uint64_t t)
{
	while (now() < t) {
		rt_timer_start_at(RT_TIMER_PHYS, t);
		rt_irq_unmask();
		rt_wfi();
		rt_irq_mask();
	}
	rt_timer_stop(RT_TIMER_PHYS);
}

static uint64_t window_start(uint32_t w)
{
	return t0 + ((uint64_t)w * window_ticks);
}

/* Control windows: the attacker idle, then busy at EL1 without calling the
 * hypervisor. QEMU runs the cores in turn, and whether another core is
 * busy shifts the victim's latencies by a few instructions: the controls
 * show both. */
static void idle(struct ctx *c)
{
	(void)c;
}

static void busy(struct ctx *c)
{
	uint64_t x = 0u;

	while (!past_deadline(c)) {
		for (uint32_t i = 0u; i < 1000u; i++) {
			x = (x * 6364136223846793005ull) + 1u;
		}
	}
	c->detail = x;
}

static const struct vector controls[] = {
	{ "control: idle", ON_ANY, EXPECT_NOTHING, 0, 0, 1, idle },
	{ "control: busy", ON_ANY, EXPECT_NOTHING, 0, 0, 1, busy },
	{ NULL, 0, EXPECT_ANY, 0, 0, 0, NULL },
};

static void add_vectors(const struct vector *list, uint32_t config, uint32_t *window)
{
	for (const struct vector *v = list; v->name != NULL; v++) {
		bool gic_ok = (v->on & config & ON_ANY_GIC) != 0u;
		bool mode_ok = (v->on & config & (ON_MEDIATED | ON_DIRECT)) != 0u;
		if (gic_ok && mode_ok && (n_plan < MAX_VECTORS)) {
			plan[n_plan] = v;
			plan_start[n_plan] = *window;
			*window += v->windows;
			n_plan++;
		}
	}
}

static const char *const expectations[] = {
	[EXPECT_FAULT] = "fault",
	[EXPECT_RESTART] = "restart",
	[EXPECT_REFUSED] = "refusal",
	[EXPECT_EL1] = "EL1 exception",
	[EXPECT_NOTHING] = "nothing",
	[EXPECT_ANY] = "containment",
};

static const char *judge(const struct vector *v, const struct ctx *c, const uint64_t delta[KINDS],
			 uint32_t el1, bool overran)
{
	uint64_t any = delta[0] | delta[1] | delta[2] | delta[3];

	if (c->escape != NULL) {
		return "ESCAPE";
	}
	if (overran) {
		return "UNEXPECTED (overran its window)";
	}
	switch (v->expect) {
	case EXPECT_REFUSED:
		return (delta[v->kind] >= v->count) ? "as expected" : "UNEXPECTED (not refused as expected)";
	case EXPECT_EL1:
		return ((el1 != 0u) && (any == 0u)) ? "as expected" : "UNEXPECTED (no exception at EL1)";
	case EXPECT_NOTHING:
		return ((el1 == 0u) && (any == 0u)) ? "as expected" : "UNEXPECTED (incidents or exceptions)";
	case EXPECT_ANY:
		return "as expected";
	default:
		return "UNEXPECTED (returned)";
	}
}

static void run_vector(uint32_t i, struct ctx *c, uint32_t life)
{
	const struct vector *v = plan[i];
	uint64_t before[KINDS];
	uint64_t delta[KINDS];
	uint64_t end = window_start(plan_start[i] + v->windows);

	sleep_until(window_start(plan_start[i]));
	rt_printf("vector %u windows %u-%u life %u expects %s: %s\n", (unsigned)i, (unsigned)plan_start[i],
		  (unsigned)(plan_start[i] + v->windows - 1u), (unsigned)life, expectations[v->expect], v->name);
	for (uint32_t k = 0u; k < KINDS; k++) {
		before[k] = incidents(k);
	}
	uint32_t el1 = exceptions;
	/* Stop a twentieth of a window early: the next window starts clean. */
	c->deadline = end - (window_ticks / 20u);
	c->escape = NULL;
	c->detail = 0u;
	v->run(c);
	restore_wake_handler();
	bool overran = now() >= end;
	el1 = exceptions - el1;
	for (uint32_t k = 0u; k < KINDS; k++) {
		delta[k] = incidents(k) - before[k];
	}
	rt_printf("vector %u: %s%s%s (call +%lu, register +%lu, interrupt +%lu, console +%lu, EL1 +%u, detail %lu)\n",
		  (unsigned)i, judge(v, c, delta, el1, overran), (c->escape != NULL) ? ": " : "",
		  (c->escape != NULL) ? c->escape : "", (unsigned long)delta[0], (unsigned long)delta[1],
		  (unsigned long)delta[2], (unsigned long)delta[3], (unsigned)el1, (unsigned long)c->detail);
}

/* attack=N: one attack again and again until the sentinel's last window. */
static void repeat_attack(uint32_t attack, struct ctx *c, uint32_t windows)
{
	uint64_t end = window_start(windows);
	uint32_t rounds = 0u;

	sleep_until(window_start(0));
	rt_printf("attack %u: %s, until window %u\n", (unsigned)attack,
		  (attack == 1u) ? "EOImode 1, ICC_DIR_EL1 of the victim's SPI" : "ICC_EOIR1_EL1 of the victim's SPI",
		  (unsigned)windows);
	c->detail = 0u;
	while (now() < end) {
		c->deadline = end;
		if (attack == 1u) {
			eoimode_dir_victim(c);
		} else {
			eoir_victim_direct(c);
		}
		rounds++;
	}
	rt_printf("attack %u: %u rounds done (%lu EOIs of the victim's SPI)\n", (unsigned)attack, (unsigned)rounds,
		  (unsigned long)c->detail);
}

int main(void)
{
	struct rt_info info = rt_partition_info();
	struct ctx c = {
		.victim = rt_bootarg("victim", 0),
		.hyp = rt_bootarg("hyp", 0),
		.ro = rt_bootarg("ro", 0),
		.nx = rt_bootarg("nx", 0),
		.spi = (uint32_t)rt_bootarg("spi", 34),
		.direct = rt_bootarg("direct", 0) != 0u,
	};
	uint32_t first = (uint32_t)rt_bootarg("first", 2);
	uint32_t attack = (uint32_t)rt_bootarg("attack", 0);
	uint32_t only = (uint32_t)rt_bootarg("only", 0);

	t0 = rt_bootarg("t0", 0);
	window_ticks = rt_bootarg("period", 20000) * rt_bootarg("window", 50);
	c.gic = rt_gic_init();
	rt_set_exception_hook(on_exception);
	restore_wake_handler();

	uint32_t config = ((c.gic == 3) ? ON_GICV3 : ON_GICV2) | (c.direct ? ON_DIRECT : ON_MEDIATED);
	uint32_t window = first;
	add_vectors(controls, config, &window);
	add_vectors(memory_vectors, config, &window);
	add_vectors(call_vectors, config, &window);
	add_vectors(system_vectors, config, &window);
	add_vectors(gic_vectors, config, &window);
	if (only != 0u) {
		/* only=N: the controls and vector N, to study one vector alone. */
		uint32_t span = plan[only]->windows;
		plan[2] = plan[only];
		plan_start[2] = plan_start[1] + 1u;
		n_plan = 3u;
		window = plan_start[2] + span;
	}
	if ((info.restarts == 0u) && (attack == 0u)) {
		rt_printf("hostile: %u vectors for GICv%d, %s delivery, windows %u-%u\n", (unsigned)n_plan, c.gic,
			  c.direct ? "direct" : "mediated", (unsigned)first, (unsigned)(window - 1u));
	}
	if (attack != 0u) {
		repeat_attack(attack, &c, (uint32_t)rt_bootarg("windows", 4));
		return 0;
	}
	/* This life starts with the first vector whose window is still ahead. */
	uint64_t t = now();
	for (uint32_t i = 0u; i < n_plan; i++) {
		if (window_start(plan_start[i]) > t) {
			run_vector(i, &c, info.restarts);
		}
	}
	rt_printf("hostile: done in %u lives\n", (unsigned)(info.restarts + 1u));
	return 0;
}
