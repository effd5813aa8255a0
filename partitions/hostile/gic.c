/* SPDX-License-Identifier: MIT */
/*
 * Interrupt controller vectors: every distributor register of the victim's
 * SPI, registers of the hypervisor's own interrupts, SGIs to cores the
 * attacker does not own, accesses of the wrong width, the CPU interface
 * (GICv3 system registers, trapped on a direct-delivery core; GICv2's
 * GICV) and random accesses to all of it.
 */
#include "bhrt.h"
#include "bhrt_gic.h"
#include "hostile.h"

#define GICD RT_GICD_BASE
#define GICD_CTLR 0x000u
#define GICD_IGROUPR 0x080u
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
#define GICD_CPENDSGIR 0xf10u
#define GICD_SPENDSGIR 0xf20u
#define GICD_IROUTER 0x6000u
#define GICR_SGI (RT_GICR_BASE + 0x10000u)   /* vCPU 0's SGI frame */
#define GICR_WAKER (RT_GICR_BASE + 0x14u)
#define GICV_CTLR (RT_GICC_BASE + 0x000u)
#define GICV_PMR (RT_GICC_BASE + 0x004u)
#define GICV_EOIR (RT_GICC_BASE + 0x010u)
#define GICV_APR (RT_GICC_BASE + 0x0d0u)
#define GICV_DIR (RT_GICC_BASE + 0x1000u)
#define HYP_PPIS ((1u << 25) | (1u << 26))     /* maintenance, EL2 timer */
#define SGI_SELF 1u

#define ICC_PMR_EL1 "s3_0_c4_c6_0"
#define ICC_DIR_EL1 "s3_0_c12_c11_1"
#define ICC_SGI1R_EL1 "s3_0_c12_c11_5"
#define ICC_ASGI1R_EL1 "s3_0_c12_c11_6"
#define ICC_SGI0R_EL1 "s3_0_c12_c11_7"
#define ICC_IAR1_EL1 "s3_0_c12_c12_0"
#define ICC_EOIR1_EL1 "s3_0_c12_c12_1"
#define ICC_CTLR_EL1 "s3_0_c12_c12_4"
#define ICC_SRE_EL1 "s3_0_c12_c12_5"
#define ICC_IGRPEN0_EL1 "s3_0_c12_c12_6"
#define ICC_IGRPEN1_EL1 "s3_0_c12_c12_7"
#define ICC_AP0R0_EL1 "s3_0_c12_c8_4"

#define MSR(reg, v) __asm__ volatile("msr " reg ", %0\n\tisb" : : "r"((uint64_t)(v)) : "memory")
#define MRS(reg, v) __asm__ volatile("mrs %0, " reg : "=r"(v) : : "memory")

static uint64_t word(const struct ctx *c, uint32_t reg)
{
	return GICD + reg + (4u * (c->spi / 32u));
}

static uint32_t bit(const struct ctx *c)
{
	return 1u << (c->spi % 32u);
}

static void enable_disable(struct ctx *c)
{
	wr32(word(c, GICD_ISENABLER), bit(c));
	wr32(word(c, GICD_ICENABLER), bit(c));
}

static void pend_clear(struct ctx *c)
{
	wr32(word(c, GICD_ISPENDR), bit(c));
	wr32(word(c, GICD_ICPENDR), bit(c));
}

static void activate_deactivate(struct ctx *c)
{
	wr32(word(c, GICD_ISACTIVER), bit(c));
	wr32(word(c, GICD_ICACTIVER), bit(c));
}

static void priority(struct ctx *c)
{
	__asm__ volatile("strb %w0, [%1]" : : "r"(0x01u), "r"(GICD + GICD_IPRIORITYR + c->spi) : "memory");
	wr32(GICD + GICD_IPRIORITYR + (c->spi & ~3u), 0xffffffffu);
}

static void trigger(struct ctx *c)
{
	wr32(GICD + GICD_ICFGR + (4u * (c->spi / 16u)), 0xaaaaaaaau);
}

static void route_v3(struct ctx *c)
{
	uint64_t reg = GICD + GICD_IROUTER + (8u * (uint64_t)c->spi);

	*(volatile uint64_t *)(uintptr_t)reg = 0u;             /* its own vCPU 0 */
	*(volatile uint64_t *)(uintptr_t)reg = 0x80000000u;    /* any core */
	wr32(reg, 1u);
}

