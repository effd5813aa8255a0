/* SPDX-License-Identifier: MIT */
/*
 * The emulated disk (docs/disk.md): a partition that is a disk client sees
 * a virtio-mmio block device (transport version 2) at its disk address. The
 * hypervisor serves every register itself (identification, features, queue
 * set-up, status, interrupt status and acknowledge, the configuration space
 * with the slice's capacity); a queue notification is counted in the disk
 * channel's request page and the service partition's doorbell is rung:
 * the client goes on at once and the hypervisor never waits. The service
 * partition serves the virtqueue and rings the channel back; the hypervisor
 * then raises the client's virtio interrupt.
 */
#ifndef BULKHEAD_VDISK_H
#define BULKHEAD_VDISK_H

#include "status.h"
#include "types.h"

struct partition;

/**
 * Sets up partition `p`'s emulated disk when it is a disk client: registers
 * the frame, binds the hypervisor's end of its disk channel. Once, on the
 * boot cpu, from partitions_init(); an inconsistent table is a panic.
 */
void vdisk_init(struct partition *p);

/** Partition `p` (re)starts: its device is reset, and the service partition is told (a new generation). */
void vdisk_reset(struct partition *p);

#endif /* BULKHEAD_VDISK_H */
