/* SPDX-License-Identifier: MIT */
/*
 * Interrupt isolation test partition; /chosen/bootargs picks the role:
 *
 *   mode=1 victim:   takes TICKS virtual-timer interrupts, one every PERIOD
 *                    ticks, and pends its own SPI (spi=N, from a passed-through
 *                    device) on each; reports how many arrived and the worst
 *                    latency (counter at the IRQ vector minus the deadline).
 *   mode=2 attacker: writes every distributor register of the victim's SPI
 *                    (enable, disable, priority, route, config, pending,
 *                    active), its own distributor's control, and SGIs to
 *                    cores it does not own, for as long as the victim runs;
 *                    checks that what it reads back is zero.
 *   mode=3 storm:    its virtual timer fires as fast as it can, ROUNDS times.
 *   mode=4 flood:    with IRQs masked, sends itself more SGIs than there are
 *                    list registers, each with another priority (on GICv2
 *                    half by target list, half with the "to itself"
 *                    filter), then unmasks: all must arrive, most urgent first.
 *   mode=5 fuzz:     ROUNDS accesses of random width (1, 2, 4, 8 bytes),
 *                    direction and value at random aligned offsets of the
 *                    distributor, its own redistributor frame (GICv3) or
 *                    CPU interface (GICv2, words only), and random
 *                    ICC_SGI1R_EL1 values (GICv3), from a seed (seed=N).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "bhrt.h"
#include "bhrt_gic.h"

#define TICKS 200u
#define PERIOD_US 2000u
#define STORM_INTERRUPTS 20000u

#define GICD 0x08000000u
#define GICD_CTLR 0x000u
#define GICD_ISENABLER 0x100u
#define GICD_ICENABLER 0x180u
#define GICD_ISPENDR 0x200u
#define GICD_ICPENDR 0x280u
#define GICD_ISACTIVER 0x300u
#define GICD_ICACTIVER 0x380u
#define GICD_IPRIORITYR 0x400u
#define GICD_ITARGETSR 0x800u
#define GICD_ICFGR 0xc00u
#define GICD_SGIR 0xf00u
#define GICD_IROUTER 0x6000u

static volatile uint32_t ticks;
static volatile uint32_t spis;
static volatile uint32_t pended;
static volatile uint32_t late;
static volatile uint64_t worst;
static uint64_t deadline;
static uint64_t period;
static uint32_t spi;

static void w32(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(GICD + off) = v;
}

static uint32_t r32(uint32_t off)
{
	return *(volatile uint32_t *)(uintptr_t)(GICD + off);
}

/* The timer is stopped here and armed again by victim() once the interrupt has
 * ended: a deadline that passed before the EOI (a loaded host may stall this
 * vCPU anywhere in the handler) would leave the timer's level line asserted
 * through the EOI, which QEMU's GICv2 never makes pending again
 * (docs/interrupts.md), and the victim would wait for a tick forever. */
static void on_victim_timer(uint32_t intid, void *arg)
{
	uint64_t latency = rt_irq_entry_counter() - deadline;

	(void)intid;
	(void)arg;
	rt_timer_stop(RT_TIMER_VIRT);
	if (latency > worst) {
		worst = latency;
	}
	ticks++;
	/* One SPI in flight at a time: an edge pended twice before delivery counts once. */
	if ((spi != 0) && (spis == pended)) {
		pended++;
		rt_gic_set_pending(spi);
	}
}

/* Arms the tick after the one just taken. A deadline already past (a loaded
 * host) moves to now + one period, so that the worst latency measures the
 * hypervisor, not how far the host fell behind; "late" counts how often. */
static void arm_next_tick(void)
{
	deadline += period;
	if (deadline <= rt_counter()) {
		late++;
		deadline = rt_counter() + period;
	}
	rt_timer_start_at(RT_TIMER_VIRT, deadline);
}

static void on_spi(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	spis++;
}

