/* SPDX-License-Identifier: MIT */
/* Typed views of memory for virtio drivers and servers (bhrt_virtio.h). */
#include "bhrt_virtio.h"

uint64_t rt_addr_of(const volatile void *p)
{
	return (uint64_t)(uintptr_t)p;
}

uint8_t *rt_bytes_at(uint64_t addr)
{
	return (uint8_t *)(uintptr_t)addr;
}

volatile uint32_t *rt_mmio32_at(uint64_t addr)
{
	return (volatile uint32_t *)(uintptr_t)addr;
}

volatile struct virtq_desc *rt_virtq_desc_at(uint8_t *p)
{
	return (volatile struct virtq_desc *)(uintptr_t)p;
}

volatile uint16_t *rt_virtq_u16_at(uint8_t *p)
{
	return (volatile uint16_t *)(uintptr_t)p;
}

volatile uint32_t *rt_virtq_u32_at(uint8_t *p)
{
	return (volatile uint32_t *)(uintptr_t)p;
}

struct virtio_blk_req_hdr *rt_blk_hdr_at(uint8_t *p)
{
	return (struct virtio_blk_req_hdr *)(uintptr_t)p;
}

struct bh_disk_request *rt_disk_request_at(uint64_t addr)
{
	return (struct bh_disk_request *)(uintptr_t)addr;
}

struct bh_disk_response *rt_disk_response_at(uint64_t addr)
{
	return (struct bh_disk_response *)(uintptr_t)addr;
}
