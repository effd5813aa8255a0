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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_init_clears_every_sgi_and_ppi_the_firmware_left),
		cmocka_unit_test(test_sgis_name_the_cpu_interface_read_at_init),
		cmocka_unit_test(test_cpu_off_disables_the_cpu_interface),
		cmocka_unit_test(test_lr_state_reads_each_register_and_checks_the_ones_in_use),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