static int victim(void)
{
	period = (rt_counter_hz() * PERIOD_US) / 1000000u;
	rt_gic_init();
	rt_irq_set_handler(RT_IRQ_VTIMER, on_victim_timer, NULL);
	rt_gic_enable(RT_IRQ_VTIMER);
	if (spi != 0) {
		rt_irq_set_handler(spi, on_spi, NULL);
		rt_gic_set_edge(spi, true);
		rt_gic_route(spi, rt_mpidr());
		rt_gic_enable(spi);
	}
	deadline = rt_counter() + period;
	rt_timer_start_at(RT_TIMER_VIRT, deadline);
	uint32_t armed = 0;
	while (ticks < TICKS) {
		rt_irq_mask();
		if (armed != ticks) {
			armed = ticks;
			if (armed < TICKS) {
				arm_next_tick();
			}
		}
		/* Masked: an interrupt already pending ends the WFI at once. */
		rt_wfi();
		rt_irq_unmask();
		__asm__ volatile("isb" : : : "memory");
	}
	rt_delay_us(1000);   /* the last SPI */
	rt_irq_mask();
	printf("victim: %u timer interrupts, worst latency %lu ticks, %u SPI %u interrupts of %u pended, %u late\n",
	       (unsigned)ticks, (unsigned long)worst, (unsigned)spis, (unsigned)spi, (unsigned)pended, (unsigned)late);
	return 0;
}

static int attacker(uint32_t rounds)
{
	uint32_t word = 4u * (spi / 32u);
	uint32_t bit = 1u << (spi % 32u);
	uint32_t nonzero = 0;

	rt_gic_init();
	for (uint32_t r = 0; r < rounds; r++) {
		w32(GICD_ICENABLER + word, bit);
		w32(GICD_IPRIORITYR + (spi & ~3u), 0xffffffffu);
		w32(GICD_ICFGR + 4u * (spi / 16u), 0xffffffffu);
		w32(GICD_ICPENDR + word, bit);
		w32(GICD_ISACTIVER + word, bit);
		w32(GICD_ICACTIVER + word, bit);
		w32(GICD_ISPENDR + word, bit);
		if (rt_gic_version() == 3) {
			*(volatile uint64_t *)(uintptr_t)(GICD + GICD_IROUTER + 8u * spi) = 0;
			/* Aff1 = 1 and target-list bits far beyond its own vCPU. */
			__asm__ volatile("msr s3_0_c12_c11_5, %0" : : "r"((1ul << 16) | 0xfffeu | (1ul << 24)));
		} else {
			w32(GICD_ITARGETSR + (spi & ~3u), 0xffffffffu);
			w32(GICD_SGIR, (0xfeu << 16) | 1u);
		}
		w32(GICD_CTLR, 0u);
		nonzero |= r32(GICD_ISENABLER + word) & bit;
		nonzero |= r32(GICD_IPRIORITYR + (spi & ~3u)) & (0xffu << (8u * (spi % 4u)));
		nonzero |= r32(GICD_ISPENDR + word) & bit;
		rt_delay_us(200);
	}
	printf("attacker: %u rounds, the victim's interrupt reads as %s\n", (unsigned)rounds,
	       nonzero == 0 ? "zero" : "NON-ZERO");
	return 0;
}

static volatile uint32_t storm_count;

static void on_storm_timer(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	storm_count++;
	if (storm_count < STORM_INTERRUPTS) {
		rt_timer_start_at(RT_TIMER_VIRT, 0);   /* already due: fires again at once */
	} else {
		rt_timer_stop(RT_TIMER_VIRT);
	}
}

static int storm(void)
{
	rt_gic_init();
	rt_irq_set_handler(RT_IRQ_VTIMER, on_storm_timer, NULL);
	rt_gic_enable(RT_IRQ_VTIMER);
	rt_timer_start_at(RT_TIMER_VIRT, 0);
	rt_irq_unmask();
	while (storm_count < STORM_INTERRUPTS) {
		rt_wfi();
	}
	rt_irq_mask();
	printf("storm: %u timer interrupts\n", (unsigned)storm_count);
	return 0;
}

#define FLOOD_SGIS 12u

static volatile uint32_t flood_order[FLOOD_SGIS];
static volatile uint32_t flood_seen;

static void on_flood(uint32_t intid, void *arg)
{
	(void)arg;
	if (flood_seen < FLOOD_SGIS) {
		flood_order[flood_seen] = intid;
	}
	flood_seen++;
}

