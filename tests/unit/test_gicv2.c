/* SPDX-License-Identifier: MIT */
/*
 * The GICv2 driver (arch/arm64/gicv2.c) on the host: the frames it programs
 * are arrays here, so what a write-1-to-clear register was given stays
 * there to be read back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "cfg.h"
#include "cpu.h"
#include "arm64.h"
#include "gic.h"

static uint32_t dist[0x1000 / 4] __attribute__((aligned(4096)));
static uint32_t cpuif[0x2000 / 4] __attribute__((aligned(4096)));
static uint32_t hyp[0x1000 / 4] __attribute__((aligned(4096)));
static struct cpu the_cpu;

const struct cfg_system cfg_system = {
	.arch = { .gic = { .dist = { (uintptr_t)dist, sizeof(dist) }, .cpu = { (uintptr_t)cpuif, sizeof(cpuif) },
			   .hyp = { (uintptr_t)hyp, sizeof(hyp) } } },
	.n_cpus = 1,
};

/* The driver's SGI sending looks its target up; one cpu here. */
struct cpu *cpu_get(uint32_t index)
{
	return (index == 0u) ? &the_cpu : NULL;
}

/* The cpu's MPIDR, before it has read its interface number: Aff0 0. */
uint64_t arm64_cpu_mpidr(uint32_t core)
{
	return core;
}

/* The list registers the driver handed to the integrity check (gic_lr_check.c). */
static uint32_t checked[64];

void gic_lr_check(uint32_t n, const struct gic_lr *lr)
{
	(void)lr;
	checked[n]++;
}

#define REG(frame, off) ((frame)[(off) / 4u])

/* Verifies: REQ-IRQ-009~2 */
static void test_cpu_init_clears_every_sgi_and_ppi_the_firmware_left(void **state)
{
	(void)state;
	memset(dist, 0, sizeof(dist));
	REG(hyp, 0x0004u) = 3u;                       /* GICH_VTR: 4 list registers */
	REG(dist, GICD_ITARGETSR) = 0x02020202u;      /* banked: this CPU interface is number 1 */
	gic_init_cpu(&the_cpu, false);
	/* Write-1-to-clear of all 32 SGIs and PPIs: nothing enabled, pending or active is left. */
	assert_int_equal(REG(dist, GICD_ICENABLER), 0xffffffffu);
	assert_int_equal(REG(dist, GICD_ICPENDR), 0xffffffffu);
	assert_int_equal(REG(dist, GICD_ICACTIVER), 0xffffffffu);
	/* Then only the hypervisor's own: its kick SGI and the maintenance PPI, at top priority. */
	assert_int_equal(REG(dist, GICD_ISENABLER), (1u << GIC_IPI_SGI) | (1u << GIC_MAINT_PPI));
	assert_int_equal(((const uint8_t *)dist)[GICD_IPRIORITYR + GIC_IPI_SGI], 0u);
	assert_int_equal(((const uint8_t *)dist)[GICD_IPRIORITYR + GIC_MAINT_PPI], 0u);
	assert_int_equal(the_cpu.arch.gic.cpuif_mask, 0x02u);
	assert_int_equal(gic_lr_count(), 4u);
	for (uint32_t n = 0u; n < 64u; n++) {
		assert_int_equal(checked[n], 0u);   /* nothing read back at init */
	}
}

/* An SGI and the kick to a cpu name its CPU interface (as read at its init) in GICD_SGIR's
 * target list, bits 23..16, with the SGI's INTID. */
/* Verifies: REQ-IRQ-003, REQ-CPU-011~2 */
static void test_sgis_name_the_cpu_interface_read_at_init(void **state)
{
	(void)state;
	memset(dist, 0, sizeof(dist));
	REG(hyp, 0x0004u) = 3u;
	REG(dist, GICD_ITARGETSR) = 0x04040404u;      /* this CPU interface is number 2 */
	gic_init_cpu(&the_cpu, false);
	gic_send_sgi(&the_cpu, 13u);
	assert_int_equal(REG(dist, GICD_SGIR), (0x04u << 16) | 13u);
	gic_send_sgi(&the_cpu, 0x1fu);                /* the INTID field is 4 bits */
	assert_int_equal(REG(dist, GICD_SGIR), (0x04u << 16) | 0xfu);
	gic_send_ipi(&the_cpu);
	assert_int_equal(REG(dist, GICD_SGIR), (0x04u << 16) | GIC_IPI_SGI);
}

/* A core that stops (its partition's fault or stop) takes no more interrupts:
 * its CPU interface is disabled, both groups. */
/* Verifies: REQ-TRP-002 */
static void test_cpu_off_disables_the_cpu_interface(void **state)
{
	(void)state;
	REG(cpuif, 0x0000u) = 0x203u;                  /* GICC_CTLR: both groups, EOImode */
	gic_cpu_off();
	assert_int_equal(REG(cpuif, 0x0000u), 0u);
}

