/* SPDX-License-Identifier: MIT */
/*
 * The GICv3 driver (arch/arm64/gicv3.c) on the host: the distributor and the
 * redistributor frames are arrays, and the ICH_ and ICC_ system registers
 * are the host_sr_* variables of tests/fuzz/host_sysreg.h, so each test
 * sets what the hardware holds and reads back what the driver wrote. Reads
 * of a busy bit go through tests/unit/gic_model/mmio.h, which lets a test
 * say after how many reads the controller finishes, or that it never does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cfg.h"
#include "cpu.h"
#include "arm64.h"
#include "gic.h"

#define GICR_TYPER 0x0008u
#define GICR_SGI_BASE 0x10000u
#define GICR_TYPER_LAST (1UL << 4)
#define FRAME 0x20000u

static uint32_t dist[0x10000 / 4] __attribute__((aligned(4096)));
/* Two redistributors (RD_base and SGI_base frames each), for affinities 0 and 1, and a third
 * frame past the end of the configured region, which the driver must never take. */
static uint32_t redist[3 * FRAME / 4] __attribute__((aligned(4096)));
static struct cpu cpus[2];
#define the_cpu cpus[0]

const struct cfg_system cfg_system = {
	.arch = { .gic = { .dist = { (uintptr_t)dist, sizeof(dist) }, .redist = { (uintptr_t)redist, 2u * FRAME } } },
	.n_cpus = 2,
};

/* The list registers, as host_sysreg.h names them. */
extern uint64_t host_sr_ich_lr0_el2, host_sr_ich_lr1_el2, host_sr_ich_lr2_el2, host_sr_ich_lr3_el2,
	host_sr_ich_lr4_el2, host_sr_ich_lr5_el2, host_sr_ich_lr6_el2, host_sr_ich_lr7_el2,
	host_sr_ich_lr8_el2, host_sr_ich_lr9_el2, host_sr_ich_lr10_el2, host_sr_ich_lr11_el2,
	host_sr_ich_lr12_el2, host_sr_ich_lr13_el2, host_sr_ich_lr14_el2, host_sr_ich_lr15_el2;
extern uint64_t host_sr_icc_sgi0r_el1, host_sr_icc_sgi1r_el1, host_sr_ich_hcr_el2, host_sr_ich_vmcr_el2,
	host_sr_ich_ap0r0_el2, host_sr_ich_ap1r0_el2, host_sr_icc_ap1r0_el1, host_sr_icc_ap1r1_el1,
	host_sr_icc_ap1r2_el1, host_sr_icc_ap1r3_el1;
extern uint64_t host_sr_ich_vtr_el2, host_sr_icc_pmr_el1, host_sr_icc_bpr1_el1, host_sr_icc_ctlr_el1,
	host_sr_icc_igrpen0_el1, host_sr_icc_igrpen1_el1;
/* Every register the test reads or sets, defined here as well (.comm, as host_sysreg.h does):
 * the test still links, and fails, when a mutant drops the driver's only access to one. */
__asm__(".irp r, icc_ap1r0_el1, icc_ap1r1_el1, icc_ap1r2_el1, icc_ap1r3_el1, icc_bpr1_el1, "
	"icc_ctlr_el1, icc_dir_el1, icc_eoir0_el1, icc_iar0_el1, icc_igrpen0_el1, "
	"icc_igrpen1_el1, icc_pmr_el1, icc_sgi0r_el1, icc_sgi1r_el1, ich_ap0r0_el2, "
	"ich_ap1r0_el2, ich_hcr_el2, ich_lr0_el2, ich_lr10_el2, ich_lr11_el2, "
	"ich_lr12_el2, ich_lr13_el2, ich_lr14_el2, ich_lr15_el2, ich_lr1_el2, "
	"ich_lr2_el2, ich_lr3_el2, ich_lr4_el2, ich_lr5_el2, ich_lr6_el2, ich_lr7_el2, "
	"ich_lr8_el2, ich_lr9_el2, ich_vmcr_el2, ich_vtr_el2\n"
	".comm host_sr_\\r, 8, 8\n.endr");

/* The CPU interface as gic_init_cpu leaves it: every priority unmasked, no
 * binary-point grouping, split priority drop and deactivation (EOImode 1)
 * unless the guest deactivates its own (direct), group 0 only for a direct cpu's kick. */
static void assert_cpu_interface(bool direct)
{
	assert_int_equal(host_sr_icc_pmr_el1, 0xffu);
	assert_int_equal(host_sr_icc_bpr1_el1, 0u);
	assert_int_equal(host_sr_icc_ctlr_el1, direct ? 0u : 2u);
	assert_int_equal(host_sr_icc_igrpen1_el1, 1u);
	assert_int_equal(host_sr_icc_igrpen0_el1, direct ? 1u : 0u);
}

