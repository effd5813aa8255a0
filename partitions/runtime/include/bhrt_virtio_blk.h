/* SPDX-License-Identifier: MIT */
/*
 * A small virtio-blk driver for bare-metal disk clients in window mode
 * (docs/disk.md): the partition's virtio-mmio device (its device tree's
 * `virtio,mmio` node) with its virtqueue, request headers and data buffer
 * all in the window the node names (bulkhead,window), the only memory the
 * service partition can reach. One request at a time, polled with a
 * deadline.
 */
#ifndef BHRT_VIRTIO_BLK_H
#define BHRT_VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>
#include "bhrt_virtio.h"

struct rt_vblk {
	volatile uint32_t *regs;
	uint64_t capacity;            /* sectors */
	uint8_t *window;
	uint64_t window_size;
	uint8_t *buffer;              /* data buffer: in the window, after the queue */
	uint32_t buffer_sectors;
	uint16_t avail_idx;
	uint16_t used_seen;
};

/* rt_vblk_io's results besides VIRTIO_BLK_S_* (0 OK, 1 IOERR, 2 UNSUPP). */
#define RT_VBLK_TIMEOUT (-1)
#define RT_VBLK_TOO_BIG (-2)

/**
 * Finds and sets up the device. `features_high` is what the driver accepts
 * of feature bits 32..63 (pass UINT32_MAX for all that are offered).
 * 0; -1 when there is no device or window; -2 when FEATURES_OK did not stick.
 */
int rt_vblk_open(struct rt_vblk *d, uint32_t features_high);

/**
 * Reads or writes `sectors` sectors at `lba` from or to the data buffer
 * (d->buffer). The device's status (VIRTIO_BLK_S_*), or RT_VBLK_TIMEOUT
 * after `timeout_us`, or RT_VBLK_TOO_BIG.
 */
int rt_vblk_io(struct rt_vblk *d, bool is_write, uint64_t lba, uint32_t sectors, uint64_t timeout_us);

/**
 * Submits the chain `chain[0 .. n)` as written (descriptors 0 .. n-1 of the
 * table, head 0): for tests that forge requests. The used entry's length,
 * or RT_VBLK_TIMEOUT, or RT_VBLK_TOO_BIG (more descriptors than the queue).
 * `status`, when not NULL, gets the byte at the window's status slot after
 * completion (the slot request headers and status use: offset 3200).
 */
int rt_vblk_submit(struct rt_vblk *d, const struct virtq_desc *chain, uint32_t n, uint64_t timeout_us, uint8_t *status);

/** Where rt_vblk_submit's status slot is, as an address the device is given. */
uint64_t rt_vblk_status_address(const struct rt_vblk *d);

/** Where the request header slot is (16 bytes, 8-byte aligned). */
uint64_t rt_vblk_header_address(const struct rt_vblk *d);

#endif /* BHRT_VIRTIO_BLK_H */