static int flood(void)
{
	rt_gic_init();
	/* SGI n gets priority 0x20 + 0x10 * n: SGI 1 is the most urgent. */
	for (uint32_t n = 1; n <= FLOOD_SGIS; n++) {
		rt_irq_set_handler(n, on_flood, NULL);
		rt_gic_set_priority(n, (uint8_t)(0x20u + 0x10u * n));
		rt_gic_enable(n);
	}
	/* Sent least urgent first, so arrival order alone would be wrong. On GICv2
	 * the odd ones go with GICD_SGIR's "to the requesting CPU" filter (2),
	 * the even ones by target list. */
	for (uint32_t n = FLOOD_SGIS; n >= 1; n--) {
		if ((rt_gic_version() == 2) && ((n % 2u) == 1u)) {
			w32(GICD_SGIR, (2u << 24) | n);
		} else {
			rt_gic_send_sgi(n, rt_mpidr());
		}
	}
	rt_irq_unmask();
	for (uint32_t i = 0; (i < 1000u) && (flood_seen < FLOOD_SGIS); i++) {
		rt_delay_us(100);
	}
	rt_irq_mask();
	bool ordered = flood_seen == FLOOD_SGIS;
	for (uint32_t i = 0; ordered && (i < FLOOD_SGIS); i++) {
		ordered = flood_order[i] == i + 1u;
	}
	printf("flood: %u of %u SGIs delivered, %s\n", (unsigned)flood_seen, (unsigned)FLOOD_SGIS,
	       ordered ? "in priority order" : "OUT OF ORDER");
	return 0;
}

#define FUZZ_GICR_FRAME 0x20000u
#define FUZZ_GICC_SIZE  0x2000u

static uint64_t fuzz_access(uintptr_t addr, uint32_t width, bool write, uint64_t value)
{
	uint64_t got = 0u;

	switch (width) {
	case 1u:
		if (write) {
			*(volatile uint8_t *)addr = (uint8_t)value;
		} else {
			got = *(volatile uint8_t *)addr;
		}
		break;
	case 2u:
		if (write) {
			*(volatile uint16_t *)addr = (uint16_t)value;
		} else {
			got = *(volatile uint16_t *)addr;
		}
		break;
	case 4u:
		if (write) {
			*(volatile uint32_t *)addr = (uint32_t)value;
		} else {
			got = *(volatile uint32_t *)addr;
		}
		break;
	default:
		if (write) {
			*(volatile uint64_t *)addr = value;
		} else {
			got = *(volatile uint64_t *)addr;
		}
		break;
	}
	return got;
}

static int fuzz(uint32_t rounds)
{
	int version = rt_gic_init();
	uint64_t sum = 0u;

	rt_random_seed(rt_bootarg("seed", 1));
	for (uint32_t i = 0u; i < rounds; i++) {
		uint64_t r = rt_random();
		uint64_t value = rt_random();
		uint32_t width = 1u << (r & 3u);
		bool write = ((r >> 2) & 1u) != 0u;
		uint32_t where = (uint32_t)(r >> 3) & 7u;
		uint32_t offset = (uint32_t)(r >> 32);
		uintptr_t addr;

		if ((version == 3) && (where == 0u)) {
			__asm__ volatile("msr S3_0_C12_C11_5, %0\n\tisb" : : "r"(value) : "memory");
			continue;
		}
		if ((version == 3) && (where == 1u)) {
			addr = RT_GICR_BASE + (offset % FUZZ_GICR_FRAME);
		} else if ((version == 2) && (where == 1u)) {
			/* The CPU interface is the hardware's GICV: word accesses only. */
			width = 4u;
			addr = RT_GICC_BASE + (offset % FUZZ_GICC_SIZE);
		} else {
			addr = RT_GICD_BASE + (offset % 0x10000u);
		}
		sum += fuzz_access(addr & ~(uintptr_t)(width - 1u), width, write, value);
	}
	printf("fuzz: %u accesses done (read sum %#lx)\n", (unsigned)rounds, (unsigned long)sum);
	return 0;
}

int main(void)
{
	uint64_t mode = rt_bootarg("mode", 0);

	spi = (uint32_t)rt_bootarg("spi", 0);
	switch (mode) {
	case 1:
		return victim();
	case 2:
		return attacker((uint32_t)rt_bootarg("rounds", 500));
	case 3:
		return storm();
	case 4:
		return flood();
	case 5:
		return fuzz((uint32_t)rt_bootarg("rounds", 10000));
	default:
		printf("bootargs need mode=1|2|3|4|5\n");
		return 1;
	}
}
