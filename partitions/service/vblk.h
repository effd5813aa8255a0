/* SPDX-License-Identifier: MIT */
/* The board's disk, a virtio-blk device the service partition drives (vblk.c). */
#ifndef SVC_VBLK_H
#define SVC_VBLK_H

#include <stdbool.h>
#include <stdint.h>
#include "bhrt_virtio.h"
#include "disk.h"

#define VBLK_QUEUE 8u             /* entries: one request of three descriptors at a time */
#define VBLK_BOUNCE 65536u        /* bytes the device moves per request */

/* What the device reads and writes: one page for the queue, then the bounce buffer, header and status. */
struct vblk_dma {
	struct virtq_desc desc[VBLK_QUEUE];
	uint16_t avail[2u + VBLK_QUEUE];                   /* flags, idx, ring */
	uint8_t pad[4096u - (VBLK_QUEUE * 16u) - (2u * (2u + VBLK_QUEUE))];
	uint16_t used[2u];                                 /* flags, idx */
	uint32_t used_ring[2u * VBLK_QUEUE];               /* { id, len } */
	uint8_t bounce[VBLK_BOUNCE] __attribute__((aligned(4096)));
	struct virtio_blk_req_hdr hdr __attribute__((aligned(16)));
	uint8_t status;
} __attribute__((aligned(4096)));

/** Finds the device among the passed-through virtio-mmio transports and sets it up: 0, or -1. */
int vblk_init(void);

/** Its size in 512-byte sectors (0 when it does not work). */
uint64_t vblk_capacity(void);

/** Block I/O (svc_disk_io_t): the segments' sectors from @lba on, through the bounce buffer, as few
 * device requests as it holds; 0, or -1. */
int vblk_io(void *ctx, bool is_write, uint64_t lba, const struct svc_disk_seg *segs, uint32_t n);

#endif /* SVC_VBLK_H */
