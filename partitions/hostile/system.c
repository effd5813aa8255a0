/* SPDX-License-Identifier: MIT */
/*
 * System vectors: registers the hypervisor traps or hides (PMU, trace,
 * LORegions, implementation-defined, ID, EL2 and EL3 registers), debug,
 * cache and TLB maintenance aimed at everything, WFI/WFE and timer storms.
 * Registers are named by encoding, so no assembler support is needed.
 */
#include "bhrt.h"
#include "bhrt_gic.h"
#include "hostile.h"

#define MSR(reg, v) __asm__ volatile("msr " reg ", %0" : : "r"((uint64_t)(v)) : "memory")
#define MRS(reg, v) __asm__ volatile("mrs %0, " reg : "=r"(v) : : "memory")

static void pmu_registers(struct ctx *c)
{
	uint64_t v = 0u;
	uint64_t sum = 0u;

	MRS("s3_3_c9_c12_0", v);   /* PMCR_EL0 */
	sum |= v;
	MSR("s3_3_c9_c12_0", 0x7u); /* PMCR_EL0: enable, reset counters */
	MRS("s3_3_c9_c13_0", v);   /* PMCCNTR_EL0 */
	sum |= v;
	MSR("s3_3_c9_c12_5", 0u);  /* PMSELR_EL0 */
	MRS("s3_3_c9_c14_0", v);   /* PMUSERENR_EL0 */
	sum |= v;
	MSR("s3_0_c9_c14_1", ~0ull); /* PMINTENSET_EL1 */
	MSR("s3_3_c14_c15_7", ~0ull); /* PMCCFILTR_EL0: count at EL2 too */
	c->detail = sum;
}

static void trace_registers(struct ctx *c)
{
	uint64_t v = 0u;

	MRS("s2_1_c0_c1_0", v);    /* TRCPRGCTLR */
	MSR("s2_1_c0_c1_0", 1u);
	MSR("s3_0_c1_c2_0", 0u);   /* TRFCR_EL1 */
	c->detail = v;
}

static void lor_registers(struct ctx *c)
{
	uint64_t v = 0u;

	MRS("s3_0_c10_c4_7", v);   /* LORID_EL1 */
	MSR("s3_0_c10_c4_3", 1u);  /* LORC_EL1 */
	c->detail = v;
}

static void implementation_defined(struct ctx *c)
{
	uint64_t v = 0u;

	MRS("s3_1_c15_c2_1", v);   /* CPUECTLR_EL1 on a Cortex-A72 */
	MSR("s3_1_c15_c2_1", v);
	MRS("s3_1_c11_c0_2", v);   /* L2CTLR_EL1 */
	c->detail = v;
}

static void id_register_writes(struct ctx *c)
{
	(void)c;
	MSR("s3_0_c0_c4_0", 0u);   /* ID_AA64PFR0_EL1 */
	MSR("s3_0_c0_c7_0", 0u);   /* ID_AA64MMFR0_EL1 */
	MSR("s3_0_c0_c0_5", 0u);   /* MPIDR_EL1 */
}

static void el2_el3_registers(struct ctx *c)
{
	uint64_t v = 0u;

	MRS("s3_4_c1_c1_0", v);    /* HCR_EL2 */
	MSR("s3_4_c1_c1_0", 0u);
	MSR("s3_4_c2_c1_0", 0u);   /* VTTBR_EL2 */
	MSR("s3_4_c14_c0_3", 0u);  /* CNTVOFF_EL2 */
	MSR("s3_4_c12_c0_0", 0u);  /* VBAR_EL2 */
	MSR("s3_4_c14_c2_1", 1u);  /* CNTHP_CTL_EL2 */
	MSR("s3_4_c12_c9_5", 0u);  /* ICC_SRE_EL2 */
	MSR("s3_4_c12_c11_0", 0u); /* ICH_HCR_EL2 */
	MRS("s3_6_c1_c1_0", v);    /* SCR_EL3 */
	c->detail = v;
}

static void el2_maintenance(struct ctx *c)
{
	(void)c;
	__asm__ volatile("tlbi alle2" : : : "memory");
	__asm__ volatile("tlbi ipas2e1is, %0" : : "r"(0ull) : "memory");
	__asm__ volatile("tlbi alle1is" : : : "memory");
	__asm__ volatile("at s12e1r, %0" : : "r"(c->victim) : "memory");
	__asm__ volatile("dsb sy\n\tisb" : : : "memory");
}

static void actlr(struct ctx *c)
{
	uint64_t v = 0u;

	MSR("actlr_el1", ~0ull);
	MRS("actlr_el1", v);
	c->detail = v;
	if (v != 0u) {
		c->escape = "ACTLR_EL1 took a write";
	}
}

