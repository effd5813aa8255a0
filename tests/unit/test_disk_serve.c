/* SPDX-License-Identifier: MIT */
/*
 * The service partition's disk server (partitions/service/disk_serve.c) on
 * the host: the test is the client (it writes descriptors and rings into a
 * window allocated at its exact size), the hypervisor (it fills the request
 * page) and the real disk (a memory disk behind the I/O callback).
 *
 * Verifies: REQ-DSK-005
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "disk.h"

#define WIN_BASE 0x50000000u
#define WIN_SIZE 0x4000u
#define NUM 8u
#define DESC_OFF 0x0u
#define AVAIL_OFF 0x100u
#define USED_OFF 0x200u
#define HDR_OFF 0x400u
#define STATUS_OFF 0x500u
#define DATA_OFF 0x1000u
#define DISK_SECTORS 64u
#define SLICE_LBA 8u
#define SLICE_SECTORS 16u

static uint8_t *win;
static uint8_t disk[DISK_SECTORS * BH_DISK_SECTOR];
static uint8_t disk_before[sizeof(disk)];
static struct bh_disk_request req;
static struct bh_disk_response resp;
static struct svc_disk_client cl;
static unsigned io_calls;

static int mem_io(void *ctx, bool write, uint64_t lba, const struct svc_disk_seg *segs, uint32_t n)
{
	(void)ctx;
	io_calls++;
	assert_true(n >= 1 && n <= SVC_DISK_SEGS);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t sectors = segs[i].sectors;
		uint8_t *buf = segs[i].buf;

		/* The server must never ask for a sector outside the slice. */
		assert_true(lba >= SLICE_LBA);
		assert_true(lba + sectors <= SLICE_LBA + SLICE_SECTORS);
		if (write)
			memcpy(&disk[lba * BH_DISK_SECTOR], buf, sectors * BH_DISK_SECTOR);
		else
			memcpy(buf, &disk[lba * BH_DISK_SECTOR], sectors * BH_DISK_SECTOR);
		lba += sectors;
	}
	return 0;
}

static struct virtq_desc *desc(unsigned i)
{
	return (struct virtq_desc *)(void *)(win + DESC_OFF) + i;
}

static uint16_t *avail(void)
{
	return (uint16_t *)(void *)(win + AVAIL_OFF);
}

static uint16_t *used(void)
{
	return (uint16_t *)(void *)(win + USED_OFF);
}

static uint32_t used_len(unsigned i)
{
	uint32_t v;

	memcpy(&v, win + USED_OFF + 4 + 8 * i + 4, 4);
	return v;
}

static uint32_t used_id(unsigned i)
{
	uint32_t v;

	memcpy(&v, win + USED_OFF + 4 + 8 * i, 4);
	return v;
}

static void publish(void)
{
	req.queue_ready = 1;
	req.queue_num = NUM;
	req.desc = WIN_BASE + DESC_OFF;
	req.avail = WIN_BASE + AVAIL_OFF;
	req.used = WIN_BASE + USED_OFF;
	req.generation++;
}

static int setup(void **state)
{
	(void)state;
	win = calloc(1, WIN_SIZE);
	assert_non_null(win);
	for (unsigned i = 0; i < sizeof(disk); i++)
		disk[i] = (uint8_t)(i * 13u + 1u);
	memcpy(disk_before, disk, sizeof(disk));
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	memset(&cl, 0, sizeof(cl));
	cl.request = &req;
	cl.response = &resp;
	cl.lba = SLICE_LBA;
	cl.sectors = SLICE_SECTORS;
	cl.n_ranges = 1;
	cl.ranges[0] = (struct svc_disk_range){ WIN_BASE, WIN_SIZE, win };
	io_calls = 0;
	publish();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(win);
	return 0;
}

