/* SPDX-License-Identifier: MIT */
/*
 * The virtual GIC's list registers and the queue behind them
 * (arch/arm64/vgic_lr.c), GICv3 build, on the host: the list registers are
 * the host_sr_ich_lr<n>_el2 variables of tests/fuzz/host_sysreg.h, written by
 * the real inline gic_lr_write(); this file plays the GIC's part (which of
 * them are free, what the guest took or completed).
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

#define LRS 4u

uint32_t gic_n_lrs = LRS;
uint32_t gic_lr_mask = (1u << LRS) - 1u;

extern uint64_t host_sr_ich_lr0_el2, host_sr_ich_lr1_el2, host_sr_ich_lr2_el2, host_sr_ich_lr3_el2;
extern uint64_t host_sr_ich_elrsr_el2, host_sr_icc_dir_el1;

static uint64_t *const lr_reg[LRS] = {
	&host_sr_ich_lr0_el2, &host_sr_ich_lr1_el2, &host_sr_ich_lr2_el2, &host_sr_ich_lr3_el2,
};

static bool underflow;               /* the maintenance interrupt is asked for */

/* ICH_ELRSR_EL2 follows the list registers, as the hardware's does. */
static void sync_elrsr(void)
{
	uint64_t free = 0u;

	for (uint32_t n = 0u; n < LRS; n++) {
		if ((*lr_reg[n] >> ICH_LR_STATE_SHIFT) == 0u) {
			free |= UINT64_C(1) << n;
		}
	}
	host_sr_ich_elrsr_el2 = free;
}

/* --- The GICv3 driver's list register operations (gicv3.c), on the variables --- */

uint32_t gic_lr_state(uint32_t n, struct gic_lr *lr)
{
	uint64_t v = *lr_reg[n];

	*lr = (struct gic_lr){ (uint32_t)v, (uint32_t)(v >> ICH_LR_PINTID_SHIFT) & 0x1fffu,
			       (uint8_t)(v >> ICH_LR_PRIO_SHIFT), 0u, (v & ICH_LR_HW) != 0u };
	return (uint32_t)(v >> ICH_LR_STATE_SHIFT);
}

bool gic_lr_pending(uint32_t n, struct gic_lr *lr)
{
	return gic_lr_state(n, lr) == 1u;
}

void gic_lr_clear(uint32_t n)
{
	*lr_reg[n] = 0u;
	sync_elrsr();
}

void gic_vif_underflow(bool enable)
{
	underflow = enable;
}

/* vgic_lr.c is linked without the rest of the vGIC: the partition hooks of
 * core/ have nothing of ARM64's to set up here. */
void arch_partition_init(struct partition *p)
{
	(void)p;
}

void arch_partition_reset(struct partition *p)
{
	(void)p;
}

bool arch_virq_valid(const struct partition *p, uint32_t virq)
{
	(void)p;
	(void)virq;
	return false;
}

void arch_vcpu_inject(struct cpu *cpu, uint32_t virq)
{
	(void)cpu;
	(void)virq;
}

void arch_vcpu_raise(struct partition *p, uint32_t vcpu, uint32_t virq)
{
	(void)p;
	(void)vcpu;
	(void)virq;
}

bool arch_line_target(const struct partition *p, uint32_t line, uint32_t *vcpu, uint32_t *virq)
{
	(void)p;
	*vcpu = 0u;
	*virq = line;
	return false;   /* no emulated device here */
}

/* --- One partition on cpu 0, with ARM64's part of the configuration --------- */

static const uint8_t solo_cpus[] = { 0 };
static const struct cfg_partition solo[] = {
	{ .name = "solo", .n_vcpus = 1, .vcpu_cpu = solo_cpus, .fault_policy = CFG_FAULT_STOP },
};
static const struct cfg_cpu cpus[] = {
	{ { 0x0 }, 0, 0 },
};
const struct cfg_system cfg_system = {
	.console = { .base = 0x09000000, .size = 0x1000 },
	.n_cpus = 1,
	.cpus = cpus,
	.n_partitions = 1,
	.partitions = solo,
};

