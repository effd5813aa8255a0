/* SPDX-License-Identifier: MIT */
/*
 * The emulated disk (see vdisk.h): the registers of a virtio-mmio block
 * device, transport version 2, served in EL2; the virtqueue is the service
 * partition's business.
 *
 * What the client's driver sets up (features, the queue's size and
 * addresses) is published in the disk channel's request page once it
 * matters: when the queue is made ready, and when the device is reset
 * (status 0, or the partition restarts); each publication bumps the
 * page's generation, written last with release. A queue notification bumps
 * the page's notify count and rings the service partition's doorbell: a
 * handful of stores, no wait. The service partition answers by bumping its
 * completed count and ringing the channel; the hypervisor's end then sets
 * the used-ring bit of the interrupt status and raises the client's
 * virtual interrupt.
 *
 * Window mode: the driver must accept VIRTIO_F_ACCESS_PLATFORM, or its
 * FEATURES_OK does not stick (a driver that ignored the platform's DMA
 * restrictions would place buffers outside the window).
 */
#include "vdisk.h"
#include <generated/autoconf.h>
#include "bulkhead/disk.h"
#include "bhrt_virtio.h"
#include "cfg.h"
#include "channel.h"
#include "cpu.h"
#include "emul.h"
#include "lib.h"
#include "partition.h"
#include "spinlock.h"
#include "virq.h"

#define VENDOR_ID       0x4b4c4842u     /* "BHLK" */
#define CONFIG_BYTES    0x40u           /* struct virtio_blk_config as far as it is served */
#define FEATURE_BIT(n)  ((uint64_t)1u << (n))

struct vdisk {
	struct spinlock lock;
	struct partition *part;            /* whose device it is; NULL: none */
	const struct cfg_channel *channel;
	struct bh_disk_request *request;   /* the channel's page 1, in the EL2 map */
	const struct bh_disk_response *response;
	uint64_t offered;                  /* device features */
	uint64_t accepted;                 /* driver features */
	uint32_t device_features_sel;
	uint32_t driver_features_sel;
	uint32_t queue_sel;
	uint32_t queue_num;
	uint32_t queue_ready;
	uint64_t desc;
	uint64_t avail;
	uint64_t used;
	uint32_t status;
	uint32_t isr;
	uint32_t generation;
	uint32_t notify;
	uint32_t completed_seen;
};

/* What an access did that is done after the lock is dropped. */
struct vdisk_effects {
	bool ring_service;
	bool raise;
};

/* One per partition of the description (bhcc's BH_NUM_PARTITIONS; partitions_init checks it). */
static struct vdisk vdisks[BH_NUM_PARTITIONS];

static enum core_status vdisk_doorbell(struct cpu *self, uint32_t channel, void *context);
static bool vdisk_mmio(struct cpu *cpu, void *context, uint64_t offset, bool write, uint32_t size, uint64_t *value);

/* The set-up, as the service partition reads it: fields first, the generation last. */
/* Implements: REQ-DSK-003 */
static void publish(struct vdisk *d)
{
	struct bh_disk_request *r = d->request;

	r->queue_ready = d->queue_ready;
	r->queue_num = d->queue_num;
	r->desc = d->desc;
	r->avail = d->avail;
	r->used = d->used;
	r->features = d->accepted;
	d->generation++;
	__atomic_store_n(&r->generation, d->generation, __ATOMIC_RELEASE);
}

/* Implements: REQ-DSK-008 */
static void device_reset(struct vdisk *d)
{
	d->accepted = 0u;
	d->device_features_sel = 0u;
	d->driver_features_sel = 0u;
	d->queue_sel = 0u;
	d->queue_num = 0u;
	d->queue_ready = 0u;
	d->desc = 0u;
	d->avail = 0u;
	d->used = 0u;
	d->status = 0u;
	d->isr = 0u;
	publish(d);
}

