/* SPDX-License-Identifier: MIT */
/* The board's disk, a virtio-blk device the service partition drives (vblk.c). */
#ifndef SVC_VBLK_H
#define SVC_VBLK_H

#include <stdbool.h>
#include <stdint.h>

/** Finds the device among the passed-through virtio-mmio transports and sets it up: 0, or -1. */
int vblk_init(void);

/** Its size in 512-byte sectors (0 when it does not work). */
uint64_t vblk_capacity(void);

/** Block I/O (svc_disk_io_t): @sectors sectors at @lba, through the bounce buffer; 0, or -1. */
int vblk_io(void *ctx, bool write, uint64_t lba, void *buf, uint32_t sectors);

#endif /* SVC_VBLK_H */