/* A three-descriptor request at descriptor 0: header, data (@bytes at @data), status. */
static void request(uint32_t type, uint64_t sector, uint64_t data, uint32_t bytes)
{
	struct virtio_blk_req_hdr h = { type, 0, sector };
	bool in = type == VIRTIO_BLK_T_IN;

	memcpy(win + HDR_OFF, &h, sizeof(h));
	win[STATUS_OFF] = 0xff;
	*desc(0) = (struct virtq_desc){ WIN_BASE + HDR_OFF, sizeof(h), VIRTQ_DESC_F_NEXT, 1 };
	*desc(1) = (struct virtq_desc){ data, bytes, (uint16_t)(VIRTQ_DESC_F_NEXT | (in ? VIRTQ_DESC_F_WRITE : 0)), 2 };
	*desc(2) = (struct virtq_desc){ WIN_BASE + STATUS_OFF, 1, VIRTQ_DESC_F_WRITE, 0 };
}

/* Makes head @head available once more. */
static void offer(uint16_t head)
{
	uint16_t idx = avail()[1];

	avail()[2 + idx % NUM] = head;
	avail()[1] = (uint16_t)(idx + 1);
}

static void assert_disk_unchanged(void)
{
	assert_memory_equal(disk, disk_before, sizeof(disk));
}

/* Verifies: REQ-DSK-005, REQ-DSK-003 */
static void test_scattered_buffers_are_one_transfer(void **state)
{
	(void)state;
	struct virtio_blk_req_hdr h = { VIRTIO_BLK_T_IN, 0, 6 };

	for (unsigned i = 0; i < 2 * BH_DISK_SECTOR; i++)
		disk[(SLICE_LBA + 6) * BH_DISK_SECTOR + i] = (uint8_t)(i / BH_DISK_SECTOR + 1);
	memcpy(win + HDR_OFF, &h, sizeof(h));
	win[STATUS_OFF] = 0xff;
	/* Sector 6 to the higher buffer, sector 7 to the lower: the order of the chain, not of memory. */
	*desc(0) = (struct virtq_desc){ WIN_BASE + HDR_OFF, sizeof(h), VIRTQ_DESC_F_NEXT, 1 };
	*desc(1) = (struct virtq_desc){ WIN_BASE + DATA_OFF + 0x1000, BH_DISK_SECTOR,
				       VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2 };
	*desc(2) = (struct virtq_desc){ WIN_BASE + DATA_OFF, BH_DISK_SECTOR, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 3 };
	*desc(3) = (struct virtq_desc){ WIN_BASE + STATUS_OFF, 1, VIRTQ_DESC_F_WRITE, 0 };
	offer(0);
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 1);
	assert_int_equal(io_calls, 1);
	assert_int_equal(win[STATUS_OFF], VIRTIO_BLK_S_OK);
	assert_int_equal(used_len(0), 2 * BH_DISK_SECTOR + 1);
	assert_int_equal(win[DATA_OFF + 0x1000], 1);
	assert_int_equal(win[DATA_OFF + 0x1000 + BH_DISK_SECTOR - 1], 1);
	assert_int_equal(win[DATA_OFF], 2);
	assert_int_equal(win[DATA_OFF + BH_DISK_SECTOR - 1], 2);
}

