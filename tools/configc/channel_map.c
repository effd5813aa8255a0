/* SPDX-License-Identifier: MIT */
/*
 * Channels checked and mapped: each end's guest address (placed above its
 * partition's RAM when the description gives none), its doorbell, and the
 * stage-2 regions that give it exactly its rights: in each direction the
 * receiver writes only the first page (its control block) and the sender
 * only the pages after it, so neither can corrupt what the other owns.
 * The hypervisor's ends have no stage-2 regions: it maps every channel it
 * is an end of in its own EL2 map.
 */
#include <string.h>

#include <bulkhead/channel.h>

#include "backend.h"
#include "cfg.h"
#include "range.h"

#define ULL(x) ((unsigned long long)(x))

/* Implements: REQ-CHN-006 */
static bool check_size(struct bh_ctx *c, const struct bh_channel *ch)
{
	uint64_t unit = ch->one_way ? BH_CHANNEL_PAGE : 2u * BH_CHANNEL_PAGE;
	uint64_t min = ch->one_way ? BH_CHANNEL_MIN_DIRECTION : 2u * BH_CHANNEL_MIN_DIRECTION;

	if (!is_aligned(ch->size, unit) || ch->size < min) {
		diag_error(c->diag, ch->path, "size",
			   "0x%llx is not a multiple of %s of at least 0x%llx bytes (%s: each direction is a receiver page and at least one sender page)",
			   ULL(ch->size), ch->one_way ? "4 KiB" : "8 KiB", ULL(min), ch->one_way ? "one-way" : "two-way");
		return false;
	}
	return true;
}

/* Implements: REQ-CHN-006 */
static bool check_end(struct bh_ctx *c, const struct bh_channel *ch, const struct bh_chan_end *e)
{
	struct bh_partition *p = &c->sys->partitions[e->partition];
	bool ok = true;

	if (e->vcpu >= p->n_vcpus && p->n_vcpus) {
		diag_error(c->diag, e->path, "doorbell-vcpu", "%s has %u vCPU%s; vCPU %u does not exist", p->path,
			   p->n_vcpus, p->n_vcpus == 1 ? "" : "s", e->vcpu);
		ok = false;
	}
	/* Once for the channels bhcc makes (a service partition is at the end of each). */
	if (!p->has_dtb && (ch->kind == CFG_CHANNEL_DATA || !p->no_dtb_reported)) {
		diag_error(c->diag, e->path, ch->kind == CFG_CHANNEL_DATA ? NULL : p->service ? "service" : "console",
			   "%s has no dtb-address; a partition at a channel's end finds it in its guest device tree",
			   p->path);
		p->no_dtb_reported = ch->kind != CFG_CHANNEL_DATA;
	}
	ok = ok && p->has_dtb;
	if (!e->has_ipa)
		return ok;
	if (!is_aligned(e->ipa, BHCC_PAGE)) {
		diag_error(c->diag, e->path, "guest-address", "0x%llx is not 4 KiB aligned", ULL(e->ipa));
		return false;
	}
	if (range_wraps(e->ipa, ch->size) || range_last(e->ipa, ch->size) >= be_space.guest_limit) {
		diag_error(c->diag, e->path, "guest-address",
			   "guest range 0x%llx + 0x%llx reaches beyond %s (addresses must be below 0x%llx)",
			   ULL(e->ipa), ULL(ch->size), be_space.guest_limit_text, ULL(be_space.guest_limit));
		return false;
	}
	return ok;
}

/* Implements: REQ-CHN-006 */
void validate_channels(struct bh_ctx *c)
{
	for (unsigned i = 0; i < c->sys->n_channels; i++) {
		struct bh_channel *ch = &c->sys->channels[i];

		if (ch->valid && ch->kind == CFG_CHANNEL_DATA)
			ch->valid = check_size(c, ch);
		if (ch->valid && ch->has_host)
			ch->placed = check_host(c, ch->path, ch->pa, ch->size);
		for (unsigned k = 0; k < 2; k++) {
			struct bh_chan_end *e = &ch->end[k];

			if (e->valid && e->kind == CFG_END_PARTITION)
				e->valid = ch->valid && check_end(c, ch, e);
		}
	}
}

/* ---- guest addresses ---- */

