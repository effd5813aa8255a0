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
#include "bhrt_virtio.h"
#include "bhrt_virtio_blk.h"

#define QUEUE 8u
#define AVAIL_OFF 128u       /* after QUEUE descriptors */
#define USED_OFF 2048u
#define HDR_OFF 3072u
#define STATUS_OFF 3200u
#define DATA_OFF 4096u

static uint32_t vblk_reg(const struct rt_vblk *d, uint32_t off)
{
	return d->regs[off / 4u];
}

static void vblk_set(const struct rt_vblk *d, uint32_t off, uint32_t v)
{
	d->regs[off / 4u] = v;
}

static bool find_device(struct rt_vblk *d)
{
	uint32_t node = rt_fdt_next_compatible(0u, "virtio,mmio");
	uint64_t base = 0u;
	uint64_t size = 0u;
	uint64_t w[2] = { 0u, 0u };

	if ((node == 0u) || (rt_fdt_node_u64s(node, "bulkhead,window", w, 2u) != 2u) || !rt_fdt_node_reg(node, &base, &size)) {
		return false;
	}
	d->regs = rt_mmio32_at(base);
	d->window = rt_bytes_at(w[0]);
	d->window_size = w[1];
	return d->window_size > DATA_OFF;
}

static void queue_addr(const struct rt_vblk *d, uint32_t low, uint64_t a)
{
	vblk_set(d, low, (uint32_t)a);
	vblk_set(d, low + 4u, (uint32_t)(a >> 32u));
}