/* Verifies: REQ-DSK-005 */
static void test_write_then_read_inside_the_slice(void **state)
{
	(void)state;
	memset(win + DATA_OFF, 0x5a, 2 * BH_DISK_SECTOR);
	request(VIRTIO_BLK_T_OUT, 3, WIN_BASE + DATA_OFF, 2 * BH_DISK_SECTOR);
	offer(0);
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 1);
	assert_int_equal(win[STATUS_OFF], VIRTIO_BLK_S_OK);
	assert_int_equal(used()[1], 1);
	assert_int_equal(used_id(0), 0);
	assert_int_equal(used_len(0), 1);
	assert_int_equal(resp.completed, 1);
	for (unsigned i = 0; i < 2 * BH_DISK_SECTOR; i++)
		assert_int_equal(disk[(SLICE_LBA + 3) * BH_DISK_SECTOR + i], 0x5a);
	/* Nothing before or after the two sectors moved. */
	assert_memory_equal(disk, disk_before, (SLICE_LBA + 3) * BH_DISK_SECTOR);
	assert_memory_equal(&disk[(SLICE_LBA + 5) * BH_DISK_SECTOR], &disk_before[(SLICE_LBA + 5) * BH_DISK_SECTOR],
			    sizeof(disk) - (SLICE_LBA + 5) * BH_DISK_SECTOR);
	memset(win + DATA_OFF, 0, 2 * BH_DISK_SECTOR);
	request(VIRTIO_BLK_T_IN, 3, WIN_BASE + DATA_OFF, 2 * BH_DISK_SECTOR);
	offer(0);
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 1);
	assert_int_equal(win[STATUS_OFF], VIRTIO_BLK_S_OK);
	assert_int_equal(used_len(1), 2 * BH_DISK_SECTOR + 1);
	assert_int_equal(win[DATA_OFF + 700], 0x5a);
	assert_int_equal(resp.refused, 0);
}

static void expect_refused(enum svc_disk_refusal why)
{
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 1);
	assert_int_equal(win[STATUS_OFF], VIRTIO_BLK_S_IOERR);
	assert_int_equal(used_len(used()[1] - 1u), 1);
	assert_int_equal(cl.refused[why], 1);
	assert_int_equal(resp.refused, 1);
	assert_int_equal(io_calls, 0);
	assert_disk_unchanged();
}

/* A chain that cannot be followed has no status byte to write: returned unwritten, length 0. */
static void expect_returned_unwritten(void)
{
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 1);
	assert_int_equal(win[STATUS_OFF], 0xff);
	assert_int_equal(used()[1], 1);
	assert_int_equal(used_len(0), 0);
	assert_int_equal(cl.refused[SVC_DISK_BAD_CHAIN], 1);
	assert_int_equal(io_calls, 0);
	assert_disk_unchanged();
}

/* Verifies: REQ-DSK-005 */
static void test_sector_past_the_slice_is_an_io_error(void **state)
{
	(void)state;
	request(VIRTIO_BLK_T_OUT, SLICE_SECTORS, WIN_BASE + DATA_OFF, BH_DISK_SECTOR);
	offer(0);
	expect_refused(SVC_DISK_OUTSIDE_SLICE);
}

/* Verifies: REQ-DSK-005 */
static void test_request_running_past_the_slice_is_an_io_error(void **state)
{
	(void)state;
	request(VIRTIO_BLK_T_OUT, SLICE_SECTORS - 1, WIN_BASE + DATA_OFF, 2 * BH_DISK_SECTOR);
	offer(0);
	expect_refused(SVC_DISK_OUTSIDE_SLICE);
}

/* Verifies: REQ-DSK-005 */
static void test_huge_sector_does_not_wrap(void **state)
{
	(void)state;
	request(VIRTIO_BLK_T_IN, UINT64_MAX, WIN_BASE + DATA_OFF, BH_DISK_SECTOR);
	offer(0);
	expect_refused(SVC_DISK_OUTSIDE_SLICE);
}

/* Verifies: REQ-DSK-005 */
static void test_buffer_outside_the_window_is_refused(void **state)
{
	(void)state;
	request(VIRTIO_BLK_T_OUT, 0, 0x40000000u, BH_DISK_SECTOR);
	offer(0);
	expect_refused(SVC_DISK_BAD_BUFFER);
}

/* Verifies: REQ-DSK-005 */
static void test_buffer_running_past_the_window_end_is_refused(void **state)
{
	(void)state;
	request(VIRTIO_BLK_T_IN, 0, WIN_BASE + WIN_SIZE - BH_DISK_SECTOR, 2 * BH_DISK_SECTOR);
	offer(0);
	expect_refused(SVC_DISK_BAD_BUFFER);
}