static void scribble_cpu_interface(void)
{
	host_sr_icc_pmr_el1 = 0x10u;
	host_sr_icc_bpr1_el1 = 7u;
	host_sr_icc_ctlr_el1 = 0x40u;
	host_sr_icc_igrpen0_el1 = 5u;
	host_sr_icc_igrpen1_el1 = 5u;
}

static uint64_t *const lrs[16] = {
	&host_sr_ich_lr0_el2, &host_sr_ich_lr1_el2, &host_sr_ich_lr2_el2, &host_sr_ich_lr3_el2,
	&host_sr_ich_lr4_el2, &host_sr_ich_lr5_el2, &host_sr_ich_lr6_el2, &host_sr_ich_lr7_el2,
	&host_sr_ich_lr8_el2, &host_sr_ich_lr9_el2, &host_sr_ich_lr10_el2, &host_sr_ich_lr11_el2,
	&host_sr_ich_lr12_el2, &host_sr_ich_lr13_el2, &host_sr_ich_lr14_el2, &host_sr_ich_lr15_el2,
};

struct cpu *cpu_get(uint32_t index)
{
	return (index < 2u) ? &cpus[index] : NULL;
}

/* The cores' MPIDRs: core n has affinity n (Aff0) unless a test says otherwise. */
static uint64_t mpidrs[2] = { 0u, 1u };

uint64_t arm64_cpu_mpidr(uint32_t core)
{
	return mpidrs[core];
}

static jmp_buf panicked;
static bool panic_expected;
static char panic_message[160];

/* Only a test that sets panic_expected expects one (no redistributor for the cpu's affinity, a
 * controller that never finishes); it reads what the panic said in panic_message. */
void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(panic_message, sizeof(panic_message), fmt, ap);
	va_end(ap);
	if (panic_expected) {
		panic_expected = false;
		longjmp(panicked, 1);
	}
	fail_msg("panic: %s", panic_message);
	abort();
}

/* The controller's busy bit: `watch_bit` of the register at `watch_addr` reads set for the next
 * `busy_reads` reads of it (all of them with busy_forever), clear after; `watch_reads` counts the
 * reads. */
static uint64_t watch_addr;
static uint32_t watch_bit;
static uint32_t busy_reads;
static bool busy_forever;
static uint32_t watch_reads;

void gic_model_read(uint64_t addr)
{
	if ((watch_bit == 0u) || (addr != watch_addr)) {
		return;
	}
	volatile uint32_t *reg = (volatile uint32_t *)(uintptr_t)addr;
	if (busy_forever || (busy_reads > 0u)) {
		*reg |= watch_bit;
		busy_reads -= (busy_reads > 0u) ? 1u : 0u;
	} else {
		*reg &= ~watch_bit;
	}
	watch_reads++;
}

/* Writes change nothing else here. */
void gic_model_write(uint64_t addr)
{
	(void)addr;
}

/* From now on bit `bit` of the register at `addr` reads set `reads` times, then clear (never clear
 * when `forever`). */
static void watch(const volatile uint32_t *reg, uint32_t bit, uint32_t reads, bool forever)
{
	watch_addr = (uint64_t)(uintptr_t)reg;
	watch_bit = bit;
	busy_reads = reads;
	busy_forever = forever;
	watch_reads = 0u;
}

static void unwatch(void)
{
	watch_bit = 0u;
}

/* The list registers the driver handed to the integrity check (gic_lr_check.c). */
static uint32_t checked[16];

void gic_lr_check(uint32_t n, const struct gic_lr *lr)
{
	(void)lr;
	checked[n]++;
}

#define REG(frame, off) ((frame)[(off) / 4u])

static uint64_t lr_value(uint64_t state, bool hw, uint32_t pintid, uint32_t vintid)
{
	return (state << ICH_LR_STATE_SHIFT) | (hw ? ICH_LR_HW : 0u) | ((uint64_t)pintid << ICH_LR_PINTID_SHIFT) |
	       (0xa0UL << ICH_LR_PRIO_SHIFT) | vintid;
}

/* Every list register is read from its own register, and only one that holds an
 * interrupt (pending, active or both) goes through the integrity check: an empty
 * one keeps whatever its last interrupt left. */
/* Verifies: REQ-IRQ-011, REQ-FSF-004 */
static void test_lr_state_reads_each_register_and_checks_the_ones_in_use(void **state)
{
	(void)state;
	for (uint32_t n = 0u; n < 16u; n++) {
		*lrs[n] = lr_value(n % 4u, true, 32u + n, 100u + n);
	}
	memset(checked, 0, sizeof(checked));
	for (uint32_t n = 0u; n < 16u; n++) {
		struct gic_lr lr;

		assert_int_equal(gic_lr_state(n, &lr), n % 4u);
		assert_int_equal(lr.vintid, 100u + n);
		assert_int_equal(lr.pintid, 32u + n);
		assert_true(lr.hw);
		assert_int_equal(checked[n], (n % 4u) != 0u ? 1u : 0u);
	}
}

