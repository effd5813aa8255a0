/* SPDX-License-Identifier: MIT */
/*
 * Virtual SPIs (arch/arm64/vgic_spi.c), GICv3 build, on the trap fuzz
 * target's system (tests/fuzz/traps_system.h): SPI 70 is beta's channel
 * doorbell, SPI 72 alpha's. The fake GIC driver (tests/fuzz/fake_gic.c)
 * aborts on any physical write for an interrupt the writer's partition does
 * not own as a device's, so every test here also shows that nothing of a
 * virtual SPI reaches the physical distributor.
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
#include "partition.h"
#include "traps_system.h"
#include "traps_unit.h"
#include "virq.h"
#include "incident.h"

#define BETA 1u
#define SPI TRAPS_BETA_DOORBELL     /* 70: word 2, bit 6 */
#define WORD (4u * (SPI / 32u))
#define BIT (1u << (SPI % 32u))
#define GRP1A 0x2u

extern uint64_t host_sr_ich_lr0_el2, host_sr_ich_lr1_el2, host_sr_ich_lr2_el2, host_sr_ich_lr3_el2, host_sr_ich_elrsr_el2;

static int setup(void **state)
{
	return traps_unit_boot(state);
}


/* How many list registers hold `vintid`, and the priority and state of the last. */
static unsigned held(uint32_t vintid, uint8_t *priority, uint32_t *state)
{
	unsigned n = 0;

	for (uint32_t i = 0; i < gic_lr_count(); i++) {
		struct gic_lr lr;
		uint32_t s = gic_lr_state(i, &lr);

		if (s != 0u && lr.vintid == vintid) {
			assert_false(lr.hw);   /* no physical interrupt to deactivate */
			*priority = lr.priority;
			*state = s;
			n++;
		}
	}
	return n;
}

static void clear_lrs(void)
{
	host_sr_ich_lr0_el2 = host_sr_ich_lr1_el2 = host_sr_ich_lr2_el2 = host_sr_ich_lr3_el2 = 0;
	fake_gic_sync_elrsr();
}

/* Verifies: REQ-IRQ-014 */
static void test_doorbell_spi_is_its_own_and_only_its_own(void **state)
{
	(void)state;
	struct partition *alpha = partition_get(0), *beta = partition_get(BETA), *gamma = partition_get(2);

	assert_true(arch_virq_valid(beta, SPI));
	assert_true(arch_virq_valid(beta, 3));
	assert_false(arch_virq_valid(beta, TRAPS_ALPHA_DOORBELL));
	assert_true(arch_virq_valid(alpha, TRAPS_ALPHA_DOORBELL));
	assert_true(arch_virq_valid(alpha, GIC_FIRST_SPI));   /* the first SPI is one like any other */
	assert_false(arch_virq_valid(beta, GIC_FIRST_SPI));
	assert_false(arch_virq_valid(beta, GIC_MAX_INTID));   /* a special INTID is never one */
	assert_false(arch_virq_valid(beta, 50));   /* a device's SPI is not raised by the hypervisor */
	assert_false(arch_virq_valid(gamma, 74));  /* direct delivery: no virtual SPIs */
	/* Beta programs it like a device's SPI; the registers keep what it wrote. */
	traps_dist(1, GICD_ISENABLER + WORD, true, 4, BIT);
	assert_int_equal(traps_dist(1, GICD_ISENABLER + WORD, false, 4, 0), BIT);
	traps_dist(1, GICD_IPRIORITYR + SPI, true, 1, 0xa0);
	assert_int_equal(traps_dist(1, GICD_IPRIORITYR + SPI, false, 1, 0), 0xa0);
	traps_dist(1, GICD_ICFGR + (SPI / 16u) * 4u, true, 4, 2u << (2u * (SPI % 16u)));
	assert_int_equal(traps_dist(1, GICD_ICFGR + (SPI / 16u) * 4u, false, 4, 0), 2u << (2u * (SPI % 16u)));
	traps_dist(1, GICD_IROUTER + 8u * SPI, true, 8, 1);
	assert_int_equal(traps_dist(1, GICD_IROUTER + 8u * SPI, false, 8, 0), 1);
	assert_int_equal(traps_dist(1, GICD_IGROUPR + WORD, false, 4, 0) & BIT, BIT);
	/* Alpha sees none of it and changes none of it. */
	assert_int_equal(traps_dist(0, GICD_ISENABLER + WORD, false, 4, 0), 0);
	traps_dist(0, GICD_ICENABLER + WORD, true, 4, BIT);
	traps_dist(0, GICD_IPRIORITYR + SPI, true, 1, 0x10);
	assert_int_equal(traps_dist(0, GICD_IPRIORITYR + SPI, false, 1, 0), 0);
	assert_int_equal(traps_dist(1, GICD_ISENABLER + WORD, false, 4, 0), BIT);
	assert_int_equal(traps_dist(1, GICD_IPRIORITYR + SPI, false, 1, 0), 0xa0);
}

/* Verifies: REQ-IRQ-014 */
static void test_raise_is_delivered_when_enabled_and_merges(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);
	uint8_t prio = 0;
	uint32_t st = 0;

	traps_dist(1, GICD_IPRIORITYR + SPI, true, 1, 0x80);
	/* Raised while disabled: pending, not presented. */
	fake.current = cpu_get(1);
	assert_int_equal(core_vcpu_inject(cpu_get(1), beta, 0, SPI), CORE_OK);
	assert_int_equal(held(SPI, &prio, &st), 0);
	assert_int_equal(traps_dist(1, GICD_ISPENDR + WORD, false, 4, 0), BIT);
	/* Enabled (interrupt and distributor): presented, software, its priority. */
	traps_dist(1, GICD_ISENABLER + WORD, true, 4, BIT);
	assert_int_equal(held(SPI, &prio, &st), 0);
	traps_dist(1, GICD_CTLR, true, 4, GRP1A);
	assert_int_equal(held(SPI, &prio, &st), 1);
	assert_int_equal(prio, 0x80);
	assert_int_equal(st, 1);
	assert_int_equal(traps_dist(1, GICD_ISPENDR + WORD, false, 4, 0), BIT);
	/* A second raise while it is pending merges with it: an edge. */
	assert_int_equal(core_vcpu_inject(cpu_get(1), beta, 0, SPI), CORE_OK);
	assert_int_equal(held(SPI, &prio, &st), 1);
	/* The guest takes it and completes it; the next raise is a new one. */
	clear_lrs();
	assert_int_equal(traps_dist(1, GICD_ISPENDR + WORD, false, 4, 0), 0);
	assert_int_equal(core_vcpu_inject(cpu_get(1), beta, 0, SPI), CORE_OK);
	assert_int_equal(held(SPI, &prio, &st), 1);
}

/* Verifies: REQ-IRQ-014 */
static void test_spi_at_bit_0_of_its_word_is_delivered(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);
	const uint32_t spi0 = TRAPS_BETA_DOORBELL_BIT0;   /* 64: word 2, bit 0 */
	uint8_t prio = 0;
	uint32_t st = 0;

	/* The word's lowest bit is where a pending-bit test against 1 instead of the bit goes wrong. */
	assert_int_equal(spi0 % 32u, 0u);
	assert_int_equal(spi0 / 32u, SPI / 32u);
	assert_true(arch_virq_valid(beta, spi0));
	traps_dist(1, GICD_IPRIORITYR + spi0, true, 1, 0x90);
	traps_dist(1, GICD_ISENABLER + WORD, true, 4, BIT | 1u);
	traps_dist(1, GICD_CTLR, true, 4, GRP1A);
	fake.current = cpu_get(1);
	assert_int_equal(core_vcpu_inject(cpu_get(1), beta, 0, spi0), CORE_OK);
	assert_int_equal(held(spi0, &prio, &st), 1);
	assert_int_equal(prio, 0x90);
	assert_int_equal(st, 1);
	/* With the other doorbell of its word as well: each presented once. */
	fake_gic_sync_elrsr();   /* the hardware's view of the list register just filled */
	assert_int_equal(core_vcpu_inject(cpu_get(1), beta, 0, SPI), CORE_OK);
	assert_int_equal(held(spi0, &prio, &st), 1);
	assert_int_equal(held(SPI, &prio, &st), 1);
	/* Taken by the guest, it is no longer pending; raised again, presented again. */
	clear_lrs();
	assert_int_equal(traps_dist(1, GICD_ISPENDR + WORD, false, 4, 0) & 1u, 0u);
	assert_int_equal(core_vcpu_inject(cpu_get(1), beta, 0, spi0), CORE_OK);
	assert_int_equal(held(spi0, &prio, &st), 1);
	/* Disabled and enabled again by a write of its bit alone: presented again when pending. */
	clear_lrs();
	traps_dist(1, GICD_ICENABLER + WORD, true, 4, 1u);
	assert_int_equal(core_vcpu_inject(cpu_get(1), beta, 0, spi0), CORE_OK);
	assert_int_equal(held(spi0, &prio, &st), 0);
	traps_dist(1, GICD_ISENABLER + WORD, true, 4, 1u);
	assert_int_equal(held(spi0, &prio, &st), 1);
}

/* Verifies: REQ-IRQ-014 */
static void test_clear_pending_withdraws(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);
	uint8_t prio = 0;
	uint32_t st = 0;

	traps_dist(1, GICD_ISPENDR + WORD, true, 4, BIT);           /* set by the guest itself */
	assert_int_equal(traps_dist(1, GICD_ISPENDR + WORD, false, 4, 0), BIT);
	traps_dist(1, GICD_ICPENDR + WORD, true, 4, BIT);
	assert_int_equal(traps_dist(1, GICD_ISPENDR + WORD, false, 4, 0), 0);
	traps_dist(1, GICD_ISENABLER + WORD, true, 4, BIT);
	traps_dist(1, GICD_CTLR, true, 4, GRP1A);
	assert_int_equal(held(SPI, &prio, &st), 0);
	/* Presented, then withdrawn from the list register before the guest took it. */
	fake.current = cpu_get(1);
	assert_int_equal(core_vcpu_inject(cpu_get(1), beta, 0, SPI), CORE_OK);
	assert_int_equal(held(SPI, &prio, &st), 1);
	traps_dist(1, GICD_ICPENDR + WORD, true, 4, BIT);
	assert_int_equal(held(SPI, &prio, &st), 0);
}