/* What a guest range meets in its partition, for placement and messages. */
struct obstacle {
	const char *what;        /* a region's path, or what an emulated window is */
	bool window;
	struct bh_range r;
};

/* True when [base, base + size) meets nothing @p maps or the hypervisor emulates for it; else @hit says what. */
static bool clear_of(const struct bh_system *s, const struct bh_partition *p, uint64_t base, uint64_t size,
		     struct obstacle *hit)
{
	struct be_window win[BE_MAX_WINDOWS + 2];
	unsigned n = be_guest_windows(s, p, win);

	if (p->console == CFG_CONSOLE_PL011 && p->has_console_address)
		win[n++] = (struct be_window){ "emulated UART", { p->console_address, BHCC_PAGE } };
	if (p->disk >= 0)
		win[n++] = (struct be_window){ "emulated disk", { s->disks[p->disk].clients[p->disk_client].address, BHCC_PAGE } };
	for (unsigned i = 0; i < p->n_regions; i++) {
		const struct bh_region *r = &p->regions[i];

		if (r->valid && ranges_overlap(base, size, r->ipa, r->size)) {
			*hit = (struct obstacle){ r->path, false, { r->ipa, r->size } };
			return false;
		}
	}
	for (unsigned w = 0; w < n; w++) {
		if (win[w].r.size && ranges_overlap(base, size, win[w].r.base, win[w].r.size)) {
			*hit = (struct obstacle){ win[w].what, true, win[w].r };
			return false;
		}
	}
	return true;
}

/* The lowest page-aligned address above the partition's RAM where @size bytes meet nothing it maps. */
static bool place_guest(struct bh_ctx *c, const struct bh_partition *p, uint64_t size, uint64_t *out)
{
	struct obstacle hit;
	uint64_t at = 0, last;

	for (unsigned i = 0; i < p->n_ram; i++)
		if (p->regions[i].valid && p->regions[i].ipa + p->regions[i].size > at)
			at = p->regions[i].ipa + p->regions[i].size;
	while (!range_wraps(at, size) && range_last(at, size) < be_space.guest_limit) {
		if (clear_of(c->sys, p, at, size, &hit)) {
			*out = at;
			return true;
		}
		last = range_last(hit.r.base, hit.r.size);
		if (last >= be_space.guest_limit)
			break;
		at = (last + 1 + (BHCC_PAGE - 1)) & ~(BHCC_PAGE - 1);
	}
	return false;
}

/* ---- doorbells and regions ---- */

/* Implements: REQ-CHN-006 */
static void check_doorbell(struct bh_ctx *c, struct bh_chan_end *e)
{
	const struct bh_partition *p = &c->sys->partitions[e->partition];

	if (e->has_doorbell && !be_doorbell_valid(c, p, e->path, e->doorbell_prop, e->doorbell, false))
		e->valid = false;
}

/* Implements: REQ-CHN-007 */
static bool end_writes(const struct bh_channel *ch, unsigned end, uint64_t off)
{
	uint64_t half = ch->one_way ? ch->size : ch->size / 2;
	unsigned sender = off < half ? 0u : 1u;
	uint64_t dir_off = off < half ? off : off - half;

	/* The direction's first page is the receiver's, the rest the sender's. */
	return (dir_off < BH_CHANNEL_PAGE) ? end != sender : end == sender;
}

static bool add_region(struct bh_ctx *c, struct bh_partition *p, const struct bh_chan_end *e, int ci,
		       uint64_t off, uint64_t size, bool writable)
{
	bool generated = c->sys->channels[ci].kind != CFG_CHANNEL_DATA;
	char path[BHCC_PATH_MAX];
	struct bh_region *r;

	if (p->n_regions == BHCC_MAX_REGIONS) {
		diag_error(c->diag, e->path, NULL,
			   "%s has more than %u regions (memory@ nodes, device ranges, shared memory and channel pages together)",
			   p->path, BHCC_MAX_REGIONS);
		return false;
	}
	r = &p->regions[p->n_regions++];
	memset(r, 0, sizeof(*r));
	/* A generated end has its partition's node: the channel's name says which it is. */
	snprintf(path, sizeof(path), "%.*s%s%s%s", BHCC_PATH_MAX - BHCC_NAME_MAX - 20, e->path,
		 generated ? " (channel " : "", generated ? c->sys->channels[ci].name : "", generated ? ")" : "");
	strcpy(r->path, path);
	r->ipa = e->ipa + off;
	r->size = size;
	r->access = writable ? CFG_ACCESS_R | CFG_ACCESS_W : CFG_ACCESS_R;
	r->kind = CFG_REGION_SHARED;
	r->valid = true;
	r->has_host = c->sys->channels[ci].has_host;
	r->device = -1;
	r->shared = -1;
	r->channel = ci;
	r->channel_off = off;
	r->offset = c->sys->channels[ci].offset;
	return true;
}

