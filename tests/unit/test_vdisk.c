/* SPDX-License-Identifier: MIT */
/*
 * The emulated disk (core/vdisk.c) on the fake architecture: a window-mode
 * client "os" with a virtio-mmio block device, and a service partition at
 * the other end of its disk channel (fake_pair.c's system), played by this
 * file through the channel's request and response pages (include/bulkhead/disk.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "bulkhead/disk.h"
#include "channel.h"
#include "core.h"
#include "cpu.h"
#include "emul.h"
#include "fake_arch.h"
#include "fake_pair.h"
#include "partition.h"
#include "vdisk.h"

#define DISK_IPA 0x0a000000u
#define DISK_IRQ 7u          /* the fake architecture raises 0..31 */
#define SECTORS 0x123456789ull
#define F_VERSION_1 (1u << (VIRTIO_F_VERSION_1 - 32u))
#define F_ACCESS_PLATFORM (1u << (VIRTIO_F_ACCESS_PLATFORM - 32u))

static struct bh_disk_request *request(void)
{
	return (struct bh_disk_request *)(void *)(pair_channel_mem + BH_DISK_REQUEST_OFF);
}

static struct bh_disk_response *response(void)
{
	return (struct bh_disk_response *)(void *)(pair_channel_mem + BH_DISK_RESPONSE_OFF);
}

static int setup(void **state)
{
	const struct cfg_partition_console no_console = { 0 };
	const struct cfg_partition_disk disk = { .present = 1, .window = 1, .channel = 0, .irq = DISK_IRQ, .ipa = DISK_IPA,
						 .sectors = SECTORS };

	(void)state;
	return pair_boot(&no_console, &disk, CFG_CHANNEL_DISK, BH_DISK_CHANNEL_SIZE);
}

static uint32_t rd(uint32_t offset)
{
	return pair_rd(offset, 4u);
}

static void wr(uint32_t offset, uint32_t value)
{
	pair_wr(offset, 4u, value);
}

/* The driver's steps up to FEATURES_OK with `high` accepted of features 32..63; the status read back. */
static uint32_t negotiate(uint32_t high)
{
	wr(VIRTIO_MMIO_STATUS, 0);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, high);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	return rd(VIRTIO_MMIO_STATUS);
}

static void queue_ready(void)
{
	assert_int_equal(negotiate(F_VERSION_1 | F_ACCESS_PLATFORM) & VIRTIO_STATUS_FEATURES_OK, VIRTIO_STATUS_FEATURES_OK);
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	wr(VIRTIO_MMIO_QUEUE_NUM, 8);
	wr(VIRTIO_MMIO_QUEUE_DESC_LOW, 0x50000000u);
	wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
	wr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, 0x50000080u);
	wr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, 0x50000800u);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
				       VIRTIO_STATUS_DRIVER_OK);
}

