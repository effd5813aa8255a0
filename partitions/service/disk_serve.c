/* SPDX-License-Identifier: MIT */
/*
 * The disk server's checks and its walk of a client's virtqueue (disk.h).
 * Independent of the hardware: tests/unit/test_disk_serve.c runs it on the
 * host against hostile queues.
 */
#include <string.h>
#include "disk.h"

#define HDR_BYTES 16u
#define ID_BYTES 20u          /* VIRTIO_BLK_T_GET_ID's answer */

/* A request's descriptors, copied out of the client's table once. */
struct chain {
	struct virtq_desc d[BH_DISK_CHAIN_MAX];
	uint32_t n;
};

uint8_t *svc_disk_map(const struct svc_disk_client *c, uint64_t addr, uint64_t len)
{
	uint8_t *found = NULL;

	for (uint32_t i = 0u; (i < c->n_ranges) && (found == NULL); i++) {
		const struct svc_disk_range *r = &c->ranges[i];

		/* [addr, addr + len) inside [client, client + size), without overflow. */
		if ((addr >= r->client) && ((addr - r->client) <= r->size) && (len <= (r->size - (addr - r->client)))) {
			found = &r->local[addr - r->client];
		}
	}
	return found;
}

/* Implements: REQ-LNX-009 */
static bool queue_map(struct svc_disk_client *c, const struct bh_disk_request *r)
{
	uint32_t num = r->queue_num;
	uint8_t *desc;
	uint8_t *avail;
	uint8_t *used;

	if ((num == 0u) || (num > BH_DISK_QUEUE_MAX) || ((num & (num - 1u)) != 0u)) {
		return false;
	}
	desc = svc_disk_map(c, r->desc, (uint64_t)num * sizeof(struct virtq_desc));
	avail = svc_disk_map(c, r->avail, 6u + (2u * (uint64_t)num));
	used = svc_disk_map(c, r->used, 6u + (8u * (uint64_t)num));
	if ((desc == NULL) || (avail == NULL) || (used == NULL) || ((r->desc % 16u) != 0u) || ((r->avail % 2u) != 0u) ||
	    ((r->used % 4u) != 0u)) {
		return false;
	}
	c->num = num;
	c->desc = rt_virtq_desc_at(desc);
	c->avail = rt_virtq_u16_at(avail);
	c->used = rt_virtq_u16_at(used);
	c->used_ring = rt_virtq_u32_at(&used[4]);
	return true;
}

/* Takes a new generation of the request page, if any; true when the queue is usable. */
static bool refresh(struct svc_disk_client *c)
{
	const struct bh_disk_request *r = c->request;
	uint32_t gen = __atomic_load_n(&r->generation, __ATOMIC_ACQUIRE);
	struct bh_disk_request copy;

	if (gen == c->generation) {
		return c->ready && !c->broken;
	}
	copy = *r;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (__atomic_load_n(&r->generation, __ATOMIC_RELAXED) != gen) {
		return false;   /* changing under us: taken next time */
	}
	c->generation = gen;
	c->last_avail = 0u;
	c->used_idx = 0u;
	c->broken = false;
	c->ready = copy.queue_ready != 0u;
	if (c->ready && !queue_map(c, &copy)) {
		c->broken = true;
		c->response->broken++;
	}
	if (c->ready && !c->broken) {
		/* Where the used ring stands: 0 for a queue just set up (the driver zeroed it), what this
		 * partition had published when it is the one that restarted. Not trusted: an index that
		 * puts more than the queue's size in flight breaks the queue on the next turn. */
		c->used_idx = __atomic_load_n(&c->used[1], __ATOMIC_ACQUIRE);
		c->last_avail = c->used_idx;
	}
	return c->ready && !c->broken;
}

/* Implements: REQ-DSK-005, REQ-LNX-009 */
static enum svc_disk_refusal chain_walk(const struct svc_disk_client *c, uint32_t head, struct chain *ch)
{
	uint32_t idx = head;