/* Verifies: REQ-DSK-005 */
static void test_buffer_address_wrapping_is_refused(void **state)
{
	(void)state;
	request(VIRTIO_BLK_T_IN, 0, UINT64_MAX - 511u, BH_DISK_SECTOR);
	offer(0);
	expect_refused(SVC_DISK_BAD_BUFFER);
}

/* Verifies: REQ-DSK-005 */
static void test_descriptor_loop_is_bounded(void **state)
{
	(void)state;
	request(VIRTIO_BLK_T_OUT, 0, WIN_BASE + DATA_OFF, BH_DISK_SECTOR);
	desc(1)->next = 1;   /* data -> itself, forever */
	offer(0);
	expect_returned_unwritten();
}

/* Verifies: REQ-DSK-005 */
static void test_next_index_past_the_queue_is_refused(void **state)
{
	(void)state;
	request(VIRTIO_BLK_T_OUT, 0, WIN_BASE + DATA_OFF, BH_DISK_SECTOR);
	desc(1)->next = NUM;
	offer(0);
	expect_returned_unwritten();
}

/* Verifies: REQ-DSK-005 */
static void test_indirect_descriptor_is_refused(void **state)
{
	(void)state;
	request(VIRTIO_BLK_T_OUT, 0, WIN_BASE + DATA_OFF, BH_DISK_SECTOR);
	desc(1)->flags |= VIRTQ_DESC_F_INDIRECT;
	offer(0);
	expect_returned_unwritten();
}

/* Verifies: REQ-DSK-005 */
static void test_read_into_a_device_readable_buffer_is_refused(void **state)
{
	(void)state;
	request(VIRTIO_BLK_T_IN, 0, WIN_BASE + DATA_OFF, BH_DISK_SECTOR);
	desc(1)->flags = VIRTQ_DESC_F_NEXT;   /* the device may not write there */
	offer(0);
	expect_refused(SVC_DISK_BAD_CHAIN);
}

/* Verifies: REQ-DSK-005 */
static void test_status_outside_the_window_gets_no_status(void **state)
{
	(void)state;
	request(VIRTIO_BLK_T_OUT, 0, WIN_BASE + DATA_OFF, BH_DISK_SECTOR);
	desc(2)->addr = 0x40000000u;
	offer(0);
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 1);
	assert_int_equal(win[STATUS_OFF], 0xff);
	assert_int_equal(used_len(0), 0);
	assert_int_equal(cl.refused[SVC_DISK_BAD_BUFFER], 1);
	assert_int_equal(io_calls, 0);
	assert_disk_unchanged();
}

/* Verifies: REQ-DSK-005 */
static void test_head_index_past_the_queue_is_refused(void **state)
{
	(void)state;
	request(VIRTIO_BLK_T_OUT, 0, WIN_BASE + DATA_OFF, BH_DISK_SECTOR);
	offer(0xffff);
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 1);
	assert_int_equal(used_id(0), 0xffff);
	assert_int_equal(used_len(0), 0);
	assert_int_equal(cl.refused[SVC_DISK_BAD_CHAIN], 1);
	assert_disk_unchanged();
}

/* Verifies: REQ-DSK-005 */
static void test_available_index_too_far_ahead_breaks_the_queue(void **state)
{
	(void)state;
	request(VIRTIO_BLK_T_OUT, 0, WIN_BASE + DATA_OFF, BH_DISK_SECTOR);
	avail()[1] = NUM + 1;
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 0);
	assert_int_equal(resp.broken, 1);
	assert_int_equal(used()[1], 0);
	/* Broken until the device is reset (a new generation). */
	avail()[1] = 1;
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 0);
	publish();
	avail()[1] = 0;
	offer(0);
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 1);
	assert_int_equal(win[STATUS_OFF], VIRTIO_BLK_S_OK);
}