/* Verifies: REQ-DSK-003 */
static void test_identification_and_capacity(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(rd(VIRTIO_MMIO_MAGIC_VALUE), VIRTIO_MMIO_MAGIC);
	assert_int_equal(rd(VIRTIO_MMIO_VERSION), 2);
	assert_int_equal(rd(VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_BLOCK);
	assert_int_equal(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), BH_DISK_QUEUE_MAX);
	wr(VIRTIO_MMIO_QUEUE_SEL, 1);
	assert_int_equal(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 0);   /* one queue */
	assert_int_equal(rd(VIRTIO_MMIO_CONFIG), (uint32_t)SECTORS);
	assert_int_equal(rd(VIRTIO_MMIO_CONFIG + 4), (uint32_t)(SECTORS >> 32));
	assert_true(pair_access(VIRTIO_MMIO_CONFIG, false, 8, &v));
	assert_int_equal(v, SECTORS);
	assert_true(pair_access(VIRTIO_MMIO_CONFIG + 1, false, 1, &v));
	assert_int_equal(v, (SECTORS >> 8) & 0xff);
	assert_int_equal(rd(VIRTIO_MMIO_CONFIG + 0x20), 0);
	/* seg_max (le32 at 12): the data descriptors a chain may hold besides header and status,
	 * read whole or byte by byte. */
	assert_int_equal(rd(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_SEG_MAX_OFF), BH_DISK_CHAIN_MAX - 2u);
	for (uint32_t i = 0; i < 4u; i++) {
		assert_true(pair_access(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_SEG_MAX_OFF + i, false, 1, &v));
		assert_int_equal(v, ((BH_DISK_CHAIN_MAX - 2u) >> (8u * i)) & 0xffu);
	}
	assert_int_equal(rd(VIRTIO_MMIO_CONFIG + 8), 0);                 /* size_max: not offered */
	assert_int_equal(rd(VIRTIO_MMIO_CONFIG + 16), 0);
	assert_int_equal(rd(VIRTIO_MMIO_VENDOR_ID), 0x4b4c4842u);        /* "BHLK" */
	assert_int_equal(rd(VIRTIO_MMIO_CONFIG_GENERATION), 0);
	assert_int_equal(rd(0x0e0u), 0);                                  /* reserved */
	assert_int_equal(rd(VIRTIO_MMIO_QUEUE_NOTIFY), 0);                /* write-only */
	/* A register access that is not 32 bits reads zero and changes nothing. */
	assert_true(pair_access(VIRTIO_MMIO_MAGIC_VALUE, false, 2, &v));
	assert_int_equal(v, 0);
}

/* Verifies: REQ-DSK-004 */
static void test_window_mode_needs_access_platform(void **state)
{
	(void)state;
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(rd(VIRTIO_MMIO_DEVICE_FEATURES), F_VERSION_1 | F_ACCESS_PLATFORM);
	assert_int_equal(negotiate(F_VERSION_1) & VIRTIO_STATUS_FEATURES_OK, 0);
	assert_int_equal(negotiate(F_ACCESS_PLATFORM) & VIRTIO_STATUS_FEATURES_OK, 0);
	assert_int_equal(negotiate(F_VERSION_1 | F_ACCESS_PLATFORM | 4u) & VIRTIO_STATUS_FEATURES_OK, 0);  /* not offered */
	assert_int_equal(negotiate(F_VERSION_1 | F_ACCESS_PLATFORM) & VIRTIO_STATUS_FEATURES_OK, VIRTIO_STATUS_FEATURES_OK);
}

/* Queue register `reg` set to `address`, then the queue made ready: whether it is. */
static uint32_t ready_with(uint32_t reg, uint32_t address)
{
	wr(reg, address);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
	return rd(VIRTIO_MMIO_QUEUE_READY);
}

