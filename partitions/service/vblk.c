/* SPDX-License-Identifier: MIT */
/*
 * The board's disk: a virtio-blk device on virtio-mmio (transport version 2,
 * split virtqueue), driven polled, one request at a time, through a bounce
 * buffer in this partition's RAM whose host address the device is given
 * (there is no IOMMU: the device sees host-physical addresses, which the
 * guest device tree tells, bulkhead,host-address of the memory node).
 * A request that does not complete within VBLK_TIMEOUT_US fails; the device
 * is then reset and set up again before the next one.
 */
#include <stdio.h>
#include <string.h>
#include <bulkhead/disk.h>
#include "bhrt.h"
#include "vblk.h"

#define TRANSPORTS_PER_PAGE 8u
#define TRANSPORT_SIZE 0x200u
#define QUEUE 8u                   /* entries: one request of three descriptors at a time */
#define BOUNCE 65536u
#define VBLK_TIMEOUT_US 2000000u

extern char __ram_start[];

struct vring {
	struct virtq_desc desc[QUEUE];
	uint16_t avail_flags;
	uint16_t avail_idx;
	uint16_t avail_ring[QUEUE];
	uint8_t pad[4096u - (QUEUE * 16u) - 4u - (2u * QUEUE)];
	uint16_t used_flags;
	volatile uint16_t used_idx;
	struct {
		uint32_t id;
		uint32_t len;
	} used_ring[QUEUE];
};

static struct vring ring __attribute__((aligned(4096)));
static uint8_t bounce[BOUNCE] __attribute__((aligned(4096)));
static struct virtio_blk_req_hdr hdr __attribute__((aligned(16)));
static volatile uint8_t status_byte;

static volatile uint32_t *regs;
static int64_t host_offset;        /* host-physical minus guest-physical, for this partition's RAM */
static uint64_t capacity;
static bool working;

static uint32_t rd(uint32_t off)
{
	return regs[off / 4u];
}

static void wr(uint32_t off, uint32_t v)
{
	regs[off / 4u] = v;
}

static uint64_t host_address(const void *p)
{
	return (uint64_t)((int64_t)(uintptr_t)p + host_offset);
}

/* The memory node holding our RAM says where it is in host memory. */
static bool find_host_offset(void)
{
	char node[40];
	uint32_t len = 0u;
	const uint8_t *v;

	(void)snprintf(node, sizeof(node), "memory@%lx", (unsigned long)(uintptr_t)__ram_start);
	v = rt_fdt_property(node, "bulkhead,host-address", &len);
	if ((v == NULL) || (len != 8u)) {
		return false;
	}
	uint64_t pa = 0u;
	for (uint32_t i = 0u; i < 8u; i++) {
		pa = (pa << 8) | v[i];
	}
	host_offset = (int64_t)(pa - (uint64_t)(uintptr_t)__ram_start);
	return true;
}

/* The block device among the transports of the passed-through page. */
static bool find_transport(void)
{
	for (uint32_t node = rt_fdt_next_compatible(0u, "virtio,mmio"); node != 0u;
	     node = rt_fdt_next_compatible(node, "virtio,mmio")) {
		uint64_t base = 0u, size = 0u;

		if (!rt_fdt_node_reg(node, &base, &size)) {
			continue;
		}
		for (uint64_t off = 0u; (off + TRANSPORT_SIZE) <= size; off += TRANSPORT_SIZE) {
			regs = (volatile uint32_t *)(uintptr_t)(base + off);
			if ((rd(VIRTIO_MMIO_MAGIC_VALUE) == VIRTIO_MMIO_MAGIC) && (rd(VIRTIO_MMIO_VERSION) == 2u) &&
			    (rd(VIRTIO_MMIO_DEVICE_ID) == VIRTIO_ID_BLOCK)) {
				return true;
			}
		}
	}
	regs = NULL;
	return false;
}