/* One region per run of pages with the same rights for this end. */
/* Implements: REQ-CHN-007 */
static void add_end_regions(struct bh_ctx *c, int ci, unsigned end)
{
	const struct bh_channel *ch = &c->sys->channels[ci];
	const struct bh_chan_end *e = &ch->end[end];
	struct bh_partition *p = &c->sys->partitions[e->partition];
	uint64_t start = 0;

	for (uint64_t off = BH_CHANNEL_PAGE; off <= ch->size; off += BH_CHANNEL_PAGE) {
		bool w = end_writes(ch, end, start);

		if (off < ch->size && end_writes(ch, end, off) == w)
			continue;
		if (!add_region(c, p, e, ci, start, off - start, w))
			return;
		start = off;
	}
	p->n_channel_ends++;
}

/* One message for a written guest-address that meets something, rather than one per region. */
static bool check_guest(struct bh_ctx *c, const struct bh_partition *p, const struct bh_chan_end *e, uint64_t size)
{
	struct obstacle hit;

	if (clear_of(c->sys, p, e->ipa, size, &hit))
		return true;
	diag_error(c->diag, e->path, "guest-address", "guest range 0x%llx-0x%llx overlaps %s%s (0x%llx-0x%llx)",
		   ULL(e->ipa), ULL(range_last(e->ipa, size)), hit.window ? "the hypervisor's emulated " : "",
		   hit.what, ULL(hit.r.base), ULL(range_last(hit.r.base, hit.r.size)));
	return false;
}

static void map_ends(struct bh_ctx *c, bool placed_ones)
{
	for (unsigned i = 0; i < c->sys->n_channels; i++) {
		struct bh_channel *ch = &c->sys->channels[i];

		for (unsigned k = 0; k < 2; k++) {
			struct bh_chan_end *e = &ch->end[k];
			const struct bh_partition *p;

			if (!e->valid || e->kind != CFG_END_PARTITION || e->has_ipa != placed_ones)
				continue;
			p = &c->sys->partitions[e->partition];
			if (placed_ones && !check_guest(c, p, e, ch->size)) {
				e->valid = false;
				continue;
			}
			if (!placed_ones && !place_guest(c, p, ch->size, &e->ipa)) {
				diag_error(c->diag, e->path, NULL,
					   "no room in %s's guest-physical space above its RAM for 0x%llx bytes of channel %s; give guest-address",
					   p->name, ULL(ch->size), ch->name);
				e->valid = false;
				continue;
			}
			add_end_regions(c, (int)i, k);
		}
	}
}

/* Implements: REQ-CHN-007 */
void channel_regions(struct bh_ctx *c)
{
	for (unsigned i = 0; i < c->sys->n_channels; i++)
		for (unsigned k = 0; k < 2; k++)
			if (c->sys->channels[i].end[k].valid && c->sys->channels[i].end[k].kind == CFG_END_PARTITION)
				check_doorbell(c, &c->sys->channels[i].end[k]);
	/* Written addresses first: a placed end never takes an address the description gave another. */
	map_ends(c, true);
	map_ends(c, false);
}

void channel_link(struct bh_ctx *c)
{
	for (unsigned i = 0; i < c->sys->n_partitions; i++) {
		struct bh_partition *p = &c->sys->partitions[i];

		for (unsigned j = 0; j < p->n_regions; j++) {
			struct bh_region *r = &p->regions[j];

			if (r->channel < 0)
				continue;
			r->pa = c->sys->channels[r->channel].pa + r->channel_off;
			r->placed = c->sys->channels[r->channel].placed;
		}
	}
}
