/* SPDX-License-Identifier: MIT */
/*
 * core/ partition life cycle on the fake architecture: boot, vCPU start and
 * stop (partition_vcpu_on, partition_vcpu_off), shutdown, restart and the health monitor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <bulkhead/channel.h>
#include "cfg.h"
#include "core.h"
#include "cpu.h"
#include "fake_arch.h"
#include "fake_system.h"
#include "partition.h"

static int setup(void **state)
{
	(void)state;
	fake_partitions[1].scrub_on_restart = 0u;
	fake_partitions[1].image.placed_tag = 0u;
	fake_system_boot();
	return 0;
}

static void start_core(void *arg)
{
	core_cpu_started(arg);
}

/* Boots beta's vCPU 0 on core 1, as the firmware would after core_boot powered it on. */
static void boot_beta(void)
{
	fake.current = cpu_get(1);
	assert_int_equal(fake_run(start_core, cpu_get(1)), FAKE_VCPU_ENTER);
}

/* Verifies: REQ-CPU-001, REQ-CPU-009, REQ-MEM-008~2 */
static void test_boot_starts_vcpu0_of_each_partition(void **state)
{
	(void)state;
	/* The boot core entered alpha at its entry with no device tree... */
	assert_int_equal(fake.enter_entry, ALPHA_RAM_IPA);
	assert_int_equal(fake.enter_arg, 0);
	assert_memory_equal(alpha_ram, alpha_image, sizeof(alpha_image));
	/* ...powered on beta's vCPU 0 core only, without waiting for it. */
	assert_int_equal(fake.start_calls[1], 1);
	assert_int_equal(fake.start_calls[2], 0);
	assert_int_equal(fake.start_calls[3], 0);
	/* Alpha's address space: its three regions, nothing of beta's yet. */
	assert_int_equal(fake.n_maps, 3);
	assert_int_equal(fake.maps[1].ipa, ALPHA_RO_IPA);
	assert_int_equal(fake.maps[1].access, CFG_ACCESS_R);
	assert_true(fake.maps[2].device);
	assert_int_equal(partition_get(0)->state, PARTITION_RUNNING);
	assert_int_equal(partition_get(1)->state, PARTITION_LOADING);
	assert_null(partition_get(2));

	boot_beta();
	assert_int_equal(fake.enter_entry, BETA_RAM_IPA + 0x100u);
	assert_int_equal(fake.enter_arg, BETA_DTB_IPA);
	assert_memory_equal(beta_ram + 0x100, beta_image, sizeof(beta_image));
	assert_memory_equal(beta_ram + 0x8000, beta_dtb, sizeof(beta_dtb));
	assert_int_equal(fake.maps[3].part, 1);
	assert_int_equal(partition_get(1)->state, PARTITION_RUNNING);
}

/* Verifies: REQ-CPU-008 */
static void test_unassigned_core_powers_off(void **state)
{
	(void)state;
	struct cpu *c3 = cpu_get(3);
	fake.current = c3;
	c3->start_reason = CPU_START_BOOT;
	assert_int_equal(fake_run(start_core, c3), FAKE_STOP);
}

/* Verifies: REQ-CPU-003, REQ-CPU-004 */
static void test_vcpu_on_checks(void **state)
{
	(void)state;
	boot_beta();
	struct cpu *b0 = cpu_get(1);
	/* The last instruction of its RAM: an entry needs four executable bytes, and no more. */
	ipaddr_t entry = ipa_init(BETA_RAM_IPA + RAM_SIZE - 4u);

	assert_int_equal(partition_vcpu_on(b0, 2, entry, 0), CORE_ERR_INVALID);
	assert_int_equal(partition_vcpu_on(b0, 0xffffffffu, entry, 0), CORE_ERR_INVALID);
	assert_int_equal(partition_vcpu_on(b0, 1, ipa_init(ALPHA_RAM_IPA), 0), CORE_ERR_ADDRESS);
	assert_int_equal(partition_vcpu_on(b0, 1, ipa_init(BETA_RAM_IPA + RAM_SIZE - 2u), 0), CORE_ERR_ADDRESS);
	assert_int_equal(partition_vcpu_on(b0, 0, entry, 0), CORE_ERR_ALREADY_ON);
	assert_int_equal(fake.start_calls[2], 0);

	assert_int_equal(partition_vcpu_on(b0, 1, entry, 77), CORE_OK);
	assert_int_equal(fake.start_calls[2], 1);
	assert_int_equal(partition_vcpu_on(b0, 1, entry, 77), CORE_ERR_ON_PENDING);
	enum cpu_power power = CPU_POWER_OFF;
	assert_int_equal(partition_vcpu_state(b0, 1, &power), CORE_OK);
	assert_int_equal(power, CPU_POWER_ON_PENDING);
	assert_int_equal(partition_vcpu_state(b0, 2, &power), CORE_ERR_INVALID);
	assert_int_equal(power, CPU_POWER_ON_PENDING);   /* untouched */

	/* The firmware starts core 2: it enters the guest where CPU_ON asked. */
	fake.current = cpu_get(2);
	assert_int_equal(fake_run(start_core, cpu_get(2)), FAKE_VCPU_ENTER);
	assert_int_equal(fake.enter_entry, BETA_RAM_IPA + RAM_SIZE - 4u);
	assert_int_equal(fake.enter_arg, 77);
	assert_int_equal(partition_get(1)->online, 3);
}

