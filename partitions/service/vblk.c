/* SPDX-License-Identifier: MIT */
/*
 * The board's disk: a virtio-blk device on virtio-mmio (transport version 2,
 * split virtqueue), driven polled, one request at a time, through a bounce
 * buffer in this partition's RAM whose host address the device is given
 * (there is no IOMMU: the device sees host-physical addresses, which the
 * guest device tree tells, bulkhead,host-address of the memory node).
 * A request that does not complete within VBLK_TIMEOUT_US fails; the device
 * is then reset and set up again before the next one. While it waits the
 * core naps in WFI for VBLK_NAP_US at a time rather than spinning: the
 * emulator (QEMU under -icount) then gets to complete the request, and a
 * board's core rests.
 */
#include <string.h>
#include <bulkhead/disk.h>
#include "bhrt.h"
#include "board.h"
#include "vblk.h"

#define TRANSPORT_SIZE 0x200u
#define VBLK_TIMEOUT_US 2000000u
#define VBLK_NAP_US 20u            /* a wait for the device: WFI until the virtual timer, then look again */
#define HEX_DIGITS 16u

static struct vblk_dma dma;
static volatile uint32_t *regs;
static uint64_t ram_ipa;           /* this partition's RAM, as it sees it */
static uint64_t ram_pa;            /* ... and where it is in host memory */
static uint64_t capacity;
static bool working;

static uint32_t vblk_rd(uint32_t off)
{
	return regs[off / 4u];
}

static void vblk_wr(uint32_t off, uint32_t v)
{
	regs[off / 4u] = v;
}

static uint64_t host_address(const volatile void *p)
{
	return (rt_addr_of(p) - ram_ipa) + ram_pa;
}

/* "memory@<hex>" of the memory node holding our RAM, without printf. */
static void memory_node(char *name, uint64_t addr)
{
	static const char digits[] = "0123456789abcdef";
	char hex[HEX_DIGITS];
	uint32_t n = 0u;
	uint64_t v = addr;

	do {
		hex[n] = digits[v % 16u];
		n++;
		v /= 16u;
	} while ((v != 0u) && (n < HEX_DIGITS));
	(void)memcpy(name, "memory@", 7u);
	for (uint32_t i = 0u; i < n; i++) {
		name[7u + i] = hex[n - 1u - i];
	}
	name[7u + n] = '\0';
}

/* The memory node holding our RAM says where it is in host memory. */
static bool find_host_address(void)
{
	char node[8u + HEX_DIGITS];

	ram_ipa = rt_ram_base();
	memory_node(node, ram_ipa);
	return rt_fdt_u64s(node, "bulkhead,host-address", &ram_pa, 1u) == 1u;
}

/* The block device among the transports of the passed-through page. */
static bool find_transport(void)
{
	for (uint32_t node = rt_fdt_next_compatible(0u, "virtio,mmio"); node != 0u;
	     node = rt_fdt_next_compatible(node, "virtio,mmio")) {
		uint64_t base = 0u;
		uint64_t size = 0u;

		if (!rt_fdt_node_reg(node, &base, &size)) {
			continue;
		}
		for (uint64_t off = 0u; (off + TRANSPORT_SIZE) <= size; off += TRANSPORT_SIZE) {
			regs = rt_mmio32_at(base + off);
			if ((vblk_rd(VIRTIO_MMIO_MAGIC_VALUE) == VIRTIO_MMIO_MAGIC) && (vblk_rd(VIRTIO_MMIO_VERSION) == 2u) &&
			    (vblk_rd(VIRTIO_MMIO_DEVICE_ID) == VIRTIO_ID_BLOCK)) {
				return true;
			}
		}
	}
	regs = NULL;
	return false;
}

static void vblk_queue_addr(uint32_t low, uint64_t a)
{
	vblk_wr(low, (uint32_t)a);
	vblk_wr(low + 4u, (uint32_t)(a >> 32u));
}

static bool setup(void)
{
	uint32_t s = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;

	vblk_wr(VIRTIO_MMIO_STATUS, 0u);
	vblk_wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	vblk_wr(VIRTIO_MMIO_STATUS, s);
	vblk_wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1u);
	if ((vblk_rd(VIRTIO_MMIO_DEVICE_FEATURES) & 1u) == 0u) {
		return false;   /* no VIRTIO_F_VERSION_1 */
	}
	vblk_wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0u);
	vblk_wr(VIRTIO_MMIO_DRIVER_FEATURES, 0u);
	vblk_wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1u);
	vblk_wr(VIRTIO_MMIO_DRIVER_FEATURES, 1u);
	s |= VIRTIO_STATUS_FEATURES_OK;
	vblk_wr(VIRTIO_MMIO_STATUS, s);
	if ((vblk_rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK) == 0u) {
		return false;
	}
	vblk_wr(VIRTIO_MMIO_QUEUE_SEL, 0u);
	if (vblk_rd(VIRTIO_MMIO_QUEUE_NUM_MAX) < VBLK_QUEUE) {
		return false;
	}
	(void)memset(&dma, 0, sizeof(dma));
	vblk_wr(VIRTIO_MMIO_QUEUE_NUM, VBLK_QUEUE);
	vblk_queue_addr(VIRTIO_MMIO_QUEUE_DESC_LOW, host_address(dma.desc));
	vblk_queue_addr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, host_address(dma.avail));
	vblk_queue_addr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, host_address(dma.used));
	vblk_wr(VIRTIO_MMIO_QUEUE_READY, 1u);
	vblk_wr(VIRTIO_MMIO_STATUS, s | VIRTIO_STATUS_DRIVER_OK);
	capacity = ((uint64_t)vblk_rd(VIRTIO_MMIO_CONFIG + 4u) << 32u) | (uint64_t)vblk_rd(VIRTIO_MMIO_CONFIG);
	return true;
}

