/* SPDX-License-Identifier: MIT */
/*
 * The virtual GIC's GICv2 build on the trap fuzz target's system
 * (tests/fuzz/traps_system.h: alpha on core 0 with SPIs 40 and 41, beta's
 * vCPUs 0 and 1 on cores 1 and 2 with SPI 50, gamma on core 3). The list
 * registers are the fake GICH frame's; the fake driver aborts on any physical
 * write for an interrupt or core the writer's partition does not own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vgic.h"
#include "cpu.h"
#include "fake_arch.h"
#include "incident.h"
#include "partition.h"
#include "traps_system.h"
#include "traps_unit.h"

#define BETA 1u
#define GICD_CTLR_ENABLE 1u
#define GICD_CPENDSGIR 0x0f10u
#define GICD_SPENDSGIR 0x0f20u
#define ELRSR0 (GICH_ELRSR0 / 4u)
#define SGIR(filter, list, intid) (((uint32_t)(filter) << 24) | ((uint32_t)(list) << 16) | (intid))


static uint64_t incidents(uint32_t part)
{
	return incident_count(partition_get(part), BH_INCIDENT_INTERRUPT);
}

/* Every list register taken (GICH_ELRSR0 0): what is delivered waits in the vCPU's queue, where
 * a test that delivers more than one interrupt at once sees them all. */
static void lrs_taken(void)
{
	fake_gich[ELRSR0] = 0;
}

/* The SGIs 0-7 pending for the vCPU on `core`, anywhere (posted, in a list register, queued), by
 * sender (bit 8 * intid + sender); then none. */
static uint64_t take_sgis(uint32_t core)
{
	struct cpu *cpu = cpu_get(core);
	struct vgic_cpu *v = vgic_cpu_of(cpu);
	uint64_t out = 0;

	for (uint32_t i = 0; i < 8u; i++) {
		out |= (uint64_t)vgic_sgi_sources(cpu, i) << (8u * i);
	}
	v->sgi_pending = 0;
	memset(v->sgi_source, 0, sizeof(v->sgi_source));
	v->queued = 0;
	return out;
}

/* Verifies: REQ-IRQ-003 */
static void test_sgir_target_list_and_filters(void **state)
{
	(void)state;
	uint64_t n = incidents(BETA);

	lrs_taken();
	/* Beta's vCPU 0 (core 1) to the list {vCPU 1}: SGI 3 from sender 0. */
	traps_dist(1, GICD_SGIR, true, 4, SGIR(0, 0x2, 3));
	assert_int_equal(take_sgis(2), (uint64_t)0x1 << 24);
	assert_int_equal(take_sgis(1), 0);
	/* All but itself, from vCPU 1: to vCPU 0, sender 1. */
	traps_dist(2, GICD_SGIR, true, 4, SGIR(1, 0, 5));
	assert_int_equal(take_sgis(1), (uint64_t)0x2 << 40);
	assert_int_equal(take_sgis(2), 0);
	/* Itself only, whatever the list says. */
	traps_dist(2, GICD_SGIR, true, 4, SGIR(2, 0x1, 6));
	assert_int_equal(take_sgis(2), (uint64_t)0x2 << 48);
	assert_int_equal(take_sgis(1), 0);
	/* Both, in the list: one SGI each. */
	traps_dist(1, GICD_SGIR, true, 4, SGIR(0, 0x3, 1));
	assert_int_equal(take_sgis(1), (uint64_t)0x1 << 8);
	assert_int_equal(take_sgis(2), (uint64_t)0x1 << 8);
	assert_int_equal(incidents(BETA), n);
	/* A list naming a CPU interface it does not have: refused, its own still sent. */
	traps_dist(1, GICD_SGIR, true, 4, SGIR(0, 0x6, 2));
	assert_int_equal(incidents(BETA), n + 1u);
	assert_int_equal(take_sgis(2), (uint64_t)0x1 << 16);
	assert_int_equal(take_sgis(1), 0);
	assert_non_null(strstr(fake.console, "SGI to a core it does not own"));
	/* The reserved filter: refused, nothing sent. */
	traps_dist(1, GICD_SGIR, true, 4, SGIR(3, 0x3, 2));
	assert_int_equal(incidents(BETA), n + 2u);
	assert_int_equal(take_sgis(1) | take_sgis(2), 0);
	/* SGIR reads as zero. */
	assert_int_equal(traps_dist(1, GICD_SGIR, false, 4, 0x1234u), 0);
}