/* Verifies: REQ-IRQ-014, REQ-IRQ-005 */
static void test_routed_to_another_vcpu_goes_there(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);
	uint8_t prio = 0;
	uint32_t st = 0;

	traps_dist(1, GICD_IROUTER + 8u * SPI, true, 8, 1);          /* beta's vCPU 1: core 2 */
	traps_dist(1, GICD_ISENABLER + WORD, true, 4, BIT);
	traps_dist(1, GICD_CTLR, true, 4, GRP1A);
	/* Raised on vCPU 0's core: not presented there, vCPU 1's core is poked. */
	fake.current = cpu_get(1);
	arch_vcpu_inject(cpu_get(1), SPI);
	assert_int_equal(held(SPI, &prio, &st), 0);
	assert_int_equal(cpu_get(2)->arch.vgic.spi_poke, 1u << (SPI / 32u));   /* the word to look at */
	/* Core 2 takes the IPI: presented there. */
	fake.current = cpu_get(2);
	vgic_spi_poked(cpu_get(2));
	assert_int_equal(held(SPI, &prio, &st), 1);
	assert_int_equal(cpu_get(2)->arch.vgic.spi_poke, 0u);
	/* Re-routed while pending on nobody's list: it follows the route. */
	clear_lrs();
	traps_dist(1, GICD_ICENABLER + WORD, true, 4, BIT);
	arch_vcpu_inject(cpu_get(2), SPI);
	traps_dist(2, GICD_IROUTER + 8u * SPI, true, 8, 0);
	assert_int_equal(held(SPI, &prio, &st), 0);
	traps_dist(1, GICD_ISENABLER + WORD, true, 4, BIT);
	assert_int_equal(held(SPI, &prio, &st), 1);
	/* Pending while disabled, routed to vCPU 1, enabled from vCPU 0's core: vCPU 1's core is
	 * poked for the SPI's word, nothing presented here. */
	clear_lrs();
	traps_dist(1, GICD_ICENABLER + WORD, true, 4, BIT);
	arch_vcpu_inject(cpu_get(1), SPI);
	traps_dist(1, GICD_IROUTER + 8u * SPI, true, 8, 1);
	cpu_get(2)->arch.vgic.spi_poke = 0u;
	fake.current = cpu_get(1);
	traps_dist(1, GICD_ISENABLER + WORD, true, 4, BIT);
	assert_int_equal(held(SPI, &prio, &st), 0);
	assert_int_equal(cpu_get(2)->arch.vgic.spi_poke, 1u << (SPI / 32u));
	(void)beta;
}

/* Verifies: REQ-IRQ-014, REQ-CPU-011~2 */
static void test_raise_from_another_partition_is_presented_by_the_routed_core(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);
	uint8_t prio = 0;
	uint32_t st = 0;

	beta->state = PARTITION_RUNNING;
	beta->online = 3u;
	cpu_get(1)->arch.vgic.spi_poke = 0u;   /* an earlier test's: a vCPU's reset keeps pokes */
	cpu_get(2)->arch.vgic.spi_poke = 0u;
	traps_dist(1, GICD_IROUTER + 8u * SPI, true, 8, 1);          /* beta's vCPU 1: core 2 */
	traps_dist(1, GICD_ISENABLER + WORD, true, 4, BIT);
	traps_dist(1, GICD_CTLR, true, 4, GRP1A);
	/* Alpha's core rings beta's doorbell, configured for vCPU 0: pending in beta's distributor,
	 * presented nowhere yet, only the routed vCPU's core poked, for the SPI's word only. */
	fake.current = cpu_get(0);
	assert_int_equal(core_vcpu_inject(cpu_get(0), beta, 0, SPI), CORE_OK);
	assert_int_equal(held(SPI, &prio, &st), 0);
	assert_int_equal(traps_dist(1, GICD_ISPENDR + WORD, false, 4, 0), BIT);
	assert_int_equal(cpu_get(1)->arch.vgic.spi_poke, 0u);
	assert_int_equal(cpu_get(2)->arch.vgic.spi_poke, 1u << (SPI / 32u));
	/* Core 2 takes the IPI: presented there, once, whatever else the raise merged with. */
	assert_int_equal(core_vcpu_inject(cpu_get(0), beta, 0, SPI), CORE_OK);
	fake.current = cpu_get(2);
	vgic_spi_poked(cpu_get(2));
	assert_int_equal(held(SPI, &prio, &st), 1);
	assert_int_equal(traps_dist(1, GICD_ISPENDR + WORD, false, 4, 0), BIT);   /* pending in the list register */
	/* A poke for a word holding nothing pending presents nothing. */
	clear_lrs();
	cpu_get(2)->arch.vgic.spi_poke = 1u << (SPI / 32u);
	vgic_spi_poked(cpu_get(2));
	assert_int_equal(held(SPI, &prio, &st), 0);
}

/* Moving an interrupt it owns to group 0 (the hypervisor's) is a refusal even while the
 * partition sets up its disabled distributor: logged at once, not absorbed into the set-up
 * summary with the writes to interrupts it does not own. */
/* Verifies: REQ-IRQ-004~2 */
static void test_own_group_change_is_refused_while_the_distributor_is_set_up(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);
	uint64_t before = incident_count(beta, BH_INCIDENT_INTERRUPT);

	fake.console_len = 0;
	fake.console[0] = '\0';
	traps_dist(1, GICD_IGROUPR + 4u, true, 4, ~(1u << (50u - 32u)));   /* all but its own SPI 50 */
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 1u);
	assert_non_null(strstr(fake.console, "group change refused (offset 0x84, value 0xfffbffff)"));
	assert_int_equal(traps_dist(1, GICD_IGROUPR + 4u, false, 4, 0), 1u << (50u - 32u));
	traps_dist(1, GICD_CTLR, true, 4, GRP1A);
	assert_null(strstr(fake.console, "writes to interrupts it does not own ignored"));
}

/* Verifies: REQ-LNX-008~2 */
static void test_setup_writes_to_foreign_interrupts_are_summarized_once(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);
	uint64_t before = incident_count(beta, BH_INCIDENT_INTERRUPT);

	fake.console_len = 0;
	fake.console[0] = '\0';
	/* Beta sets up its disabled distributor as Linux does: every SPI's group, priority,
	 * route and enable, SPI 50 and its doorbell (70) its own, SPI 40 alpha's. */
	traps_dist(1, GICD_IGROUPR + 4u, true, 4, 0xffffffffu);       /* SPIs 32-63: 50 is its own */
	traps_dist(1, GICD_IPRIORITYR + 40u, true, 1, 0xa0);
	traps_dist(1, GICD_IROUTER + 8u * 40u, true, 8, 0);
	traps_dist(1, GICD_ICENABLER + 4u, true, 4, 0xffffffffu);
	traps_dist(1, GICD_ICFGR + 8u, true, 4, 0xaaaaaaaau);
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 5u);
	assert_null(strstr(fake.console, "refused"));
	/* Its own were applied all the same. */
	assert_int_equal(traps_dist(1, GICD_IGROUPR + 4u, false, 4, 0), 1u << (50u - 32u));
	/* Enabling it says once how many were ignored. */
	traps_dist(1, GICD_CTLR, true, 4, GRP1A);
	assert_non_null(strstr(fake.console, "partition 'beta': 5 writes to interrupts it does not own ignored "
					     "while it set up its distributor"));
	traps_dist(1, GICD_CTLR, true, 4, 0);
	traps_dist(1, GICD_CTLR, true, 4, GRP1A);
	const char *said = strstr(fake.console, "writes to interrupts it does not own ignored");
	assert_null(strstr(said + 1, "writes to interrupts it does not own ignored"));   /* once */
	/* Once it runs, such a write is a refusal logged as any other. */
	traps_dist(1, GICD_IPRIORITYR + 40u, true, 1, 0xa0);
	assert_non_null(strstr(fake.console, "priority of an interrupt it does not own refused"));
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 6u);
	/* Disabled again, it may not hide refusals for ever: a life absorbs VGIC_SETUP_WRITES at most. */
	traps_dist(1, GICD_CTLR, true, 4, 0);
	beta->arch.vgic.setup_absorbed = VGIC_SETUP_WRITES - 1u;
	fake.console_len = 0;
	fake.console[0] = '\0';
	traps_dist(1, GICD_IROUTER + 8u * 40u, true, 8, 0);
	assert_null(strstr(fake.console, "refused"));
	fake.counter += 100000000u;   /* the rate limit's interval has passed */
	traps_dist(1, GICD_IROUTER + 8u * 40u, true, 8, 0);
	assert_non_null(strstr(fake.console, "routing of an interrupt it does not own refused"));
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 8u);
}

/* An access of the vCPU on `core` to the SGI frame of its partition's vCPU `vcpu`'s redistributor. */
static uint64_t redist_sgi(uint32_t core, uint32_t vcpu, uint32_t offset, bool write, uint32_t size, uint64_t value)
{
	struct cpu *cpu = cpu_get(core);
	uint32_t off = (0x20000u * vcpu) + 0x10000u + offset;
	const struct emul_region *r = emul_find(&cpu->partition->emul[EMUL_MMIO], TRAPS_GICR + off);

	assert_non_null(r);
	fake.current = cpu;
	assert_true(r->handler(cpu, r->context, off, write, size, &value));
	return value;
}

/* A copy of beta with a description bhcc would not build. */
static struct partition beta_copy;

static void spi_init_copy(void *arg)
{
	(void)arg;
	vgic_spi_init(&beta_copy);
}