/* Verifies: REQ-CPU-003 */
static void test_vcpu_on_refused_unless_running(void **state)
{
	(void)state;
	/* Beta has not been loaded yet: its state is LOADING. */
	assert_int_equal(partition_vcpu_on(cpu_get(1), 1, ipa_init(BETA_RAM_IPA), 0), CORE_ERR_DENIED);
}

/* Verifies: REQ-CPU-003 */
static void test_firmware_refusal_is_passed_on(void **state)
{
	(void)state;
	boot_beta();
	fake.start_result = CORE_ERR_HW;
	assert_int_equal(partition_vcpu_on(cpu_get(1), 1, ipa_init(BETA_RAM_IPA), 0), CORE_ERR_HW);
}

struct shutdown_args {
	struct cpu *cpu;
	bool restart;
};

static void shutdown(void *arg)
{
	struct shutdown_args *a = arg;
	partition_shutdown(a->cpu, a->restart);
}

/* Verifies: REQ-CPU-006 */
static void test_stop_is_local_until_the_last_partition(void **state)
{
	(void)state;
	boot_beta();
	fake.current = cpu_get(0);
	struct shutdown_args a = { cpu_get(0), false };
	assert_int_equal(fake_run(shutdown, &a), FAKE_STOP);
	assert_int_equal(partition_get(0)->state, PARTITION_STOPPED);
	assert_int_equal(partition_get(1)->state, PARTITION_RUNNING);
	assert_int_equal(fake.kicks[1], 0);
	assert_non_null(strstr(fake.console, "[bulkhead] partition 'alpha' stopped\r\n"));

	/* The last partition to stop powers the board off (CONFIG_POWEROFF_WHEN_ALL_STOPPED). */
	fake.current = cpu_get(1);
	a.cpu = cpu_get(1);
	assert_int_equal(fake_run(shutdown, &a), FAKE_SYSTEM_OFF);
	assert_int_equal(fake.kicks[2], 1);
	assert_non_null(strstr(fake.console, "all partitions stopped"));
}

/*
 * Two partitions stopping together: both set their state before either looks
 * at the others, so both find every partition stopped. Only the first may
 * report and power off; the second one's report would be cut off mid-line by
 * the power-off (seen in CI as a last line "[bulkhead] all").
 * Verifies: REQ-CPU-006
 */
static void test_all_stopped_is_reported_once(void **state)
{
	(void)state;
	boot_beta();
	partition_get(0)->state = PARTITION_STOPPED;   /* alpha's core: set, not yet checked */
	fake.current = cpu_get(1);
	struct shutdown_args a = { cpu_get(1), false };
	assert_int_equal(fake_run(shutdown, &a), FAKE_SYSTEM_OFF);

	/* Alpha's core now reaches the same check. */
	partition_get(0)->state = PARTITION_RUNNING;
	fake.console[0] = '\0';
	fake.console_len = 0u;
	fake.current = cpu_get(0);
	a.cpu = cpu_get(0);
	assert_int_equal(fake_run(shutdown, &a), FAKE_STOP);
	assert_null(strstr(fake.console, "all partitions stopped"));
}

