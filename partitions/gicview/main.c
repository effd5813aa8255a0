/* SPDX-License-Identifier: MIT */
/*
 * The GIC as a partition sees it: configures an SGI, a PPI and an SPI of its
 * own (the PL031 RTC's SPI 34) through every per-interrupt register, prints
 * what each register reads back, then takes the SGI and the SPI.
 *
 * The same binary runs natively (loaded by QEMU at EL1 on the real GIC) and
 * as a partition; tests/system/test_gic_view.py requires the two outputs to
 * be identical, which is what "a partition uses interrupts exactly as on the
 * bare board" means register by register.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "bhrt.h"
#include "bhrt_gic.h"

#define SGI 3u
#define PPI RT_IRQ_VTIMER
#define SPI 34u                         /* PL031 RTC on QEMU virt */
#define GICD_ISACTIVER 0x300u
#define GICD_ITARGETSR 0x800u
#define GICD_ICFGR 0xc00u
#define GICD_IROUTER 0x6000u
#define GICD_CPENDSGIR 0xf10u
#define GICD_SPENDSGIR 0xf20u
#define SGI_BY_SOURCE 5u
#define WAIT_LOOPS 1000000u

#define GICD_IPRIORITYR 0x400u
#define GICD_SGIR 0xf00u
#define CALLEE_SAVED 11u                /* x19..x29 */

static volatile uint32_t taken[RT_GIC_SPI_FIRST + 32u];

/* regs.S: trapped accesses through x19..x29. */
void regs_mmio(uintptr_t byte, uint64_t out[CALLEE_SAVED]);
void regs_sgi(int version, uint64_t value, uintptr_t sgir);

static uint32_t dist_read(uint32_t offset)
{
	return *(volatile uint32_t *)(uintptr_t)(RT_GICD_BASE + offset);
}

/* A plain base register (no writeback): an access the hypervisor can emulate
 * from its syndrome, as the runtime's driver does. */
static void dist_write8(uint32_t offset, uint8_t value)
{
	__asm__ volatile("strb %w0, [%1]" : : "r"(value), "r"((uintptr_t)RT_GICD_BASE + offset) : "memory");
}

static void on_irq(uint32_t intid, void *arg)
{
	(void)arg;
	taken[intid]++;
	if (intid == SPI) {
		rt_gic_clear_pending(SPI);
	}
}

/* Per-interrupt registers through the runtime's driver: what each reads back. */
static void view_interrupt(const char *name, uint32_t intid)
{
	rt_gic_disable(intid);
	rt_gic_set_priority(intid, 0x80u);
	printf("view %s priority after 0x80: %#x\n", name, (unsigned)rt_gic_priority(intid));
	rt_gic_set_priority(intid, 0x40u);
	printf("view %s priority after 0x40: %#x\n", name, (unsigned)rt_gic_priority(intid));
	rt_gic_enable(intid);
	printf("view %s enabled after enable: %d\n", name, (int)rt_gic_enabled(intid));
	rt_gic_disable(intid);
	printf("view %s enabled after disable: %d\n", name, (int)rt_gic_enabled(intid));
	/* Disabled: a pending interrupt stays pending and is not delivered. */
	rt_gic_set_pending(intid);
	printf("view %s pending after set: %d\n", name, (int)rt_gic_pending(intid));
	rt_gic_clear_pending(intid);
	printf("view %s pending after clear: %d\n", name, (int)rt_gic_pending(intid));
	printf("view %s edge: %d\n", name, (int)rt_gic_edge(intid));
	rt_gic_set_edge(intid, true);
	printf("view %s edge after set edge: %d\n", name, (int)rt_gic_edge(intid));
	rt_gic_set_edge(intid, false);
	printf("view %s edge after set level: %d\n", name, (int)rt_gic_edge(intid));
	printf("view %s active: %u\n", name,
	       (unsigned)((dist_read(GICD_ISACTIVER + 4u * (intid / 32u)) >> (intid % 32u)) & 1u));
}