	for (uint32_t n = 0u; n < BH_DISK_CHAIN_MAX; n++) {
		if (idx >= c->num) {
			return SVC_DISK_BAD_CHAIN;
		}
		ch->d[n].addr = c->desc[idx].addr;
		ch->d[n].len = c->desc[idx].len;
		ch->d[n].flags = c->desc[idx].flags;
		ch->d[n].next = c->desc[idx].next;
		if ((ch->d[n].flags & VIRTQ_DESC_F_INDIRECT) != 0u) {
			return SVC_DISK_BAD_CHAIN;   /* not offered */
		}
		if ((ch->d[n].flags & VIRTQ_DESC_F_NEXT) == 0u) {
			ch->n = n + 1u;
			return SVC_DISK_OK;
		}
		idx = ch->d[n].next;
	}
	return SVC_DISK_BAD_CHAIN;   /* too long, or a loop */
}

/* The data descriptors (between header and status): all in the client's ranges, whole sectors, one direction. */
/* Implements: REQ-DSK-005 */
static enum svc_disk_refusal check_data(const struct svc_disk_client *c, const struct chain *ch, bool device_writes,
					uint64_t *sectors)
{
	uint64_t total = 0u;

	for (uint32_t i = 1u; (i + 1u) < ch->n; i++) {
		const struct virtq_desc *d = &ch->d[i];

		if ((((d->flags & VIRTQ_DESC_F_WRITE) != 0u) != device_writes) || ((d->len % BH_DISK_SECTOR) != 0u)) {
			return SVC_DISK_BAD_CHAIN;
		}
		if (svc_disk_map(c, d->addr, d->len) == NULL) {
			return SVC_DISK_BAD_BUFFER;
		}
		total += d->len / BH_DISK_SECTOR;
	}
	*sectors = total;
	return SVC_DISK_OK;
}

/* Implements: REQ-DSK-005, REQ-DSK-006 */
static enum svc_disk_refusal do_rw(const struct svc_disk_client *c, const struct chain *ch, uint32_t type,
				   uint64_t first, svc_disk_io_t io, void *io_ctx, uint32_t *written)
{
	bool in = (type == VIRTIO_BLK_T_IN);
	uint64_t count = 0u;
	uint64_t sector = first;
	enum svc_disk_refusal r = check_data(c, ch, in, &count);

	if (r != SVC_DISK_OK) {
		return r;
	}
	if ((sector > c->sectors) || (count > (c->sectors - sector))) {
		return SVC_DISK_OUTSIDE_SLICE;
	}
	struct svc_disk_seg segs[SVC_DISK_SEGS];
	uint32_t n = 0u;
	uint32_t bytes = 0u;

	/* chain_walk bounds the chain at BH_DISK_CHAIN_MAX: at most SVC_DISK_SEGS between its ends. */
	for (uint32_t i = 1u; ((i + 1u) < ch->n) && (n < SVC_DISK_SEGS); i++) {
		const struct virtq_desc *d = &ch->d[i];

		if (d->len != 0u) {
			segs[n] = (struct svc_disk_seg){ svc_disk_map(c, d->addr, d->len), d->len / BH_DISK_SECTOR };
			n++;
			bytes += d->len;
		}
	}
	if ((n != 0u) && (io(io_ctx, !in, c->lba + sector, segs, n) != 0)) {
		return SVC_DISK_IO_FAILED;
	}
	*written += in ? bytes : 0u;
	return SVC_DISK_OK;
}

static enum svc_disk_refusal do_get_id(const struct svc_disk_client *c, const struct chain *ch, uint32_t *written)
{
	static const char id[ID_BYTES] = "bulkhead-disk";
	uint8_t *out = NULL;

	if ((ch->n == 3u) && ((ch->d[1].flags & VIRTQ_DESC_F_WRITE) != 0u)) {
		out = svc_disk_map(c, ch->d[1].addr, ch->d[1].len);
	}
	if (out == NULL) {
		return SVC_DISK_BAD_CHAIN;
	}
	*written = (ch->d[1].len < ID_BYTES) ? ch->d[1].len : ID_BYTES;
	(void)memcpy(out, id, *written);
	return SVC_DISK_OK;
}