int vblk_init(void)
{
	if (!find_host_address() || !find_transport()) {
		return -1;
	}
	working = setup();
	return working ? 0 : -1;
}

uint64_t vblk_capacity(void)
{
	return working ? capacity : 0u;
}

/* A bounded sleep (board.h): the device's completion or VBLK_NAP_US, whichever comes first. */
static void nap(void)
{
	svc_board_sleep(VBLK_NAP_US, NULL);
}

/* One request of at most VBLK_BOUNCE bytes, polled. */
/* Implements: REQ-DSK-006 */
static int request(bool is_write, uint64_t lba, uint32_t bytes)
{
	uint16_t idx = dma.avail[1];
	uint16_t seen = __atomic_load_n(&dma.used[1], __ATOMIC_ACQUIRE);
	uint64_t timeout = (rt_counter_hz() * VBLK_TIMEOUT_US) / 1000000u;
	uint64_t deadline = rt_counter() + timeout;
	uint16_t data_flags = VIRTQ_DESC_F_NEXT;

	dma.hdr.type = VIRTIO_BLK_T_OUT;
	if (!is_write) {
		data_flags |= VIRTQ_DESC_F_WRITE;
		dma.hdr.type = VIRTIO_BLK_T_IN;
	}
	dma.hdr.reserved = 0u;
	dma.hdr.sector = lba;
	dma.status = 0xffu;
	dma.desc[0] = (struct virtq_desc){ host_address(&dma.hdr), (uint32_t)sizeof(dma.hdr), VIRTQ_DESC_F_NEXT, 1u };
	dma.desc[1] = (struct virtq_desc){ host_address(dma.bounce), bytes, data_flags, 2u };
	dma.desc[2] = (struct virtq_desc){ host_address(&dma.status), 1u, VIRTQ_DESC_F_WRITE, 0u };
	dma.avail[2u + (idx % VBLK_QUEUE)] = 0u;
	__atomic_store_n(&dma.avail[1], (uint16_t)(idx + 1u), __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	vblk_wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0u);
	while (__atomic_load_n(&dma.used[1], __ATOMIC_ACQUIRE) == seen) {
		if (rt_counter() > deadline) {
			working = setup();
			return -1;
		}
		nap();
	}
	vblk_wr(VIRTIO_MMIO_INTERRUPT_ACK, vblk_rd(VIRTIO_MMIO_INTERRUPT_STATUS));
	return (__atomic_load_n(&dma.status, __ATOMIC_ACQUIRE) == VIRTIO_BLK_S_OK) ? 0 : -1;
}

/* Where the segments stand: segment `seg`, `off` bytes into it. */
struct seg_cursor {
	uint32_t seg;
	uint32_t off;
};

/* Copies up to `bytes` between the bounce buffer and the segments from `at` on; returns how many. */
/* Implements: REQ-DSK-006 */
static uint32_t bounce_copy(bool to_bounce, const struct svc_disk_seg *segs, uint32_t n, struct seg_cursor *at,
			    uint32_t bytes)
{
	uint32_t done = 0u;

	while ((done < bytes) && (at->seg < n)) {
		uint32_t left = (segs[at->seg].sectors * BH_DISK_SECTOR) - at->off;
		uint32_t want = bytes - done;
		uint32_t k = (want < left) ? want : left;

		if (to_bounce) {
			(void)memcpy(&dma.bounce[done], &segs[at->seg].buf[at->off], k);
		} else {
			(void)memcpy(&segs[at->seg].buf[at->off], &dma.bounce[done], k);
		}
		done += k;
		at->off += k;
		if (at->off == (segs[at->seg].sectors * BH_DISK_SECTOR)) {
			at->seg++;
			at->off = 0u;
		}
	}
	return done;
}

/* Implements: REQ-DSK-006 */
int vblk_io(void *ctx, bool is_write, uint64_t lba, const struct svc_disk_seg *segs, uint32_t n)
{
	uint64_t sectors = 0u;
	uint64_t done = 0u;
	struct seg_cursor in = { 0u, 0u };
	struct seg_cursor out = { 0u, 0u };

	(void)ctx;
	for (uint32_t i = 0u; i < n; i++) {
		sectors += segs[i].sectors;
	}
	if (!working || (lba > capacity) || (sectors > (capacity - lba))) {
		return -1;
	}
	/* The client's buffers are copied here and back: the device never sees the client's memory. */
	while (done < sectors) {
		uint64_t k = sectors - done;
		uint32_t bytes;

		if (k > (VBLK_BOUNCE / BH_DISK_SECTOR)) {
			k = VBLK_BOUNCE / BH_DISK_SECTOR;
		}
		bytes = (uint32_t)k * BH_DISK_SECTOR;
		if (is_write) {
			(void)bounce_copy(true, segs, n, &in, bytes);
		}
		if (request(is_write, lba + done, bytes) != 0) {
			return -1;
		}
		if (!is_write) {
			(void)bounce_copy(false, segs, n, &out, bytes);
		}
		done += k;
	}
	return 0;
}