/* Verifies: REQ-CPU-007, REQ-TRP-002, REQ-MEM-008~2 */
static void test_restart_from_second_vcpu(void **state)
{
	(void)state;
	boot_beta();
	fake.current = cpu_get(2);
	memset(beta_ram, 0xee, sizeof(beta_ram));   /* the guest scribbled over its image */
	struct shutdown_args a = { cpu_get(2), true };
	assert_int_equal(fake_run(shutdown, &a), FAKE_STOP);
	/* vCPU 0's core was stopped, then powered on again to reload the partition. */
	assert_int_equal(fake.kicks[1], 1);
	assert_int_equal(fake.start_calls[1], 2);
	assert_int_equal(cpu_get(1)->start_reason, CPU_START_BOOT);
	assert_int_equal(partition_get(1)->restarts, 1);
	assert_int_equal(partition_get(1)->state, PARTITION_LOADING);
	boot_beta();
	assert_memory_equal(beta_ram + 0x100, beta_image, sizeof(beta_image));
	/* Without scrub-on-restart the rest of its RAM is kept: programs may keep progress there. */
	assert_int_equal(beta_ram[0], 0xee);
	assert_int_equal(beta_ram[sizeof(beta_ram) - 1], 0xee);
	assert_int_equal(partition_get(1)->state, PARTITION_RUNNING);
	assert_int_equal(fake.n_maps, 4);   /* the address space was built once */
	assert_int_equal(partition_get(1)->arch.resets, 2);  /* its interrupt state, at each load */
	assert_int_equal(partition_get(0)->state, PARTITION_RUNNING);
}

/* A restart whose boot core will not power on again leaves the partition stopped, says which
 * core, and touches no other partition. */
/* Verifies: REQ-CPU-007 */
static void test_restart_whose_boot_core_will_not_start_stops_the_partition(void **state)
{
	(void)state;
	boot_beta();
	fake.current = cpu_get(2);
	fake.start_result = CORE_ERR_HW;
	struct shutdown_args a = { cpu_get(2), true };
	assert_int_equal(fake_run(shutdown, &a), FAKE_STOP);
	assert_int_equal(partition_get(1)->restarts, 1);
	assert_int_equal(partition_get(1)->state, PARTITION_STOPPED);
	assert_non_null(strstr(fake.console, "partition 'beta': core 1 would not power on"));
	assert_int_equal(partition_get(0)->state, PARTITION_RUNNING);
}

/* Verifies: REQ-CPU-015, REQ-MEM-008~2 */
static void test_restart_scrubs_writable_ram_when_described(void **state)
{
	(void)state;
	fake_partitions[1].scrub_on_restart = 1u;
	boot_beta();
	fake.current = cpu_get(2);
	memset(beta_ram, 0xee, sizeof(beta_ram));   /* the last life's secrets */
	/* ...at the point of coherency too, where a guest running with its caches off reads them. */
	fake.poc_watch = (uint64_t)(uintptr_t)&beta_ram[0x4000];
	fake.poc_watch_size = sizeof(fake.poc_seen);
	memset(fake.poc_seen, 0xee, sizeof(fake.poc_seen));
	struct shutdown_args a = { cpu_get(2), true };
	assert_int_equal(fake_run(shutdown, &a), FAKE_STOP);
	boot_beta();
	for (size_t i = 0; i < sizeof(fake.poc_seen); i++) {
		assert_int_equal(fake.poc_seen[i], 0);
	}
	fake.poc_watch_size = 0u;
	assert_memory_equal(beta_ram + 0x100, beta_image, sizeof(beta_image));
	/* Around the fresh image and device tree, nothing of the last life. */
	size_t dtb = BETA_DTB_IPA - BETA_RAM_IPA;
	for (size_t i = 0; i < sizeof(beta_ram); i++) {
		bool loaded = (i >= 0x100 && i < 0x100 + sizeof(beta_image)) || (i >= dtb && i < dtb + sizeof(beta_dtb));
		if (!loaded) {
			assert_int_equal(beta_ram[i], 0);
		}
	}
	/* Alpha's RAM, read-only region included, is not touched by beta's restart. */
	assert_int_equal(partition_get(0)->state, PARTITION_RUNNING);
}

#define PLACED_TAG 0x5eed5eed0badcafeull
/* Beta's image lies 8-byte aligned at 0x100 of its RAM (24 bytes): its tag follows it. */
#define PLACED_TAG_AT (0x100u + sizeof(beta_image))
static const uint8_t placed_image[24] = "the boot flow placed me";

/* What a boot flow that places images leaves in beta's RAM: an image and the tag after it. */
static void place_beta(uint64_t tag)
{
	fake_partitions[1].image.placed_tag = PLACED_TAG;
	memcpy(beta_ram + 0x100, placed_image, sizeof(placed_image));
	memcpy(beta_ram + PLACED_TAG_AT, &tag, sizeof(tag));
}

static uint64_t beta_tag(void)
{
	uint64_t tag;

	memcpy(&tag, beta_ram + PLACED_TAG_AT, sizeof(tag));
	return tag;
}