/* The header (copied out) and the status byte of a followed chain; NULL status when there is no place for it. */
static enum svc_disk_refusal ends_of(const struct svc_disk_client *c, const struct chain *ch,
				     struct virtio_blk_req_hdr *hdr, uint8_t **status)
{
	const struct virtq_desc *last = &ch->d[ch->n - 1u];
	uint8_t *hdr_at = NULL;

	*status = NULL;
	if (((last->flags & VIRTQ_DESC_F_WRITE) != 0u) && (last->len >= 1u)) {
		*status = svc_disk_map(c, last->addr, 1u);
	}
	/* The header is read as a structure: it must be aligned like one. */
	if (((ch->d[0].flags & VIRTQ_DESC_F_WRITE) == 0u) && (ch->d[0].len >= HDR_BYTES) && ((ch->d[0].addr % 8u) == 0u)) {
		hdr_at = svc_disk_map(c, ch->d[0].addr, HDR_BYTES);
	}
	if ((*status == NULL) || (hdr_at == NULL)) {
		return SVC_DISK_BAD_BUFFER;
	}
	/* Copied once: the client may change it meanwhile. */
	*hdr = *rt_blk_hdr_at(hdr_at);
	return SVC_DISK_OK;
}

/* One request: its status byte written when there is a place for it; returns the used length. */
/* Implements: REQ-DSK-005 */
static uint32_t serve_one(struct svc_disk_client *c, uint32_t head, svc_disk_io_t io, void *io_ctx)
{
	struct chain ch;
	struct virtio_blk_req_hdr hdr = { 0u, 0u, 0u };
	uint8_t *status = NULL;
	uint32_t written = 0u;
	uint8_t s = VIRTIO_BLK_S_OK;
	enum svc_disk_refusal r = chain_walk(c, head, &ch);

	if ((r == SVC_DISK_OK) && (ch.n < 2u)) {
		r = SVC_DISK_BAD_CHAIN;
	}
	if (r == SVC_DISK_OK) {
		r = ends_of(c, &ch, &hdr, &status);
	}
	if (r == SVC_DISK_OK) {
		if ((hdr.type == VIRTIO_BLK_T_IN) || (hdr.type == VIRTIO_BLK_T_OUT)) {
			r = do_rw(c, &ch, hdr.type, hdr.sector, io, io_ctx, &written);
		} else if (hdr.type == VIRTIO_BLK_T_GET_ID) {
			r = do_get_id(c, &ch, &written);
		} else {
			s = VIRTIO_BLK_S_UNSUPP;
		}
	}
	if (r != SVC_DISK_OK) {
		c->refused[r]++;
		c->response->refused++;
		s = VIRTIO_BLK_S_IOERR;
		written = 0u;
	}
	if (status != NULL) {
		*status = s;
		written++;
	}
	return written;
}

bool svc_disk_pending(const struct svc_disk_client *c)
{
	return c->ready && !c->broken && (__atomic_load_n(&c->avail[1], __ATOMIC_ACQUIRE) != c->last_avail);
}

uint32_t svc_disk_serve(struct svc_disk_client *c, svc_disk_io_t io, void *io_ctx)
{
	uint16_t avail_idx;
	uint16_t pending;
	uint32_t done = 0u;

	if (!refresh(c)) {
		return 0u;
	}
	avail_idx = __atomic_load_n(&c->avail[1], __ATOMIC_ACQUIRE);
	pending = (uint16_t)(avail_idx - c->last_avail);
	if (pending > c->num) {
		/* More than the queue holds: the index is not to be trusted, nor anything after it. */
		c->broken = true;
		c->response->broken++;
		return 0u;
	}
	for (; done < pending; done++) {
		uint32_t head = c->avail[2u + (c->last_avail % c->num)];
		uint32_t len = serve_one(c, head, io, io_ctx);
		uint32_t slot = 2u * (c->used_idx % c->num);

		c->used_ring[slot] = head;
		c->used_ring[slot + 1u] = len;
		c->last_avail++;
		c->used_idx++;
		__atomic_store_n(&c->used[1], c->used_idx, __ATOMIC_RELEASE);
	}
	if (done != 0u) {
		__atomic_store_n(&c->response->completed, c->response->completed + done, __ATOMIC_RELEASE);
	}
	return done;
}