/* Verifies: REQ-DSK-005 */
static void test_queue_outside_the_window_is_never_used(void **state)
{
	(void)state;
	request(VIRTIO_BLK_T_OUT, 0, WIN_BASE + DATA_OFF, BH_DISK_SECTOR);
	offer(0);
	req.used = WIN_BASE + WIN_SIZE - 16;   /* the used ring would run past the window */
	req.generation++;
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 0);
	assert_int_equal(resp.broken, 1);
	req.used = WIN_BASE + USED_OFF;
	req.queue_num = 6;                     /* not a power of two */
	req.generation++;
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 0);
	req.queue_num = BH_DISK_QUEUE_MAX * 2; /* more than the device offers */
	req.generation++;
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 0);
	req.queue_num = NUM;
	req.used = WIN_BASE + USED_OFF + 2;    /* not 4-byte aligned */
	req.generation++;
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 0);
	assert_int_equal(resp.broken, 4);
	assert_int_equal(io_calls, 0);
	assert_disk_unchanged();
}

/* A service partition that restarted takes the queue up where its used ring stands. */
/* Verifies: REQ-DSK-005 */
static void test_restarted_server_resumes_at_the_used_index(void **state)
{
	(void)state;
	request(VIRTIO_BLK_T_OUT, 0, WIN_BASE + DATA_OFF, BH_DISK_SECTOR);
	offer(0);
	offer(0);
	used()[1] = 1;                          /* the first was served by the previous life */
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 1);
	assert_int_equal(used()[1], 2);
	assert_int_equal(io_calls, 1);
	/* A used index that would put more than the queue in flight is not followed. */
	used()[1] = 0;
	avail()[1] = NUM + 5;
	req.generation++;
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 0);
	assert_int_equal(resp.broken, 1);
}

/* Verifies: REQ-DSK-005 */
static void test_unknown_request_type_is_unsupported(void **state)
{
	(void)state;
	request(0x55, 0, WIN_BASE + DATA_OFF, BH_DISK_SECTOR);
	offer(0);
	assert_int_equal(svc_disk_serve(&cl, mem_io, NULL), 1);
	assert_int_equal(win[STATUS_OFF], VIRTIO_BLK_S_UNSUPP);
	assert_disk_unchanged();
}

/* Verifies: REQ-DSK-005 */
static void test_map_checks_whole_range(void **state)
{
	(void)state;
	assert_ptr_equal(svc_disk_map(&cl, WIN_BASE, WIN_SIZE), win);
	assert_null(svc_disk_map(&cl, WIN_BASE, WIN_SIZE + 1));
	assert_null(svc_disk_map(&cl, WIN_BASE - 1, 2));
	assert_null(svc_disk_map(&cl, WIN_BASE + 1, UINT64_MAX));
	assert_ptr_equal(svc_disk_map(&cl, WIN_BASE + WIN_SIZE, 0), win + WIN_SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_write_then_read_inside_the_slice),
		T(test_scattered_buffers_are_one_transfer),
		T(test_sector_past_the_slice_is_an_io_error),
		T(test_request_running_past_the_slice_is_an_io_error),
		T(test_huge_sector_does_not_wrap),
		T(test_buffer_outside_the_window_is_refused),
		T(test_buffer_running_past_the_window_end_is_refused),
		T(test_buffer_address_wrapping_is_refused),
		T(test_descriptor_loop_is_bounded),
		T(test_next_index_past_the_queue_is_refused),
		T(test_indirect_descriptor_is_refused),
		T(test_read_into_a_device_readable_buffer_is_refused),
		T(test_status_outside_the_window_gets_no_status),
		T(test_head_index_past_the_queue_is_refused),
		T(test_available_index_too_far_ahead_breaks_the_queue),
		T(test_queue_outside_the_window_is_never_used),
		T(test_restarted_server_resumes_at_the_used_index),
		T(test_unknown_request_type_is_unsupported),
		T(test_map_checks_whole_range),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