/* Verifies: REQ-MEM-013, REQ-MEM-008~2 */
static void test_first_start_runs_the_placed_image_and_a_restart_copies(void **state)
{
	(void)state;
	place_beta(PLACED_TAG);
	fake.poc_watch = (uint64_t)(uintptr_t)&beta_ram[PLACED_TAG_AT];
	fake.poc_watch_size = sizeof(uint64_t);
	memset(fake.poc_seen, 0xee, sizeof(uint64_t));
	boot_beta();
	/* Run where it was placed, not copied over; the tag gone before the guest's first instruction,
	 * at the point of coherency too (a guest with its caches off must not find it). */
	assert_memory_equal(beta_ram + 0x100, placed_image, sizeof(placed_image));
	assert_int_equal(beta_tag(), 0);
	assert_memory_equal(fake.poc_seen, &(uint64_t){ 0 }, sizeof(uint64_t));
	fake.poc_watch_size = 0u;
	assert_int_equal(partition_get(1)->state, PARTITION_RUNNING);
	/* The guest writes the tag back itself: a restart copies the pristine image all the same. */
	memcpy(beta_ram + PLACED_TAG_AT, &(uint64_t){ PLACED_TAG }, sizeof(uint64_t));
	struct shutdown_args a = { cpu_get(1), true };
	assert_int_equal(fake_run(shutdown, &a), FAKE_VCPU_ENTER);
	assert_int_equal(partition_get(1)->restarts, 1);
	assert_memory_equal(beta_ram + 0x100, beta_image, sizeof(beta_image));
}

/* Verifies: REQ-MEM-013, REQ-MEM-008~2 */
static void test_first_start_copies_without_the_tag(void **state)
{
	(void)state;
	place_beta(PLACED_TAG ^ 1u);
	boot_beta();
	assert_memory_equal(beta_ram + 0x100, beta_image, sizeof(beta_image));
	assert_int_equal(beta_tag(), 0);
	assert_int_equal(partition_get(1)->state, PARTITION_RUNNING);
}

/* A blob of a single byte is copied like any other: the device tree (copied,
 * then seeded) and the initial RAM disk (copied and cleaned). */
/* Verifies: REQ-MEM-008~2 */
static void test_one_byte_blobs_are_loaded(void **state)
{
	static const uint8_t byte[1] = { 0x5a };
	struct cfg_partition saved = fake_partitions[1];

	(void)state;
	fake_partitions[1].initrd = (struct cfg_blob){ (uintptr_t)byte, 1u, BETA_RAM_IPA + 0x800u, 0u };
	fake_partitions[1].boot_info.size = 1u;
	beta_ram[0x800] = 0u;
	beta_ram[BETA_DTB_IPA - BETA_RAM_IPA] = 0u;
	beta_ram[BETA_DTB_IPA - BETA_RAM_IPA + 1u] = 0u;
	boot_beta();
	fake_partitions[1] = saved;
	assert_int_equal(beta_ram[0x800], 0x5au);
	assert_int_equal(beta_ram[BETA_DTB_IPA - BETA_RAM_IPA], beta_dtb[0]);
	assert_int_equal(beta_ram[BETA_DTB_IPA - BETA_RAM_IPA + 1u], 0u);   /* one byte, not more */
}

/* Beta booted with boot information holding a room for the counter's rate at its offset 14,
 * asked for (`counter_khz` 14) or not (0); the boot information as beta then has it. */
static const uint8_t *boot_beta_with_rate_room(uint32_t counter_khz)
{
	static const uint8_t info[24] = "tsc_early_khz=          ";
	struct cfg_partition saved = fake_partitions[1];

	fake_partitions[1].boot_info = (struct cfg_blob){ (uintptr_t)info, sizeof(info), BETA_DTB_IPA, 0u };
	fake_partitions[1].counter_khz = counter_khz;
	fake.console[0] = '\0';
	fake.console_len = 0u;
	boot_beta();
	fake_partitions[1] = saved;
	return &beta_ram[BETA_DTB_IPA - BETA_RAM_IPA];
}

/* The counter's rate goes into the boot information where the configuration leaves room for
 * it, and is logged. */
/* Verifies: REQ-LNX-017 */
static void test_counter_rate_is_given_and_logged_where_asked(void **state)
{
	(void)state;
	assert_memory_equal(boot_beta_with_rate_room(14u), "tsc_early_khz=1000      ", 24u);
	assert_non_null(strstr(fake.console, "partition 'beta': counter rate 1000 kHz given in its boot information"));
}

/* Not asked for: the boot information as built, and no line about a rate. */
/* Verifies: REQ-LNX-017 */
static void test_counter_rate_is_neither_given_nor_logged_unasked(void **state)
{
	(void)state;
	assert_memory_equal(boot_beta_with_rate_room(0u), "tsc_early_khz=          ", 24u);
	assert_null(strstr(fake.console, "counter rate"));
}