/* --- Helpers ---------------------------------------------------------------- */

static struct cpu *cpu0;
static struct vgic_cpu *v;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	partitions_init();
	cpus_init();
	cpu0 = cpu_get(0u);
	v = &cpu0->arch.vgic;
	memset(v, 0, sizeof(*v));
	for (uint32_t n = 0u; n < LRS; n++) {
		*lr_reg[n] = 0u;
	}
	sync_elrsr();
	underflow = false;
	host_sr_icc_dir_el1 = 0u;
	return 0;
}

/* A software (SGI-like) interrupt `vintid` of priority `prio`. */
static struct gic_lr soft(uint32_t vintid, uint8_t prio)
{
	return (struct gic_lr){ vintid, 0u, prio, 0u, false };
}

/* A physical interrupt `intid` of priority `prio`, with the hardware bit. */
static struct gic_lr phys(uint32_t intid, uint8_t prio)
{
	return (struct gic_lr){ intid, intid, prio, 0u, true };
}

/* Injects through the real path, then lets the "hardware" see the result. */
static void inject(struct gic_lr lr)
{
	vgic_lr_inject(cpu0, v, lr);
	sync_elrsr();
}

/* The guest acknowledged list register n: pending becomes active. */
static void guest_takes(uint32_t n)
{
	*lr_reg[n] = (*lr_reg[n] & ~(UINT64_C(3) << ICH_LR_STATE_SHIFT)) | (UINT64_C(2) << ICH_LR_STATE_SHIFT);
	sync_elrsr();
}

/* The guest completed list register n: it is free again. */
static void guest_completes(uint32_t n)
{
	*lr_reg[n] = 0u;
	sync_elrsr();
}

static uint32_t lr_vintid(uint32_t n)
{
	return (uint32_t)*lr_reg[n];
}

static uint32_t lr_state(uint32_t n)
{
	return (uint32_t)(*lr_reg[n] >> ICH_LR_STATE_SHIFT);
}

/* --- Tests ------------------------------------------------------------------ */

/* Verifies: REQ-IRQ-007 */
static void test_free_list_registers_fill_in_order(void **state)
{
	(void)state;
	inject(soft(1u, 0x80u));
	inject(phys(40u, 0x20u));

	assert_int_equal(lr_vintid(0u), 1u);
	assert_int_equal(lr_state(0u), 1u);
	assert_int_equal((uint8_t)(*lr_reg[0] >> ICH_LR_PRIO_SHIFT), 0x80u);
	assert_int_equal(lr_vintid(1u), 40u);
	assert_true((*lr_reg[1] & ICH_LR_HW) != 0u);
	assert_int_equal((uint32_t)(*lr_reg[1] >> ICH_LR_PINTID_SHIFT) & 0x1fffu, 40u);
	assert_int_equal(v->queued, 0u);
	assert_false(underflow);
}

/* Verifies: REQ-IRQ-007 */
static void test_full_list_registers_give_way_to_a_higher_priority(void **state)
{
	(void)state;
	inject(soft(1u, 0x40u));
	inject(soft(2u, 0xc0u));   /* the least urgent: gives way */
	inject(soft(3u, 0x80u));
	inject(soft(4u, 0xa0u));
	inject(soft(5u, 0x10u));

	assert_int_equal(lr_vintid(1u), 5u);
	assert_int_equal(v->queued, 1u);
	assert_int_equal(v->queue[0].vintid, 2u);
	assert_true(underflow);

	/* Lower than everything pending: it waits itself, the list registers stay. */
	inject(soft(6u, 0xf0u));
	assert_int_equal(v->queued, 2u);
	assert_int_equal(v->queue[1].vintid, 6u);
	assert_int_equal(lr_vintid(0u), 1u);
	assert_int_equal(lr_vintid(1u), 5u);
	assert_int_equal(lr_vintid(2u), 3u);
	assert_int_equal(lr_vintid(3u), 4u);

	/* As urgent as the least urgent one held, but later: it waits, nothing is displaced. */
	inject(soft(7u, 0xa0u));
	assert_int_equal(v->queued, 3u);
	assert_int_equal(lr_vintid(3u), 4u);
	assert_int_equal(v->queue[0].vintid, 7u);   /* the queue is in priority order */
	assert_int_equal(v->queue[1].vintid, 2u);
	assert_int_equal(v->queue[2].vintid, 6u);
}