static void route_v2(struct ctx *c)
{
	__asm__ volatile("strb %w0, [%1]" : : "r"(0x01u), "r"(GICD + GICD_ITARGETSR + c->spi) : "memory");
	wr32(GICD + GICD_ITARGETSR + (c->spi & ~3u), 0x03030303u);
}

static void group(struct ctx *c)
{
	wr32(word(c, GICD_IGROUPR), 0u);
	wr32(word(c, GICD_IGROUPR), 0xffffffffu);
}

static void read_back(struct ctx *c)
{
	uint32_t seen = 0u;
	static const uint32_t bitmaps[] = { GICD_IGROUPR, GICD_ISENABLER, GICD_ISPENDR, GICD_ISACTIVER };

	for (uint32_t i = 0u; i < (sizeof(bitmaps) / sizeof(bitmaps[0])); i++) {
		seen |= rd32(word(c, bitmaps[i])) & bit(c);
	}
	seen |= rd32(GICD + GICD_IPRIORITYR + (c->spi & ~3u)) & (0xffu << (8u * (c->spi % 4u)));
	seen |= rd32(GICD + GICD_ICFGR + (4u * (c->spi / 16u))) & (3u << (2u * (c->spi % 16u)));
	if (c->gic == 3) {
		seen |= rd32(GICD + GICD_IROUTER + (8u * c->spi)) | rd32(GICD + GICD_IROUTER + (8u * c->spi) + 4u);
	} else {
		seen |= rd32(GICD + GICD_ITARGETSR + (c->spi & ~3u)) & (0xffu << (8u * (c->spi % 4u)));
	}
	c->detail = seen;
	if (seen != 0u) {
		c->escape = "the victim's interrupt reads as non-zero";
	}
}

static void wrong_width(struct ctx *c)
{
	uint64_t v;

	__asm__ volatile("strh %w0, [%1]" : : "r"(0xffffu), "r"(word(c, GICD_ICENABLER)) : "memory");
	__asm__ volatile("strb %w0, [%1]" : : "r"(0xffu), "r"(word(c, GICD_ICPENDR)) : "memory");
	/* 64 bits at SPIs 64-127: the first word of each bitmap is the banked SGI/PPI one. */
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(GICD + GICD_ISENABLER + 8u) : "memory");
	c->detail = v;
}

/* What the sweeps did to its own timers (priority 0xff is masked, active
 * ones are never signalled again): back to what the vectors expect. */
static void restore_own(const struct ctx *c)
{
	uint64_t bank = (c->gic == 3) ? GICR_SGI : GICD;
	uint32_t timers = (1u << RT_IRQ_VTIMER) | (1u << RT_IRQ_PTIMER);

	(void)rt_gic_init();
	wr32(bank + GICD_ICACTIVER, timers);
	wr32(bank + GICD_ICPENDR, timers);
	rt_gic_set_edge(RT_IRQ_VTIMER, false);
	rt_gic_set_edge(RT_IRQ_PTIMER, false);
	rt_gic_set_priority(RT_IRQ_VTIMER, RT_GIC_PRIORITY_DEFAULT);
	rt_gic_set_priority(RT_IRQ_PTIMER, RT_GIC_PRIORITY_DEFAULT);
}

static void distributor_sweep(struct ctx *c)
{
	uint32_t size = (c->gic == 3) ? 0x10000u : 0x1000u;

	for (uint32_t off = 0u; (off < size) && !past_deadline(c); off += 4u) {
		/* Its own control register last: it keeps its distributor on. */
		if ((off != GICD_CTLR) && (off != GICD_SGIR)) {
			wr32(GICD + off, 0xffffffffu);
		}
	}
	restore_own(c);
}

static void redistributor_hyp_interrupts(struct ctx *c)
{
	uint32_t hyp = HYP_PPIS | (c->direct ? (1u << 15) : 0u);

	wr32(GICR_SGI + GICD_ISENABLER, hyp);
	wr32(GICR_SGI + GICD_ICENABLER, hyp);
	wr32(GICR_SGI + GICD_ICACTIVER, hyp);
	wr32(GICR_SGI + GICD_ICPENDR, hyp);
	wr32(GICR_SGI + GICD_IPRIORITYR + 24u, 0x01010101u);   /* PPIs 24..27: 25 and 26 are not its own */
	wr32(GICR_SGI + GICD_ICFGR + 4u, 0xffffffffu);
	wr32(GICR_SGI + GICD_IGROUPR, 0u);
}