/* A device tree for beta with the two seed placeholders bhcc writes: FDT_PROP, length, name
 * offset, zeros. */
#define SEED_KASLR_AT 16u
#define SEED_RNG_AT 40u
static uint8_t seed_tree[128];
static struct cfg_partition beta_saved;

static void seed_placeholder(uint32_t at, uint32_t len)
{
	static const uint8_t prop[12] = { 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0x20 };

	memcpy(&seed_tree[at], prop, sizeof(prop));
	seed_tree[at + 7u] = (uint8_t)len;
	memset(&seed_tree[at + 12u], 0, len);
}

static void seeded_beta(void)
{
	memset(seed_tree, 0xee, sizeof(seed_tree));
	seed_placeholder(SEED_KASLR_AT, 8u);
	seed_placeholder(SEED_RNG_AT, CFG_RNG_SEED_SIZE);
	beta_saved = fake_partitions[1];
	fake_partitions[1].boot_info = (struct cfg_blob){ (uintptr_t)seed_tree, sizeof(seed_tree), BETA_DTB_IPA, 0u };
	fake_partitions[1].kaslr_seed = SEED_KASLR_AT;
	fake_partitions[1].rng_seed = SEED_RNG_AT;
}

static void board_without_entropy(void)
{
	seeded_beta();
	fake.no_entropy = true;
}

/* The boot core's look at the source takes one word; the first seed word then fails. */
static void board_whose_entropy_fails_later(void)
{
	seeded_beta();
	fake.entropy_limit = 1u;
}

/* Boots the fake system on `board` (fake_board_hook for this boot only). */
static void boot_board(void (*board)(void))
{
	fake_board_hook = board;
	fake_system_boot();
	fake_board_hook = NULL;
}

static unsigned count_of(const char *text, const char *line)
{
	unsigned n = 0u;

	for (const char *at = strstr(text, line); at != NULL; at = strstr(at + 1, line)) {
		n++;
	}
	return n;
}

static const char no_entropy_line[] = "no entropy source on this board: no kaslr-seed, rng-seed";

/* The beta's seeds were removed from its copy of the tree, not left as zeros. */
static void assert_seeds_removed(void)
{
	const uint8_t *dt = &beta_ram[BETA_DTB_IPA - BETA_RAM_IPA];
	static const uint8_t nop[4] = { 0, 0, 0, 4 };

	assert_memory_equal(&dt[SEED_KASLR_AT], nop, sizeof(nop));
	assert_memory_equal(&dt[SEED_RNG_AT], nop, sizeof(nop));
}

/* A board without an entropy source: the boot core says so before any other core starts
 * (so the core that loads the partition does not spend its boot on the line), and only once,
 * although the loading core finds the source missing again. */
/* Verifies: REQ-LNX-007 */
static void test_no_entropy_is_said_once_by_the_boot_core(void **state)
{
	(void)state;
	boot_board(board_without_entropy);
	assert_int_equal(count_of(fake.console, no_entropy_line), 1u);
	boot_beta();
	fake_partitions[1] = beta_saved;
	assert_int_equal(partition_get(1)->state, PARTITION_RUNNING);
	assert_seeds_removed();
	assert_int_equal(count_of(fake.console, no_entropy_line), 1u);
}

/* The boot information reaches the point of coherency with its seeds in it: a guest starting with its
 * caches off reads the seeds, not the placeholders the image store held. */
/* Verifies: REQ-LNX-007, REQ-MEM-008~2 */
static void test_seeded_boot_information_is_cleaned_after_seeding(void **state)
{
	(void)state;
	const uint8_t *dt = &beta_ram[BETA_DTB_IPA - BETA_RAM_IPA];

	boot_board(seeded_beta);
	fake.poc_watch = (uintptr_t)dt;
	fake.poc_watch_size = sizeof(seed_tree);
	memset(fake.poc_seen, 0, sizeof(fake.poc_seen));
	boot_beta();
	fake_partitions[1] = beta_saved;
	assert_memory_not_equal(&dt[SEED_KASLR_AT], &seed_tree[SEED_KASLR_AT], 16u);   /* seeded */
	assert_memory_equal(fake.poc_seen, dt, sizeof(seed_tree));
	fake.poc_watch_size = 0u;
}

static void board_without_entropy_or_seeds(void)
{
	fake.no_entropy = true;
}

/* No partition asks for seeds: a board without an entropy source says nothing about it (the fake
 * description past the table, which asks for them, is never read). */
