/* SPDX-License-Identifier: MIT */
/*
 * Disk client test partition (tests/system/test_disk.py, docs/disk.md):
 * drives its virtual disk with the SDK's virtio-blk driver in window mode.
 *   1. A driver that refuses VIRTIO_F_ACCESS_PLATFORM must not get
 *      FEATURES_OK (its buffers could be anywhere).
 *   2. Writes a pattern (from bootargs seed=) over its whole slice, reads it
 *      back and compares every byte.
 *   3. A read of the sector after the slice, and one that starts in the
 *      slice and runs past it, must both end in VIRTIO_BLK_S_IOERR.
 *   4. Forged requests: a read into its own RAM outside the window must end
 *      in VIRTIO_BLK_S_IOERR; a chain that loops and one whose next index is
 *      past the queue must come back unread (length 0, status untouched).
 *   5. With restart=1, its first life then ends in a stage-2 fault (its
 *      fault policy restarts it) and the second does it all again: the
 *      device was reset with the partition, the service partition started
 *      its queue over.
 * Every step prints one line; the host test checks the lines and the disk
 * image afterwards. With bench=N (under -icount, one counter tick per
 * instruction) it then measures N reads of the interrupt status register
 * (served in EL2) and N one-sector reads (notification to completion,
 * every partition's instructions), and prints the medians.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <bulkhead/disk.h>
#include "bhrt.h"
#include "bhrt_virtio_blk.h"

#define TIMEOUT_US 5000000u
#define CHUNK 16u     /* sectors per request */

static uint8_t pattern(uint32_t seed, uint64_t sector, uint32_t i)
{
	return (uint8_t)(seed + (sector * 7u) + i);
}

static int write_slice(struct rt_vblk *d, uint32_t seed)
{
	for (uint64_t s = 0u; s < d->capacity; s += CHUNK) {
		uint32_t n = (d->capacity - s < CHUNK) ? (uint32_t)(d->capacity - s) : CHUNK;

		for (uint32_t k = 0u; k < n; k++)
			for (uint32_t i = 0u; i < BH_DISK_SECTOR; i++)
				d->buffer[(k * BH_DISK_SECTOR) + i] = pattern(seed, s + k, i);
		int st = rt_vblk_io(d, true, s, n, TIMEOUT_US);
		if (st != VIRTIO_BLK_S_OK) {
			printf("disktest: write at %lu failed: %d\n", (unsigned long)s, st);
			return -1;
		}
	}
	return 0;
}

static uint64_t check_slice(struct rt_vblk *d, uint32_t seed)
{
	uint64_t bad = 0u;

	for (uint64_t s = 0u; s < d->capacity; s += CHUNK) {
		uint32_t n = (d->capacity - s < CHUNK) ? (uint32_t)(d->capacity - s) : CHUNK;
		int st = rt_vblk_io(d, false, s, n, TIMEOUT_US);

		if (st != VIRTIO_BLK_S_OK) {
			printf("disktest: read at %lu failed: %d\n", (unsigned long)s, st);
			return UINT64_MAX;
		}
		for (uint32_t k = 0u; k < n; k++)
			for (uint32_t i = 0u; i < BH_DISK_SECTOR; i++)
				bad += d->buffer[(k * BH_DISK_SECTOR) + i] != pattern(seed, s + k, i);
	}
	return bad;
}

#define BENCH_MAX 1024u

static uint64_t samples[BENCH_MAX];

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a;
	uint64_t y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static uint64_t median(uint32_t n)
{
	qsort(samples, n, sizeof(samples[0]), cmp_u64);
	return samples[n / 2u];
}

/*
 * The measured steps, each its own function so that the measuring plugin
 * (tools/qemu-plugin) can mark it: one register read served in EL2, one
 * ordinary memory read, one one-sector request from notification to
 * completion.
 */
__attribute__((noinline)) void disktest_reg_read(volatile uint32_t *isr)
{
	(void)*isr;
}

__attribute__((noinline)) void disktest_mem_read(volatile uint32_t *mem)
{
	(void)*mem;
}

__attribute__((noinline)) int disktest_sector_read(struct rt_vblk *d, uint64_t lba)
{
	return rt_vblk_io(d, false, lba, 1u, TIMEOUT_US);
}

__attribute__((noinline)) void disktest_bench_end(void)
{
	printf("disktest: bench: done\n");
}