/* The SPI's configuration and routing, read from the distributor directly. */
static void view_spi_routing(int version)
{
	uint32_t cfg_shift = 2u * (SPI % 16u);
	uint32_t cfg = GICD_ICFGR + 4u * (SPI / 16u);

	rt_gic_set_edge(SPI, true);
	printf("view spi config after edge: %u\n", (unsigned)((dist_read(cfg) >> cfg_shift) & 3u));
	rt_gic_set_edge(SPI, false);
	printf("view spi config after level: %u\n", (unsigned)((dist_read(cfg) >> cfg_shift) & 3u));
	printf("view spi route: %d\n", rt_gic_route(SPI, rt_mpidr()));
	if (version == 3) {
		printf("view spi irouter: %#x %#x\n", (unsigned)dist_read(GICD_IROUTER + 8u * SPI),
		       (unsigned)dist_read(GICD_IROUTER + 8u * SPI + 4u));
	} else {
		printf("view spi itargetsr: %#x\n",
		       (unsigned)((dist_read(GICD_ITARGETSR + (SPI & ~3u)) >> (8u * (SPI % 4u))) & 0xffu));
	}
}

/* GICv2: an SGI made pending from chosen senders, read and cleared per sender. */
static void view_sgi_sources(void)
{
	volatile uint8_t *spend = (volatile uint8_t *)(uintptr_t)(RT_GICD_BASE + GICD_SPENDSGIR + SGI_BY_SOURCE);
	volatile uint8_t *cpend = (volatile uint8_t *)(uintptr_t)(RT_GICD_BASE + GICD_CPENDSGIR + SGI_BY_SOURCE);

	rt_irq_set_handler(SGI_BY_SOURCE, on_irq, NULL);
	rt_gic_enable(SGI_BY_SOURCE);
	*spend = 0x3u;
	printf("view sgi senders after set 0x3: %#x pending: %d\n", (unsigned)*spend, (int)rt_gic_pending(SGI_BY_SOURCE));
	*cpend = 0x1u;
	printf("view sgi senders after clear 0x1: %#x\n", (unsigned)*cpend);
	*cpend = 0x2u;
	printf("view sgi senders after clear 0x2: %#x pending: %d\n", (unsigned)*spend,
	       (int)rt_gic_pending(SGI_BY_SOURCE));
	*spend = 0x5u;
	rt_irq_unmask();
	for (uint32_t i = 0u; i < 1000u; i++) {
		__asm__ volatile("nop");
	}
	rt_irq_mask();
	printf("view sgi from senders 0x5 taken: %u, left %#x\n", (unsigned)taken[SGI_BY_SOURCE], (unsigned)*spend);

	/* Every SGI from every sender at once: 128 interrupts pending together. */
	uint32_t total = 0u;
	for (uint32_t n = 0u; n < RT_GIC_SGI_COUNT; n++) {
		taken[n] = 0u;
		rt_irq_set_handler(n, on_irq, NULL);
		rt_gic_enable(n);
		dist_write8(GICD_SPENDSGIR + n, 0xffu);
	}
	rt_irq_unmask();
	for (uint32_t i = 0u; i < 100000u; i++) {
		__asm__ volatile("nop");
	}
	rt_irq_mask();
	for (uint32_t n = 0u; n < RT_GIC_SGI_COUNT; n++) {
		total += taken[n];
	}
	printf("view sgi from every sender taken: %u\n", (unsigned)total);
}

/* Writes the CPU interface's priority mask 0, reads it back, restores 0xff. */
static uint32_t priority_mask_after_zero(int version)
{
	uint64_t pmr;

	if (version == 3) {
		__asm__ volatile("msr S3_0_C4_C6_0, %1\n\tisb\n\tmrs %0, S3_0_C4_C6_0" : "=r"(pmr) : "r"(0UL) : "memory");
		__asm__ volatile("msr S3_0_C4_C6_0, %0\n\tisb" : : "r"(0xffUL) : "memory");
	} else {
		volatile uint32_t *gicc_pmr = (volatile uint32_t *)(uintptr_t)(RT_GICC_BASE + 0x4u);
		*gicc_pmr = 0u;
		pmr = *gicc_pmr;
		*gicc_pmr = 0xffu;
	}
	return (uint32_t)pmr;
}

static bool wait_for(uint32_t intid)
{
	for (uint32_t i = 0u; (i < WAIT_LOOPS) && (taken[intid] == 0u); i++) {
		__asm__ volatile("nop");
	}
	return taken[intid] != 0u;
}