/* Only a pending list register is reported (and checked) by gic_lr_pending, with its priority. */
/* Verifies: REQ-IRQ-013, REQ-FSF-004 */
static void test_lr_pending_reports_only_pending_registers(void **state)
{
	(void)state;
	for (uint32_t n = 0u; n < 16u; n++) {
		*lrs[n] = lr_value(n % 4u, (n & 4u) != 0u, 40u + n, 200u + n);
	}
	memset(checked, 0, sizeof(checked));
	for (uint32_t n = 0u; n < 16u; n++) {
		struct gic_lr lr = { 0 };

		assert_int_equal(gic_lr_pending(n, &lr), (n % 4u) == 1u);
		assert_int_equal(checked[n], (n % 4u) == 1u ? 1u : 0u);
		if ((n % 4u) == 1u) {
			assert_int_equal(lr.vintid, 200u + n);
			assert_int_equal(lr.pintid, 40u + n);
			assert_int_equal(lr.priority, 0xa0u);
			assert_int_equal(lr.hw, (n & 4u) != 0u);
		}
	}
}

/* gic_init_cpu of core `index`, its redistributor to be found, with ICH_VTR_EL2
 * `vtr`, over a CPU interface and a direct flag the firmware or a previous
 * life left otherwise; checks what the CPU interface and the flag became
 * (the flag picks the kick's group in gic_send_ipi). */
static void init_cpu(uint32_t index, uint64_t vtr, bool direct)
{
	host_sr_ich_vtr_el2 = vtr;
	the_cpu.index = index;
	the_cpu.arch.gic.redist = 0u;
	scribble_cpu_interface();
	the_cpu.arch.gic.direct = !direct;
	gic_init_cpu(&the_cpu, direct);
	assert_cpu_interface(direct);
	assert_int_equal(the_cpu.arch.gic.direct, direct);
}

/* Verifies: REQ-IRQ-009~2, REQ-IRQ-002, REQ-IRQ-007 */
static void test_cpu_init_finds_its_redistributor_and_clears_what_the_firmware_left(void **state)
{
	(void)state;
	memset(redist, 0, sizeof(redist));
	/* Affinity in GICR_TYPER[63:32]; the second frame is the last. */
	REG(redist, GICR_TYPER + 4u) = 0u;
	REG(redist, FRAME + GICR_TYPER + 4u) = 1u;
	REG(redist, FRAME + GICR_TYPER) = GICR_TYPER_LAST;
	init_cpu(1u, 0x90000003u, false);        /* ICH_VTR_EL2: 4 list registers */
	assert_int_equal(the_cpu.arch.gic.redist, (uintptr_t)redist + FRAME);
	assert_int_equal(gic_lr_count(), 4u);
	uint32_t *sgi = &redist[(FRAME + GICR_SGI_BASE) / 4u];
	/* Write-1-to-clear of all 32 SGIs and PPIs: nothing enabled, pending or active is left. */
	assert_int_equal(REG(sgi, GICD_ICENABLER), 0xffffffffu);
	assert_int_equal(REG(sgi, GICD_ICPENDR), 0xffffffffu);
	assert_int_equal(REG(sgi, GICD_ICACTIVER), 0xffffffffu);
	/* Group 1 for everything; then only the hypervisor's own at top priority: its kick
	 * SGI and the maintenance PPI. */
	assert_int_equal(REG(sgi, GICD_IGROUPR), 0xffffffffu);
	assert_int_equal(REG(sgi, GICD_ISENABLER), (1u << GIC_IPI_SGI) | (1u << GIC_MAINT_PPI));
	memset(&((uint8_t *)sgi)[GICD_IPRIORITYR], 0xa0, 32);
	gic_init_cpu(&the_cpu, false);
	for (uint32_t i = 0u; i < 32u; i++) {
		uint8_t prio = ((const uint8_t *)sgi)[GICD_IPRIORITYR + i];

		assert_int_equal(prio, ((i == GIC_IPI_SGI) || (i == GIC_MAINT_PPI)) ? 0u : 0xa0u);
	}
	/* The first redistributor was left alone. */
	assert_int_equal(REG(redist, GICR_SGI_BASE + GICD_ICENABLER), 0u);
}

/* No redistributor of the region has the cpu's affinity and none says it is the last (a board
 * description whose region is too small): the search stops at the region's end and panics, never
 * taking the memory after it for a redistributor. */