/* Verifies: REQ-LNX-007 */
static void test_without_seeds_a_board_without_entropy_says_nothing(void **state)
{
	(void)state;
	boot_board(board_without_entropy_or_seeds);
	assert_int_equal(count_of(fake.console, no_entropy_line), 0u);
	boot_beta();
	assert_int_equal(partition_get(1)->state, PARTITION_RUNNING);
	assert_int_equal(count_of(fake.console, no_entropy_line), 0u);
}

/* A source that answered the boot core but fails when the partition's seeds are drawn: the
 * loading core removes them and says why. */
/* Verifies: REQ-LNX-007 */
static void test_a_source_failing_after_boot_is_said_by_the_loading_core(void **state)
{
	(void)state;
	boot_board(board_whose_entropy_fails_later);
	assert_int_equal(count_of(fake.console, no_entropy_line), 0u);
	boot_beta();
	fake_partitions[1] = beta_saved;
	assert_seeds_removed();
	assert_int_equal(count_of(fake.console, no_entropy_line), 1u);
}

/* Verifies: REQ-CPU-007 */
static void test_restart_on_vcpu0_reenters_directly(void **state)
{
	(void)state;
	boot_beta();
	struct shutdown_args a = { cpu_get(1), true };
	assert_int_equal(fake_run(shutdown, &a), FAKE_VCPU_ENTER);
	assert_int_equal(fake.enter_entry, BETA_RAM_IPA + 0x100u);
	assert_int_equal(partition_get(1)->restarts, 1);
}

/* Verifies: REQ-TRP-002 */
static void test_restart_abandoned_when_a_vcpu_will_not_stop(void **state)
{
	(void)state;
	boot_beta();
	fake.power[2] = CPU_POWER_ON;
	fake.kick_stops = false;
	struct shutdown_args a = { cpu_get(1), true };
	assert_int_equal(fake_run(shutdown, &a), FAKE_STOP);
	assert_int_equal(partition_get(1)->state, PARTITION_STOPPED);
	assert_non_null(strstr(fake.console, "core 2 did not power off"));
	assert_non_null(strstr(fake.console, "restart abandoned"));
}

/* Verifies: REQ-TRP-002 */
static void test_second_shutdown_just_powers_off(void **state)
{
	(void)state;
	boot_beta();
	partition_get(1)->state = PARTITION_STOPPING;
	struct shutdown_args a = { cpu_get(2), false };
	fake.current = cpu_get(2);
	assert_int_equal(fake_run(shutdown, &a), FAKE_STOP);
	assert_int_equal(fake.kicks[1], 0);
}

static void vcpu_off(void *arg)
{
	partition_vcpu_off(arg);
}

/* Verifies: REQ-CPU-002, REQ-CPU-006 */
static void test_cpu_off_last_vcpu_stops_partition(void **state)
{
	(void)state;
	boot_beta();
	assert_int_equal(partition_vcpu_on(cpu_get(1), 1, ipa_init(BETA_RAM_IPA), 0), CORE_OK);
	fake.current = cpu_get(2);
	assert_int_equal(fake_run(start_core, cpu_get(2)), FAKE_VCPU_ENTER);
	/* vCPU 1 off: the partition keeps running. */
	assert_int_equal(fake_run(vcpu_off, cpu_get(2)), FAKE_STOP);
	assert_int_equal(partition_get(1)->state, PARTITION_RUNNING);
	/* vCPU 0 off too: nothing can turn it on again, so it is stopped. */
	fake.current = cpu_get(1);
	assert_int_equal(fake_run(vcpu_off, cpu_get(1)), FAKE_STOP);
	assert_int_equal(partition_get(1)->state, PARTITION_STOPPED);
	assert_non_null(strstr(fake.console, "partition 'beta': last vCPU powered off"));
}

static void fault(void *arg)
{
	struct fault f = { BH_FAULT_DATA_READ, 0x40001234u, 0x93c08006u, 0x48000000u, true };
	health_fault(arg, &f);
}

static void fault_no_address(void *arg)
{
	struct fault f = { BH_FAULT_UNHANDLED_TRAP, 0x40002000u, 0x2000000u, 0, false };
	health_fault(arg, &f);
}

/* Verifies: REQ-TRP-001 */
static void test_fault_is_logged_and_contained(void **state)
{
	(void)state;
	assert_int_equal(fake_run(fault, cpu_get(0)), FAKE_STOP);
	assert_non_null(strstr(fake.console,
		"[bulkhead] fault: partition 'alpha' vCPU 0 (core 0): stage-2 data abort (read) at IPA 0x48000000, "
		"PC 0x40001234, ESR 0x93c08006; stop"));
	assert_int_equal(partition_get(0)->state, PARTITION_STOPPED);

	boot_beta();
	assert_int_equal(fake_run(fault_no_address, cpu_get(1)), FAKE_VCPU_ENTER);
	assert_non_null(strstr(fake.console,
		"fault: partition 'beta' vCPU 0 (core 1): unhandled trap, PC 0x40002000, ESR 0x2000000; restart"));
	assert_int_equal(partition_get(1)->restarts, 1);
}