/* An emulated store and load through each of x19..x29, then a hypercall; an
 * SGI sent from x27. */
static void view_callee_saved(int version)
{
	uint64_t out[CALLEE_SAVED];
	struct rt_gic_sgi sgi;

	regs_mmio((uintptr_t)RT_GICD_BASE + GICD_IPRIORITYR + SPI, out);
	printf("view x19-x29 through the spi priority and a hypercall:");
	for (uint32_t i = 0u; i < CALLEE_SAVED; i++) {
		printf(" %#x", (unsigned)out[i]);
	}
	printf("\n");
	rt_gic_set_priority(SPI, RT_GIC_PRIORITY_DEFAULT);
	taken[SGI] = 0u;
	if (rt_gic_sgi_prepare(&sgi, SGI, rt_mpidr()) == 0) {
		rt_irq_unmask();
		regs_sgi(version, sgi.value, (uintptr_t)RT_GICD_BASE + GICD_SGIR);
		printf("view sgi sent from x27 taken: %d\n", (int)wait_for(SGI));
		rt_irq_mask();
	}
}

int main(void)
{
	int version = rt_gic_init();

	printf("view gic version: %d\n", version);
	if (version < 2) {
		return 1;
	}
	/* Routing first: a multi-CPU GICv2 on QEMU pends an SPI only at its targets. */
	view_spi_routing(version);
	view_interrupt("sgi", SGI);
	view_interrupt("ppi", PPI);
	view_interrupt("spi", SPI);

	/* Enabled but masked at the CPU: delivered to the CPU interface, not taken. */
	rt_gic_enable(SGI);
	rt_gic_enable(SPI);
	rt_gic_send_sgi(SGI, rt_mpidr());
	rt_gic_set_pending(SPI);
	for (uint32_t i = 0u; i < 1000u; i++) {
		__asm__ volatile("nop");
	}
	printf("view sgi masked pending: %d active: %u\n", (int)rt_gic_pending(SGI),
	       (unsigned)((dist_read(GICD_ISACTIVER) >> SGI) & 1u));
	printf("view spi masked pending: %d active: %u\n", (int)rt_gic_pending(SPI),
	       (unsigned)((dist_read(GICD_ISACTIVER + 4u) >> (SPI % 32u)) & 1u));
	/* Cleared while masked: no longer pending, and not taken when unmasked
	 * (GICv2 SGIs ignore the clear: pended by GICD_SGIR, they stay). */
	rt_gic_clear_pending(SGI);
	rt_gic_clear_pending(SPI);
	printf("view sgi pending after masked clear: %d\n", (int)rt_gic_pending(SGI));
	printf("view spi pending after masked clear: %d\n", (int)rt_gic_pending(SPI));
	rt_irq_set_handler(SGI, on_irq, NULL);
	rt_irq_set_handler(SPI, on_irq, NULL);
	rt_irq_unmask();
	for (uint32_t i = 0u; i < 1000u; i++) {
		__asm__ volatile("nop");
	}
	rt_irq_mask();
	printf("view taken after masked clear: sgi %u spi %u\n", (unsigned)taken[SGI], (unsigned)taken[SPI]);
	printf("view pmr after 0: %#x\n", (unsigned)priority_mask_after_zero(version));
	taken[SGI] = 0u;
	taken[SPI] = 0u;
	rt_irq_set_handler(SGI, on_irq, NULL);
	rt_irq_set_handler(SPI, on_irq, NULL);
	rt_gic_set_priority(SGI, RT_GIC_PRIORITY_DEFAULT);
	rt_gic_set_priority(SPI, RT_GIC_PRIORITY_DEFAULT);
	rt_gic_enable(SGI);
	rt_gic_enable(SPI);
	rt_irq_unmask();
	rt_gic_send_sgi(SGI, rt_mpidr());
	printf("view sgi taken: %d\n", (int)wait_for(SGI));
	rt_gic_set_pending(SPI);
	printf("view spi taken: %d\n", (int)wait_for(SPI));
	rt_irq_mask();
	if (version == 2) {
		view_sgi_sources();
	}
	view_callee_saved(version);
	printf("view unhandled: %u\n", (unsigned)rt_irq_unhandled());
	printf("gicview done\n");
	return 0;
}