/* Verifies: REQ-IRQ-001 */
static void test_no_redistributor_in_the_region(void **state)
{
	(void)state;
	memset(redist, 0, sizeof(redist));
	REG(redist, GICR_TYPER + 4u) = 0u;
	REG(redist, FRAME + GICR_TYPER + 4u) = 1u;
	REG(redist, 2u * FRAME + GICR_TYPER + 4u) = 7u;   /* past the end: the one that would match */
	mpidrs[0] = 7u;
	the_cpu.index = 0u;
	the_cpu.arch.gic.redist = 0u;
	panic_expected = true;
	if (setjmp(panicked) == 0) {
		gic_init_cpu(&the_cpu, false);
		fail_msg("found redistributor 0x%lx", (unsigned long)the_cpu.arch.gic.redist);
	}
	mpidrs[0] = 0u;
	assert_int_equal(the_cpu.arch.gic.redist, 0u);
	for (uint32_t i = 2u * FRAME / 4u; i < 3u * FRAME / 4u; i++) {
		assert_int_equal(redist[i], (i == (2u * FRAME + GICR_TYPER + 4u) / 4u) ? 7u : 0u);
	}
}

/* A direct cpu: the kick is group 0 (FIQ); no maintenance interrupt. */
/* Verifies: REQ-IRQ-009~2, REQ-IRQ-002 */
static void test_direct_cpu_init_makes_the_kick_group_0(void **state)
{
	(void)state;
	memset(redist, 0, sizeof(redist));
	REG(redist, GICR_TYPER) = GICR_TYPER_LAST;
	init_cpu(0u, 15u, true);                 /* 16 list registers */
	uint32_t *sgi = &redist[GICR_SGI_BASE / 4u];
	assert_int_equal(the_cpu.arch.gic.redist, (uintptr_t)redist);
	assert_int_equal(gic_lr_count(), 16u);
	assert_int_equal(REG(sgi, GICD_IGROUPR), ~(1u << GIC_IPI_SGI));
	assert_int_equal(REG(sgi, GICD_ISENABLER), 1u << GIC_IPI_SGI);
}

#define GICD_TYPER 0x0004u

/* The distributor: every SPI disabled, not pending, not active, group 1, for
 * as many lines as GICD_TYPER says (SGIs and PPIs are the redistributors');
 * each cpu's kick is an ICC_SGI1R_EL1 value naming it by its whole affinity. */
/* Verifies: REQ-IRQ-006, REQ-IRQ-003, REQ-CPU-011~2 */
static void test_global_init_clears_the_spis_and_names_each_cpu_by_affinity(void **state)
{
	(void)state;
	memset(dist, 0, sizeof(dist));
	REG(dist, GICD_TYPER) = 2u;                     /* 96 lines: SPI words 1 and 2 */
	mpidrs[0] = 0u;
	/* Aff3 0x12, Aff2 0x34, Aff1 0x56, Aff0 0x2b: range 2, target 11. */
	mpidrs[1] = (0x12UL << 32) | (0x34UL << 16) | (0x56UL << 8) | 0x2bu;
	gic_init_global();
	for (uint32_t w = 0u; w < 4u; w++) {
		uint32_t want = ((w == 1u) || (w == 2u)) ? 0xffffffffu : 0u;

		assert_int_equal(REG(dist, GICD_ICENABLER + (4u * w)), want);
		assert_int_equal(REG(dist, GICD_ICPENDR + (4u * w)), want);
		assert_int_equal(REG(dist, GICD_ICACTIVER + (4u * w)), want);
		assert_int_equal(REG(dist, GICD_IGROUPR + (4u * w)), want);
	}
	assert_int_equal(REG(dist, 0u), 0x13u);         /* GICD_CTLR: ARE, group 1 and group 0 on */
	assert_int_equal(cpus[0].arch.gic.kick, ((uint64_t)GIC_IPI_SGI << 24) | 1u);
	assert_int_equal(cpus[1].arch.gic.kick, (0x12UL << 48) | (0x34UL << 32) | (2UL << 44) |
						((uint64_t)GIC_IPI_SGI << 24) | (0x56UL << 16) | (1UL << 11));
	/* An SGI to the cpu keeps its affinity and carries its own INTID. */
	gic_send_sgi(&cpus[1], 13u);
	assert_int_equal(host_sr_icc_sgi1r_el1, (0x12UL << 48) | (0x34UL << 32) | (2UL << 44) | (13UL << 24) |
						(0x56UL << 16) | (1UL << 11));
	/* The kick is group 1, or group 0 (FIQ) for a direct cpu. */
	host_sr_icc_sgi1r_el1 = 0u;
	cpus[1].arch.gic.direct = false;
	gic_send_ipi(&cpus[1]);
	assert_int_equal(host_sr_icc_sgi1r_el1, cpus[1].arch.gic.kick);
	assert_int_equal(host_sr_icc_sgi0r_el1, 0u);
	host_sr_icc_sgi1r_el1 = 0u;
	cpus[1].arch.gic.direct = true;
	gic_send_ipi(&cpus[1]);
	assert_int_equal(host_sr_icc_sgi0r_el1, cpus[1].arch.gic.kick);
	assert_int_equal(host_sr_icc_sgi1r_el1, 0u);
	cpus[1].arch.gic.direct = false;
	mpidrs[1] = 1u;
}