static void redistributor_sleep(struct ctx *c)
{
	(void)c;
	wr32(GICR_WAKER, 2u);
	wr32(GICR_WAKER, 0u);
	wr32(RT_GICR_BASE, 0xffffffffu);           /* GICR_CTLR: LPIs on */
	wr32(RT_GICR_BASE + 0x70u, 0xffffffffu);   /* GICR_PROPBASER */
}

static uint64_t sgi(uint32_t intid, uint64_t targets)
{
	return ((uint64_t)intid << 24) | targets;
}

static void sgi_foreign_list(struct ctx *c)
{
	(void)c;
	MSR(ICC_SGI1R_EL1, sgi(SGI_SELF, 0xfffcu));
}

static void sgi_foreign_cluster(struct ctx *c)
{
	(void)c;
	MSR(ICC_SGI1R_EL1, sgi(SGI_SELF, (1ull << 16) | 1u));        /* Aff1 = 1 */
	MSR(ICC_SGI1R_EL1, sgi(SGI_SELF, (1ull << 32) | 1u));        /* Aff2 = 1 */
	MSR(ICC_SGI1R_EL1, sgi(SGI_SELF, (1ull << 48) | 1u));        /* Aff3 = 1 */
}

static void sgi_range_selector(struct ctx *c)
{
	(void)c;
	MSR(ICC_SGI1R_EL1, sgi(SGI_SELF, (1ull << 44) | 1u));
	MSR(ICC_SGI1R_EL1, sgi(SGI_SELF, (15ull << 44) | 0xffffu));
}

static void sgi_broadcast(struct ctx *c)
{
	(void)c;
	for (uint32_t i = 0u; i < 100u; i++) {
		MSR(ICC_SGI1R_EL1, sgi(SGI_SELF, 1ull << 40));   /* IRM: all but itself, its vCPU 1 */
	}
}

static void sgi_group0_and_alias(struct ctx *c)
{
	(void)c;
	MSR(ICC_SGI0R_EL1, sgi(SGI_SELF, 1u));
	MSR(ICC_ASGI1R_EL1, sgi(SGI_SELF, 0xfffcu));
}

static void sgi_hypervisor_kick(struct ctx *c)
{
	(void)c;
	/* SGI 15 to its own vCPU 1: the hypervisor's kick on a direct-delivery core. */
	MSR(ICC_SGI1R_EL1, sgi(15u, 2u));
}

static void sgi_flood(struct ctx *c)
{
	for (uint32_t i = 0u; (i < 20000u) && !past_deadline(c); i++) {
		(void)rt_gic_send_sgi(i % 15u, 1u);
	}
}

static void sgir_v2(struct ctx *c)
{
	(void)c;
	wr32(GICD + GICD_SGIR, (0xfcu << 16) | SGI_SELF);            /* CPU interfaces it does not own */
	wr32(GICD + GICD_SGIR, (1u << 24) | SGI_SELF);               /* all but itself */
	wr32(GICD + GICD_SGIR, (3u << 24) | (0xffu << 16) | 15u);    /* the reserved filter */
	wr32(GICD + GICD_SPENDSGIR, 0xffffffffu);
	wr32(GICD + GICD_CPENDSGIR, 0xffffffffu);
}

static void dir_victim(struct ctx *c)
{
	for (uint32_t i = 0u; (i < 1000u) && !past_deadline(c); i++) {
		MSR(ICC_DIR_EL1, c->spi);
	}
}

void eoimode_dir_victim(struct ctx *c)
{
	uint64_t ctlr;

	MRS(ICC_CTLR_EL1, ctlr);
	MSR(ICC_CTLR_EL1, ctlr | 2u);   /* EOImode 1: DIR deactivates */
	dir_victim(c);
	MSR(ICC_CTLR_EL1, ctlr);
}

static void dir_hypervisor(struct ctx *c)
{
	uint64_t ctlr;

	(void)c;
	MRS(ICC_CTLR_EL1, ctlr);
	MSR(ICC_CTLR_EL1, ctlr | 2u);
	MSR(ICC_DIR_EL1, 15u);
	MSR(ICC_DIR_EL1, 25u);
	MSR(ICC_DIR_EL1, 26u);
	MSR(ICC_DIR_EL1, 1023u);
	MSR(ICC_CTLR_EL1, ctlr);
}