/*
 * Two vCPUs send the same SGI to one: on GICv2 they are two interrupts (GICC_IAR.CPUID), so the
 * vCPU gets two, one per sender. With every list register taken both wait in the queue.
 * Verifies: REQ-IRQ-003
 */
static void test_an_sgi_from_two_senders_is_two_interrupts(void **state)
{
	(void)state;
	struct vgic_cpu *v = vgic_cpu_of(cpu_get(2));

	lrs_taken();
	traps_dist(1, GICD_SGIR, true, 4, SGIR(0, 0x2, 4));
	traps_dist(2, GICD_SGIR, true, 4, SGIR(2, 0, 4));
	traps_dist(1, GICD_SGIR, true, 4, SGIR(0, 0x2, 9));
	fake.current = cpu_get(2);
	vgic_sync_sgis(cpu_get(2));
	assert_int_equal(v->queued, 3);
	unsigned from0 = 0, from1 = 0, nine = 0;
	for (uint32_t i = 0; i < v->queued; i++) {
		assert_false(v->queue[i].hw);
		if (v->queue[i].vintid == 4u) {
			from0 += v->queue[i].source == 0u;
			from1 += v->queue[i].source == 1u;
		}
		nine += v->queue[i].vintid == 9u && v->queue[i].source == 0u;
	}
	assert_int_equal(from0, 1);
	assert_int_equal(from1, 1);
	assert_int_equal(nine, 1);
	assert_int_equal(v->sgi_pending, 0);
	assert_int_equal(v->sgi_source[4], 0);
	/* Posted by two senders at once, as two other vCPUs of a larger partition post them. */
	v->queued = 0;
	v->sgi_source[6] = 0x5u;
	v->sgi_pending = 1u << 6;
	vgic_sync_sgis(cpu_get(2));
	assert_int_equal(v->queued, 2);
	assert_int_equal(v->queue[0].vintid, 6);
	assert_int_equal(v->queue[1].vintid, 6);
	assert_int_equal((1u << v->queue[0].source) | (1u << v->queue[1].source), 0x5u);
}

/* The kick of a vCPU that holds nothing, for one SGI posted by two senders at once: both reach the
 * vCPU, one list register each (the fast path takes one SGI from one sender only). */
/* Verifies: REQ-IRQ-003 */
static void test_a_kick_delivers_an_sgi_from_each_of_two_senders(void **state)
{
	(void)state;
	struct cpu *cpu = cpu_get(2);
	struct vgic_cpu *v = vgic_cpu_of(cpu);
	struct gic_lr lr0, lr1;

	fake_gic_sync_elrsr();
	assert_int_equal(fake_gich[ELRSR0], 0xfu);      /* every list register free */
	v->sgi_source[6] = 0x5u;                         /* vCPUs 0 and 2 */
	v->sgi_pending = 1u << 6;
	fake.current = cpu;
	vgic_kick(cpu, GIC_IPI_SGI);
	assert_int_equal(gic_lr_state(0, &lr0), 1u);
	assert_int_equal(gic_lr_state(1, &lr1), 1u);
	assert_int_equal(lr0.vintid, 6);
	assert_int_equal(lr1.vintid, 6);
	assert_int_equal((1u << lr0.source) | (1u << lr1.source), 0x5u);
	assert_int_equal(take_sgis(2), (uint64_t)0x5u << 48);
}