/* Beta's copy given the SPIs `irqs` (`n` of them): `step` of it stops the board with `line`. */
static void copy_of_beta_stops_the_board(const uint32_t *irqs, uint32_t n, void (*step)(void *), const char *line)
{
	static struct cfg_partition cfg;

	cfg = *partition_get(BETA)->cfg;
	cfg.irqs = irqs;
	cfg.n_irqs = n;
	beta_copy = *partition_get(BETA);
	beta_copy.cfg = &cfg;
	fake.current = cpu_get(1);
	fake.console_len = 0;
	fake.console[0] = '\0';
	assert_int_equal(fake_run(step, NULL), FAKE_SYSTEM_OFF);
	assert_non_null(strstr(fake.console, line));
}

/* A partition with more SPIs than the vGIC holds, device and virtual together (an image
 * not built by bhcc, which refuses such a description), stops the board at its start;
 * exactly as many is fine. Beta has two virtual SPIs (its doorbells 64 and 70). */
/* Verifies: REQ-IRQ-014 */
static void test_more_spis_than_the_vgic_holds_stop_the_board(void **state)
{
	static uint32_t spis[VGIC_MAX_SPIS];
	static struct cfg_partition cfg;

	(void)state;
	for (uint32_t i = 0; i < VGIC_MAX_SPIS; i++) {
		spis[i] = 100u + i;
	}
	cfg = *partition_get(BETA)->cfg;
	cfg.irqs = spis;
	cfg.n_irqs = VGIC_MAX_SPIS - 2u;
	beta_copy = *partition_get(BETA);
	beta_copy.cfg = &cfg;
	fake.current = cpu_get(1);
	assert_int_equal(fake_run(spi_init_copy, NULL), FAKE_RETURNED);
	cfg.n_irqs = VGIC_MAX_SPIS - 1u;
	fake.console_len = 0;
	fake.console[0] = '\0';
	assert_int_equal(fake_run(spi_init_copy, NULL), FAKE_SYSTEM_OFF);
	assert_non_null(strstr(fake.console, "partition 'beta' owns 65 SPIs, the vGIC holds 64"));
}

/* A device SPI that is also one of its doorbells (an image bhcc did not build: it refuses that
 * description) stops the board at the partition's start. */
/* Verifies: REQ-IRQ-014 */
static void test_a_device_spi_that_is_also_a_doorbell_stops_the_board(void **state)
{
	static const uint32_t spis[] = { 50u, SPI };

	(void)state;
	copy_of_beta_stops_the_board(spis, 2u, spi_init_copy, "partition 'beta': SPI 70 is both a device's and virtual");
}

/* The interrupts of the devices the hypervisor emulates (an emulated PL011, a disk) are virtual
 * SPIs from the first SPI (32) to the last INTID below the special ones (1019), nothing else. */
/* Verifies: REQ-IRQ-014 */
static void test_emulated_devices_interrupts_are_virtual_from_the_first_spi(void **state)
{
	static const struct { uint32_t console, disk; bool console_virtual, disk_virtual; } cases[] = {
		{ 32u, 1019u, true, true },
		{ 31u, 1020u, false, false },
		{ 1019u, 32u, true, true },
		{ 1020u, 31u, false, false },
	};
	static struct cfg_partition cfg;

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cfg = *partition_get(BETA)->cfg;
		cfg.console.kind = (uint8_t)CFG_CONSOLE_PL011;
		cfg.console.irq = cases[i].console;
		cfg.disk.present = 1u;
		cfg.disk.irq = cases[i].disk;
		beta_copy = *partition_get(BETA);
		beta_copy.cfg = &cfg;
		fake.current = cpu_get(1);
		assert_int_equal(fake_run(spi_init_copy, NULL), FAKE_RETURNED);
		assert_int_equal(vgic_spi_virtual(&beta_copy, cases[i].console), cases[i].console_virtual);
		assert_int_equal(vgic_spi_virtual(&beta_copy, cases[i].disk), cases[i].disk_virtual);
		assert_true(vgic_spi_virtual(&beta_copy, SPI));   /* its doorbell, as before */
		assert_false(vgic_spi_virtual(&beta_copy, 50u));  /* its device */
		/* Nothing else marked, not even past the INTIDs a query can name: its two doorbells and these. */
		unsigned marked = 0;
		for (uint32_t w = 0; w < VGIC_WORDS; w++) {
			marked += (unsigned)__builtin_popcount(beta_copy.arch.vgic.virt[w]);
		}
		assert_int_equal(marked, 2u + cases[i].console_virtual + cases[i].disk_virtual);
	}
}

/* A vCPU restart ends a priority pass: the next life's write of a word not from the first is judged alone. */
/* Verifies: REQ-IRQ-009~2, REQ-LNX-010 */
static void test_vcpu_reset_ends_a_priority_pass(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);

	traps_dist(1, GICD_CTLR, true, 4, GRP1A);
	for (uint32_t w = 0u; w < 4u; w++) {
		redist_sgi(1, 0, GICD_IPRIORITYR + 4u * w, true, 4, 0xa0a0a0a0u);
	}
	uint64_t n = incident_count(beta, BH_INCIDENT_INTERRUPT);

	fake.current = cpu_get(1);
	vgic_vcpu_reset(cpu_get(1));
	redist_sgi(1, 0, GICD_IPRIORITYR + 16u, true, 4, 0xa0a0a0a0u);   /* PPIs 16-19, not its own */
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), n + 4u);
}

/* Verifies: REQ-LNX-010, REQ-IRQ-004~2 */
static void test_initialisation_idioms_are_ignored_without_an_incident(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);
	uint64_t n = incident_count(beta, BH_INCIDENT_INTERRUPT);

	traps_dist(1, GICD_CTLR, true, 4, GRP1A);   /* enabled: no set-up window (REQ-LNX-008~2) */
	fake.console_len = 0;
	fake.console[0] = '\0';
	/* What Linux writes after enabling, as vCPU 0 routes every SPI and each vCPU sets up
	 * its SGIs and PPIs: no incident, no line. */
	for (uint32_t intid = 32u; intid < 96u; intid++) {
		traps_dist(1, GICD_IROUTER + 8u * intid, true, 8, 0);
	}
	redist_sgi(1, 0, GICD_IGROUPR, true, 4, 0xffffffffu);
	redist_sgi(1, 0, GICD_ICACTIVER, true, 4, 0xffffffffu);
	redist_sgi(1, 0, GICD_ICENABLER, true, 4, 0xffffffffu);
	for (uint32_t w = 0u; w < 8u; w++) {
		redist_sgi(1, 0, GICD_IPRIORITYR + 4u * w, true, 4, 0xa0a0a0a0u);
	}
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), n);
	assert_null(strstr(fake.console, "refused"));
	/* Its own took them: SPI 50 routed to vCPU 0, its timer PPIs at 0xa0. */
	assert_int_equal(traps_dist(1, GICD_IROUTER + 8u * 50u, false, 8, 0), 0u);
	assert_int_equal(redist_sgi(1, 0, GICD_IPRIORITYR + 24u, false, 4, 0) >> 24, 0xa0u);   /* PPI 27 */
	/* The same registers aimed at interrupts it does not own stay refusals: a route out of a
	 * pass (SPI 40 alone, then a pass that changes its value), a single bit, a set-register,
	 * a priority word not from the first, its SGIs to group 0; and the distributor's SPI words
	 * (an OS sets those up while the distributor is disabled: REQ-LNX-008~2). */
	fake.counter += 1000u * FAKE_COUNTER_HZ;   /* past any rate limit left by the tests before: the next is logged */
	traps_dist(1, GICD_IROUTER + 8u * 40u, true, 8, 0);
	traps_dist(1, GICD_IROUTER + 8u * 32u, true, 8, 0);
	traps_dist(1, GICD_IROUTER + 8u * 33u, true, 8, 1);
	traps_dist(1, GICD_ICENABLER + 4u, true, 4, 1u << (40u - 32u));
	traps_dist(1, GICD_ISENABLER + 4u, true, 4, 0xffffffffu);
	redist_sgi(1, 0, GICD_IPRIORITYR + 24u, true, 4, 0x01010101u);   /* PPIs 24-26 not its own */
	redist_sgi(1, 0, GICD_IGROUPR, true, 4, 0xffff0000u);           /* its SGIs to group 0 */
	traps_dist(1, GICD_IGROUPR + 4u, true, 4, 0xffffffffu);
	traps_dist(1, GICD_ICPENDR + 4u, true, 4, 0xffffffffu);
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), n + 10u);
	assert_non_null(strstr(fake.console, "routing of an interrupt it does not own refused (offset 0x6140, value 0x0)"));
}

/* Verifies: REQ-IRQ-014 */
static void test_restart_clears_virtual_state(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);
	uint8_t prio = 0;
	uint32_t st = 0;

	traps_dist(1, GICD_ISENABLER + WORD, true, 4, BIT);
	traps_dist(1, GICD_IPRIORITYR + SPI, true, 1, 0x40);
	fake.current = cpu_get(1);
	assert_int_equal(core_vcpu_inject(cpu_get(1), beta, 0, SPI), CORE_OK);
	vgic_partition_reset(beta);
	assert_int_equal(traps_dist(1, GICD_ISENABLER + WORD, false, 4, 0), 0);
	assert_int_equal(traps_dist(1, GICD_ISPENDR + WORD, false, 4, 0), 0);
	assert_int_equal(traps_dist(1, GICD_IPRIORITYR + SPI, false, 1, 0), 0);
	traps_dist(1, GICD_ISENABLER + WORD, true, 4, BIT);
	traps_dist(1, GICD_CTLR, true, 4, GRP1A);
	assert_int_equal(held(SPI, &prio, &st), 0);   /* the old raise did not survive */
}