/* Two list registers hold the least urgent pending priority: the first of them gives way, so
 * which interrupt waits is the same on every run. */
/* Verifies: REQ-IRQ-007 */
static void test_a_tie_for_least_urgent_displaces_the_first(void **state)
{
	(void)state;
	inject(soft(1u, 0xc0u));
	inject(soft(2u, 0x40u));
	inject(soft(3u, 0xc0u));
	inject(soft(4u, 0x80u));
	inject(soft(5u, 0x10u));

	assert_int_equal(lr_vintid(0u), 5u);
	assert_int_equal(lr_vintid(2u), 3u);
	assert_int_equal(v->queued, 1u);
	assert_int_equal(v->queue[0].vintid, 1u);
}

/* Verifies: REQ-IRQ-007 */
static void test_active_list_registers_are_never_displaced(void **state)
{
	(void)state;
	for (uint32_t n = 0u; n < LRS; n++) {
		inject(soft(n, 0xe0u));
		guest_takes(n);
	}
	inject(soft(9u, 0x10u));

	for (uint32_t n = 0u; n < LRS; n++) {
		assert_int_equal(lr_vintid(n), n);
		assert_int_equal(lr_state(n), 2u);
	}
	assert_int_equal(v->queued, 1u);
	assert_int_equal(v->queue[0].vintid, 9u);
}

/* Verifies: REQ-IRQ-007 */
static void test_queue_is_sorted_by_priority_then_arrival(void **state)
{
	(void)state;
	for (uint32_t n = 0u; n < LRS; n++) {
		inject(soft(n, 0x00u));
		guest_takes(n);
	}
	inject(soft(10u, 0x80u));
	inject(soft(11u, 0x40u));
	inject(soft(12u, 0x80u));
	inject(soft(13u, 0xc0u));
	inject(soft(14u, 0x40u));

	static const uint32_t order[] = { 11u, 14u, 10u, 12u, 13u };
	assert_int_equal(v->queued, 5u);
	for (uint32_t i = 0u; i < 5u; i++) {
		assert_int_equal(v->queue[i].vintid, order[i]);
	}
}

/* Verifies: REQ-IRQ-007 */
static void test_refill_moves_the_most_urgent_first(void **state)
{
	(void)state;
	for (uint32_t n = 0u; n < LRS; n++) {
		inject(soft(n, 0x00u));
		guest_takes(n);
	}
	inject(soft(10u, 0x90u));
	inject(soft(11u, 0x30u));
	inject(soft(12u, 0x60u));
	guest_completes(2u);
	guest_completes(0u);

	vgic_lr_refill(v);
	sync_elrsr();

	assert_int_equal(lr_vintid(0u), 11u);
	assert_int_equal(lr_vintid(2u), 12u);
	assert_int_equal(lr_state(0u), 1u);
	assert_int_equal(v->queued, 1u);
	assert_int_equal(v->queue[0].vintid, 10u);
	assert_true(underflow);

	guest_completes(3u);
	vgic_lr_refill(v);
	sync_elrsr();
	assert_int_equal(lr_vintid(3u), 10u);
	assert_int_equal(v->queued, 0u);
	assert_false(underflow);
}