/* FEATURES_OK sticks only for a subset of what is offered that has VERSION_1 (and, window mode, ACCESS_PLATFORM). */
/* Implements: REQ-DSK-004 */
static bool features_acceptable(const struct vdisk *d)
{
	uint64_t needed = d->offered & (FEATURE_BIT(VIRTIO_F_VERSION_1) | FEATURE_BIT(VIRTIO_F_ACCESS_PLATFORM));

	return ((d->accepted & ~d->offered) == 0u) && ((d->accepted & needed) == needed);
}

/* Implements: REQ-DSK-004 */
static void write_status(struct vdisk *d, uint32_t value)
{
	uint32_t v = value & 0xffu;

	if (v == 0u) {
		device_reset(d);
		return;
	}
	if (((v & VIRTIO_STATUS_FEATURES_OK) != 0u) && ((d->status & VIRTIO_STATUS_FEATURES_OK) == 0u) &&
	    !features_acceptable(d)) {
		v &= ~VIRTIO_STATUS_FEATURES_OK;
	}
	d->status = v;
}

/* The queue is ready only with a power-of-two size the device takes and three aligned addresses. */
/* Implements: REQ-DSK-003 */
static void write_queue_ready(struct vdisk *d, uint32_t value)
{
	uint32_t n = d->queue_num;
	bool ok = (d->queue_sel == 0u) && (n != 0u) && (n <= BH_DISK_QUEUE_MAX) && ((n & (n - 1u)) == 0u) &&
		  ((d->desc & 15u) == 0u) && ((d->avail & 1u) == 0u) && ((d->used & 3u) == 0u);
	uint32_t ready = 0u;

	if (((value & 1u) != 0u) && ok) {
		ready = 1u;
	}

	if (ready != d->queue_ready) {
		d->queue_ready = ready;
		publish(d);
	}
}

/* Implements: REQ-DSK-003 */
static void set_half(uint64_t *field, bool high, uint32_t value)
{
	if (high) {
		*field = (*field & (uint64_t)0xffffffffu) | ((uint64_t)value << 32u);
	} else {
		*field = (*field & ~(uint64_t)0xffffffffu) | (uint64_t)value;
	}
}

/* A queue address register (desc, driver, device; low or high): only while the queue is not ready. */
/* Implements: REQ-DSK-003 */
static void write_queue_addr(struct vdisk *d, uint32_t offset, uint32_t value)
{
	uint64_t *field = (offset < VIRTIO_MMIO_QUEUE_DRIVER_LOW) ? &d->desc
			  : (offset < VIRTIO_MMIO_QUEUE_DEVICE_LOW) ? &d->avail
								    : &d->used;

	if ((d->queue_ready == 0u) && (d->queue_sel == 0u)) {
		set_half(field, (offset & 4u) != 0u, value);
	}
}

/* Implements: REQ-DSK-003 */
static void write_notify(struct vdisk *d, uint32_t value, struct vdisk_effects *fx)
{
	if ((value == 0u) && (d->queue_ready != 0u) && ((d->status & VIRTIO_STATUS_DRIVER_OK) != 0u)) {
		d->notify++;
		__atomic_store_n(&d->request->notify, d->notify, __ATOMIC_RELEASE);
		fx->ring_service = true;
	}
}

/* Implements: REQ-DSK-003, REQ-DSK-007 */
static void vdisk_reg_write(struct vdisk *d, uint32_t offset, uint32_t value, struct vdisk_effects *fx)
{
	switch (offset) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		d->device_features_sel = value;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (((d->status & VIRTIO_STATUS_FEATURES_OK) == 0u) && (d->driver_features_sel < 2u)) {
			set_half(&d->accepted, d->driver_features_sel != 0u, value);
		}
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		d->driver_features_sel = value;
		break;
	case VIRTIO_MMIO_QUEUE_SEL:
		d->queue_sel = value;
		break;
	case VIRTIO_MMIO_QUEUE_NUM:
		if ((d->queue_ready == 0u) && (d->queue_sel == 0u)) {
			d->queue_num = value;
		}
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		write_queue_ready(d, value);
		break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		write_notify(d, value, fx);
		break;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		d->isr &= ~value;
		break;
	case VIRTIO_MMIO_STATUS:
		write_status(d, value);
		break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
		write_queue_addr(d, offset, value);
		break;
	default:
		/* Read-only and reserved registers, the configuration space (nothing writable): ignored. */
		break;
	}
}