/* Verifies: REQ-IRQ-003, REQ-IRQ-008~2 */
static void test_direct_partition_sgi_15_is_refused_and_counted(void **state)
{
	/* Gamma (core 3) takes its interrupts directly: SGI 15 is the hypervisor's kick there. */
	struct partition *gamma = partition_get(2);
	uint64_t before = incident_count(gamma, BH_INCIDENT_INTERRUPT);

	(void)state;
	fake.current = cpu_get(3);
	fake.console_len = 0;
	fake.console[0] = '\0';
	vgic_sgi1r(cpu_get(3), (UINT64_C(15) << 24) | 1u);   /* ICC_SGI1R_EL1: SGI 15 to vCPU 0, itself */
	assert_int_equal(incident_count(gamma, BH_INCIDENT_INTERRUPT), before + 1u);
	assert_non_null(strstr(fake.console, "SGI 15 (the hypervisor's) on a direct-delivery partition refused"));
}

/* A restart of a vCPU leaves nothing for its next life: what waited for a list register is gone with
 * what the list registers held, and a refill presents nothing. */
/* Verifies: REQ-IRQ-009~2 */
static void test_vcpu_reset_drops_what_waits_for_a_list_register(void **state)
{
	struct cpu *cpu = cpu_get(1);
	struct vgic_cpu *v = vgic_cpu_of(cpu);
	uint32_t n = gic_lr_count() + 2u;
	uint8_t prio = 0;
	uint32_t st = 0;
	unsigned presented = 0;

	(void)state;
	fake.current = cpu;
	clear_lrs();
	for (uint32_t i = 0u; i < n; i++) {
		struct gic_lr lr = { .vintid = 40u + i, .pintid = 0u, .priority = (uint8_t)(0x80u + i), .source = 0u,
				     .hw = false };
		vgic_lr_inject(cpu, v, lr);
		fake_gic_sync_elrsr();                 /* the hardware's view of the free list registers */
	}
	for (uint32_t i = 0u; i < n; i++) {
		presented += held(40u + i, &prio, &st);
	}
	assert_int_equal(presented, gic_lr_count());   /* the rest wait in the queue */
	vgic_vcpu_reset(cpu);
	clear_lrs();                                   /* the next life starts with empty list registers */
	vgic_lr_refill(v);
	for (uint32_t i = 0u; i < n; i++) {
		assert_int_equal(held(40u + i, &prio, &st), 0);
	}
}

static void reset_copy(void *arg)
{
	(void)arg;
	vgic_partition_reset(&beta_copy);
}

/* Verifies: REQ-IRQ-009~2 */
static void test_reset_of_more_spis_than_the_vgic_holds_powers_off(void **state)
{
	/* An image bhcc did not build: beta's description with one SPI more than the vGIC holds.
	 * Its state cannot all be reset, so the reset stops the board before anything runs. */
	static uint32_t irqs[VGIC_MAX_SPIS + 1u];

	(void)state;
	for (uint32_t i = 0u; i <= VGIC_MAX_SPIS; i++) {
		irqs[i] = 50u;   /* beta's own device SPI: the fake GIC accepts its writes */
	}
	copy_of_beta_stops_the_board(irqs, VGIC_MAX_SPIS + 1u, reset_copy,
				     "partition 'beta' owns 65 SPIs, the vGIC holds 64");
}

extern uint64_t host_sr_icc_iar1_el1, host_sr_icc_eoir1_el1, host_sr_icc_dir_el1;

/* The physical interrupt `intid` taken on `core`: returns what was deactivated (0: nothing). */
static uint64_t take_irq(uint32_t core, uint32_t intid)
{
	host_sr_icc_iar1_el1 = intid;
	host_sr_icc_eoir1_el1 = 0u;
	host_sr_icc_dir_el1 = 0u;
	fake.current = cpu_get(core);
	vgic_irq(cpu_get(core));
	/* Priority dropped for every real interrupt; a spurious one has nothing to end. */
	assert_int_equal(host_sr_icc_eoir1_el1, (intid < GIC_SPURIOUS) ? intid : 0u);
	return host_sr_icc_dir_el1;
}

/* A physical interrupt the hypervisor takes and will not hand to the guest is
 * deactivated at once (the maintenance interrupt, a PPI nobody owns, an SPI of
 * another partition's or one that is virtual here): left active, it could never
 * be taken again. An SPI the partition owns goes to a list register with the
 * hardware bit instead, for the guest's EOI to deactivate. */
/* Verifies: REQ-IRQ-006, REQ-IRQ-002 */
static void test_interrupts_not_for_the_guest_are_deactivated_at_once(void **state)
{
	(void)state;
	clear_lrs();
	assert_int_equal(take_irq(1, GIC_MAINT_PPI), GIC_MAINT_PPI);
	fake.console_len = 0;
	fake.console[0] = '\0';
	assert_int_equal(take_irq(1, 23u), 23u);        /* a PPI that is not a timer's */
	assert_non_null(strstr(fake.console, "core 1: PPI 23 is nobody's"));
	assert_int_equal(take_irq(1, 40u), 40u);        /* alpha's device */
	assert_int_equal(take_irq(1, 100u), 100u);      /* nobody's */
	assert_int_equal(take_irq(1, SPI), SPI);        /* beta's own, but virtual: no physical line */
	assert_int_equal(take_irq(1, GIC_SPURIOUS), 0u);
	for (uint32_t i = 0; i < gic_lr_count(); i++) {
		struct gic_lr lr;

		assert_int_equal(gic_lr_state(i, &lr), 0u);   /* none of them reached the guest */
	}
	assert_int_equal(take_irq(1, 50u), 0u);         /* beta's device: the guest deactivates it */
	unsigned n = 0;
	for (uint32_t i = 0; i < gic_lr_count(); i++) {
		struct gic_lr lr;

		if ((gic_lr_state(i, &lr) != 0u) && (lr.vintid == 50u)) {
			assert_true(lr.hw);
			assert_int_equal(lr.pintid, 50u);
			n++;
		}
	}
	assert_int_equal(n, 1u);
}

/* Whether the physical GIC has SPI `intid` enabled. */
static bool physically_enabled(uint32_t intid)
{
	return (gic_dist_read(GICD_ISENABLER + (4u * (intid / 32u))) & (1u << (intid % 32u))) != 0u;
}

/* The partition's distributor gates its device SPIs as a real one does: an SPI
 * enabled while the distributor is off is enabled at the physical GIC only when
 * the distributor is turned on, disabled there again when it is turned off,
 * and back when it is turned on again; its own enable is remembered throughout. */
/* Verifies: REQ-IRQ-011 */
static void test_distributor_enable_gates_the_partitions_device_spis(void **state)
{
	(void)state;
	assert_int_equal(traps_dist(1, GICD_CTLR, false, 4, 0) & GRP1A, 0u);
	traps_dist(1, GICD_ISENABLER + 4u, true, 4, 1u << (50u % 32u));
	assert_false(physically_enabled(50u));
	traps_dist(1, GICD_CTLR, true, 4, GRP1A);
	assert_int_equal(traps_dist(1, GICD_CTLR, false, 4, 0) & GRP1A, GRP1A);
	assert_true(physically_enabled(50u));
	traps_dist(1, GICD_CTLR, true, 4, GRP1A);             /* no change: nothing to do */
	assert_true(physically_enabled(50u));
	traps_dist(1, GICD_CTLR, true, 4, 0u);
	assert_int_equal(traps_dist(1, GICD_CTLR, false, 4, 0) & GRP1A, 0u);
	assert_false(physically_enabled(50u));
	traps_dist(1, GICD_CTLR, true, 4, 0u);
	assert_false(physically_enabled(50u));
	assert_int_equal(traps_dist(1, GICD_ISENABLER + 4u, false, 4, 0) & (1u << (50u % 32u)), 1u << (50u % 32u));
	traps_dist(1, GICD_CTLR, true, 4, GRP1A);
	assert_true(physically_enabled(50u));
	/* Disabled by the guest: at the physical GIC at once, distributor on or not. */
	traps_dist(1, GICD_ICENABLER + 4u, true, 4, 1u << (50u % 32u));
	assert_false(physically_enabled(50u));
	assert_int_equal(traps_dist(1, GICD_ISENABLER + 4u, false, 4, 0) & (1u << (50u % 32u)), 0u);
}

/* GICv2's per-sender SGI state (SPENDSGIR/CPENDSGIR, vgic_sgi.c): the senders of a
 * pending SGI are those posted and not yet taken up, those in a list register
 * that is pending, and those waiting in the queue, no others (not an entry past
 * the queue's end, not a physical interrupt's); a sender withdrawn leaves the
 * SGI posted while another sender's post remains. */
/* Verifies: REQ-IRQ-011 */
static void test_sgi_senders_are_gathered_and_withdrawn_per_sender(void **state)
{
	(void)state;
	struct cpu *cpu = cpu_get(1);
	struct vgic_cpu *v = vgic_cpu_of(cpu);

	fake.current = cpu;
	clear_lrs();
	v->sgi_source[3] = 0x03u;
	v->sgi_pending |= 1u << 3;
	v->queued = 2u;
	v->queue[0] = (struct gic_lr){ 3u, 0u, 0x80u, 2u, false };
	v->queue[1] = (struct gic_lr){ 3u, 40u, 0x80u, 6u, true };    /* a physical one: no sender */
	v->queue[2] = (struct gic_lr){ 3u, 0u, 0x80u, 5u, false };    /* past the end: stale */
	v->queue[3] = (struct gic_lr){ 4u, 0u, 0x80u, 7u, false };
	assert_int_equal(vgic_sgi_sources(cpu, 3u), 0x07u);
	assert_int_equal(vgic_sgi_sources(cpu, 4u), 0x00u);

	vgic_sgi_clear_pending(cpu, 3u, 0x01u);
	assert_int_equal(v->sgi_source[3], 0x02u);
	assert_true((v->sgi_pending & (1u << 3)) != 0u);     /* sender 1's post remains */
	vgic_sgi_clear_pending(cpu, 3u, 0x02u);
	assert_int_equal(v->sgi_source[3], 0x00u);
	assert_true((v->sgi_pending & (1u << 3)) == 0u);
	assert_int_equal(vgic_sgi_sources(cpu, 3u), 0x04u);   /* sender 2 still waits */
	vgic_sgi_clear_pending(cpu, 3u, 0x04u);
	assert_int_equal(vgic_sgi_sources(cpu, 3u), 0x00u);
	v->queued = 0u;
}