static bool setup(void)
{
	uint32_t s = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;

	wr(VIRTIO_MMIO_STATUS, 0u);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(VIRTIO_MMIO_STATUS, s);
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1u);
	if ((rd(VIRTIO_MMIO_DEVICE_FEATURES) & 1u) == 0u) {
		return false;   /* no VIRTIO_F_VERSION_1 */
	}
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0u);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, 0u);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1u);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, 1u);
	s |= VIRTIO_STATUS_FEATURES_OK;
	wr(VIRTIO_MMIO_STATUS, s);
	if ((rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK) == 0u) {
		return false;
	}
	wr(VIRTIO_MMIO_QUEUE_SEL, 0u);
	if (rd(VIRTIO_MMIO_QUEUE_NUM_MAX) < QUEUE) {
		return false;
	}
	(void)memset(&ring, 0, sizeof(ring));
	wr(VIRTIO_MMIO_QUEUE_NUM, QUEUE);
	uint64_t d = host_address(ring.desc), a = host_address(&ring.avail_flags), u = host_address(&ring.used_flags);
	wr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)d);
	wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(d >> 32));
	wr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)a);
	wr(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(a >> 32));
	wr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)u);
	wr(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(u >> 32));
	wr(VIRTIO_MMIO_QUEUE_READY, 1u);
	wr(VIRTIO_MMIO_STATUS, s | VIRTIO_STATUS_DRIVER_OK);
	capacity = (uint64_t)rd(VIRTIO_MMIO_CONFIG) | ((uint64_t)rd(VIRTIO_MMIO_CONFIG + 4u) << 32);
	return true;
}

int vblk_init(void)
{
	if (!find_host_offset() || !find_transport()) {
		return -1;
	}
	working = setup();
	return working ? 0 : -1;
}

uint64_t vblk_capacity(void)
{
	return working ? capacity : 0u;
}

/* One request of at most BOUNCE bytes, polled. */
static int request(bool write, uint64_t lba, uint32_t bytes)
{
	uint16_t idx = ring.avail_idx;
	uint16_t seen = ring.used_idx;
	uint64_t deadline = rt_counter() + ((rt_counter_hz() * VBLK_TIMEOUT_US) / 1000000u);

	hdr.type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN;
	hdr.reserved = 0u;
	hdr.sector = lba;
	status_byte = 0xffu;
	ring.desc[0] = (struct virtq_desc){ host_address(&hdr), sizeof(hdr), VIRTQ_DESC_F_NEXT, 1u };
	ring.desc[1] = (struct virtq_desc){ host_address(bounce), bytes,
					    (uint16_t)(VIRTQ_DESC_F_NEXT | (write ? 0u : VIRTQ_DESC_F_WRITE)), 2u };
	ring.desc[2] = (struct virtq_desc){ host_address((const void *)&status_byte), 1u, VIRTQ_DESC_F_WRITE, 0u };
	ring.avail_ring[idx % QUEUE] = 0u;
	__atomic_store_n(&ring.avail_idx, (uint16_t)(idx + 1u), __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0u);
	while (__atomic_load_n(&ring.used_idx, __ATOMIC_ACQUIRE) == seen) {
		if (rt_counter() > deadline) {
			working = setup();
			return -1;
		}
	}
	wr(VIRTIO_MMIO_INTERRUPT_ACK, rd(VIRTIO_MMIO_INTERRUPT_STATUS));
	return (status_byte == VIRTIO_BLK_S_OK) ? 0 : -1;
}

int vblk_io(void *ctx, bool write, uint64_t lba, void *buf, uint32_t sectors)
{
	uint8_t *p = buf;

	(void)ctx;
	if (!working || (lba > capacity) || (sectors > (capacity - lba))) {
		return -1;
	}
	while (sectors != 0u) {
		uint32_t n = (sectors < (BOUNCE / BH_DISK_SECTOR)) ? sectors : (BOUNCE / BH_DISK_SECTOR);
		uint32_t bytes = n * BH_DISK_SECTOR;

		/* The client's buffer is copied here and back: the device never sees the client's memory. */
		if (write) {
			(void)memcpy(bounce, p, bytes);
		}
		if (request(write, lba, bytes) != 0) {
			return -1;
		}
		if (!write) {
			(void)memcpy(p, bounce, bytes);
		}
		p += bytes;
		lba += n;
		sectors -= n;
	}
	return 0;
}
