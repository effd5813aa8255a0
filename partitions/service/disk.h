/* SPDX-License-Identifier: MIT */
/*
 * The service partition's disk server (docs/disk.md): each client's
 * virtqueue, read where the client's addresses are mapped here, every
 * descriptor checked before use, each request done on the client's slice
 * of the real disk through a block I/O callback (vblk.c on the board, a
 * memory disk in tests/unit/test_disk_serve.c).
 *
 * Nothing the client writes is trusted: descriptors are copied out once,
 * a chain is at most BH_DISK_CHAIN_MAX long, every index is checked against
 * the queue size (kept here, not read again), every buffer must lie inside
 * one of the client's ranges, and a request that reaches outside the slice
 * is answered VIRTIO_BLK_S_IOERR. A queue set-up outside the client's
 * ranges, or an available index that moved by more than the queue's size,
 * breaks the queue until the client resets its device.
 */
#ifndef SVC_DISK_H
#define SVC_DISK_H

#include <stdbool.h>
#include <stdint.h>
#include <bulkhead/disk.h>
#include "bhrt_virtio.h"

#define SVC_DISK_RANGES 8u        /* client ranges (window, or RAM regions in trusted-service mode) */
#define SVC_DISK_CLIENTS 8u

/** One buffer of a request: @sectors whole sectors at @buf. */
struct svc_disk_seg {
	uint8_t *buf;
	uint32_t sectors;
};

#define SVC_DISK_SEGS (BH_DISK_CHAIN_MAX - 2u)   /* a chain's data descriptors, at most */

/**
 * Block I/O on the real disk: the consecutive sectors from absolute @lba to or from the @n
 * buffers of @segs in turn (one request's data descriptors, so that the disk can move them in
 * one transfer); 0 or -1.
 */
typedef int (*svc_disk_io_t)(void *ctx, bool is_write, uint64_t lba, const struct svc_disk_seg *segs, uint32_t n);

/** Where a range of the client's addresses is in this partition's space. */
struct svc_disk_range {
	uint64_t client;
	uint64_t size;
	uint8_t *local;
};

/** Why a request or a queue was refused (counted, for the log and the tests). */
enum svc_disk_refusal {
	SVC_DISK_OK = 0,
	SVC_DISK_BAD_CHAIN,       /* too long, a loop, an index past the queue, indirect, wrong directions */
	SVC_DISK_BAD_BUFFER,      /* a buffer outside the client's ranges */
	SVC_DISK_OUTSIDE_SLICE,   /* sectors outside the slice */
	SVC_DISK_IO_FAILED,       /* the real disk failed */
};

#define SVC_DISK_REFUSALS 5u      /* enum svc_disk_refusal's values */

struct svc_disk_client {
	uint32_t channel;                       /* its disk channel's id (for the doorbell) */
	const struct bh_disk_request *request;  /* the hypervisor's page, read only */
	struct bh_disk_response *response;
	uint64_t lba;                           /* the slice */
	uint64_t sectors;
	uint32_t n_ranges;
	struct svc_disk_range ranges[SVC_DISK_RANGES];
	/* The queue as last taken from the request page, and where we are in it. */
	uint32_t generation;
	bool ready;
	bool broken;
	uint32_t num;
	volatile struct virtq_desc *desc;
	volatile uint16_t *avail;               /* flags, idx, ring[num] */
	volatile uint16_t *used;                /* flags, idx, */
	volatile uint32_t *used_ring;           /* then ring[num] of { u32 id, u32 len } */
	uint16_t last_avail;
	uint16_t used_idx;
	uint32_t refused[SVC_DISK_REFUSALS];
};

/** The local address of client range [addr, addr + len), or NULL when it is not inside one range. */
uint8_t *svc_disk_map(const struct svc_disk_client *c, uint64_t addr, uint64_t len);

/**
 * Takes a new generation of the request page first, if there is one (the
 * queue set up again or reset), then serves at most the queue's size of
 * available requests. Returns how many
 * were completed (used-ring entries published); the caller rings the
 * channel when it is not zero. `io` does the real disk's part.
 */
uint32_t svc_disk_serve(struct svc_disk_client *c, svc_disk_io_t io, void *io_ctx);

/** True when requests wait that svc_disk_serve did not take yet. */
bool svc_disk_pending(const struct svc_disk_client *c);

#endif /* SVC_DISK_H */