/* A read of vCPU `vcpu`'s redistributor RD frame, from the vCPU on `core`. */
static uint64_t redist_rd_read(uint32_t core, uint32_t vcpu, uint32_t offset, uint32_t size)
{
	return redist_sgi(core, vcpu, offset - 0x10000u, false, size, 0xdeadu);
}

/* GICR_TYPER as a board's: affinity (Aff0 = vCPU) in bits 63:32, the processor
 * number in 23:8, Last (bit 4) on the partition's last vCPU only; read whole or
 * as two words, as Linux and U-Boot do. */
/* Verifies: REQ-IRQ-001 */
static void test_redistributor_typer_names_each_vcpu(void **state)
{
	(void)state;
	for (uint32_t vcpu = 0u; vcpu < 2u; vcpu++) {
		uint64_t want = ((uint64_t)vcpu << 32) | ((uint64_t)vcpu << 8) | ((vcpu == 1u) ? 0x10u : 0u);

		assert_int_equal(redist_rd_read(1, vcpu, 0x0008u, 8u), want);
		assert_int_equal(redist_rd_read(1, vcpu, 0x0008u, 4u), (uint32_t)want);
		assert_int_equal(redist_rd_read(1, vcpu, 0x000cu, 4u), vcpu);
	}
}

/* Whether SGI `intid` reached beta's vCPU on `core`: posted for it, or in a list register there. */
static bool sgi_reached(uint32_t core, uint32_t intid)
{
	uint8_t prio = 0;
	uint32_t st = 0;

	if ((vgic_cpu_of(cpu_get(core))->sgi_pending & (1u << intid)) != 0u) {
		return true;
	}
	fake.current = cpu_get(core);
	return held(intid, &prio, &st) != 0u;
}

/* The rest of a redistributor's RD_base frame, as a board's: GICR_WAKER keeps what the guest
 * asked (asleep reads back as ProcessorSleep and ChildrenAsleep), PIDR2 says GICv3, IIDR is the
 * distributor's, GICR_CTLR and reserved words read as zero; the read-only registers ignore
 * writes, and a halfword reads zero. */
/* Verifies: REQ-IRQ-001 */
static void test_redistributor_frame_registers(void **state)
{
	(void)state;
	uint64_t other = redist_rd_read(1, 0, 0x0014u, 4u);

	assert_int_equal(redist_rd_read(1, 1, 0x0014u, 4u), 6u);                 /* GICR_WAKER: asleep at reset */
	redist_sgi(1, 1, 0x0014u - 0x10000u, true, 4, 0u);                       /* woken */
	assert_int_equal(redist_rd_read(1, 1, 0x0014u, 4u), 0u);
	redist_sgi(1, 1, 0x0014u - 0x10000u, true, 4, 2u);                       /* ProcessorSleep */
	assert_int_equal(redist_rd_read(1, 1, 0x0014u, 4u), 6u);
	assert_int_equal(redist_rd_read(1, 0, 0x0014u, 4u), other);              /* another vCPU's is its own */
	assert_int_equal(redist_rd_read(1, 1, 0xffe8u, 4u), 0x3bu);              /* PIDR2: GICv3 */
	assert_int_equal(redist_rd_read(1, 1, 0x0004u, 4u), FAKE_GICD_IIDR);
	assert_int_equal(redist_rd_read(1, 1, 0x0000u, 4u), 0u);                 /* GICR_CTLR: no LPIs */
	assert_int_equal(redist_rd_read(1, 1, 0x0100u, 4u), 0u);
	assert_int_equal(redist_rd_read(1, 1, 0xffe8u, 2u), 0u);
	redist_sgi(1, 1, 0x0008u - 0x10000u, true, 8, 0u);                       /* GICR_TYPER is read-only */
	assert_int_equal(redist_rd_read(1, 1, 0x0008u, 8u), (1UL << 32) | (1u << 8) | 0x10u);
}

/* An ICC_SGI1R_EL1 write of `v` by beta's vCPU 0 (core 1). */
static void sgi1r_from_beta_vcpu0(uint64_t v)
{
	fake.current = cpu_get(1);
	vgic_sgi1r(cpu_get(1), v);
}

/* ICC_SGI1R_EL1 beyond the usual list: several own targets each get the SGI; a list naming a
 * vCPU the partition lacks is refused (an incident) and its own targets still get it; a range
 * selector or an affinity level that names no vCPU of the partition sends nothing. */
/* Verifies: REQ-IRQ-003, REQ-IRQ-004~2 */
static void test_sgi1r_target_lists_ranges_and_affinities(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);
	uint64_t before = incident_count(beta, BH_INCIDENT_INTERRUPT);

	sgi1r_from_beta_vcpu0((UINT64_C(4) << 24) | 3u);            /* vCPUs 0 and 1 */
	assert_true(sgi_reached(1, 4u));
	assert_true(sgi_reached(2, 4u));
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before);
	sgi1r_from_beta_vcpu0((UINT64_C(6) << 24) | 6u);            /* vCPU 1, and a vCPU 2 it lacks */
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 1u);
	assert_true(sgi_reached(2, 6u));
	sgi1r_from_beta_vcpu0((UINT64_C(7) << 24) | (UINT64_C(1) << 44) | 2u);   /* range 1: vCPU 17 */
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 2u);
	sgi1r_from_beta_vcpu0((UINT64_C(7) << 24) | (UINT64_C(1) << 16) | 2u);   /* Aff1 1 */
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 3u);
	sgi1r_from_beta_vcpu0((UINT64_C(7) << 24) | (UINT64_C(1) << 32) | 1u);   /* Aff2 1 */
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 4u);
	sgi1r_from_beta_vcpu0((UINT64_C(7) << 24) | (UINT64_C(1) << 48) | 1u);   /* Aff3 1 */
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 5u);
	/* Range 4: vCPU 64, past any partition's (a shift of the list by 64 would wrap to vCPU 0). */
	sgi1r_from_beta_vcpu0((UINT64_C(7) << 24) | (UINT64_C(4) << 44) | 1u);
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 6u);
	sgi1r_from_beta_vcpu0((UINT64_C(7) << 24) | (UINT64_C(15) << 44));     /* an empty list: nothing */
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 6u);
	assert_false(sgi_reached(1, 7u));
	assert_false(sgi_reached(2, 7u));
}

/* A restart ends a routing pass its partition's last life left half done: the new life's route of
 * another partition's SPI, where the old pass would have gone on, is refused. */
/* Verifies: REQ-LNX-010, REQ-IRQ-009~2 */
static void test_a_restart_ends_a_routing_pass(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);

	traps_dist(1, GICD_CTLR, true, 4, GRP1A);
	for (uint32_t intid = 32u; intid <= 40u; intid++) {   /* SPI 40 is alpha's: part of the pass */
		traps_dist(1, GICD_IROUTER + (8u * intid), true, 8, 0);
	}
	fake.current = cpu_get(1);
	vgic_partition_reset(beta);
	traps_dist(1, GICD_CTLR, true, 4, GRP1A);
	uint64_t before = incident_count(beta, BH_INCIDENT_INTERRUPT);

	traps_dist(1, GICD_IROUTER + (8u * 41u), true, 8, 0);   /* alpha's SPI 41 */
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 1u);
}

/* A restart routes each of its device SPIs back to its first vCPU's core, whatever the last life
 * chose. */
/* Verifies: REQ-IRQ-009~2 */
static void test_a_restart_routes_its_spis_back_to_vcpu_0(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);

	traps_dist(1, GICD_IROUTER + (8u * 50u), true, 8, 1);   /* its device's SPI to vCPU 1: core 2 */
	assert_int_equal(fake_gic_routes[50], 2u);
	fake.current = cpu_get(1);
	vgic_partition_reset(beta);
	assert_int_equal(fake_gic_routes[50], 1u);
	assert_int_equal(traps_dist(1, GICD_IROUTER + (8u * 50u), false, 8, 0), 0u);
}

/* A restart gives the new life its whole set-up allowance: after a life that used it up, the next
 * absorbs 4,096 writes to foreign interrupts while its distributor is disabled (summarized as
 * such) and refuses the one after them. */
/* Verifies: REQ-LNX-008~2, REQ-IRQ-009~2 */
static void test_a_restart_renews_the_set_up_allowance(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);

	traps_dist(1, GICD_CTLR, true, 4, 0);
	beta->arch.vgic.setup_absorbed = VGIC_SETUP_WRITES;   /* the last life used it all */
	fake.current = cpu_get(1);
	vgic_partition_reset(beta);
	fake.console_len = 0;
	fake.console[0] = '\0';
	fake.counter += 100000000u;   /* no refusal of before is still in the rate limit's interval */
	for (uint32_t i = 0u; i < VGIC_SETUP_WRITES; i++) {
		traps_dist(1, GICD_IPRIORITYR + 40u, true, 1, 0xa0);   /* SPI 40: alpha's */
	}
	assert_null(strstr(fake.console, "refused"));
	traps_dist(1, GICD_IPRIORITYR + 40u, true, 1, 0xa0);
	assert_non_null(strstr(fake.console, "priority of an interrupt it does not own refused"));
	traps_dist(1, GICD_CTLR, true, 4, GRP1A);
	assert_non_null(strstr(fake.console, "partition 'beta': 4096 writes to interrupts it does not own ignored"));
}

/* GICD_IROUTER of an own SPI: a route to a vCPU the partition lacks, or a non-zero Aff3 in the
 * high word, is refused and changes nothing; the high word reads zero, the low word the route;
 * "any vCPU" (IRM) reads back as such; another partition's route reads as zero. */
