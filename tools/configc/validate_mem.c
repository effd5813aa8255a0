/* SPDX-License-Identifier: MIT */
/*
 * Partition memory: each region alone, its host range against the board,
 * then (after placement) every range against every other.
 */
#include "backend.h"
#include "cfg.h"
#include "range.h"

#define ULL(x) ((unsigned long long)(x))

static bool check_guest(struct bh_ctx *c, struct bh_region *r)
{
	if (r->size == 0) {
		diag_error(c->diag, r->path, "reg", "size is zero");
		return false;
	}
	if (range_wraps(r->ipa, r->size)) {
		diag_error(c->diag, r->path, "reg", "guest range 0x%llx + 0x%llx overflows 64 bits",
			   ULL(r->ipa), ULL(r->size));
		return false;
	}
	if (!is_aligned(r->ipa, BHCC_PAGE)) {
		diag_error(c->diag, r->path, "reg", "guest base 0x%llx is not 4 KiB aligned",
			   ULL(r->ipa));
		return false;
	}
	if (!is_aligned(r->size, BHCC_PAGE)) {
		diag_error(c->diag, r->path, "reg", "size 0x%llx is not a multiple of 4 KiB",
			   ULL(r->size));
		return false;
	}
	if (range_last(r->ipa, r->size) >= be_space.guest_limit) {
		diag_error(c->diag, r->path, "reg",
			   "guest range 0x%llx-0x%llx reaches beyond %s (addresses must be below 0x%llx)",
			   ULL(r->ipa), ULL(range_last(r->ipa, r->size)), be_space.guest_limit_text,
			   ULL(be_space.guest_limit));
		return false;
	}
	return true;
}

static void describe_ram(const struct bh_board *b, char *buf, size_t len)
{
	size_t used = 0;

	if (b->n_ram == 0) {
		snprintf(buf, len, "the board has no usable RAM range");
		return;
	}
	buf[0] = '\0';
	for (unsigned i = 0; i < b->n_ram && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s0x%llx-0x%llx", i ? ", " : "",
					 ULL(b->ram[i].base), ULL(range_last(b->ram[i].base, b->ram[i].size)));
}

bool check_host(struct bh_ctx *c, const char *path, uint64_t pa, uint64_t size)
{
	const struct bh_board *b = &c->sys->board;
	const struct bh_hyp *h = &c->sys->hyp;
	bool inside = false;
	char ram[256];

	if (!is_aligned(pa, BHCC_PAGE)) {
		diag_error(c->diag, path, "host-address", "0x%llx is not 4 KiB aligned", ULL(pa));
		return false;
	}
	if (range_wraps(pa, size)) {
		diag_error(c->diag, path, "host-address",
			   "host range 0x%llx + 0x%llx overflows 64 bits", ULL(pa), ULL(size));
		return false;
	}
	for (unsigned i = 0; i < b->n_ram; i++)
		inside = inside || range_inside(pa, size, b->ram[i].base, b->ram[i].size);
	if (!inside) {
		describe_ram(b, ram, sizeof(ram));
		diag_error(c->diag, path, "host-address",
			   "host range 0x%llx-0x%llx is outside board RAM (%s)", ULL(pa),
			   ULL(range_last(pa, size)), ram);
		return false;
	}
	if (h->valid && ranges_overlap(pa, size, h->reg.base, h->reg.size)) {
		diag_error(c->diag, path, "host-address",
			   "host range 0x%llx-0x%llx overlaps the hypervisor region %s (0x%llx-0x%llx)",
			   ULL(pa), ULL(range_last(pa, size)), h->path, ULL(h->reg.base),
			   ULL(range_last(h->reg.base, h->reg.size)));
		return false;
	}
	return true;
}

void validate_regions(struct bh_ctx *c)
{
	for (unsigned i = 0; i < c->sys->n_partitions; i++) {
		struct bh_partition *p = &c->sys->partitions[i];

		for (unsigned j = 0; j < p->n_ram; j++) {
			struct bh_region *r = &p->regions[j];

			if (!r->valid)
				continue;
			r->valid = check_guest(c, r);
			if (r->valid && r->has_host)
				r->placed = check_host(c, r->path, r->pa, r->size);
		}
	}
}

/* A host range that belongs to one owner: a partition's RAM region, a shared-memory region or a channel. */
struct host_item {
	const char *path;
	uint64_t pa, size;
	bool has_host;
	int offset;
};