/* Verifies: REQ-IRQ-013 */
static void test_pending_is_found_in_list_registers_and_queue(void **state)
{
	(void)state;
	for (uint32_t n = 0u; n < LRS; n++) {
		inject(soft(n, 0x00u));
	}
	guest_takes(1u);
	inject(soft(7u, 0x50u));

	assert_true(vgic_lr_pending(v, 0u, 0u));
	assert_false(vgic_lr_pending(v, 1u, 0u));   /* active, not pending: a new one may come */
	assert_true(vgic_lr_pending(v, 7u, 0u));
	assert_false(vgic_lr_pending(v, 7u, 1u));   /* another sender's */
	assert_false(vgic_lr_pending(v, 8u, 0u));
}

/* Verifies: REQ-IRQ-013 */
static void test_a_physical_interrupt_held_is_merged_and_counted(void **state)
{
	(void)state;
	uint64_t before = incident_count(cpu0->partition, BH_INCIDENT_INTERFERENCE);

	inject(phys(40u, 0x20u));
	guest_takes(0u);
	vgic_lr_inject_physical(cpu0, v, phys(40u, 0x20u));
	sync_elrsr();
	assert_int_equal(host_sr_ich_elrsr_el2, 0xeu);   /* no second list register */
	assert_int_equal(incident_count(cpu0->partition, BH_INCIDENT_INTERFERENCE), before + 1u);

	/* Queued (all list registers in use): also held, also merged. */
	for (uint32_t n = 1u; n < LRS; n++) {
		inject(soft(n, 0x00u));
	}
	vgic_lr_inject_physical(cpu0, v, phys(41u, 0x80u));
	sync_elrsr();
	assert_int_equal(v->queued, 1u);
	vgic_lr_inject_physical(cpu0, v, phys(41u, 0x80u));
	assert_int_equal(v->queued, 1u);
	assert_int_equal(incident_count(cpu0->partition, BH_INCIDENT_INTERFERENCE), before + 2u);

	/* Another interrupt is not held: it goes in. */
	vgic_lr_inject_physical(cpu0, v, phys(42u, 0x80u));
	assert_int_equal(v->queued, 2u);
}

/* Verifies: REQ-IRQ-011 */
static void test_guest_state_reads_what_the_vcpu_holds(void **state)
{
	(void)state;
	inject(phys(33u, 0x20u));    /* pending in LR 0, physically active */
	inject(phys(34u, 0x20u));
	guest_takes(1u);             /* active in LR 1 */
	inject(soft(5u, 0x20u));
	inject(soft(6u, 0x20u));
	inject(phys(35u, 0x80u));    /* queued */

	/* Physically all three SPIs are active (the hypervisor acknowledged
	 * them), plus 36 pending for someone else's reason. */
	uint32_t physical_active = (1u << 1) | (1u << 2) | (1u << 3);
	uint32_t physical_pending = 1u << 4;
	assert_int_equal(vgic_lr_guest_state(cpu0, GICD_ISPENDR, 32u, physical_pending),
			 (1u << 1) | (1u << 3) | (1u << 4));
	assert_int_equal(vgic_lr_guest_state(cpu0, GICD_ISACTIVER, 32u, physical_active), 1u << 2);
	assert_int_equal(vgic_lr_guest_state(cpu0, GICD_ISPENDR, 0u, 0u), (1u << 5) | (1u << 6));
	/* A software interrupt waiting in the queue hides no physical state of the word's others. */
	inject(soft(7u, 0xf0u));     /* queued, not a physical one */
	assert_int_equal(vgic_lr_guest_state(cpu0, GICD_ISACTIVER, 0u, 1u << 0), 1u << 0);
	assert_int_equal(vgic_lr_guest_state(cpu0, GICD_ISPENDR, 0u, 1u << 0), (1u << 0) | (1u << 5) | (1u << 6) |
										(1u << 7));
}