/* One SGI from one sender goes into a list register with its sender. */
/* Verifies: REQ-IRQ-003 */
static void test_an_sgi_lands_in_a_list_register_with_its_sender(void **state)
{
	(void)state;
	struct gic_lr lr;

	traps_dist(2, GICD_SGIR, true, 4, SGIR(1, 0, 7));
	fake_gic_sync_elrsr();
	fake.current = cpu_get(1);
	vgic_sync_sgis(cpu_get(1));
	assert_int_equal(gic_lr_state(0, &lr), 1u);
	assert_int_equal(lr.vintid, 7);
	assert_int_equal(lr.source, 1);
	assert_false(lr.hw);
	fake_gic_sync_elrsr();
	assert_int_equal(fake_gich[ELRSR0], 0xeu);
}

/* Verifies: REQ-IRQ-001 */
static void test_identification_registers(void **state)
{
	(void)state;
	/* TYPER: the lines of the board, CPUNumber its own vCPUs less one; IIDR and PIDR2 the board's. */
	assert_int_equal(traps_dist(1, 0x4u, false, 4, 0), (FAKE_GICD_TYPER & 0x1fu) | (1u << 5));
	assert_int_equal(traps_dist(0, 0x4u, false, 4, 0), FAKE_GICD_TYPER & 0x1fu);
	assert_int_equal(traps_dist(1, 0x8u, false, 4, 0), FAKE_GICD_IIDR);
	assert_int_equal(traps_dist(1, 0xfe8u, false, 4, 0), FAKE_GICD_PIDR2);
	/* CTLR keeps the enable bit only; other widths read as zero. */
	assert_int_equal(traps_dist(1, 0x0u, false, 4, 0), 0);
	traps_dist(1, 0x0u, true, 4, 0xffu);
	assert_int_equal(traps_dist(1, 0x0u, false, 4, 0), GICD_CTLR_ENABLE);
	assert_int_equal(traps_dist(1, 0x4u, false, 2, 0x55u), 0);
	traps_dist(1, 0x0u, true, 4, 0);
	assert_int_equal(traps_dist(1, 0x0u, false, 4, 0), 0);
	/* A write to the read-only ones changes nothing. */
	traps_dist(1, 0x4u, true, 4, 0);
	assert_int_equal(traps_dist(1, 0x4u, false, 4, 0), (FAKE_GICD_TYPER & 0x1fu) | (1u << 5));
}

/* Verifies: REQ-IRQ-005 */
static void test_cpu_targets_of_its_own_spi(void **state)
{
	(void)state;
	uint64_t n = incidents(BETA);

	traps_dist(1, 0x0u, true, 4, GICD_CTLR_ENABLE);
	/* SPI 50 to vCPU 1: physically to core 2's CPU interface. */
	traps_dist(1, GICD_ITARGETSR + 50u, true, 1, 0x2u);
	assert_int_equal(fake_gic_targets[50], 1u << 2);
	assert_int_equal(traps_dist(1, GICD_ITARGETSR + 50u, false, 1, 0), 0x2u);
	assert_int_equal(vgic_spi_target(partition_get(BETA), 50u), 1u);
	/* Both vCPUs, in a word write (SPIs 48-51: only 50 is beta's). */
	traps_dist(1, GICD_ITARGETSR + 48u, true, 4, 0x00030000u);
	assert_int_equal(fake_gic_targets[50], (1u << 1) | (1u << 2));
	assert_int_equal(traps_dist(2, GICD_ITARGETSR + 48u, false, 4, 0), 0x00030000u);
	assert_int_equal(vgic_spi_target(partition_get(BETA), 50u), 0u);
	/* Vcpu 1 alone again, then no CPU interface at all: its first vCPU takes the interrupt. */
	traps_dist(1, GICD_ITARGETSR + 50u, true, 1, 0x2u);
	assert_int_equal(vgic_spi_target(partition_get(BETA), 50u), 1u);
	traps_dist(1, GICD_ITARGETSR + 50u, true, 1, 0x0u);
	assert_int_equal(traps_dist(1, GICD_ITARGETSR + 50u, false, 1, 0), 0x0u);
	assert_int_equal(vgic_spi_target(partition_get(BETA), 50u), 0u);
	traps_dist(1, GICD_ITARGETSR + 48u, true, 4, 0x00030000u);
	assert_int_equal(incidents(BETA), n);
	/* A CPU interface it does not have: refused, its own bits kept. */
	traps_dist(1, GICD_ITARGETSR + 50u, true, 1, 0x6u);
	assert_int_equal(incidents(BETA), n + 1u);
	assert_int_equal(traps_dist(1, GICD_ITARGETSR + 50u, false, 1, 0), 0x2u);
	assert_int_equal(fake_gic_targets[50], 1u << 2);
	/* Another partition's SPI: refused, nothing of it written or read. */
	traps_dist(1, GICD_ITARGETSR + 40u, true, 1, 0x1u);
	assert_int_equal(incidents(BETA), n + 2u);
	assert_int_equal(fake_gic_targets[40], 0);
	assert_int_equal(traps_dist(1, GICD_ITARGETSR + 40u, false, 1, 0), 0);
	/* SGIs and PPIs target the reading vCPU only. */
	assert_int_equal(traps_dist(1, GICD_ITARGETSR + 0u, false, 4, 0), 0x01010101u);
	assert_int_equal(traps_dist(2, GICD_ITARGETSR + 28u, false, 4, 0), 0x02020202u);
	/* Other widths: refused, zero. */
	assert_int_equal(traps_dist(1, GICD_ITARGETSR + 50u, false, 2, 0x1234u), 0);
	assert_int_equal(incidents(BETA), n + 3u);
}