/* Verifies: REQ-DSK-003, REQ-DSK-008 */
static void test_queue_setup_is_published_and_reset_is_told(void **state)
{
	uint32_t gen;

	(void)state;
	gen = request()->generation;
	queue_ready();
	/* Two publications: the driver's reset (status 0), then the queue made ready. */
	assert_int_equal(request()->generation, gen + 2);
	assert_int_equal(request()->queue_ready, 1);
	assert_int_equal(request()->queue_num, 8);
	assert_int_equal(request()->desc, 0x50000000u);
	assert_int_equal(request()->avail, 0x50000080u);
	assert_int_equal(request()->used, 0x50000800u);
	assert_int_equal(rd(VIRTIO_MMIO_QUEUE_READY), 1);
	/* Once ready, the addresses are the device's: a driver's late change is ignored. */
	wr(VIRTIO_MMIO_QUEUE_DESC_LOW, 0x60000000u);
	assert_int_equal(request()->desc, 0x50000000u);
	wr(VIRTIO_MMIO_STATUS, 0);
	assert_int_equal(request()->generation, gen + 3);
	assert_int_equal(request()->queue_ready, 0);
	/* The reset forgets the whole queue, as the page tells the service partition. */
	assert_int_equal(request()->queue_num, 0);
	assert_int_equal(request()->desc, 0);
	assert_int_equal(request()->avail, 0);
	assert_int_equal(request()->used, 0);
	assert_int_equal(rd(VIRTIO_MMIO_QUEUE_READY), 0);
	/* A queue size the device does not take never becomes ready. */
	wr(VIRTIO_MMIO_QUEUE_NUM, 6);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
	assert_int_equal(rd(VIRTIO_MMIO_QUEUE_READY), 0);
	/* The used ring must be 4-byte aligned, the driver ring 2-byte, the descriptor table
	 * 16-byte (virtio 1.1, 2.6): each refused one byte off (the used ring: two), taken aligned. */
	wr(VIRTIO_MMIO_QUEUE_NUM, 8);
	assert_int_equal(ready_with(VIRTIO_MMIO_QUEUE_DEVICE_LOW, 0x50000802u), 0);
	assert_int_equal(ready_with(VIRTIO_MMIO_QUEUE_DEVICE_LOW, 0x50000804u), 1);
	wr(VIRTIO_MMIO_QUEUE_READY, 0);
	assert_int_equal(ready_with(VIRTIO_MMIO_QUEUE_DRIVER_LOW, 0x50000081u), 0);
	assert_int_equal(ready_with(VIRTIO_MMIO_QUEUE_DRIVER_LOW, 0x50000082u), 1);
	wr(VIRTIO_MMIO_QUEUE_READY, 0);
	assert_int_equal(ready_with(VIRTIO_MMIO_QUEUE_DESC_LOW, 0x50000008u), 0);
	assert_int_equal(ready_with(VIRTIO_MMIO_QUEUE_DESC_LOW, 0x50000010u), 1);
	/* Restarting the partition resets the device and tells the service partition. */
	queue_ready();
	gen = request()->generation;
	assert_int_equal(request()->features, (uint64_t)(F_VERSION_1 | F_ACCESS_PLATFORM) << 32);
	vdisk_reset(partition_get(OS));
	assert_int_equal(request()->generation, gen + 1);
	assert_int_equal(request()->queue_ready, 0);
	assert_int_equal(request()->features, 0u);   /* the next driver accepts afresh */
}

/* A restart leaves nothing of the first life's selections: the next driver's first feature write
 * (no select, as Linux's first) is the low half, so without VERSION_1 in the high half the device
 * refuses FEATURES_OK; the queue it selects and sizes is queue 0, from nothing. */
/* Verifies: REQ-DSK-008 */
static void test_restart_clears_every_selection(void **state)
{
	(void)state;
	queue_ready();
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	wr(VIRTIO_MMIO_QUEUE_SEL, 3);
	partition_load(partition_get(OS));   /* the restart path, as core runs it */
	assert_int_equal(rd(VIRTIO_MMIO_STATUS), 0u);
	uint32_t low = rd(VIRTIO_MMIO_DEVICE_FEATURES);            /* no select: features 0..31 */
	assert_int_equal(low & F_VERSION_1, 0u);
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(rd(VIRTIO_MMIO_DEVICE_FEATURES) & F_VERSION_1, F_VERSION_1);
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	assert_int_equal(rd(VIRTIO_MMIO_DEVICE_FEATURES), low);
	assert_int_equal(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), BH_DISK_QUEUE_MAX);   /* queue 0, not the 3 selected */
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, F_VERSION_1 | F_ACCESS_PLATFORM);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	assert_int_equal(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK, 0u);
}