/* Counter ticks per trapped register read, per ordinary memory read, per one-sector request. */
static void bench(struct rt_vblk *d, uint32_t n)
{
	volatile uint32_t *isr = &d->regs[VIRTIO_MMIO_INTERRUPT_STATUS / 4u];
	volatile uint32_t *mem = (volatile uint32_t *)(void *)d->buffer;
	uint64_t t;
	uint64_t reg, plain;

	if (n > BENCH_MAX)
		n = BENCH_MAX;
	for (uint32_t i = 0u; i < n; i++) {
		t = rt_counter();
		disktest_reg_read(isr);
		samples[i] = rt_counter() - t;
	}
	reg = median(n);
	for (uint32_t i = 0u; i < n; i++) {
		t = rt_counter();
		disktest_mem_read(mem);
		samples[i] = rt_counter() - t;
	}
	plain = median(n);
	for (uint32_t i = 0u; i < n; i++) {
		t = rt_counter();
		(void)disktest_sector_read(d, i % d->capacity);
		samples[i] = rt_counter() - t;
	}
	printf("disktest: bench: %u samples: register read %lu ticks (memory read %lu), one-sector read %lu ticks\n",
	       (unsigned)n, (unsigned long)reg, (unsigned long)plain, (unsigned long)median(n));
	disktest_bench_end();
}

/* Step 4: requests that reach outside the window or whose chain cannot be followed. */
static void forged(struct rt_vblk *d)
{
	static uint8_t own[BH_DISK_SECTOR];   /* in its RAM: the service partition cannot reach it */
	uint64_t hdr = rt_vblk_header_address(d);
	uint64_t status = rt_vblk_status_address(d);
	struct virtio_blk_req_hdr *h = rt_blk_hdr_at(rt_bytes_at(hdr));
	struct virtq_desc chain[3] = {
		{ hdr, 16u, VIRTQ_DESC_F_NEXT, 1u },
		{ rt_addr_of(own), BH_DISK_SECTOR, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2u },
		{ status, 1u, VIRTQ_DESC_F_WRITE, 0u },
	};
	uint8_t st = 0u;
	int outside, loop, past;
	bool loop_unread, past_unread;

	h->type = VIRTIO_BLK_T_IN;
	h->reserved = 0u;
	h->sector = 0u;
	outside = rt_vblk_submit(d, chain, 3u, TIMEOUT_US, &st);
	outside = (outside == 1) && (st == VIRTIO_BLK_S_IOERR);
	chain[1].addr = rt_addr_of(d->buffer);
	chain[1].next = 1u;                 /* data -> itself */
	loop = rt_vblk_submit(d, chain, 3u, TIMEOUT_US, &st);
	loop_unread = (loop == 0) && (st == 0xffu);
	chain[1].next = 200u;               /* past the queue */
	past = rt_vblk_submit(d, chain, 3u, TIMEOUT_US, &st);
	past_unread = (past == 0) && (st == 0xffu);
	printf("disktest: forged: outside the window %s, a loop %s, an index past the queue %s\n",
	       outside ? "I/O error" : "not refused", loop_unread ? "returned unread" : "not refused",
	       past_unread ? "returned unread" : "not refused");
	/* The device still works after them. */
	printf("disktest: after the forged requests: read %s\n",
	       rt_vblk_io(d, false, 0u, 1u, TIMEOUT_US) == VIRTIO_BLK_S_OK ? "ok" : "failed");
}

int main(void)
{
	struct rt_vblk d;
	uint32_t seed = (uint32_t)rt_bootarg("seed", 1u);
	int r = rt_vblk_open(&d, 1u);   /* VIRTIO_F_VERSION_1 only */

	printf("disktest: without ACCESS_PLATFORM: %s\n", r == -2 ? "FEATURES_OK refused" : "FEATURES_OK accepted");
	r = rt_vblk_open(&d, UINT32_MAX);
	if (r != 0) {
		printf("disktest: no disk (%d)\n", r);
		return 1;
	}
	printf("disktest: capacity %lu sectors, buffer %u sectors\n", (unsigned long)d.capacity,
	       (unsigned)d.buffer_sectors);
	if (write_slice(&d, seed) != 0)
		return 1;
	uint64_t bad = check_slice(&d, seed);
	printf("disktest: pattern read back: %lu sectors, %lu bytes differ\n", (unsigned long)d.capacity,
	       (unsigned long)bad);
	int past = rt_vblk_io(&d, false, d.capacity, 1u, TIMEOUT_US);
	int across = rt_vblk_io(&d, true, d.capacity - 1u, 2u, TIMEOUT_US);
	printf("disktest: past the slice: read %s, write across the end %s\n",
	       past == VIRTIO_BLK_S_IOERR ? "I/O error" : "not refused",
	       across == VIRTIO_BLK_S_IOERR ? "I/O error" : "not refused");
	forged(&d);
	if (rt_bootarg("bench", 0u) != 0u)
		bench(&d, (uint32_t)rt_bootarg("bench", 0u));
	if ((rt_bootarg("restart", 0u) != 0u) && (rt_partition_info().restarts == 0u)) {
		printf("disktest: life 1 done: a fault now, to be restarted\n");
		*(volatile uint32_t *)(uintptr_t)0x70000000u = 1u;   /* in its stage-1 map, in no region of its own */
	}
	printf("disktest: done (restart %u)\n", (unsigned)rt_partition_info().restarts);
	return 0;
}