/* With an interrupt of its own acknowledged, so that its EOI has a priority
 * to drop: the EOI names the victim's SPI instead. On a direct-delivery core
 * the GIC deactivates that SPI (the risk direct-delivery-risk accepts). */
void eoir_victim_direct(struct ctx *c)
{
	rt_gic_enable(SGI_SELF);
	for (uint32_t i = 0u; (i < 2000u) && !past_deadline(c); i++) {
		uint64_t iar = 1023u;

		(void)rt_gic_send_sgi(SGI_SELF, rt_mpidr());
		for (uint32_t spin = 0u; (spin < 100u) && ((iar & 0xffffffu) >= 1020u); spin++) {
			MRS(ICC_IAR1_EL1, iar);
		}
		if ((iar & 0xffffffu) != SGI_SELF) {
			continue;
		}
		c->detail++;
		MSR(ICC_EOIR1_EL1, c->spi);
		/* Its own SGI stays active: end it through the redistributor. */
		wr32(GICR_SGI + GICD_ICACTIVER, 1u << SGI_SELF);
	}
	rt_gic_disable(SGI_SELF);
}

static void eoir_victim_mediated(struct ctx *c)
{
	for (uint32_t i = 0u; (i < 2000u) && !past_deadline(c); i++) {
		MSR(ICC_EOIR1_EL1, c->spi);
	}
}

static void cpu_interface_state(struct ctx *c)
{
	uint64_t ctlr;
	uint64_t pmr;

	(void)c;
	MRS(ICC_CTLR_EL1, ctlr);
	MRS(ICC_PMR_EL1, pmr);
	MSR(ICC_PMR_EL1, 0u);              /* mask everything, the kick too if it could */
	MSR(ICC_CTLR_EL1, ~0ull);
	MSR(ICC_SRE_EL1, 0u);              /* back to memory-mapped: RAO/WI */
	MSR(ICC_IGRPEN0_EL1, 1u);
	MSR(ICC_IGRPEN1_EL1, 0u);
	MSR(ICC_AP0R0_EL1, 1u);
	MSR(ICC_AP0R0_EL1, 0u);
	MSR(ICC_IGRPEN1_EL1, 1u);
	MSR(ICC_IGRPEN0_EL1, 0u);
	MSR(ICC_CTLR_EL1, ctlr);
	MSR(ICC_PMR_EL1, pmr);
}

static void gicv_v2(struct ctx *c)
{
	uint32_t ctlr = rd32(GICV_CTLR);
	uint32_t pmr = rd32(GICV_PMR);

	wr32(GICV_CTLR, ctlr | (1u << 9));   /* EOImode */
	for (uint32_t i = 0u; i < 1000u; i++) {
		wr32(GICV_DIR, c->spi);
		wr32(GICV_EOIR, c->spi);
	}
	wr32(GICV_PMR, 0u);
	wr32(GICV_APR, 0xffffffffu);
	wr32(GICV_APR, 0u);
	wr32(GICV_PMR, pmr);
	wr32(GICV_CTLR, ctlr);
}

static void random_accesses(struct ctx *c)
{
	rt_random_seed(7);
	for (uint32_t i = 0u; (i < 20000u) && !past_deadline(c); i++) {
		uint64_t r = rt_random();
		uint64_t v = rt_random();
		uint32_t off = (uint32_t)(r >> 32) & ~3u;
		bool write = (r & 1u) != 0u;
		uint64_t addr;

		if ((c->gic == 3) && ((r & 6u) == 2u)) {
			MSR(ICC_SGI1R_EL1, v & ~(0xfull << 24));   /* never SGI 15 */
			continue;
		}
		if ((c->gic == 3) && ((r & 6u) == 4u)) {
			addr = RT_GICR_BASE + (off % 0x20000u);
		} else {
			addr = GICD + (off % ((c->gic == 3) ? 0x10000u : 0x1000u));
		}
		/* Its own enables and control stay as they are: it lives on. */
		if (write && ((addr == GICD) || (addr == GICR_WAKER))) {
			continue;
		}
		if (write) {
			wr32(addr, (uint32_t)v);
		} else {
			c->detail += rd32(addr);
		}
	}
	restore_own(c);
}