/* Verifies: REQ-DSK-003 */
static void test_notify_is_posted_and_completion_raises(void **state)
{
	(void)state;
	/* Before DRIVER_OK, a notification is nothing. */
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	assert_false(pair_service_rang());
	queue_ready();
	(void)pair_service_rang();
	assert_int_equal(request()->notify, 0);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	/* Counted and rung; the accesses returned without the service partition doing anything. */
	assert_int_equal(request()->notify, 2);
	assert_true(pair_service_rang());
	/* Another queue's index is no notification. */
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	assert_int_equal(request()->notify, 2);
	/* The service partition rings without completing anything: no interrupt. */
	unsigned before = pair_raised();
	fake.current = cpu_get(1);
	assert_int_equal(channel_ring(cpu_get(1), 0), CORE_OK);
	assert_int_equal(pair_raised(), before);
	assert_int_equal(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	/* It completes: the used-ring bit and one interrupt; the driver acknowledges. */
	response()->completed = 1;
	fake.current = cpu_get(1);
	assert_int_equal(channel_ring(cpu_get(1), 0), CORE_OK);
	assert_int_equal(pair_raised(), before + 1);
	assert_int_equal(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_USED_RING);
	wr(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_INT_USED_RING);
	assert_int_equal(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	/* A ring with nothing newly completed raises nothing. */
	assert_int_equal(channel_ring(cpu_get(1), 0), CORE_OK);
	assert_int_equal(pair_raised(), before + 1);
	assert_int_equal(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	/* Completed again and not acknowledged: the driver's reset clears the interrupt status. */
	response()->completed = 2;
	assert_int_equal(channel_ring(cpu_get(1), 0), CORE_OK);
	assert_int_equal(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_USED_RING);
	wr(VIRTIO_MMIO_STATUS, 0);
	assert_int_equal(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
}

static enum core_status never_rung(struct cpu *self, uint32_t channel, void *context)
{
	(void)self;
	(void)channel;
	(void)context;
	fail_msg("a channel past the table was rung");
	return CORE_OK;
}

/* Channel 1, one past the table, is no channel: however its memory (the fixture's copy of
 * channel 0, with both ends) reads, it cannot be bound, named as an end or rung. */
/* Verifies: REQ-CHN-009 */
static void test_a_channel_past_the_table_is_none(void **state)
{
	(void)state;
	assert_int_equal(cfg_system.n_channels, 1);
	assert_true(channel_has_end(partition_get(SERVICE), 0u));
	assert_false(channel_has_end(partition_get(SERVICE), 1u));
	assert_int_equal(channel_bind_hyp_end(1u, never_rung, NULL), CORE_ERR_INVALID);
	fake.current = cpu_get(1);
	assert_int_equal(channel_ring(cpu_get(1), 1u), CORE_ERR_INVALID);
}

static struct partition os_copy;

static void init_copy(void *arg)
{
	(void)arg;
	vdisk_init(&os_copy);
}

/* A disk whose channel is past the table (an image bhcc did not build) stops the board at the
 * disk's set-up, naming the partition; the last channel of the table is a channel. */
/* Verifies: REQ-DSK-003 */
static void test_disk_without_its_channel_stops_the_board(void **state)
{
	static struct cfg_partition cfg;

	(void)state;
	cfg = *partition_get(OS)->cfg;
	os_copy = *partition_get(OS);
	os_copy.cfg = &cfg;
	fake.console_len = 0;
	fake.console[0] = '\0';
	cfg.disk.channel = (uint8_t)cfg_system.n_channels;
	assert_int_equal(fake_run(init_copy, NULL), FAKE_SYSTEM_OFF);
	assert_non_null(strstr(fake.console, "partition 'os': its disk has no channel"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_identification_and_capacity, setup),
		cmocka_unit_test_setup(test_window_mode_needs_access_platform, setup),
		cmocka_unit_test_setup(test_queue_setup_is_published_and_reset_is_told, setup),
		cmocka_unit_test_setup(test_restart_clears_every_selection, setup),
		cmocka_unit_test_setup(test_notify_is_posted_and_completion_raises, setup),
		cmocka_unit_test_setup(test_disk_without_its_channel_stops_the_board, setup),
		cmocka_unit_test_setup(test_a_channel_past_the_table_is_none, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