/* Every list register is read from its own GICH_LR<n>, and only one that holds
 * an interrupt (pending, active or both) goes through the integrity check: an
 * empty one keeps whatever its last interrupt left. */
/* Verifies: REQ-IRQ-011, REQ-FSF-004 */
static void test_lr_state_reads_each_register_and_checks_the_ones_in_use(void **state)
{
	(void)state;
	for (uint32_t n = 0u; n < 8u; n++) {
		/* State n % 4 (bits 29:28), hardware bit, physical 32 + n, virtual 100 + n. */
		REG(hyp, 0x100u + (4u * n)) = ((n % 4u) << 28) | (1u << 31) | ((32u + n) << 10) | (100u + n);
	}
	memset(checked, 0, sizeof(checked));
	for (uint32_t n = 0u; n < 8u; n++) {
		struct gic_lr lr;

		assert_int_equal(gic_lr_state(n, &lr), n % 4u);
		assert_int_equal(lr.vintid, 100u + n);
		assert_int_equal(lr.pintid, 32u + n);
		assert_true(lr.hw);
		assert_int_equal(checked[n], ((n % 4u) != 0u) ? 1u : 0u);
	}
}

/* The architecture's GICH frame offsets (GICv2 spec): private to gicv2.c. */
#define HCR 0x0000u
#define VMCR 0x0008u
#define APR 0x00f0u

/* At boot the distributor is disabled, every SPI line its GICD_TYPER counts is cleared
 * (enable, pending, active: write 1 to clear) and the distributor is enabled again; the
 * banked word 0 (SGIs and PPIs) is each cpu's own, left to its init. */
/* Verifies: REQ-IRQ-006 */
static void test_global_init_clears_every_spi_line_the_distributor_has(void **state)
{
	(void)state;
	memset(dist, 0, sizeof(dist));
	REG(dist, GICD_TYPER) = 0xe0u | 4u;            /* ITLinesNumber 4: 160 lines; CPUNumber ignored */
	gic_init_global();
	for (uint32_t w = 0u; w < 8u; w++) {
		uint32_t want = ((w >= 1u) && (w < 5u)) ? 0xffffffffu : 0u;

		assert_int_equal(REG(dist, GICD_ICENABLER + (4u * w)), want);
		assert_int_equal(REG(dist, GICD_ICPENDR + (4u * w)), want);
		assert_int_equal(REG(dist, GICD_ICACTIVER + (4u * w)), want);
	}
	assert_int_equal(REG(dist, GICD_CTLR), 1u);
}

/* A list register is "pending" only in state 1: it then gives its virtual and physical
 * INTIDs, SGI source and priority (5 bits, scaled back to 8) and goes through the integrity
 * check; any other state is not. */
/* Verifies: REQ-IRQ-013, REQ-FSF-004 */
static void test_lr_pending_decodes_a_pending_register_only(void **state)
{
	struct gic_lr lr;

	(void)state;
	memset(checked, 0, sizeof(checked));
	REG(hyp, GICH_LR + 4u) = (1u << 28) | (0x15u << 23) | (1u << 31) | (45u << 10) | 45u;
	assert_true(gic_lr_pending(1u, &lr));
	assert_int_equal(lr.vintid, 45u);
	assert_true(lr.hw);
	assert_int_equal(lr.pintid, 45u);
	assert_int_equal(lr.source, 0u);
	assert_int_equal(lr.priority, 0x15u << 3);
	assert_int_equal(checked[1], 1u);
	REG(hyp, GICH_LR + 8u) = (1u << 28) | (0x1fu << 23) | (5u << 10) | 3u;   /* SGI 3 from cpu 5 */
	assert_true(gic_lr_pending(2u, &lr));
	assert_false(lr.hw);
	assert_int_equal(lr.pintid, 0u);
	assert_int_equal(lr.source, 5u);
	assert_int_equal(lr.vintid, 3u);
	assert_int_equal(lr.priority, 0xf8u);
	for (uint32_t state_ = 0u; state_ < 4u; state_++) {
		if (state_ == 1u) {
			continue;
		}
		REG(hyp, GICH_LR + 12u) = (state_ << 28) | 40u;
		assert_false(gic_lr_pending(3u, &lr));
	}
	assert_int_equal(checked[3], 0u);
}

/* A vCPU's reset empties every list register the hardware has (and no more), its active
 * priorities and its virtual CPU interface's state, and leaves the virtual interface enabled
 * without the underflow interrupts; underflow is asked for and withdrawn alone. */
