/* SPDX-License-Identifier: MIT */
/*
 * virtio's in-memory structures and typed views of memory for the drivers
 * and servers of partitions (the SDK's virtio-blk driver, the service
 * partition's disk server and its driver of the real device). The views
 * turn an address the caller has checked into a pointer: the runtime is
 * where addresses become pointers (docs/safety/deviations.md, D-11-ADDR).
 */
#ifndef BHRT_VIRTIO_H
#define BHRT_VIRTIO_H

#include <stdint.h>
#include <bulkhead/disk.h>

/** A split virtqueue's descriptor, as in memory (little-endian). */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

/** A block request's header. */
struct virtio_blk_req_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/** The address of `p` (for a device, which is given addresses). */
uint64_t rt_addr_of(const volatile void *p);

/** The bytes at address `addr`. */
uint8_t *rt_bytes_at(uint64_t addr);

/** A 32-bit register at MMIO address `addr`. */
volatile uint32_t *rt_mmio32_at(uint64_t addr);

/** The descriptor table at `p`. */
volatile struct virtq_desc *rt_virtq_desc_at(uint8_t *p);

/** The 16-bit words at `p` (a ring's flags, index and entries; 2-byte aligned). */
volatile uint16_t *rt_virtq_u16_at(uint8_t *p);

/** The 32-bit words at `p` (a used ring's entries; 4-byte aligned). */
volatile uint32_t *rt_virtq_u32_at(uint8_t *p);

/** A block request's header at `p` (8-byte aligned). */
struct virtio_blk_req_hdr *rt_blk_hdr_at(uint8_t *p);

/** A disk channel's request page at `addr` (include/bulkhead/disk.h; the hypervisor writes it, the service partition reads it). */
struct bh_disk_request *rt_disk_request_at(uint64_t addr);

/** A disk channel's response page at `addr`. */
struct bh_disk_response *rt_disk_response_at(uint64_t addr);

#endif /* BHRT_VIRTIO_H */