/* Boots beta with both vCPUs running (vCPU 1 on core 2). */
static void boot_beta_both_vcpus(void)
{
	boot_beta();
	assert_int_equal(partition_vcpu_on(cpu_get(1), 1, ipa_init(BETA_RAM_IPA), 0), CORE_OK);
	fake.current = cpu_get(2);
	assert_int_equal(fake_run(start_core, cpu_get(2)), FAKE_VCPU_ENTER);
	assert_int_equal(fake.power[2], CPU_POWER_ON);
}

/* Verifies: REQ-TRP-010, REQ-TRP-002 */
static void test_stop_fences_before_the_kick_and_restart_unfences(void **state)
{
	(void)state;
	boot_beta_both_vcpus();
	struct shutdown_args a = { cpu_get(1), true };
	fake.current = cpu_get(1);
	/* vCPU 0 restarts the partition: it reloads and re-enters on its own cpu. */
	assert_int_equal(fake_run(shutdown, &a), FAKE_VCPU_ENTER);
	assert_int_equal(fake.fences[1], 1);
	assert_true(fake.fenced_at_kick[2]);      /* fenced first: a kick the guest holds off cannot matter */
	assert_false(fake.fenced_at_enter);       /* and given back before the partition ran again */
	assert_false(fake.fenced[1]);
	assert_false(partition_get(1)->fenced);
	assert_int_equal(fake.fences[0], 0);      /* nothing of another partition */
}

/* Verifies: REQ-TRP-010 */
static void test_stop_without_another_running_vcpu_does_not_fence(void **state)
{
	(void)state;
	struct shutdown_args a = { cpu_get(0), false };
	/* Alpha has one vCPU; beta's vCPU 1 is off. */
	assert_int_equal(fake_run(shutdown, &a), FAKE_STOP);
	boot_beta();
	a.cpu = cpu_get(1);
	fake.current = cpu_get(1);
	assert_int_equal(fake_run(shutdown, &a), FAKE_SYSTEM_OFF);
	assert_int_equal(fake.fences[0], 0);
	assert_int_equal(fake.fences[1], 0);
}

/* Verifies: REQ-TRP-010, REQ-TRP-002 */
static void test_vcpu_that_never_stops_leaves_the_partition_fenced(void **state)
{
	(void)state;
	boot_beta_both_vcpus();
	fake.kick_stops = false;                  /* vCPU 1 holds the kick off and sleeps */
	struct shutdown_args a = { cpu_get(1), true };
	fake.current = cpu_get(1);
	assert_int_equal(fake_run(shutdown, &a), FAKE_STOP);
	assert_int_equal(partition_get(1)->state, PARTITION_STOPPED);
	assert_true(fake.fenced[1]);
	assert_non_null(strstr(fake.console, "core 2 did not power off; it can run nothing of the partition (fenced)"));
	assert_non_null(strstr(fake.console, "restart abandoned"));
}

/* Verifies: REQ-TRP-010 */
static void test_fault_of_a_stopping_partition_stops_the_cpu_quietly(void **state)
{
	(void)state;
	boot_beta_both_vcpus();
	partition_get(1)->state = PARTITION_STOPPING;   /* vCPU 0 is stopping it, the fence took vCPU 1 */
	fake.current = cpu_get(2);
	assert_int_equal(fake_run(fault, cpu_get(2)), FAKE_STOP);
	assert_int_equal(fake.power[2], CPU_POWER_OFF);
	assert_null(strstr(fake.console, "fault:"));
	assert_int_equal(incident_count(partition_get(1), BH_INCIDENT_FAULT), 0);
}

static void handle_requests(void *arg)
{
	core_handle_requests(arg);
}

/* Verifies: REQ-TRP-002 */
static void test_stop_request_powers_core_off(void **state)
{
	(void)state;
	assert_int_equal(fake_run(handle_requests, cpu_get(0)), FAKE_RETURNED);
	cpu_get(0)->requests = CPU_REQ_STOP;
	assert_int_equal(fake_run(handle_requests, cpu_get(0)), FAKE_STOP);
	assert_int_equal(cpu_get(0)->requests, 0);
}