/* A partition of one vCPU (a uniprocessor GIC): every target field reads as zero, writes to
 * another partition's SPI are still refused. */
/* Verifies: REQ-IRQ-001 */
static void test_uniprocessor_targets(void **state)
{
	(void)state;
	uint64_t n = incidents(0);

	traps_dist(0, 0x0u, true, 4, GICD_CTLR_ENABLE);
	assert_int_equal(traps_dist(0, GICD_ITARGETSR + 40u, false, 4, 0x12345678u), 0);
	traps_dist(0, GICD_ITARGETSR + 40u, true, 1, 0x1u);   /* its own: ignored */
	assert_int_equal(incidents(0), n);
	assert_int_equal(fake_gic_targets[40], 0);
	traps_dist(0, GICD_ITARGETSR + 48u, true, 4, 0x00010000u);   /* SPI 50, beta's */
	assert_int_equal(incidents(0), n + 1u);
	traps_dist(0, GICD_ITARGETSR + 48u, true, 4, 0);
	assert_int_equal(incidents(0), n + 1u);
	traps_dist(0, GICD_ITARGETSR + 50u, true, 1, 0x1u);         /* SPI 50 by its own byte */
	assert_int_equal(incidents(0), n + 2u);
}

/* GICD_SPENDSGIR/CPENDSGIR: a byte per SGI of the reading vCPU, a bit per sender. */
/* Verifies: REQ-IRQ-011 */
static void test_sgi_pending_registers_by_sender(void **state)
{
	(void)state;
	uint64_t n = incidents(BETA);

	lrs_taken();
	traps_dist(1, GICD_SPENDSGIR + 0u, true, 4, 0x00030000u);   /* SGI 2 from senders 0 and 1 */
	assert_int_equal(traps_dist(1, GICD_SPENDSGIR + 0u, false, 4, 0), 0x00030000u);
	assert_int_equal(traps_dist(1, GICD_CPENDSGIR + 0u, false, 4, 0), 0x00030000u);
	assert_int_equal(traps_dist(2, GICD_SPENDSGIR + 0u, false, 4, 0), 0);   /* the other vCPU's are its own */
	traps_dist(1, GICD_CPENDSGIR + 2u, true, 1, 0x1u);
	assert_int_equal(traps_dist(1, GICD_SPENDSGIR + 2u, false, 1, 0), 0x2u);
	traps_dist(1, GICD_SPENDSGIR + 15u, true, 1, 0x2u);                      /* SGI 15, the last */
	assert_int_equal(traps_dist(1, GICD_SPENDSGIR + 12u, false, 4, 0), 0x02000000u);
	/* A byte is read alone: SGI 3's senders beside SGI 2's are not in it. */
	traps_dist(1, GICD_SPENDSGIR + 3u, true, 1, 0x4u);
	assert_int_equal(traps_dist(1, GICD_SPENDSGIR + 2u, false, 1, 0), 0x2u);
	assert_int_equal(traps_dist(1, GICD_CPENDSGIR + 2u, false, 1, 0), 0x2u);
	assert_int_equal(incidents(BETA), n);
	assert_int_equal(traps_dist(1, GICD_SPENDSGIR + 0u, false, 2, 0x1234u), 0);
	assert_int_equal(incidents(BETA), n + 1u);
}