static void scribble_virtual_interface(void)
{
	for (uint32_t n = 0u; n < 16u; n++) {
		*lrs[n] = lr_value(1u, false, 0u, 50u + n);
	}
	host_sr_ich_ap0r0_el2 = 1u;
	host_sr_ich_ap1r0_el2 = 1u;
	host_sr_ich_vmcr_el2 = 0u;
	host_sr_ich_hcr_el2 = 0u;
	host_sr_icc_ap1r0_el1 = 1u;
	host_sr_icc_ap1r1_el1 = 1u;
	host_sr_icc_ap1r2_el1 = 1u;
	host_sr_icc_ap1r3_el1 = 1u;
	scribble_cpu_interface();
}

/* A vCPU's (re)start: its list registers and active priorities emptied, the
 * virtual interface on (ICH_HCR_EL2.En), VMCR at reset (VPMR 0, VBPR1 3, VBPR0 2)... */
/* Verifies: REQ-IRQ-009~2 */
static void test_vif_reset_empties_the_virtual_interface(void **state)
{
	(void)state;
	host_sr_ich_vtr_el2 = 0x90000005u;      /* 6 list registers */
	the_cpu.arch.gic.redist = (uintptr_t)redist;
	gic_init_cpu(&the_cpu, false);
	scribble_virtual_interface();
	gic_vif_reset(false);
	for (uint32_t n = 0u; n < 16u; n++) {
		assert_int_equal(*lrs[n], (n < 6u) ? 0u : lr_value(1u, false, 0u, 50u + n));
	}
	assert_int_equal(host_sr_ich_ap0r0_el2, 0u);
	assert_int_equal(host_sr_ich_ap1r0_el2, 0u);
	assert_int_equal(host_sr_ich_vmcr_el2, (3UL << 18) | (2UL << 21));
	assert_int_equal(host_sr_ich_hcr_el2, 1u);
	/* ...and the physical CPU interface, used by direct cpus only, left alone. */
	assert_int_equal(host_sr_icc_ap1r0_el1, 1u);
	assert_int_equal(host_sr_icc_pmr_el1, 0x10u);
}

/* A direct vCPU's restart: the virtual interface off but trapping the shared
 * registers (TC, TDIR), and the physical group-1 CPU interface back to
 * gic_init_cpu's values, every active priority register that exists emptied
 * (ICC_CTLR_EL1.PRIbits: 5 bits one register, 6 two, 7 four). */
/* Verifies: REQ-IRQ-009~2, REQ-IRQ-008~2 */
static void test_direct_vif_reset_empties_the_physical_cpu_interface(void **state)
{
	(void)state;
	static const struct {
		uint64_t pri_bits;
		uint64_t ap1r[4];
	} cases[] = {
		{ 4u, { 0u, 1u, 1u, 1u } },
		{ 5u, { 0u, 0u, 1u, 1u } },
		{ 6u, { 0u, 0u, 0u, 0u } },
	};

	host_sr_ich_vtr_el2 = 3u;
	for (size_t i = 0u; i < sizeof(cases) / sizeof(cases[0]); i++) {
		scribble_virtual_interface();
		host_sr_icc_ctlr_el1 = cases[i].pri_bits << 8;
		gic_vif_reset(true);
		assert_int_equal(host_sr_ich_hcr_el2, (1UL << 10) | (1UL << 14));
		assert_int_equal(host_sr_icc_pmr_el1, 0xffu);
		assert_int_equal(host_sr_icc_bpr1_el1, 0u);
		assert_int_equal(host_sr_icc_ctlr_el1, 0u);
		assert_int_equal(host_sr_icc_igrpen1_el1, 1u);
		assert_int_equal(host_sr_icc_ap1r0_el1, cases[i].ap1r[0]);
		assert_int_equal(host_sr_icc_ap1r1_el1, cases[i].ap1r[1]);
		assert_int_equal(host_sr_icc_ap1r2_el1, cases[i].ap1r[2]);
		assert_int_equal(host_sr_icc_ap1r3_el1, cases[i].ap1r[3]);
	}
}