/* Verifies: REQ-IRQ-011 */
static void test_withdraw_takes_back_pending_only(void **state)
{
	(void)state;
	inject(phys(33u, 0x20u));
	inject(phys(34u, 0x20u));
	guest_takes(1u);
	inject(soft(5u, 0x20u));
	inject(soft(6u, 0x20u));
	inject(phys(35u, 0x80u));    /* queued */
	inject(soft(7u, 0x90u));     /* queued */
	assert_int_equal(v->queued, 2u);

	/* Another sender's (GICv2; GICv3 SGIs all come from "sender 0"): nothing. */
	vgic_lr_withdraw(cpu0, 0u, 1u << 5, 0xfeu);
	assert_int_equal(lr_vintid(2u), 5u);
	assert_int_equal(lr_state(2u), 1u);

	vgic_lr_withdraw(cpu0, 32u, (1u << 1) | (1u << 2), 0xffu);
	sync_elrsr();
	assert_int_equal(lr_state(0u), 0u);          /* 33: pending, withdrawn */
	assert_int_equal(host_sr_icc_dir_el1, 33u);  /* and deactivated: the hypervisor acknowledged it */
	assert_int_equal(lr_state(1u), 2u);          /* 34: active, stays */
	assert_int_equal(v->queued, 2u);

	vgic_lr_withdraw(cpu0, 32u, 1u << 3, 0xffu);
	assert_int_equal(v->queued, 1u);             /* 35 withdrawn, 7 stays */
	assert_int_equal(v->queue[0].vintid, 7u);
	assert_int_equal(host_sr_icc_dir_el1, 35u);
	assert_true(underflow);

	host_sr_icc_dir_el1 = 0u;
	vgic_lr_withdraw(cpu0, 0u, 1u << 7, 0xffu);
	assert_int_equal(v->queued, 0u);
	assert_false(underflow);
	assert_int_equal(host_sr_icc_dir_el1, 0u);   /* a software interrupt: nothing physical to end */
	assert_int_equal(lr_vintid(2u), 5u);
	assert_int_equal(lr_vintid(3u), 6u);
}

/* Verifies: REQ-IRQ-013 */
static void test_a_full_queue_loses_with_an_incident_never_an_overflow(void **state)
{
	(void)state;
	uint64_t before = incident_count(cpu0->partition, BH_INCIDENT_INTERFERENCE);

	for (uint32_t n = 0u; n < LRS; n++) {
		inject(soft(n, 0x00u));
		guest_takes(n);
	}
	for (uint32_t i = 0u; i < VGIC_QUEUE + 3u; i++) {
		inject(phys(32u + (i % 900u), 0x80u));
	}
	assert_int_equal(v->queued, VGIC_QUEUE);
	assert_int_equal(incident_count(cpu0->partition, BH_INCIDENT_INTERFERENCE), before + 3u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_free_list_registers_fill_in_order, setup),
		cmocka_unit_test_setup(test_full_list_registers_give_way_to_a_higher_priority, setup),
		cmocka_unit_test_setup(test_a_tie_for_least_urgent_displaces_the_first, setup),
		cmocka_unit_test_setup(test_active_list_registers_are_never_displaced, setup),
		cmocka_unit_test_setup(test_queue_is_sorted_by_priority_then_arrival, setup),
		cmocka_unit_test_setup(test_refill_moves_the_most_urgent_first, setup),
		cmocka_unit_test_setup(test_pending_is_found_in_list_registers_and_queue, setup),
		cmocka_unit_test_setup(test_a_physical_interrupt_held_is_merged_and_counted, setup),
		cmocka_unit_test_setup(test_guest_state_reads_what_the_vcpu_holds, setup),
		cmocka_unit_test_setup(test_withdraw_takes_back_pending_only, setup),
		cmocka_unit_test_setup(test_a_full_queue_loses_with_an_incident_never_an_overflow, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