static void set_way_sweep(struct ctx *c)
{
	uint64_t clidr = 0u;

	(void)c;
	MRS("clidr_el1", clidr);
	for (uint32_t level = 0u; level < 3u; level++) {
		if (((clidr >> (3u * level)) & 7u) < 2u) {
			continue;
		}
		for (uint64_t way = 0u; way < 4u; way++) {
			for (uint64_t set = 0u; set < 256u; set++) {
				uint64_t op = (way << 30) | (set << 6) | ((uint64_t)level << 1);
				__asm__ volatile("dc cisw, %0\n\tdc isw, %0\n\tdc csw, %0" : : "r"(op) : "memory");
			}
		}
	}
	__asm__ volatile("dsb sy" : : : "memory");
}

static void debug_on_hypervisor(struct ctx *c)
{
	uint64_t bkpt = c->hyp + 0x200000u;   /* where the hypervisor's text starts */

	MSR("oslar_el1", 0u);           /* OS lock off */
	MSR("dbgbvr0_el1", bkpt);
	MSR("dbgbcr0_el1", (0xfu << 5) | (3u << 1) | 1u);  /* any byte, EL1 and EL0, enabled */
	MSR("dbgwvr0_el1", c->hyp);
	MSR("dbgwcr0_el1", (0xffu << 5) | (3u << 3) | (3u << 1) | 1u);
	MSR("mdscr_el1", (1u << 15) | (1u << 13));   /* MDE, KDE */
	__asm__ volatile("isb\n\tmsr daifclr, #8" : : : "memory");
	for (uint32_t i = 0u; i < 200u; i++) {
		(void)call3((i & 1u) != 0u, 0x84000000u, 0, 0, 0);
	}
	__asm__ volatile("msr daifset, #8\n\tisb" : : : "memory");
	MSR("mdscr_el1", 0u);
	MSR("dbgbcr0_el1", 0u);
	MSR("dbgwcr0_el1", 0u);
	__asm__ volatile("isb" : : : "memory");
}

static void breakpoint_instructions(struct ctx *c)
{
	(void)c;
	__asm__ volatile("brk #0x42" : : : "memory");
	__asm__ volatile("hlt #0x42" : : : "memory");
}

static void sve_instructions(struct ctx *c)
{
	(void)c;
	/* RDVL x0, #1 and an SME SMSTART: undefined on a core without them. */
	__asm__ volatile(".inst 0x04bf5020\n\t.inst 0xd503477f" : : : "x0", "memory");
}

static void cache_by_address(struct ctx *c)
{
	uintptr_t from = (uintptr_t)__free_start;

	for (uint32_t round = 0u; (round < 4u) && !past_deadline(c); round++) {
		for (uintptr_t a = from; a < (from + 0x100000u); a += 64u) {
			__asm__ volatile("dc civac, %0\n\tdc cvau, %0\n\tic ivau, %0" : : "r"(a) : "memory");
		}
		__asm__ volatile("dsb sy\n\tisb" : : : "memory");
	}
}

static void zva_storm(struct ctx *c)
{
	uintptr_t from = (uintptr_t)__free_start;

	for (uint32_t round = 0u; (round < 8u) && !past_deadline(c); round++) {
		for (uintptr_t a = from; a < (from + 0x100000u); a += 64u) {
			__asm__ volatile("dc zva, %0" : : "r"(a) : "memory");
		}
	}
	__asm__ volatile("dsb sy" : : : "memory");
}

static void tlbi_storm(struct ctx *c)
{
	for (uint32_t i = 0u; (i < 5000u) && !past_deadline(c); i++) {
		__asm__ volatile("tlbi vmalle1is\n\ttlbi vae1is, %0\n\ttlbi aside1is, %0\n\tic ialluis\n\tdsb ish"
				 : : "r"((uint64_t)i << 48) : "memory");
	}
	__asm__ volatile("isb" : : : "memory");
}

static void wfi_storm(struct ctx *c)
{
	/* Its own timer, due and masked: every WFI falls straight through. */
	rt_gic_enable(RT_IRQ_VTIMER);
	rt_timer_start_at(RT_TIMER_VIRT, 0);
	for (uint32_t i = 0u; (i < 50000u) && !past_deadline(c); i++) {
		__asm__ volatile("wfi" : : : "memory");
	}
	rt_timer_stop(RT_TIMER_VIRT);
	rt_gic_clear_pending(RT_IRQ_VTIMER);
	rt_gic_disable(RT_IRQ_VTIMER);
	/* What the hypervisor holds for it pending, it takes and ends. */
	rt_irq_unmask();
	__asm__ volatile("isb" : : : "memory");
	rt_irq_mask();
}

static void wfe_storm(struct ctx *c)
{
	for (uint32_t i = 0u; (i < 50000u) && !past_deadline(c); i++) {
		__asm__ volatile("sev\n\twfe\n\tsevl\n\twfe" : : : "memory");
	}
}