/* Verifies: REQ-IRQ-005 */
static void test_spi_route_refusals_and_halves(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);
	uint64_t before = incident_count(beta, BH_INCIDENT_INTERRUPT);
	const uint32_t at = GICD_IROUTER + (8u * SPI);

	traps_dist(1, GICD_CTLR, true, 4, GRP1A);
	traps_dist(1, at, true, 8, 1);
	assert_int_equal(traps_dist(1, at, false, 8, 0), 1u);
	traps_dist(1, at, true, 8, 2);                                /* no vCPU 2 */
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 1u);
	assert_int_equal(traps_dist(1, at, false, 8, 0), 1u);
	traps_dist(1, at + 4u, true, 4, 1);                           /* Aff3 1 */
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 2u);
	traps_dist(1, at + 4u, true, 4, 0);
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 2u);
	assert_int_equal(traps_dist(1, at + 4u, false, 4, 0), 0u);
	assert_int_equal(traps_dist(1, at, false, 4, 0), 1u);
	traps_dist(1, at, true, 8, 0x80000000u);                      /* IRM */
	assert_int_equal(traps_dist(1, at, false, 8, 0), 0x80000000u);
	/* Another partition's SPI, and a width the register does not have, read as zero whatever
	 * the caller's word held. */
	assert_int_equal(traps_dist(1, GICD_IROUTER + (8u * 40u), false, 8, 0x1234u), 0u);
	assert_int_equal(traps_dist(1, at, false, 2, 0x1234u), 0u);
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 2u);
}

/* An SGI a mediated vCPU sends itself: enabled, straight into a free list register (merged if
 * it is there already); disabled, pending until enabled. A direct-delivery vCPU's SGIs are the
 * physical ones, but SGI 15 (the hypervisor's kick), which is refused; an interrupt raised in a
 * direct partition is its physical SGI too. */
/* Verifies: REQ-IRQ-003, REQ-CPU-011~2 */
static void test_sgis_to_itself_and_of_a_direct_partition(void **state)
{
	(void)state;
	struct cpu *cpu = cpu_get(1);
	struct partition *gamma = partition_get(2);
	uint8_t prio = 0;
	uint32_t st = 0;

	clear_lrs();
	redist_sgi(1, 0, GICD_ISENABLER, true, 4, 1u << 2);
	fake.current = cpu;
	vgic_send_sgi(cpu, 0u, 2u);
	assert_int_equal(held(2u, &prio, &st), 1u);
	assert_int_equal(st, 1u);                                     /* pending */
	arch_vcpu_inject(cpu, 2u);                                    /* again: merged */
	assert_int_equal(held(2u, &prio, &st), 1u);
	vgic_send_sgi(cpu, 0u, 9u);                                   /* disabled */
	assert_int_equal(held(9u, &prio, &st), 0u);
	assert_int_equal(vgic_cpu_of(cpu)->sgi_pending & (1u << 9), 1u << 9);

	uint64_t before = incident_count(gamma, BH_INCIDENT_INTERRUPT);
	fake.current = cpu_get(3);
	vgic_send_sgi(cpu_get(3), 0u, 3u);
	assert_int_equal(fake_gic_sgis_sent[3], 1u << 3);
	vgic_send_sgi(cpu_get(3), 0u, GIC_IPI_SGI);
	assert_int_equal(fake_gic_sgis_sent[3], 1u << 3);
	assert_int_equal(incident_count(gamma, BH_INCIDENT_INTERRUPT), before + 1u);
	arch_vcpu_raise(gamma, 0u, 4u);
	assert_int_equal(fake_gic_sgis_sent[3], (1u << 3) | (1u << 4));
	assert_int_equal(fake_gic_sgis_sent[1] | fake_gic_sgis_sent[2], 0u);
}

/* The lines a channel's doorbell may name: an SGI (not a direct partition's 15) or one of the
 * partition's virtual SPIs, presented as that interrupt, vCPU 0 the hint. */
/* Verifies: REQ-CHN-009 */
static void test_line_targets(void **state)
{
	(void)state;
	uint32_t vcpu = 7u, virq = 0u;

	assert_true(arch_line_target(partition_get(BETA), 15u, &vcpu, &virq));
	assert_int_equal(vcpu, 0u);
	assert_int_equal(virq, 15u);
	assert_true(arch_line_target(partition_get(BETA), SPI, &vcpu, &virq));
	assert_int_equal(virq, SPI);
	assert_false(arch_line_target(partition_get(BETA), 50u, &vcpu, &virq));   /* a device's SPI */
	assert_false(arch_line_target(partition_get(2), 15u, &vcpu, &virq));
	assert_true(arch_line_target(partition_get(2), 14u, &vcpu, &virq));
}

/* ICC_SGI1R_EL1 with IRM (bit 40): every vCPU of the partition but the sender,
 * whatever the target list says. */
/* Verifies: REQ-IRQ-003 */
static void test_sgi_to_all_but_self_reaches_the_other_vcpus_only(void **state)
{
	(void)state;
	clear_lrs();
	sgi1r_from_beta_vcpu0((UINT64_C(1) << 40) | (UINT64_C(5) << 24) | 1u);
	assert_true(sgi_reached(2, 5u));
	assert_false(sgi_reached(1, 5u));
}

/* The SPI bitmap registers (enable to active) are word-only, and the
 * priorities byte or word, as on the board: another width is refused with an
 * incident and reads as zero. */
/* Verifies: REQ-IRQ-004~2 */
static void test_bitmap_registers_refuse_other_widths(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);
	uint64_t before = incident_count(beta, BH_INCIDENT_INTERRUPT);

	assert_int_equal(traps_dist(1, GICD_ISENABLER + 4u, false, 2, 0x1234u), 0u);
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 1u);
	/* Priorities take bytes and words only. */
	assert_int_equal(traps_dist(1, GICD_IPRIORITYR + 48u, false, 2, 0x1234u), 0u);
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 2u);
}

extern uint64_t host_sr_tpidr_el2;
static struct gic_lr checked_lr;

static void check_lr(void *arg)
{
	(void)arg;
	gic_lr_check(2u, &checked_lr);
}

/* The list-register integrity check (gic_lr_check.c) on beta's core: a list
 * register of a purely virtual interrupt, or with the hardware bit for a physical
 * interrupt beta owns (its device SPI, its timer PPI), passes; the hardware bit
 * for one beta does not own powers the board off, naming the register. */
/* Verifies: REQ-FSF-004 */
static void test_lr_check_stops_only_a_foreign_physical_interrupt(void **state)
{
	(void)state;
	static const struct gic_lr fine[] = {
		{ 40u, 0u, 0xa0u, 0u, false },   /* alpha's SPI number, but virtual: nothing physical */
		{ 5u, 40u, 0xa0u, 0u, false },   /* a stale pINTID without the hardware bit */
		{ 50u, 50u, 0xa0u, 0u, true },   /* beta's device */
		{ 27u, 27u, 0xa0u, 0u, true },   /* beta's virtual timer */
	};

	host_sr_tpidr_el2 = (uint64_t)(uintptr_t)cpu_get(1);
	fake.current = cpu_get(1);
	for (size_t i = 0u; i < sizeof(fine) / sizeof(fine[0]); i++) {
		checked_lr = fine[i];
		assert_int_equal(fake_run(check_lr, NULL), FAKE_RETURNED);
	}
	checked_lr = (struct gic_lr){ 50u, 40u, 0xa0u, 0u, true };   /* alpha's SPI */
	fake.console_len = 0;
	fake.console[0] = '\0';
	assert_int_equal(fake_run(check_lr, NULL), FAKE_SYSTEM_OFF);
	assert_non_null(strstr(fake.console, "core 1: list register 2 holds physical interrupt 40, which partition "
					     "'beta' does not own"));
}

/* The distributor's identification: GICD_TYPER keeps the board's interrupt lines
 * and ID bits and hides the rest (LPIs, security extensions, CPU count);
 * GICD_IIDR is the board's. Whatever the trap's register held before. */
/* Verifies: REQ-IRQ-001 */
static void test_distributor_identifies_as_the_boards_without_lpis(void **state)
{
	(void)state;
	assert_int_equal(traps_dist(1, GICD_TYPER, false, 4, 0xdeadbeefu), (9u << 19) | 31u);
	assert_int_equal(traps_dist(1, GICD_IIDR, false, 4, 0xdeadbeefu), FAKE_GICD_IIDR);
}

/* GICR_IGROUPR0: every SGI and PPI is group 1 and stays so. Writing back what it
 * reads, or all ones (Linux's reset idiom), is no incident; moving an own one to
 * group 0, or touching the group of one it does not own, is refused and counted. */
/* Another vCPU's SGI and PPI bitmaps, through the redistributor's SGI frame: its SGIs are
 * kept in software (enable, pending), its timer PPIs are the physical ones; an SGI made
 * pending while disabled waits, and enabling it kicks the vCPU's core to deliver it; SGIs
 * are edge-triggered, read-only; only the owned PPIs' trigger modes are its own. */