/* A core that stops takes no more interrupts: both groups disabled at its CPU interface. */
/* Verifies: REQ-TRP-002 */
static void test_cpu_off_disables_both_groups(void **state)
{
	(void)state;
	host_sr_icc_igrpen0_el1 = 1u;
	host_sr_icc_igrpen1_el1 = 1u;
	gic_cpu_off();
	assert_int_equal(host_sr_icc_igrpen0_el1, 0u);
	assert_int_equal(host_sr_icc_igrpen1_el1, 0u);
}

extern uint64_t host_sr_icc_iar0_el1, host_sr_icc_eoir0_el1, host_sr_icc_dir_el1;

/* The distributor's registers are reached at the offset asked, at the width asked; a write
 * that clears enables waits for the distributor to finish it (RWP clear here); an SPI is
 * routed to a cpu by its affinity alone (Aff3, Aff2..0; not MPIDR's U, MT or RES1 bits). */
/* Verifies: REQ-IRQ-011, REQ-IRQ-005 */
static void test_distributor_accessors_and_routes(void **state)
{
	(void)state;
	memset(dist, 0, sizeof(dist));
	gic_dist_write(GICD_ICENABLER + 4u, 0x00010000u);
	assert_int_equal(dist[(GICD_ICENABLER + 4u) / 4u], 0x00010000u);
	gic_dist_write(GICD_ISENABLER + 8u, 0xcafe0000u);
	assert_int_equal(gic_dist_read(GICD_ISENABLER + 8u), 0xcafe0000u);
	gic_dist_write8(GICD_IPRIORITYR + 45u, 0xa0u);
	assert_int_equal(dist[(GICD_IPRIORITYR + 44u) / 4u], 0xa000u);
	mpidrs[1] = (1UL << 31) | (1UL << 30) | (1UL << 24) | (0x12UL << 32) | (0x34UL << 16) | (0x56UL << 8) | 0x2bu;
	gic_spi_route(40u, 1u);
	uint64_t route;
	memcpy(&route, &dist[(GICD_IROUTER + (8u * 40u)) / 4u], sizeof(route));
	assert_true(route == ((0x12UL << 32) | (0x34UL << 16) | (0x56UL << 8) | 0x2bu));
	mpidrs[1] = 1u;
}

#define RWP ((uint32_t)1u << 31)

/* gic_dist_write(offset, value) with GICD_CTLR.RWP set for its next 3 reads; true if the write
 * returned only after RWP read clear, that is it waited for it. */
static bool write_waits_for_rwp(uint32_t offset, uint32_t value)
{
	dist[GICD_CTLR / 4u] = RWP;
	watch(&dist[GICD_CTLR / 4u], RWP, 3u, false);
	gic_dist_write(offset, value);
	bool waited = watch_reads == 4u;
	assert_true(waited || (watch_reads == 0u));
	unwatch();
	dist[GICD_CTLR / 4u] = 0u;
	return waited;
}

/* A write to any word of GICD_ICENABLER<n>, the first included, waits for RWP to clear (a
 * disable is complete only then: GICv3 4.1.3 / 12.9.4); a write to the registers after them does
 * not wait. */
/* Verifies: REQ-IRQ-004~2 */
static void test_clearing_enables_waits_for_the_distributor(void **state)
{
	(void)state;
	memset(dist, 0, sizeof(dist));
	assert_true(write_waits_for_rwp(GICD_ICENABLER, 0x1u));
	assert_true(write_waits_for_rwp(GICD_ICENABLER + 0x7cu, 0x2u));
	assert_false(write_waits_for_rwp(GICD_ICENABLER + 0x80u, 0x4u));   /* GICD_ISPENDR0 */
	assert_false(write_waits_for_rwp(GICD_ISENABLER + 4u, 0x8u));
	assert_int_equal(dist[GICD_ICENABLER / 4u], 0x1u);
	assert_int_equal(dist[(GICD_ICENABLER + 0x7cu) / 4u], 0x2u);
}

#define GICR_CTLR_RWP (1u << 3)
#define GICR_WAKER 0x0014u
#define GICR_WAKER_ASLEEP (1u << 2)

/* The redistributor of cpus[1], the last of the region. */
static void second_redistributor(void)
{
	memset(redist, 0, sizeof(redist));
	REG(redist, FRAME + GICR_TYPER + 4u) = 1u;
	REG(redist, FRAME + GICR_TYPER) = GICR_TYPER_LAST;
	cpus[1].index = 1u;
	cpus[1].arch.gic.redist = (uintptr_t)redist + FRAME;
}

/* A write that disables SGIs or PPIs waits for the redistributor to finish it (GICR_CTLR.RWP,
 * GICv3 9.11.1), reading it until it reads clear; a write that enables does not wait. */
