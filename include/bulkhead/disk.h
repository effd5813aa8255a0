/* SPDX-License-Identifier: MIT */
/*
 * The shared disk (docs/disk.md): what the hypervisor, the service partition
 * and the partition runtime agree on. <stdint.h> only.
 *
 * A client partition sees a virtio-mmio block device (virtio 1.2, transport
 * version 2) the hypervisor emulates; the service partition drives the
 * board's real block device and serves each client's virtqueue from a slice
 * of it. Between the hypervisor's device and the service partition sits one
 * disk channel per client (a two-way channel, include/bulkhead/channel.h):
 * end 0 is the hypervisor (the client's device), end 1 the service partition.
 * The ring layout of the channel is not used; two of its pages are:
 *
 *   page 1 (end 0 writes, the service partition reads): struct bh_disk_request
 *   page 3 (the service partition writes, end 0 reads): struct bh_disk_response
 *
 * The hypervisor publishes the client's queue set-up there and counts its
 * queue notifications, then rings the service partition's doorbell; it never
 * waits for an answer. The service partition reads the client's virtqueue
 * (in the client's window, or in its RAM in trusted-service mode), checks
 * every descriptor, updates the used ring and rings the channel's doorbell:
 * the hypervisor then raises the client's virtio interrupt.
 */
#ifndef BULKHEAD_DISK_H
#define BULKHEAD_DISK_H

#include <stdint.h>

#define BH_DISK_CHANNEL_SIZE   (4u * 4096u)
#define BH_DISK_REQUEST_OFF    0x1000u    /* end 0's sending page */
#define BH_DISK_RESPONSE_OFF   0x3000u    /* end 1's sending page */
#define BH_DISK_SECTOR         512u
#define BH_DISK_QUEUE_MAX      128u       /* entries of the client's virtqueue, at most */
#define BH_DISK_CHAIN_MAX      16u        /* descriptors in one request's chain, at most */
#define BH_DISK_MMIO_SIZE      0x1000u    /* the emulated virtio-mmio frame */

/*
 * The client's device as the hypervisor last published it. `generation`
 * changes (release store, written last) each time the fields change: the
 * device was reset or the queue was made ready. A reader copies the fields
 * between two acquire loads of `generation` that agree.
 */
struct bh_disk_request {
	uint32_t generation;
	uint32_t notify;           /* QueueNotify writes, counted (release store, after generation) */
	uint32_t queue_ready;      /* 1: the queue below is in use */
	uint32_t queue_num;        /* its size (a power of two, <= BH_DISK_QUEUE_MAX) */
	uint64_t desc;             /* client guest-physical addresses, as the client wrote them: */
	uint64_t avail;            /* never trusted, every access checked */
	uint64_t used;
	uint64_t features;         /* what the driver accepted (FEATURES_OK) */
};

/* What the service partition tells the hypervisor's device. */
struct bh_disk_response {
	uint32_t completed;        /* used-ring updates published, counted */
	uint32_t refused;          /* requests answered VIRTIO_BLK_S_IOERR by a check, counted */
	uint32_t broken;           /* queue set-ups refused (outside the allowed memory), counted */
};

/* virtio (OASIS virtio 1.2) numbers the three of them use. */
#define VIRTIO_MMIO_MAGIC          0x74726976u   /* "virt" */
#define VIRTIO_ID_BLOCK            2u
#define VIRTIO_BLK_F_SEG_MAX       2u    /* config seg_max: data descriptors per request */
#define VIRTIO_BLK_SEG_MAX_OFF     12u   /* its offset in the configuration space (le32) */
#define VIRTIO_F_VERSION_1         32u
#define VIRTIO_F_ACCESS_PLATFORM   33u
#define VIRTIO_BLK_T_IN            0u
#define VIRTIO_BLK_T_OUT           1u
#define VIRTIO_BLK_T_GET_ID        8u
#define VIRTIO_BLK_S_OK            0u
#define VIRTIO_BLK_S_IOERR         1u
#define VIRTIO_BLK_S_UNSUPP        2u
#define VIRTQ_DESC_F_NEXT          1u
#define VIRTQ_DESC_F_WRITE         2u
#define VIRTQ_DESC_F_INDIRECT      4u

/* virtio-mmio registers (transport version 2). */
#define VIRTIO_MMIO_MAGIC_VALUE        0x000u
#define VIRTIO_MMIO_VERSION            0x004u
#define VIRTIO_MMIO_DEVICE_ID          0x008u
#define VIRTIO_MMIO_VENDOR_ID          0x00cu
#define VIRTIO_MMIO_DEVICE_FEATURES    0x010u
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014u
#define VIRTIO_MMIO_DRIVER_FEATURES    0x020u
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024u
#define VIRTIO_MMIO_QUEUE_SEL          0x030u
#define VIRTIO_MMIO_QUEUE_NUM_MAX      0x034u
#define VIRTIO_MMIO_QUEUE_NUM          0x038u
#define VIRTIO_MMIO_QUEUE_READY        0x044u
#define VIRTIO_MMIO_QUEUE_NOTIFY       0x050u
#define VIRTIO_MMIO_INTERRUPT_STATUS   0x060u
#define VIRTIO_MMIO_INTERRUPT_ACK      0x064u
#define VIRTIO_MMIO_STATUS             0x070u
#define VIRTIO_MMIO_QUEUE_DESC_LOW     0x080u
#define VIRTIO_MMIO_QUEUE_DESC_HIGH    0x084u
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW   0x090u
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH  0x094u
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW   0x0a0u
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH  0x0a4u
#define VIRTIO_MMIO_CONFIG_GENERATION  0x0fcu
#define VIRTIO_MMIO_CONFIG             0x100u

#define VIRTIO_STATUS_ACKNOWLEDGE  1u
#define VIRTIO_STATUS_DRIVER       2u
#define VIRTIO_STATUS_DRIVER_OK    4u
#define VIRTIO_STATUS_FEATURES_OK  8u
#define VIRTIO_STATUS_NEEDS_RESET  64u
#define VIRTIO_STATUS_FAILED       128u

#define VIRTIO_INT_USED_RING       1u

#endif /* BULKHEAD_DISK_H */