/* Implements: REQ-DSK-003 */
static uint32_t vdisk_reg_read(const struct vdisk *d, uint32_t offset)
{
	switch (offset) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION:
		return 2u;
	case VIRTIO_MMIO_DEVICE_ID:
		return VIRTIO_ID_BLOCK;
	case VIRTIO_MMIO_VENDOR_ID:
		return VENDOR_ID;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		return (d->device_features_sel < 2u) ? (uint32_t)(d->offered >> (32u * d->device_features_sel)) : 0u;
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		return (d->queue_sel == 0u) ? BH_DISK_QUEUE_MAX : 0u;
	case VIRTIO_MMIO_QUEUE_READY:
		return (d->queue_sel == 0u) ? d->queue_ready : 0u;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		return d->isr;
	case VIRTIO_MMIO_STATUS:
		return d->status;
	case VIRTIO_MMIO_CONFIG_GENERATION:
		return 0u;   /* the configuration never changes */
	default:
		return 0u;   /* write-only and reserved registers */
	}
}

/* The configuration space: capacity (le64), seg_max (le32 at 12); the rest reads zero. */
/* Implements: REQ-DSK-003 */
static uint64_t config_read(const struct vdisk *d, uint32_t offset, uint32_t size)
{
	uint64_t v = 0u;

	for (uint32_t i = 0u; i < size; i++) {
		uint32_t at = offset + i;
		uint64_t byte = 0u;

		if (at < 8u) {
			byte = (d->part->cfg->disk.sectors >> ((uint64_t)at * 8u)) & 0xffu;
		} else if ((at >= VIRTIO_BLK_SEG_MAX_OFF) && (at < (VIRTIO_BLK_SEG_MAX_OFF + 4u))) {
			uint32_t shift = (at - VIRTIO_BLK_SEG_MAX_OFF) * 8u;

			byte = ((uint64_t)BH_DISK_CHAIN_MAX - 2u) >> shift;
			byte &= 0xffu;
		} else {
			/* Not served: zero. */
		}
		v |= byte << ((uint64_t)i * 8u);
	}
	return v;
}

/* What an access or a doorbell leaves to do once the lock is dropped. */
/* Implements: REQ-DSK-003 */
static void vdisk_apply(struct cpu *self, struct vdisk *d, const struct vdisk_effects *fx)
{
	const struct cfg_channel_end *service = &d->channel->end[1];

	if (fx->ring_service && (service->doorbell != CFG_NO_DOORBELL)) {
		struct partition *peer = partition_get(service->partition);

		/* Not running (stopped, restarting): it finds the notification when it is back. */
		if (peer != NULL) {
			(void)core_vcpu_inject(self, peer, service->vcpu, service->doorbell);
		}
	}
	if (fx->raise) {
		/* From its own vCPU when the trap is its own; else where vCPU 0 runs. */
		uint32_t vcpu = (self->partition == d->part) ? self->vcpu : 0u;
		(void)core_vcpu_inject(self, d->part, vcpu, d->part->cfg->disk.irq);
	}
}

/* Implements: REQ-DSK-003, REQ-DSK-007 */
static bool vdisk_mmio(struct cpu *cpu, void *context, uint64_t offset, bool write, uint32_t size, uint64_t *value)
{
	struct vdisk *d = &vdisks[cpu->partition->id];
	struct vdisk_effects fx = { false, false };
	uint32_t off = (uint32_t)offset;

	UNUSED(context);
	if ((d->part == NULL) || (offset >= BH_DISK_MMIO_SIZE)) {
		return false;
	}
	spin_lock(&d->lock);
	if (off >= VIRTIO_MMIO_CONFIG) {
		if (!write) {
			*value = ((off - VIRTIO_MMIO_CONFIG) < CONFIG_BYTES) ? config_read(d, off - VIRTIO_MMIO_CONFIG, size) : 0u;
		}
	} else if ((size != 4u) || ((off % 4u) != 0u)) {
		/* The transport's registers are 32-bit: another access reads zero and is ignored. */
		if (!write) {
			*value = 0u;
		}
	} else if (write) {
		vdisk_reg_write(d, off, (uint32_t)*value, &fx);
	} else {
		*value = vdisk_reg_read(d, off);
	}
	spin_unlock(&d->lock);
	vdisk_apply(cpu, d, &fx);
	return true;
}