/* Verifies: REQ-IRQ-009~2, REQ-FSF-007 */
static void test_clearing_local_enables_waits_for_the_redistributor(void **state)
{
	(void)state;
	second_redistributor();
	watch(&redist[FRAME / 4u], GICR_CTLR_RWP, 3u, false);
	gic_local_write(&cpus[1], GICD_ICENABLER, 0x1u);
	assert_int_equal(watch_reads, 4u);
	watch(&redist[FRAME / 4u], GICR_CTLR_RWP, 3u, false);
	gic_local_write(&cpus[1], GICD_ISENABLER, 0x2u);
	assert_int_equal(watch_reads, 0u);
	unwatch();
}

static void clear_an_spi_enable(void)
{
	gic_dist_write(GICD_ICENABLER + 4u, 0x1u);
}

static void clear_a_local_enable(void)
{
	gic_local_write(&cpus[1], GICD_ICENABLER, 0x1u);
}

static void init_the_distributor(void)
{
	gic_init_global();
}

static void init_the_second_cpu(void)
{
	host_sr_ich_vtr_el2 = 3u;
	gic_init_cpu(&cpus[1], false);
}

/* `call` with bit `bit` of register `reg` read set for good: it must power the board off (panic)
 * after exactly 1,000,000 reads of the register by the wait (and `before` reads of it before the
 * wait), its report naming the register and bit. */
static void assert_gives_up(void (*call)(void), volatile uint32_t *reg, uint32_t bit, uint32_t before,
			    const char *what)
{
	watch(reg, bit, 0u, true);
	panic_expected = true;
	if (setjmp(panicked) == 0) {
		call();
		unwatch();
		fail_msg("%s: the wait never gave up", what);
	}
	panic_expected = false;
	unwatch();
	assert_int_equal(watch_reads, before + 1000000u);
	assert_non_null(strstr(panic_message, what));
	*reg &= ~bit;
}

/* Every wait for the GICv3 gives up after 1,000,000 reads of a busy bit and powers the board off,
 * naming the register: the distributor's and a redistributor's write in progress (RWP), a
 * redistributor that does not wake (ChildrenAsleep), at boot and at run time. One that finishes on
 * the last of those reads is waited for. */
/* Verifies: REQ-FSF-007 */
static void test_a_controller_that_never_finishes_powers_the_board_off(void **state)
{
	(void)state;
	memset(dist, 0, sizeof(dist));
	assert_gives_up(clear_an_spi_enable, &dist[GICD_CTLR / 4u], RWP, 0u, "GICD_CTLR.RWP");
	assert_gives_up(init_the_distributor, &dist[GICD_CTLR / 4u], RWP, 0u, "GICD_CTLR.RWP");
	second_redistributor();
	assert_gives_up(clear_a_local_enable, &redist[FRAME / 4u], GICR_CTLR_RWP, 0u, "GICR_CTLR.RWP");
	second_redistributor();
	assert_gives_up(init_the_second_cpu, &redist[(FRAME + GICR_WAKER) / 4u], GICR_WAKER_ASLEEP, 1u,
			"GICR_WAKER.ChildrenAsleep");   /* read once to clear ProcessorSleep */
	second_redistributor();
	assert_gives_up(init_the_second_cpu, &redist[FRAME / 4u], GICR_CTLR_RWP, 0u, "GICR_CTLR.RWP");
	/* Busy for 999,999 reads, clear at the 1,000,000th: waited for, no panic. */
	second_redistributor();
	watch(&redist[FRAME / 4u], GICR_CTLR_RWP, 999999u, false);
	clear_a_local_enable();
	assert_int_equal(watch_reads, 1000000u);
	unwatch();
	memset(dist, 0, sizeof(dist));
	watch(&dist[GICD_CTLR / 4u], RWP, 999999u, false);
	clear_an_spi_enable();
	assert_int_equal(watch_reads, 1000000u);
	unwatch();
}

/* A cpu's SGI and PPI registers are its own redistributor's SGI frame, not another's and not
 * the distributor's. */
/* Verifies: REQ-IRQ-011 */
static void test_local_accessors_reach_the_cpus_own_redistributor(void **state)
{
	(void)state;
	struct cpu c = { 0 };
	const uint32_t sgi_frame = (FRAME + GICR_SGI_BASE) / 4u;

	memset(redist, 0, sizeof(redist));
	memset(dist, 0, sizeof(dist));
	c.arch.gic.redist = (uintptr_t)redist + FRAME;   /* the second redistributor */
	gic_local_write(&c, GICD_ICENABLER, 0x08000000u);
	assert_int_equal(redist[sgi_frame + (GICD_ICENABLER / 4u)], 0x08000000u);
	gic_local_write(&c, GICD_ISENABLER, 0x40000000u);
	assert_int_equal(gic_local_read(&c, GICD_ISENABLER), 0x40000000u);
	gic_local_write8(&c, GICD_IPRIORITYR + 27u, 0x30u);
	assert_int_equal(redist[sgi_frame + ((GICD_IPRIORITYR + 24u) / 4u)], 0x30000000u);
	/* Nothing reached the first redistributor or the distributor. */
	for (uint32_t i = 0u; i < FRAME / 4u; i++) {
		assert_int_equal(redist[i], 0u);
	}
	for (uint32_t i = 0u; i < sizeof(dist) / 4u; i++) {
		assert_int_equal(dist[i], 0u);
	}
}