int rt_vblk_open(struct rt_vblk *d, uint32_t features_high)
{
	uint32_t s = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;

	(void)memset(d, 0, sizeof(*d));
	if (!find_device(d) || (vblk_reg(d, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC) || (vblk_reg(d, VIRTIO_MMIO_VERSION) != 2u) ||
	    (vblk_reg(d, VIRTIO_MMIO_DEVICE_ID) != VIRTIO_ID_BLOCK)) {
		return -1;
	}
	vblk_set(d, VIRTIO_MMIO_STATUS, 0u);
	vblk_set(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	vblk_set(d, VIRTIO_MMIO_STATUS, s);
	vblk_set(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1u);
	uint32_t high = vblk_reg(d, VIRTIO_MMIO_DEVICE_FEATURES) & features_high;
	vblk_set(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0u);
	vblk_set(d, VIRTIO_MMIO_DRIVER_FEATURES, 0u);
	vblk_set(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1u);
	vblk_set(d, VIRTIO_MMIO_DRIVER_FEATURES, high);
	s |= VIRTIO_STATUS_FEATURES_OK;
	vblk_set(d, VIRTIO_MMIO_STATUS, s);
	if ((vblk_reg(d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK) == 0u) {
		vblk_set(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_FAILED);
		return -2;
	}
	(void)memset(d->window, 0, DATA_OFF);
	vblk_set(d, VIRTIO_MMIO_QUEUE_SEL, 0u);
	if (vblk_reg(d, VIRTIO_MMIO_QUEUE_NUM_MAX) < QUEUE) {
		return -1;
	}
	vblk_set(d, VIRTIO_MMIO_QUEUE_NUM, QUEUE);
	queue_addr(d, VIRTIO_MMIO_QUEUE_DESC_LOW, rt_addr_of(d->window));
	queue_addr(d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, rt_addr_of(&d->window[AVAIL_OFF]));
	queue_addr(d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, rt_addr_of(&d->window[USED_OFF]));
	vblk_set(d, VIRTIO_MMIO_QUEUE_READY, 1u);
	vblk_set(d, VIRTIO_MMIO_STATUS, s | VIRTIO_STATUS_DRIVER_OK);
	d->capacity = ((uint64_t)vblk_reg(d, VIRTIO_MMIO_CONFIG + 4u) << 32u) | (uint64_t)vblk_reg(d, VIRTIO_MMIO_CONFIG);
	d->buffer = &d->window[DATA_OFF];
	d->buffer_sectors = (uint32_t)((d->window_size - DATA_OFF) / BH_DISK_SECTOR);
	return 0;
}

/* Makes head 0 available, notifies and waits for the used ring; the used entry's length. */
static int kick_and_wait(struct rt_vblk *d, uint64_t timeout_us)
{
	volatile uint16_t *avail = rt_virtq_u16_at(&d->window[AVAIL_OFF]);
	volatile uint16_t *used = rt_virtq_u16_at(&d->window[USED_OFF]);
	volatile uint32_t *used_ring = rt_virtq_u32_at(&d->window[USED_OFF + 4u]);
	uint64_t timeout = (rt_counter_hz() * timeout_us) / 1000000u;
	uint64_t deadline = rt_counter() + timeout;
	uint32_t slot = 2u * (d->used_seen % QUEUE);

	avail[2u + (d->avail_idx % QUEUE)] = 0u;
	d->avail_idx++;
	__atomic_store_n(&avail[1], d->avail_idx, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	vblk_set(d, VIRTIO_MMIO_QUEUE_NOTIFY, 0u);
	while (__atomic_load_n(&used[1], __ATOMIC_ACQUIRE) == d->used_seen) {
		if (rt_counter() > deadline) {
			return RT_VBLK_TIMEOUT;
		}
	}
	d->used_seen++;
	vblk_set(d, VIRTIO_MMIO_INTERRUPT_ACK, vblk_reg(d, VIRTIO_MMIO_INTERRUPT_STATUS));
	return (int)used_ring[slot + 1u];
}

uint64_t rt_vblk_status_address(const struct rt_vblk *d)
{
	return rt_addr_of(&d->window[STATUS_OFF]);
}

uint64_t rt_vblk_header_address(const struct rt_vblk *d)
{
	return rt_addr_of(&d->window[HDR_OFF]);
}

int rt_vblk_submit(struct rt_vblk *d, const struct virtq_desc *chain, uint32_t n, uint64_t timeout_us, uint8_t *status)
{
	volatile uint8_t *st = &d->window[STATUS_OFF];
	volatile struct virtq_desc *desc = rt_virtq_desc_at(d->window);
	int len;

	if ((n == 0u) || (n > QUEUE)) {
		return RT_VBLK_TOO_BIG;
	}
	*st = 0xffu;
	for (uint32_t i = 0u; i < n; i++) {
		desc[i] = chain[i];
	}
	len = kick_and_wait(d, timeout_us);
	if (status != NULL) {
		*status = *st;
	}
	return len;
}

int rt_vblk_io(struct rt_vblk *d, bool is_write, uint64_t lba, uint32_t sectors, uint64_t timeout_us)
{
	volatile struct virtq_desc *desc = rt_virtq_desc_at(d->window);
	struct virtio_blk_req_hdr *hdr = rt_blk_hdr_at(&d->window[HDR_OFF]);
	volatile uint8_t *status = &d->window[STATUS_OFF];
	uint16_t data_flags = VIRTQ_DESC_F_NEXT;

	if ((sectors == 0u) || (sectors > d->buffer_sectors)) {
		return RT_VBLK_TOO_BIG;
	}
	hdr->type = VIRTIO_BLK_T_OUT;
	if (!is_write) {
		data_flags |= VIRTQ_DESC_F_WRITE;
		hdr->type = VIRTIO_BLK_T_IN;
	}
	hdr->reserved = 0u;
	hdr->sector = lba;
	*status = 0xffu;
	desc[0] = (struct virtq_desc){ rt_addr_of(hdr), (uint32_t)sizeof(*hdr), VIRTQ_DESC_F_NEXT, 1u };
	desc[1] = (struct virtq_desc){ rt_addr_of(d->buffer), sectors * BH_DISK_SECTOR, data_flags, 2u };
	desc[2] = (struct virtq_desc){ rt_addr_of(status), 1u, VIRTQ_DESC_F_WRITE, 0u };
	if (kick_and_wait(d, timeout_us) == RT_VBLK_TIMEOUT) {
		return RT_VBLK_TIMEOUT;
	}
	return (int)*status;
}