static volatile uint32_t storm_count;
static uint64_t storm_end;

/* A due timer fires again as soon as the handler returns: the storm stops
 * itself, since the interrupted loop never gets to run meanwhile. */
static void on_storm(uint32_t intid, void *arg)
{
	enum rt_timer t = (intid == RT_IRQ_VTIMER) ? RT_TIMER_VIRT : RT_TIMER_PHYS;

	(void)arg;
	storm_count++;
	if ((storm_count < 5000u) && (now() < storm_end)) {
		rt_timer_start_at(t, 0);   /* already due: at once again */
	} else {
		rt_timer_stop(t);
	}
}

static void timer_storm(struct ctx *c, enum rt_timer t)
{
	uint32_t intid = rt_timer_intid(t);

	storm_count = 0u;
	storm_end = c->deadline;
	rt_irq_set_handler(intid, on_storm, NULL);
	rt_gic_enable(intid);
	rt_timer_start_at(t, 0);
	rt_irq_unmask();
	while ((storm_count < 5000u) && !past_deadline(c)) {
		__asm__ volatile("wfi" : : : "memory");
	}
	rt_irq_mask();
	rt_timer_stop(t);
	rt_gic_disable(intid);
	c->detail = storm_count;
}

static void virtual_timer_storm(struct ctx *c)
{
	timer_storm(c, RT_TIMER_VIRT);
}

static void physical_timer_storm(struct ctx *c)
{
	timer_storm(c, RT_TIMER_PHYS);
	/* The physical timer also ends the waits between vectors. */
	restore_wake_handler();
}

static void fp_simd(struct ctx *c)
{
	double x = 1.0;

	for (uint32_t i = 0u; (i < 20000u) && !past_deadline(c); i++) {
		x = (x * 1.000001) + 0.5;
		__asm__ volatile("fmov d31, %d0\n\tmovi v30.2d, #0xffffffffffffffff" : : "w"(x) : "v30", "v31");
	}
	c->detail = (uint64_t)x;
}

const struct vector system_vectors[] = {
	{ "PMU registers", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_REGISTER, 7, 1, pmu_registers },
	{ "trace registers", ON_ANY, EXPECT_ANY, 0, 0, 1, trace_registers },
	{ "LORegion registers", ON_ANY, EXPECT_ANY, 0, 0, 1, lor_registers },
	{ "implementation-defined registers", ON_ANY, EXPECT_ANY, 0, 0, 1, implementation_defined },
	{ "ID register writes", ON_ANY, EXPECT_EL1, 0, 0, 1, id_register_writes },
	{ "EL2 and EL3 registers from EL1", ON_ANY, EXPECT_EL1, 0, 0, 1, el2_el3_registers },
	{ "EL2 TLB maintenance and AT S12E1R from EL1", ON_ANY, EXPECT_EL1, 0, 0, 1, el2_maintenance },
	{ "ACTLR_EL1 writes", ON_ANY, EXPECT_NOTHING, 0, 0, 1, actlr },
	{ "data cache set/way sweep", ON_ANY, EXPECT_NOTHING, 0, 0, 4, set_way_sweep },
	{ "breakpoints and watchpoints on the hypervisor", ON_ANY, EXPECT_NOTHING, 0, 0, 1, debug_on_hypervisor },
	{ "BRK and HLT", ON_ANY, EXPECT_EL1, 0, 0, 1, breakpoint_instructions },
	{ "SVE and SME instructions", ON_ANY, EXPECT_EL1, 0, 0, 1, sve_instructions },
	{ "cache maintenance by address storm", ON_ANY, EXPECT_NOTHING, 0, 0, 1, cache_by_address },
	{ "DC ZVA storm", ON_ANY, EXPECT_NOTHING, 0, 0, 1, zva_storm },
	{ "broadcast TLB and instruction cache invalidation storm", ON_ANY, EXPECT_NOTHING, 0, 0, 1, tlbi_storm },
	{ "WFI storm", ON_ANY, EXPECT_NOTHING, 0, 0, 1, wfi_storm },
	{ "WFE and SEV storm", ON_ANY, EXPECT_NOTHING, 0, 0, 1, wfe_storm },
	{ "virtual timer interrupt storm", ON_ANY, EXPECT_NOTHING, 0, 0, 1, virtual_timer_storm },
	{ "physical timer interrupt storm", ON_ANY, EXPECT_NOTHING, 0, 0, 1, physical_timer_storm },
	{ "floating point and SIMD registers", ON_ANY, EXPECT_NOTHING, 0, 0, 1, fp_simd },
	{ NULL, 0, EXPECT_ANY, 0, 0, 0, NULL },
};