/* Implements: REQ-DSK-003 */
void vdisk_init(struct partition *p)
{
	const struct cfg_partition_disk *cd = &p->cfg->disk;
	struct vdisk *d = &vdisks[p->id];
	const struct cfg_channel *c;

	if (cd->present == 0u) {
		return;
	}
	if (cd->channel >= cfg_system.n_channels) {
		panic("partition '%s': its disk has no channel", p->cfg->name);
	}
	c = &cfg_system.channels[cd->channel];
	if ((c->kind != (uint8_t)CFG_CHANNEL_DISK) || (c->one_way != 0u) || (c->size != BH_DISK_CHANNEL_SIZE) ||
	    (c->end[0].kind != (uint8_t)CFG_END_HYPERVISOR) || (c->end[0].partition != p->id)) {
		panic("partition '%s': its disk channel is inconsistent", p->cfg->name);
	}
	(void)memset(d, 0, sizeof(struct vdisk));
	d->part = p;
	d->channel = c;
	(void)memset(pa_ptr(pa_init(c->pa)), 0, c->size);
	/* The hypervisor maps host memory one to one: the channel's pages are at their host addresses. */
	d->request = rt_disk_request_at(c->pa + BH_DISK_REQUEST_OFF);
	d->response = rt_disk_response_at(c->pa + BH_DISK_RESPONSE_OFF);
	/* SEG_MAX: without it a driver sends one data descriptor per request (Linux: a 64 KiB read of
	 * scattered pages becomes 16 requests). The chain also holds the header and the status. */
	d->offered = FEATURE_BIT(VIRTIO_F_VERSION_1) | FEATURE_BIT(VIRTIO_BLK_F_SEG_MAX) |
		     ((cd->window != 0u) ? FEATURE_BIT(VIRTIO_F_ACCESS_PLATFORM) : 0u);
	if ((emul_register(p, EMUL_MMIO, cd->ipa, BH_DISK_MMIO_SIZE, vdisk_mmio, NULL) != CORE_OK) ||
	    (channel_bind_hyp_end(cd->channel, vdisk_doorbell, NULL) != CORE_OK)) {
		panic("partition '%s': its emulated disk cannot be set up", p->cfg->name);
	}
	device_reset(d);
}

/* Implements: REQ-DSK-008 */
void vdisk_reset(struct partition *p)
{
	struct vdisk *d = &vdisks[p->id];

	if (d->part == NULL) {
		return;
	}
	spin_lock(&d->lock);
	device_reset(d);
	spin_unlock(&d->lock);
}

/* The service partition rang the disk's channel (channel_hyp_ring_t): requests
 * completed. Bounded work, never waits. */
/* Implements: REQ-DSK-003 */
static enum core_status vdisk_doorbell(struct cpu *self, uint32_t channel, void *context)
{
	struct vdisk *d;
	struct vdisk_effects fx = { false, false };
	uint32_t completed;

	UNUSED(context);
	/* channel_ring calls a bound end only for a channel of the table, and vdisk_init bound this
	 * one after checking that its end 0 is the hypervisor's for the disk's partition. */
	d = &vdisks[cfg_system.channels[channel].end[0].partition];
	spin_lock(&d->lock);
	completed = __atomic_load_n(&d->response->completed, __ATOMIC_ACQUIRE);
	if ((completed != d->completed_seen) && ((d->status & VIRTIO_STATUS_DRIVER_OK) != 0u)) {
		d->isr |= VIRTIO_INT_USED_RING;
		fx.raise = true;
	}
	d->completed_seen = completed;
	spin_unlock(&d->lock);
	vdisk_apply(self, d, &fx);
	return CORE_OK;
}