const struct vector gic_vectors[] = {
	{ "enable and disable the victim's SPI", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 2, 1, enable_disable },
	{ "pend and clear the victim's SPI", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 2, 1, pend_clear },
	{ "activate and deactivate the victim's SPI", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 2, 1,
	  activate_deactivate },
	{ "priority of the victim's SPI", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 2, 1, priority },
	{ "trigger mode of the victim's SPI", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 1, 1, trigger },
	{ "route the victim's SPI to itself", ON_V3_ANY, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 3, 1, route_v3 },
	{ "target the victim's SPI at itself", ON_V2, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 2, 1, route_v2 },
	{ "group of the victim's SPI", ON_V3_ANY, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 1, 1, group },
	{ "group of the victim's SPI (GICv2: no groups)", ON_V2, EXPECT_NOTHING, 0, 0, 1, group },
	{ "read back the victim's SPI", ON_ANY, EXPECT_NOTHING, 0, 0, 1, read_back },
	{ "distributor accesses of the wrong width", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 3, 1, wrong_width },
	{ "write every distributor register", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 1, 3, distributor_sweep },
	{ "redistributor registers of the hypervisor's interrupts", ON_V3_ANY, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT,
	  6, 1, redistributor_hyp_interrupts },
	{ "redistributor sleep and LPIs", ON_V3_ANY, EXPECT_NOTHING, 0, 0, 1, redistributor_sleep },
	{ "SGIs to cores it does not own", ON_V3_ANY, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 1, 1, sgi_foreign_list },
	{ "SGIs to other clusters", ON_V3_ANY, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 3, 1, sgi_foreign_cluster },
	{ "SGIs with range selectors", ON_V3_ANY, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 2, 1, sgi_range_selector },
	{ "SGI broadcast", ON_V3_ANY, EXPECT_NOTHING, 0, 0, 1, sgi_broadcast },
	{ "group-0 and alias SGIs", ON_V3_ANY, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 2, 1, sgi_group0_and_alias },
	{ "SGI 15, the hypervisor's kick", ON_V3_DIRECT, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 1, 1,
	  sgi_hypervisor_kick },
	{ "SGI 15 (a virtual SGI on a mediated core)", ON_V3_MEDIATED, EXPECT_NOTHING, 0, 0, 1, sgi_hypervisor_kick },
	{ "SGI flood to its own vCPU", ON_ANY, EXPECT_NOTHING, 0, 0, 1, sgi_flood },
	{ "GICD_SGIR and SGI pending registers", ON_V2, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 1, 1, sgir_v2 },
	{ "ICC_DIR_EL1 of the victim's SPI", ON_V3_DIRECT, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 1000, 1, dir_victim },
	{ "ICC_DIR_EL1 of the victim's SPI (virtual)", ON_V3_MEDIATED, EXPECT_NOTHING, 0, 0, 1, dir_victim },
	{ "EOImode 1, then ICC_DIR_EL1 of the victim's SPI", ON_V3_DIRECT, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT,
	  1000, 1, eoimode_dir_victim },
	{ "EOImode 1, then ICC_DIR_EL1 of the victim's SPI (virtual)", ON_V3_MEDIATED, EXPECT_NOTHING, 0, 0, 1,
	  eoimode_dir_victim },
	{ "ICC_DIR_EL1 of the hypervisor's interrupts", ON_V3_DIRECT, EXPECT_REFUSED, BH_INCIDENT_INTERRUPT, 4, 1,
	  dir_hypervisor },
	{ "ICC_DIR_EL1 of the hypervisor's interrupts (virtual)", ON_V3_MEDIATED, EXPECT_NOTHING, 0, 0, 1,
	  dir_hypervisor },
	{ "ICC_EOIR1_EL1 of the victim's SPI (accepted risk)", ON_V3_DIRECT, EXPECT_ANY, 0, 0, 1, eoir_victim_direct },
	{ "ICC_EOIR1_EL1 of the victim's SPI (virtual)", ON_V3_MEDIATED, EXPECT_NOTHING, 0, 0, 1, eoir_victim_mediated },
	{ "CPU interface: priority mask, control, enables, active priorities", ON_V3_ANY, EXPECT_NOTHING, 0, 0, 1,
	  cpu_interface_state },
	{ "GICV: deactivate and end the victim's SPI, priority mask", ON_V2, EXPECT_NOTHING, 0, 0, 1, gicv_v2 },
	{ "random distributor, redistributor and SGI accesses", ON_ANY, EXPECT_ANY, 0, 0, 2, random_accesses },
	{ NULL, 0, EXPECT_ANY, 0, 0, 0, NULL },
};