/* A direct cpu's group 0 interrupt (its kick): the INTID acknowledged is 24 bits; its end of
 * interrupt also deactivates it when the guest split the two (EOImode 1), and only then. */
/* Verifies: REQ-IRQ-008~2 */
static void test_group_0_ack_and_eoi_follow_the_eoi_mode(void **state)
{
	(void)state;
	host_sr_icc_iar0_el1 = 0xff00000fu;
	assert_int_equal(gic_ack_fiq(), 0x00000fu);
	host_sr_icc_dir_el1 = 0u;
	host_sr_icc_ctlr_el1 = 0u;
	gic_eoi_fiq(15u);
	assert_int_equal(host_sr_icc_eoir0_el1, 15u);
	assert_int_equal(host_sr_icc_dir_el1, 0u);
	host_sr_icc_ctlr_el1 = 2u;                     /* EOImode */
	host_sr_icc_eoir0_el1 = 0u;
	gic_eoi_fiq(15u);
	assert_int_equal(host_sr_icc_eoir0_el1, 15u);
	assert_int_equal(host_sr_icc_dir_el1, 15u);
}

/* A list register is emptied alone; underflow interrupts are asked for and withdrawn with the
 * virtual interface left enabled. */
/* Verifies: REQ-IRQ-011, REQ-IRQ-007 */
static void test_lr_clear_and_underflow(void **state)
{
	(void)state;
	for (uint32_t n = 0u; n < 4u; n++) {
		*lrs[n] = 0x1000000000000000UL | n;
	}
	gic_lr_clear(2u);
	assert_true(*lrs[2] == 0u);
	assert_true(*lrs[1] == (0x1000000000000000UL | 1u));
	assert_true(*lrs[3] == (0x1000000000000000UL | 3u));
	gic_vif_underflow(true);
	assert_int_equal(host_sr_ich_hcr_el2, 1u | 2u | 8u);
	gic_vif_underflow(false);
	assert_int_equal(host_sr_ich_hcr_el2, 1u);
}

/* Each list register is written through its own ICH_LR<n>_EL2, all sixteen, with the
 * interrupt's virtual INTID, priority and the pending state, and no other register touched. */
/* Verifies: REQ-IRQ-006 */
static void test_lr_write_reaches_each_list_register(void **state)
{
	(void)state;
	for (uint32_t n = 0u; n < 16u; n++) {
		for (uint32_t m = 0u; m < 16u; m++) {
			*lrs[m] = 0u;
		}
		struct gic_lr lr = { 100u + n, 0u, 0xa0u, 0u, false };
		gic_lr_write(n, lr);
		for (uint32_t m = 0u; m < 16u; m++) {
			if (m != n) {
				assert_true(*lrs[m] == 0u);
			}
		}
		struct gic_lr back;
		assert_int_equal(gic_lr_state(n, &back), 1u);          /* pending */
		assert_int_equal(back.vintid, 100u + n);
		assert_false(back.hw);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lr_state_reads_each_register_and_checks_the_ones_in_use),
		cmocka_unit_test(test_lr_pending_reports_only_pending_registers),
		cmocka_unit_test(test_cpu_init_finds_its_redistributor_and_clears_what_the_firmware_left),
		cmocka_unit_test(test_no_redistributor_in_the_region),
		cmocka_unit_test(test_direct_cpu_init_makes_the_kick_group_0),
		cmocka_unit_test(test_global_init_clears_the_spis_and_names_each_cpu_by_affinity),
		cmocka_unit_test(test_vif_reset_empties_the_virtual_interface),
		cmocka_unit_test(test_direct_vif_reset_empties_the_physical_cpu_interface),
		cmocka_unit_test(test_cpu_off_disables_both_groups),
		cmocka_unit_test(test_distributor_accessors_and_routes),
		cmocka_unit_test(test_clearing_enables_waits_for_the_distributor),
		cmocka_unit_test(test_clearing_local_enables_waits_for_the_redistributor),
		cmocka_unit_test(test_a_controller_that_never_finishes_powers_the_board_off),
		cmocka_unit_test(test_local_accessors_reach_the_cpus_own_redistributor),
		cmocka_unit_test(test_group_0_ack_and_eoi_follow_the_eoi_mode),
		cmocka_unit_test(test_lr_clear_and_underflow),
		cmocka_unit_test(test_lr_write_reaches_each_list_register),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