/* Verifies: REQ-HC-003, REQ-MEM-001 */
static void test_translate_bounds(void **state)
{
	(void)state;
	const struct partition *a = partition_get(0);
	paddr_t pa;

	assert_true(partition_translate(a, ipa_init(ALPHA_RAM_IPA), RAM_SIZE, CFG_ACCESS_R, &pa));
	assert_int_equal(pa_addr(pa), (uintptr_t)alpha_ram);
	assert_true(partition_translate(a, ipa_init(ALPHA_RAM_IPA + RAM_SIZE - 1u), 1, CFG_ACCESS_W, &pa));
	assert_false(partition_translate(a, ipa_init(ALPHA_RAM_IPA + RAM_SIZE - 1u), 2, CFG_ACCESS_R, &pa));
	assert_false(partition_translate(a, ipa_init(ALPHA_RAM_IPA - 1u), 2, CFG_ACCESS_R, &pa));
	assert_false(partition_translate(a, ipa_init(~0ull), 2, CFG_ACCESS_R, &pa));
	assert_false(partition_translate(a, ipa_init(ALPHA_RAM_IPA), ~0ull, CFG_ACCESS_R, &pa));
	assert_true(partition_translate(a, ipa_init(ALPHA_RO_IPA), 8, CFG_ACCESS_R, &pa));
	assert_false(partition_translate(a, ipa_init(ALPHA_RO_IPA), 8, CFG_ACCESS_W, &pa));
	/* Device regions are never memory the hypervisor reads for a guest. */
	assert_false(partition_translate(a, ipa_init(ALPHA_DEV_IPA), 4, CFG_ACCESS_R, &pa));
	assert_false(partition_translate(partition_get(1), ipa_init(ALPHA_RAM_IPA), 4, CFG_ACCESS_R, &pa));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_boot_starts_vcpu0_of_each_partition, setup),
		cmocka_unit_test_setup(test_unassigned_core_powers_off, setup),
		cmocka_unit_test_setup(test_vcpu_on_checks, setup),
		cmocka_unit_test_setup(test_vcpu_on_refused_unless_running, setup),
		cmocka_unit_test_setup(test_firmware_refusal_is_passed_on, setup),
		cmocka_unit_test_setup(test_stop_is_local_until_the_last_partition, setup),
		cmocka_unit_test_setup(test_restart_from_second_vcpu, setup),
		cmocka_unit_test_setup(test_restart_scrubs_writable_ram_when_described, setup),
		cmocka_unit_test_setup(test_one_byte_blobs_are_loaded, setup),
		cmocka_unit_test_setup(test_counter_rate_is_given_and_logged_where_asked, setup),
		cmocka_unit_test_setup(test_counter_rate_is_neither_given_nor_logged_unasked, setup),
		cmocka_unit_test_setup(test_restart_on_vcpu0_reenters_directly, setup),
		cmocka_unit_test_setup(test_first_start_runs_the_placed_image_and_a_restart_copies, setup),
		cmocka_unit_test_setup(test_first_start_copies_without_the_tag, setup),
		cmocka_unit_test_setup(test_restart_abandoned_when_a_vcpu_will_not_stop, setup),
		cmocka_unit_test_setup(test_second_shutdown_just_powers_off, setup),
		cmocka_unit_test_setup(test_all_stopped_is_reported_once, setup),
		cmocka_unit_test_setup(test_cpu_off_last_vcpu_stops_partition, setup),
		cmocka_unit_test_setup(test_fault_is_logged_and_contained, setup),
		cmocka_unit_test_setup(test_stop_request_powers_core_off, setup),
		cmocka_unit_test_setup(test_stop_fences_before_the_kick_and_restart_unfences, setup),
		cmocka_unit_test_setup(test_stop_without_another_running_vcpu_does_not_fence, setup),
		cmocka_unit_test_setup(test_vcpu_that_never_stops_leaves_the_partition_fenced, setup),
		cmocka_unit_test_setup(test_fault_of_a_stopping_partition_stops_the_cpu_quietly, setup),
		cmocka_unit_test_setup(test_translate_bounds, setup),
		cmocka_unit_test_setup(test_restart_whose_boot_core_will_not_start_stops_the_partition, setup),
		cmocka_unit_test(test_no_entropy_is_said_once_by_the_boot_core),
		cmocka_unit_test(test_without_seeds_a_board_without_entropy_says_nothing),
		cmocka_unit_test(test_seeded_boot_information_is_cleaned_after_seeding),
		cmocka_unit_test(test_a_source_failing_after_boot_is_said_by_the_loading_core),
	};
	return cmocka_run_group_tests_name("partition", tests, NULL, NULL);
}