/* Verifies: REQ-IRQ-009~2, REQ-IRQ-007, REQ-IRQ-011 */
static void test_virtual_interface_reset_clear_and_underflow(void **state)
{
	(void)state;
	REG(hyp, 0x0004u) = 3u;                        /* GICH_VTR: 4 list registers */
	REG(dist, GICD_ITARGETSR) = 0x01010101u;
	gic_init_cpu(&the_cpu, false);
	for (uint32_t n = 0u; n < 5u; n++) {
		REG(hyp, GICH_LR + (4u * n)) = 0x10000000u | n;
	}
	REG(hyp, APR) = 0x8u;
	REG(hyp, VMCR) = 0xf0000001u;
	REG(hyp, HCR) = 0xbu;
	gic_lr_clear(2u);
	assert_int_equal(REG(hyp, GICH_LR + 8u), 0u);
	assert_int_equal(REG(hyp, GICH_LR + 4u), 0x10000001u);
	gic_vif_reset(false);
	for (uint32_t n = 0u; n < 4u; n++) {
		assert_int_equal(REG(hyp, GICH_LR + (4u * n)), 0u);
	}
	assert_int_equal(REG(hyp, GICH_LR + 16u), 0x10000004u);   /* not the hardware's */
	assert_int_equal(REG(hyp, APR), 0u);
	assert_int_equal(REG(hyp, VMCR), 0u);
	assert_int_equal(REG(hyp, HCR), 1u);
	gic_vif_underflow(true);
	assert_int_equal(REG(hyp, HCR), 1u | 2u | 8u);
	gic_vif_underflow(false);
	assert_int_equal(REG(hyp, HCR), 1u);
}

/* Before a cpu has read its interface number (ITARGETSR0 at its init), its kick, its SGIs,
 * its SPI routes and its interface bit are the usual guess: 1 << Aff0. */
/* Verifies: REQ-CPU-011~2, REQ-IRQ-005 */
static void test_a_cpu_not_yet_initialised_is_named_by_its_aff0(void **state)
{
	(void)state;
	struct cpu saved = the_cpu;

	memset(&the_cpu, 0, sizeof(the_cpu));          /* cpu 0, no interface number read */
	gic_send_ipi(&the_cpu);
	assert_int_equal(REG(dist, GICD_SGIR), (0x01u << 16) | GIC_IPI_SGI);
	gic_send_sgi(&the_cpu, 6u);
	assert_int_equal(REG(dist, GICD_SGIR), (0x01u << 16) | 6u);
	assert_int_equal(gic_cpuif_mask(0u), 0x01u);
	gic_spi_route(40u, 0u);
	assert_int_equal(((const uint8_t *)dist)[GICD_ITARGETSR + 40u], 0x01u);
	/* Once read, the interface's own number counts, whatever Aff0 says. */
	the_cpu.arch.gic.cpuif_mask = 0x08u;
	assert_int_equal(gic_cpuif_mask(0u), 0x08u);
	gic_spi_route(41u, 0u);
	assert_int_equal(((const uint8_t *)dist)[GICD_ITARGETSR + 41u], 0x08u);
	gic_spi_targets(42u, 0x06u);
	assert_int_equal(((const uint8_t *)dist)[GICD_ITARGETSR + 42u], 0x06u);
	the_cpu = saved;
}

/* The distributor's registers, and the banked SGI/PPI ones (any cpu's view is the calling
 * cpu's on GICv2), are read and written where the offset says, at the width asked. */
/* Verifies: REQ-IRQ-011 */
static void test_distributor_accessors_reach_the_register_named(void **state)
{
	(void)state;
	memset(dist, 0, sizeof(dist));
	gic_dist_write(GICD_ISENABLER + 8u, 0x12345678u);
	assert_int_equal(REG(dist, GICD_ISENABLER + 8u), 0x12345678u);
	assert_int_equal(gic_dist_read(GICD_ISENABLER + 8u), 0x12345678u);
	gic_dist_write8(GICD_IPRIORITYR + 45u, 0xa0u);
	assert_int_equal(REG(dist, GICD_IPRIORITYR + 44u), 0xa000u);
	gic_local_write(&the_cpu, GICD_ISENABLER, 0x80000000u);
	assert_int_equal(REG(dist, GICD_ISENABLER), 0x80000000u);
	assert_int_equal(gic_local_read(&the_cpu, GICD_ISENABLER), 0x80000000u);
	gic_local_write8(&the_cpu, GICD_IPRIORITYR + 27u, 0x30u);
	assert_int_equal(REG(dist, GICD_IPRIORITYR + 24u), 0x30000000u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_init_clears_every_sgi_and_ppi_the_firmware_left),
		cmocka_unit_test(test_sgis_name_the_cpu_interface_read_at_init),
		cmocka_unit_test(test_cpu_off_disables_the_cpu_interface),
		cmocka_unit_test(test_lr_state_reads_each_register_and_checks_the_ones_in_use),
		cmocka_unit_test(test_global_init_clears_every_spi_line_the_distributor_has),
		cmocka_unit_test(test_lr_pending_decodes_a_pending_register_only),
		cmocka_unit_test(test_virtual_interface_reset_clear_and_underflow),
		cmocka_unit_test(test_a_cpu_not_yet_initialised_is_named_by_its_aff0),
		cmocka_unit_test(test_distributor_accessors_reach_the_register_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