/* GICD_ICFGR1 is kept per vCPU on GICv2 (GIC_PPI_REGS_BANKED): the other vCPU's trigger modes
 * are its own, and a reset of the vCPU takes the hardware's back (edge, on the fake GIC), so a restarted vCPU does not
 * keep what its last life wrote. */
/* Verifies: REQ-IRQ-004~2, REQ-IRQ-009~2 */
static void test_ppi_trigger_modes_per_vcpu_until_reset(void **state)
{
	(void)state;
	const uint32_t edge = (2u << 22) | (2u << 28);   /* its timers, PPIs 27 and 30, as the fake resets */
	uint64_t n = incidents(BETA);

	traps_dist(1, GICD_ICFGR + 4u, true, 4, 0);       /* level */
	assert_int_equal(traps_dist(1, GICD_ICFGR + 4u, false, 4, 0), 0);
	assert_int_equal(traps_dist(2, GICD_ICFGR + 4u, false, 4, 0), edge);
	assert_int_equal(incidents(BETA), n);
	fake.current = cpu_get(1);
	vgic_vcpu_reset(cpu_get(1));
	assert_int_equal(traps_dist(1, GICD_ICFGR + 4u, false, 4, 0), edge);
}

/* QEMU's GICv2 clears a PPI's pending state on every CPU through GICD_ICPENDR0
 * (GIC_PPI_REGS_BANKED): a partition's clear of its own timer's pending state is emulated and
 * never reaches the distributor, where it would clear that PPI on other partitions' cores. */
/* Verifies: REQ-IRQ-004~2 */
static void test_a_ppi_pending_clear_never_reaches_the_distributor(void **state)
{
	(void)state;
	uint64_t n = incidents(BETA);

	fake.current = cpu_get(1);
	gic_local_write(cpu_get(1), GICD_ISPENDR, 1u << GIC_VTIMER_PPI);
	traps_dist(1, GICD_ICPENDR, true, 4, 1u << GIC_VTIMER_PPI);
	assert_int_equal(gic_local_read(cpu_get(1), GICD_ISPENDR) & (1u << GIC_VTIMER_PPI), 1u << GIC_VTIMER_PPI);
	assert_int_equal(incidents(BETA), n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_sgir_target_list_and_filters, traps_unit_boot),
		cmocka_unit_test_setup(test_an_sgi_from_two_senders_is_two_interrupts, traps_unit_boot),
		cmocka_unit_test_setup(test_an_sgi_lands_in_a_list_register_with_its_sender, traps_unit_boot),
		cmocka_unit_test_setup(test_a_kick_delivers_an_sgi_from_each_of_two_senders, traps_unit_boot),
		cmocka_unit_test_setup(test_identification_registers, traps_unit_boot),
		cmocka_unit_test_setup(test_cpu_targets_of_its_own_spi, traps_unit_boot),
		cmocka_unit_test_setup(test_uniprocessor_targets, traps_unit_boot),
		cmocka_unit_test_setup(test_sgi_pending_registers_by_sender, traps_unit_boot),
		cmocka_unit_test_setup(test_ppi_trigger_modes_per_vcpu_until_reset, traps_unit_boot),
		cmocka_unit_test_setup(test_a_ppi_pending_clear_never_reaches_the_distributor, traps_unit_boot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