/* Verifies: REQ-IRQ-011, REQ-IRQ-004~2 */
static void test_sgi_and_ppi_bitmaps_of_another_vcpu(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);
	const uint32_t sgi3 = 1u << 3;
	const uint32_t vtimer = 1u << 27;
	uint32_t enabled = (uint32_t)redist_sgi(1, 1, GICD_ISENABLER, false, 4, 0);

	assert_int_equal(enabled & (sgi3 | vtimer), 0u);
	redist_sgi(1, 1, GICD_ISENABLER, true, 4, sgi3 | vtimer);
	assert_int_equal(redist_sgi(1, 1, GICD_ISENABLER, false, 4, 0), enabled | sgi3 | vtimer);
	assert_int_equal(redist_sgi(1, 1, GICD_ICENABLER, false, 4, 0), enabled | sgi3 | vtimer);
	assert_int_equal(gic_local_read(cpu_get(2), GICD_ISENABLER) & vtimer, vtimer);   /* the physical PPI */
	redist_sgi(1, 1, GICD_ICENABLER, true, 4, sgi3);
	assert_int_equal(redist_sgi(1, 1, GICD_ISENABLER, false, 4, 0), enabled | vtimer);

	/* SGI 3 made pending while disabled: it waits, visible as pending. */
	unsigned kicks = fake.kicks[2];
	redist_sgi(1, 1, GICD_ISPENDR, true, 4, sgi3);
	assert_int_equal(redist_sgi(1, 1, GICD_ISPENDR, false, 4, 0) & sgi3, sgi3);
	assert_int_equal(fake.kicks[2], kicks);
	redist_sgi(1, 1, GICD_ISENABLER, true, 4, sgi3);        /* enabled: its core is kicked */
	assert_int_equal(fake.kicks[2], kicks + 1u);
	redist_sgi(1, 1, GICD_ICENABLER, true, 4, sgi3);
	redist_sgi(1, 1, GICD_ICPENDR, true, 4, sgi3);
	assert_int_equal(redist_sgi(1, 1, GICD_ISPENDR, false, 4, 0) & sgi3, 0u);
	redist_sgi(1, 1, GICD_ISENABLER, true, 4, sgi3);        /* nothing waits: no kick */
	assert_int_equal(fake.kicks[2], kicks + 1u);

	/* Trigger modes: SGIs read-only edges; PPIs 27 and 30 only (the board's PPIs reset as edges,
	 * tests/fuzz/fake_gic.c: the others' modes are not shown). */
	uint64_t before = incident_count(beta, BH_INCIDENT_INTERRUPT);
	assert_int_equal(redist_sgi(1, 1, GICD_ICFGR, false, 4, 0), 0xaaaaaaaau);
	redist_sgi(1, 1, GICD_ICFGR, true, 4, 0u);
	assert_int_equal(redist_sgi(1, 1, GICD_ICFGR, false, 4, 0), 0xaaaaaaaau);
	redist_sgi(1, 1, GICD_ICFGR + 4u, true, 4, (2u << 22) | (2u << 28));   /* its own two: edge */
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before);
	assert_int_equal(redist_sgi(1, 1, GICD_ICFGR + 4u, false, 4, 0), (2u << 22) | (2u << 28));
	redist_sgi(1, 1, GICD_ICFGR + 4u, true, 4, 2u << 8);                    /* PPI 20 is not its own */
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 1u);
	assert_int_equal(redist_sgi(1, 1, GICD_ICFGR + 4u, false, 4, 0), 0u);   /* its own two: level now */
	assert_int_equal(gic_local_read(cpu_get(2), GICD_ICFGR + 4u), 0xaaaaaaaau & ~((3u << 22) | (3u << 28)));
}

/* Verifies: REQ-IRQ-004~2 */
static void test_sgi_ppi_group_changes_are_refused_and_counted(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);
	uint64_t before = incident_count(beta, BH_INCIDENT_INTERRUPT);
	uint32_t groups = (uint32_t)redist_sgi(1, 0, GICD_IGROUPR, false, 4, 0);

	assert_int_equal(groups, 0xffffu | (1u << 27) | (1u << 30));
	redist_sgi(1, 0, GICD_IGROUPR, true, 4, groups);
	redist_sgi(1, 0, GICD_IGROUPR, true, 4, 0xffffffffu);
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before);
	redist_sgi(1, 0, GICD_IGROUPR, true, 4, groups & ~1u);
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 1u);
	redist_sgi(1, 0, GICD_IGROUPR, true, 4, groups | (1u << 20));
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 2u);
	assert_int_equal(redist_sgi(1, 0, GICD_IGROUPR, false, 4, 0), groups);
	/* The SPIs' groups: its own (SPI 50 in this word) reads as group 1 and stays so. */
	assert_int_equal(traps_dist(1, GICD_IGROUPR + 4u, false, 4, 0), 1u << (50u % 32u));
	traps_dist(1, GICD_IGROUPR + 4u, true, 4, 1u << (50u % 32u));
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 2u);
	traps_dist(1, GICD_IGROUPR + 4u, true, 4, 0u);
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 3u);
	assert_int_equal(traps_dist(1, GICD_IGROUPR + 4u, false, 4, 0), 1u << (50u % 32u));
}

/* A vCPU's restart puts the priorities of the PPIs it owns (its timers) back to
 * the lowest a guest may have at the physical GIC, whatever its first life set;
 * the priorities of PPIs it does not own are not its to touch. */
/* Verifies: REQ-IRQ-009~2 */
static void test_vcpu_reset_restores_its_timer_priorities(void **state)
{
	(void)state;
	struct cpu *cpu = cpu_get(1);

	fake.current = cpu;
	gic_local_write8(cpu, GICD_IPRIORITYR + 27u, 0x20u);
	gic_local_write8(cpu, GICD_IPRIORITYR + 30u, 0x30u);
	vgic_vcpu_reset(cpu);
	uint32_t word = gic_local_read(cpu, GICD_IPRIORITYR + 24u);
	assert_int_equal((word >> 24) & 0xffu, VGIC_MIN_PRIORITY);   /* PPI 27: the virtual timer */
	word = gic_local_read(cpu, GICD_IPRIORITYR + 28u);
	assert_int_equal((word >> 16) & 0xffu, VGIC_MIN_PRIORITY);   /* PPI 30: the physical timer */
}

/* The maintenance interrupt, taken once list registers free up, moves what waits in the
 * vCPU's queue into them, highest priority first, and is deactivated at once. */
/* Verifies: REQ-IRQ-007 */
static void test_maintenance_refills_the_list_registers(void **state)
{
	(void)state;
	struct vgic_cpu *v = vgic_cpu_of(cpu_get(1));
	uint8_t prio;
	uint32_t st;

	clear_lrs();
	/* What waited while the list registers were full: an SGI and a virtual SPI, by priority. */
	v->queue[0] = (struct gic_lr){ 3u, 0u, 0x80u, 0u, false };
	v->queue[1] = (struct gic_lr){ SPI, 0u, 0xa0u, 0u, false };
	v->queued = 2;
	assert_int_equal(take_irq(1, GIC_MAINT_PPI), GIC_MAINT_PPI);
	assert_int_equal(v->queued, 0);
	assert_int_equal(held(3u, &prio, &st), 1);
	assert_int_equal(prio, 0x80u);
	assert_int_equal(st, 1u);
	assert_int_equal(held(SPI, &prio, &st), 1);
	assert_int_equal(prio, 0xa0u);
}

/* The kick's usual cargo, one enabled SGI for a vCPU that holds nothing, goes straight into list
 * register 0 with its priority, and nothing else is done; an SGI posted while disabled stays
 * posted through the kick, for when the guest enables it, alone or beside an enabled one. */
/* Verifies: REQ-IRQ-003, REQ-IRQ-002 */
static void test_kick_with_one_sgi_fills_list_register_0(void **state)
{
	(void)state;
	struct cpu *cpu = cpu_get(2);
	struct vgic_cpu *v = vgic_cpu_of(cpu);
	uint8_t prio = 0;
	uint32_t st = 0;

	clear_lrs();
	redist_sgi(2, 1, GICD_IPRIORITYR + 4u, true, 4, 0x90u << 8);        /* SGI 5: 0x90 */
	redist_sgi(2, 1, GICD_ISENABLER, true, 4, 1u << 5);
	fake.current = cpu_get(1);
	vgic_send_sgi(cpu_get(1), 1u, 5u);                                    /* posted for vCPU 1 */
	assert_int_equal(v->sgi_pending, 1u << 5);
	fake.current = cpu;
	vgic_kick(cpu, GIC_IPI_SGI);
	assert_int_equal(v->sgi_pending, 0u);
	assert_int_equal(v->queued, 0u);
	assert_true((host_sr_ich_lr0_el2 & 0xffffffffu) == 5u);
	assert_int_equal(held(5u, &prio, &st), 1u);
	assert_int_equal(prio, 0x90u);
	assert_int_equal(st, 1u);

	/* SGI 6 is disabled: posted, kicked, still posted; SGI 5 again, enabled, delivered. */
	fake_gic_sync_elrsr();
	clear_lrs();
	fake.current = cpu_get(1);
	vgic_send_sgi(cpu_get(1), 1u, 6u);
	vgic_send_sgi(cpu_get(1), 1u, 5u);
	fake.current = cpu;
	vgic_kick(cpu, GIC_IPI_SGI);
	assert_int_equal(v->sgi_pending, 1u << 6);
	assert_int_equal(held(5u, &prio, &st), 1u);
	assert_int_equal(held(6u, &prio, &st), 0u);

	/* SGI 0 alone, disabled: the lowest bit, which the one-SGI test must not take either. */
	v->sgi_pending = 0u;
	fake_gic_sync_elrsr();
	clear_lrs();
	fake.current = cpu_get(1);
	vgic_send_sgi(cpu_get(1), 1u, 0u);
	fake.current = cpu;
	vgic_kick(cpu, GIC_IPI_SGI);
	assert_int_equal(v->sgi_pending, 1u);
	assert_int_equal(held(0u, &prio, &st), 0u);
}

static void kick_core_2(void *arg)
{
	(void)arg;
	vgic_kick(cpu_get(2), GIC_IPI_SGI);
}

/* A kick whose one SGI goes straight into list register 0 still handles the requests that came
 * with it: a stop stops the core at once, it does not wait for the next exit. */
/* Verifies: REQ-IRQ-002, REQ-TRP-010 */
static void test_a_kick_with_one_sgi_still_handles_a_stop(void **state)
{
	(void)state;
	struct cpu *cpu = cpu_get(2);

	clear_lrs();
	redist_sgi(2, 1, GICD_ISENABLER, true, 4, 1u << 5);
	fake.current = cpu_get(1);
	vgic_send_sgi(cpu_get(1), 1u, 5u);
	__atomic_or_fetch(&cpu->requests, CPU_REQ_STOP, __ATOMIC_RELEASE);
	fake.current = cpu;
	assert_int_equal(fake_run(kick_core_2, NULL), FAKE_STOP);
	assert_int_equal(cpu->requests, 0u);
	assert_true((host_sr_ich_lr0_el2 & 0xffffffffu) == 5u);
}

