/* SPDX-License-Identifier: MIT */
/*
 * The SDK's virtio-blk driver (bhrt_virtio_blk.h). The window holds, from
 * its start: the descriptor table, the available ring, the used ring (at
 * 2 KiB), the request header and status (at 3 KiB), then the data buffer
 * from 4 KiB to the window's end.
 */
#include <string.h>
#include <bulkhead/disk.h>
#include "bhrt.h"
#include "bhrt_virtio_blk.h"

#define QUEUE 8u
#define USED_OFF 2048u
#define HDR_OFF 3072u
#define STATUS_OFF 3200u
#define DATA_OFF 4096u

static uint32_t rd(const struct rt_vblk *d, uint32_t off)
{
	return d->regs[off / 4u];
}

static void wr(const struct rt_vblk *d, uint32_t off, uint32_t v)
{
	d->regs[off / 4u] = v;
}

static uint64_t be64(const uint8_t *v)
{
	uint64_t x = 0u;

	for (uint32_t i = 0u; i < 8u; i++) {
		x = (x << 8) | v[i];
	}
	return x;
}

static bool find(struct rt_vblk *d)
{
	uint32_t node = rt_fdt_next_compatible(0u, "virtio,mmio");
	uint64_t base = 0u, size = 0u;
	uint32_t len = 0u;
	const uint8_t *w = (node != 0u) ? rt_fdt_node_property(node, "bulkhead,window", &len) : NULL;

	if ((w == NULL) || (len != 16u) || !rt_fdt_node_reg(node, &base, &size)) {
		return false;
	}
	d->regs = (volatile uint32_t *)(uintptr_t)base;
	d->window = (uint8_t *)(uintptr_t)be64(w);
	d->window_size = be64(&w[8]);
	return d->window_size > DATA_OFF;
}

static void set_addr(const struct rt_vblk *d, uint32_t low, uint64_t a)
{
	wr(d, low, (uint32_t)a);
	wr(d, low + 4u, (uint32_t)(a >> 32));
}

int rt_vblk_open(struct rt_vblk *d, uint32_t features_high)
{
	uint32_t s = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;

	(void)memset(d, 0, sizeof(*d));
	if (!find(d) || (rd(d, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC) || (rd(d, VIRTIO_MMIO_VERSION) != 2u) ||
	    (rd(d, VIRTIO_MMIO_DEVICE_ID) != VIRTIO_ID_BLOCK)) {
		return -1;
	}
	wr(d, VIRTIO_MMIO_STATUS, 0u);
	wr(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(d, VIRTIO_MMIO_STATUS, s);
	wr(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1u);
	uint32_t high = rd(d, VIRTIO_MMIO_DEVICE_FEATURES) & features_high;
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0u);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES, 0u);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1u);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES, high);
	s |= VIRTIO_STATUS_FEATURES_OK;
	wr(d, VIRTIO_MMIO_STATUS, s);
	if ((rd(d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK) == 0u) {
		wr(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_FAILED);
		return -2;
	}
	(void)memset(d->window, 0, DATA_OFF);
	wr(d, VIRTIO_MMIO_QUEUE_SEL, 0u);
	if (rd(d, VIRTIO_MMIO_QUEUE_NUM_MAX) < QUEUE) {
		return -1;
	}
	wr(d, VIRTIO_MMIO_QUEUE_NUM, QUEUE);
	set_addr(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint64_t)(uintptr_t)d->window);
	set_addr(d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint64_t)(uintptr_t)d->window + (QUEUE * 16u));
	set_addr(d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint64_t)(uintptr_t)d->window + USED_OFF);
	wr(d, VIRTIO_MMIO_QUEUE_READY, 1u);
	wr(d, VIRTIO_MMIO_STATUS, s | VIRTIO_STATUS_DRIVER_OK);
	d->capacity = (uint64_t)rd(d, VIRTIO_MMIO_CONFIG) | ((uint64_t)rd(d, VIRTIO_MMIO_CONFIG + 4u) << 32);
	d->buffer = d->window + DATA_OFF;
	d->buffer_sectors = (uint32_t)((d->window_size - DATA_OFF) / BH_DISK_SECTOR);
	return 0;
}

int rt_vblk_io(struct rt_vblk *d, bool write, uint64_t lba, uint32_t sectors, uint64_t timeout_us)
{
	struct virtq_desc *desc = (struct virtq_desc *)(void *)d->window;
	volatile uint16_t *avail = (volatile uint16_t *)(void *)(d->window + (QUEUE * 16u));
	volatile uint16_t *used = (volatile uint16_t *)(void *)(d->window + USED_OFF);
	struct virtio_blk_req_hdr *hdr = (struct virtio_blk_req_hdr *)(void *)(d->window + HDR_OFF);
	volatile uint8_t *status = d->window + STATUS_OFF;
	uint64_t deadline = rt_counter() + ((rt_counter_hz() * timeout_us) / 1000000u);

	if ((sectors == 0u) || (sectors > d->buffer_sectors)) {
		return RT_VBLK_TOO_BIG;
	}
	*hdr = (struct virtio_blk_req_hdr){ write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, 0u, lba };
	*status = 0xffu;
	desc[0] = (struct virtq_desc){ (uint64_t)(uintptr_t)hdr, sizeof(*hdr), VIRTQ_DESC_F_NEXT, 1u };
	desc[1] = (struct virtq_desc){ (uint64_t)(uintptr_t)d->buffer, sectors * BH_DISK_SECTOR,
				       (uint16_t)(VIRTQ_DESC_F_NEXT | (write ? 0u : VIRTQ_DESC_F_WRITE)), 2u };
	desc[2] = (struct virtq_desc){ (uint64_t)(uintptr_t)status, 1u, VIRTQ_DESC_F_WRITE, 0u };
	avail[2u + (d->avail_idx % QUEUE)] = 0u;
	d->avail_idx++;
	__atomic_store_n(&avail[1], d->avail_idx, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wr(d, VIRTIO_MMIO_QUEUE_NOTIFY, 0u);
	while (__atomic_load_n(&used[1], __ATOMIC_ACQUIRE) == d->used_seen) {
		if (rt_counter() > deadline) {
			return RT_VBLK_TIMEOUT;
		}
	}
	d->used_seen++;
	wr(d, VIRTIO_MMIO_INTERRUPT_ACK, rd(d, VIRTIO_MMIO_INTERRUPT_STATUS));
	return *status;
}