static unsigned host_items(const struct bh_system *s, struct host_item *out)
{
	unsigned n = 0;

	for (unsigned pi = 0; pi < s->n_partitions; pi++) {
		for (unsigned j = 0; j < s->partitions[pi].n_ram; j++) {
			const struct bh_region *r = &s->partitions[pi].regions[j];

			if (r->placed)
				out[n++] = (struct host_item){ r->path, r->pa, r->size, r->has_host, r->offset };
		}
	}
	for (unsigned i = 0; i < s->n_shared; i++) {
		const struct bh_shared *sh = &s->shared[i];

		if (sh->placed)
			out[n++] = (struct host_item){ sh->path, sh->pa, sh->size, sh->has_host, sh->offset };
	}
	for (unsigned i = 0; i < s->n_channels; i++) {
		const struct bh_channel *ch = &s->channels[i];

		if (ch->placed)
			out[n++] = (struct host_item){ ch->path, ch->pa, ch->size, ch->has_host, ch->offset };
	}
	return n;
}

static void check_host_overlaps(struct bh_ctx *c)
{
	static struct host_item items[BHCC_MAX_PARTITIONS * BHCC_MAX_REGIONS + BHCC_MAX_SHARED + BHCC_MAX_CHANNELS];
	unsigned n = host_items(c->sys, items);

	/* Every pair once, reported at the later one in document order. Partitions
	 * share memory only as one shared-memory region or channel, one item here. */
	for (unsigned j = 0; j < n; j++) {
		for (unsigned i = 0; i < n; i++) {
			const struct host_item *a = &items[i], *b = &items[j];

			if (a->offset >= b->offset || !ranges_overlap(a->pa, a->size, b->pa, b->size))
				continue;
			diag_error(c->diag, b->path, b->has_host ? "host-address" : NULL,
				   "host range 0x%llx-0x%llx overlaps %s (0x%llx-0x%llx)",
				   ULL(b->pa), ULL(range_last(b->pa, b->size)), a->path,
				   ULL(a->pa), ULL(range_last(a->pa, a->size)));
		}
	}
}

static void check_guest_overlaps(struct bh_ctx *c, struct bh_partition *p)
{
	for (unsigned j = 1; j < p->n_regions; j++) {
		const struct bh_region *b = &p->regions[j];

		if (!b->valid)
			continue;
		for (unsigned i = 0; i < j; i++) {
			const struct bh_region *a = &p->regions[i];

			if (!a->valid || !ranges_overlap(a->ipa, a->size, b->ipa, b->size))
				continue;
			if (b->kind != CFG_REGION_DEVICE)
				diag_error(c->diag, b->path, b->kind == CFG_REGION_RAM ? "reg" : "guest-address",
					   "guest range 0x%llx-0x%llx overlaps %s (0x%llx-0x%llx)",
					   ULL(b->ipa), ULL(range_last(b->ipa, b->size)), a->path,
					   ULL(a->ipa), ULL(range_last(a->ipa, a->size)));
			else
				diag_error(c->diag, p->path, "devices",
					   "guest range 0x%llx-0x%llx of %s overlaps %s (0x%llx-0x%llx)",
					   ULL(b->ipa), ULL(range_last(b->ipa, b->size)), b->path, a->path,
					   ULL(a->ipa), ULL(range_last(a->ipa, a->size)));
		}
	}
}

/* The guest finds the devices the hypervisor emulates at fixed addresses, so RAM must leave them free. */
static void check_window_overlaps(struct bh_ctx *c, struct bh_partition *p)
{
	struct be_window win[BE_MAX_WINDOWS];
	unsigned n = be_guest_windows(c->sys, p, win);

	for (unsigned j = 0; j < p->n_regions; j++) {
		const struct bh_region *r = &p->regions[j];

		for (unsigned w = 0; r->valid && r->kind != CFG_REGION_DEVICE && w < n; w++) {
			if (!ranges_overlap(r->ipa, r->size, win[w].r.base, win[w].r.size))
				continue;
			diag_error(c->diag, r->path, r->kind == CFG_REGION_RAM ? "reg" : "guest-address",
				   "guest range 0x%llx-0x%llx overlaps the virtual interrupt controller's %s (0x%llx-0x%llx)",
				   ULL(r->ipa), ULL(range_last(r->ipa, r->size)), win[w].what,
				   ULL(win[w].r.base), ULL(range_last(win[w].r.base, win[w].r.size)));
		}
	}
}

void validate_overlaps(struct bh_ctx *c)
{
	check_host_overlaps(c);
	for (unsigned i = 0; i < c->sys->n_partitions; i++) {
		check_guest_overlaps(c, &c->sys->partitions[i]);
		check_window_overlaps(c, &c->sys->partitions[i]);
	}
}