/* The kick takes every SGI posted for the vCPU (enabled ones) and leaves none posted behind. */
/* Verifies: REQ-IRQ-003 */
static void test_kick_takes_the_posted_sgis(void **state)
{
	(void)state;
	struct cpu *cpu = cpu_get(1);
	struct vgic_cpu *v = vgic_cpu_of(cpu);

	clear_lrs();
	fake.current = cpu;
	redist_sgi(1, 0, GICD_ISENABLER, true, 4, (1u << 3) | (1u << 4));
	v->sgi_pending = (1u << 3) | (1u << 4);
	/* Every list register taken (the fake's ELRSR is not recomputed between two writes of one
	 * call): what the kick delivers waits in the vCPU's queue, where both must be. */
	host_sr_ich_elrsr_el2 = 0u;
	vgic_kick(cpu, GIC_IPI_SGI);
	assert_int_equal(v->sgi_pending, 0u);
	assert_int_equal(v->queued, 2);
	assert_int_equal((1u << v->queue[0].vintid) | (1u << v->queue[1].vintid), (1u << 3) | (1u << 4));
}

/* GICD_IROUTER's Interrupt Routing Mode (bit 31, "any vCPU") reads back as written. */
/* Verifies: REQ-IRQ-005 */
static void test_irm_routing_reads_back(void **state)
{
	(void)state;
	traps_dist(1, GICD_IROUTER + 8u * 50u, true, 8, UINT64_C(1) << 31);
	assert_int_equal(traps_dist(1, GICD_IROUTER + 8u * 50u, false, 8, 0), UINT64_C(1) << 31);
	traps_dist(1, GICD_IROUTER + 8u * 50u, true, 8, 1);
	assert_int_equal(traps_dist(1, GICD_IROUTER + 8u * 50u, false, 8, 0), 1);
	/* The high word (Aff3, 0 for every vCPU) written alone changes no route. */
	traps_dist(1, GICD_IROUTER + 8u * 50u + 4u, true, 4, 0);
	assert_int_equal(traps_dist(1, GICD_IROUTER + 8u * 50u, false, 8, 0), 1);
	assert_int_equal(traps_dist(1, GICD_IROUTER + 8u * 50u + 4u, false, 4, 0), 0);
}

/* A vCPU's banked SGI/PPI bitmaps: a write naming an SGI or PPI it does not own is
 * refused and counted, except the "all of them" clear an OS resets its bank with. */
/* Verifies: REQ-IRQ-004~2 */
static void test_foreign_ppi_bits_are_refused_and_counted(void **state)
{
	(void)state;
	struct partition *beta = partition_get(BETA);
	uint64_t before = incident_count(beta, BH_INCIDENT_INTERRUPT);

	redist_sgi(1, 0, GICD_ICENABLER, true, 4, 0xffffffffu);     /* the reset idiom */
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before);
	redist_sgi(1, 0, GICD_ISENABLER, true, 4, 1u << 27);        /* its own timer */
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before);
	redist_sgi(1, 0, GICD_ISENABLER, true, 4, 1u << 23);        /* a PPI nobody gave it */
	assert_int_equal(incident_count(beta, BH_INCIDENT_INTERRUPT), before + 1u);
}

/* An SPI of its own at bit 0 of its word (gamma's 96, word 3) is set and cleared pending and
 * active on the GIC itself, as any other bit of the word. */
/* Verifies: REQ-IRQ-004~2, REQ-IRQ-011 */
static void test_an_spi_at_bit_0_of_its_word_reaches_the_gic(void **state)
{
	(void)state;
	struct partition *gamma = partition_get(2);
	uint64_t before = incident_count(gamma, BH_INCIDENT_INTERRUPT);
	static const uint32_t set_clear[][2] = { { GICD_ISPENDR, GICD_ICPENDR }, { GICD_ISACTIVER, GICD_ICACTIVER } };

	for (uint32_t i = 0u; i < 2u; i++) {
		traps_dist(3, set_clear[i][0] + 12u, true, 4, 1u);
		assert_int_equal(traps_dist(3, set_clear[i][0] + 12u, false, 4, 0), 1u);
		traps_dist(3, set_clear[i][1] + 12u, true, 4, 1u);
		assert_int_equal(traps_dist(3, set_clear[i][0] + 12u, false, 4, 0), 0u);
	}
	assert_int_equal(incident_count(gamma, BH_INCIDENT_INTERRUPT), before);
}

/* A direct cpu's group 0 interrupt: the hypervisor's kick is ended; a spurious acknowledge (no
 * interrupt pending any more) has nothing to end. */
/* Verifies: REQ-IRQ-008~2 */
static void test_group_0_kick_is_ended_and_a_spurious_one_not(void **state)
{
	(void)state;
	struct cpu *c = cpu_get(3);

	fake.current = c;
	fake_gic_fiq_ack = GIC_SPURIOUS;
	vgic_fiq(c);
	assert_int_equal(fake_gic_fiq_eois, 0u);
	fake_gic_fiq_ack = GIC_IPI_SGI;
	vgic_fiq(c);
	assert_int_equal(fake_gic_fiq_eois, 1u);
	assert_int_equal(fake_gic_fiq_eoi_last, GIC_IPI_SGI);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_doorbell_spi_is_its_own_and_only_its_own, setup),
		cmocka_unit_test_setup(test_raise_is_delivered_when_enabled_and_merges, setup),
		cmocka_unit_test_setup(test_spi_at_bit_0_of_its_word_is_delivered, setup),
		cmocka_unit_test_setup(test_clear_pending_withdraws, setup),
		cmocka_unit_test_setup(test_routed_to_another_vcpu_goes_there, setup),
		cmocka_unit_test_setup(test_raise_from_another_partition_is_presented_by_the_routed_core, setup),
		cmocka_unit_test_setup(test_setup_writes_to_foreign_interrupts_are_summarized_once, setup),
		cmocka_unit_test_setup(test_own_group_change_is_refused_while_the_distributor_is_set_up, setup),
		cmocka_unit_test_setup(test_vcpu_reset_ends_a_priority_pass, setup),
		cmocka_unit_test_setup(test_more_spis_than_the_vgic_holds_stop_the_board, setup),
		cmocka_unit_test_setup(test_emulated_devices_interrupts_are_virtual_from_the_first_spi, setup),
		cmocka_unit_test_setup(test_initialisation_idioms_are_ignored_without_an_incident, setup),
		cmocka_unit_test_setup(test_restart_clears_virtual_state, setup),
		cmocka_unit_test_setup(test_vcpu_reset_drops_what_waits_for_a_list_register, setup),
		cmocka_unit_test_setup(test_reset_of_more_spis_than_the_vgic_holds_powers_off, setup),
		cmocka_unit_test_setup(test_direct_partition_sgi_15_is_refused_and_counted, setup),
		cmocka_unit_test_setup(test_interrupts_not_for_the_guest_are_deactivated_at_once, setup),
		cmocka_unit_test_setup(test_distributor_enable_gates_the_partitions_device_spis, setup),
		cmocka_unit_test_setup(test_sgi_senders_are_gathered_and_withdrawn_per_sender, setup),
		cmocka_unit_test_setup(test_redistributor_typer_names_each_vcpu, setup),
		cmocka_unit_test_setup(test_sgi_to_all_but_self_reaches_the_other_vcpus_only, setup),
		cmocka_unit_test_setup(test_bitmap_registers_refuse_other_widths, setup),
		cmocka_unit_test_setup(test_lr_check_stops_only_a_foreign_physical_interrupt, setup),
		cmocka_unit_test_setup(test_distributor_identifies_as_the_boards_without_lpis, setup),
		cmocka_unit_test_setup(test_sgi_ppi_group_changes_are_refused_and_counted, setup),
		cmocka_unit_test_setup(test_sgi_and_ppi_bitmaps_of_another_vcpu, setup),
		cmocka_unit_test_setup(test_redistributor_frame_registers, setup),
		cmocka_unit_test_setup(test_sgi1r_target_lists_ranges_and_affinities, setup),
		cmocka_unit_test_setup(test_spi_route_refusals_and_halves, setup),
		cmocka_unit_test_setup(test_sgis_to_itself_and_of_a_direct_partition, setup),
		cmocka_unit_test_setup(test_line_targets, setup),
		cmocka_unit_test_setup(test_kick_with_one_sgi_fills_list_register_0, setup),
		cmocka_unit_test_setup(test_vcpu_reset_restores_its_timer_priorities, setup),
		cmocka_unit_test_setup(test_kick_takes_the_posted_sgis, setup),
		cmocka_unit_test_setup(test_a_kick_with_one_sgi_still_handles_a_stop, setup),
		cmocka_unit_test_setup(test_a_restart_ends_a_routing_pass, setup),
		cmocka_unit_test_setup(test_a_restart_renews_the_set_up_allowance, setup),
		cmocka_unit_test_setup(test_maintenance_refills_the_list_registers, setup),
		cmocka_unit_test_setup(test_irm_routing_reads_back, setup),
		cmocka_unit_test_setup(test_foreign_ppi_bits_are_refused_and_counted, setup),
		cmocka_unit_test_setup(test_an_spi_at_bit_0_of_its_word_reaches_the_gic, setup),
		cmocka_unit_test_setup(test_group_0_kick_is_ended_and_a_spurious_one_not, setup),
		cmocka_unit_test_setup(test_a_device_spi_that_is_also_a_doorbell_stops_the_board, setup),
		cmocka_unit_test_setup(test_a_restart_routes_its_spis_back_to_vcpu_0, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
