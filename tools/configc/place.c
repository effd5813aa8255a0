/* SPDX-License-Identifier: MIT */
/*
 * Automatic placement of RAM, shared-memory regions and channels that have no host-address.
 *
 * Explicit regions are fixed first, so writing a host-address never moves
 * another region; auto regions (partition RAM, shared-memory regions, channels) then
 * go in document order to the lowest address that fits, so adding a region at
 * the end never moves the others.
 * A size that is a multiple of 2 MiB gets a 2 MiB aligned host address so
 * that stage-2 can map it with blocks.
 */
#include "bhcc.h"
#include "range.h"

#define MAX_ITEMS (BHCC_MAX_PARTITIONS * BHCC_MAX_REGIONS + BHCC_MAX_SHARED + BHCC_MAX_CHANNELS)
#define MAX_USED (1 + MAX_ITEMS)

struct used {
	unsigned n;
	struct bh_range r[MAX_USED];
};

/* Lowest aligned address >= @v, or false when there is none below 2^64. */
static bool align_up(uint64_t v, uint64_t align, uint64_t *out)
{
	if (v > UINT64_MAX - (align - 1))
		return false;
	*out = (v + align - 1) & ~(align - 1);
	return true;
}

/* First fit of @size at @align inside @ram, avoiding @u. */
static bool fit_in(const struct used *u, struct bh_range ram, uint64_t size, uint64_t align,
		   uint64_t *out)
{
	uint64_t cand;

	if (!align_up(ram.base, align, &cand))
		return false;
	while (range_inside(cand, size, ram.base, ram.size) && !range_wraps(cand, size)) {
		bool moved = false;

		for (unsigned i = 0; i < u->n; i++) {
			uint64_t last = range_last(u->r[i].base, u->r[i].size);

			if (!ranges_overlap(cand, size, u->r[i].base, u->r[i].size))
				continue;
			if (last == UINT64_MAX || !align_up(last + 1, align, &cand))
				return false;
			moved = true;
			break;
		}
		if (!moved) {
			*out = cand;
			return true;
		}
	}
	return false;
}

static bool fit(const struct bh_board *b, const struct used *u, uint64_t size, uint64_t align,
		uint64_t *out)
{
	bool found = false;

	/* Lowest address over all RAM ranges, whatever order the board lists them in. */
	for (unsigned i = 0; i < b->n_ram; i++) {
		uint64_t at;

		if (fit_in(u, b->ram[i], size, align, &at) && (!found || at < *out)) {
			*out = at;
			found = true;
		}
	}
	return found;
}

/* What placement fills in: a partition's RAM region, a shared-memory region or a channel. */
struct auto_item {
	const char *path;
	uint64_t size;
	uint64_t *pa;
	bool *placed;
	int offset;
};

static unsigned auto_items(struct bh_system *s, struct auto_item *out)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->n_partitions; i++) {
		for (unsigned j = 0; j < s->partitions[i].n_ram; j++) {
			struct bh_region *r = &s->partitions[i].regions[j];

			if (r->valid && !r->has_host)
				out[n++] = (struct auto_item){ r->path, r->size, &r->pa, &r->placed, r->offset };
		}
	}
	for (unsigned i = 0; i < s->n_shared; i++) {
		struct bh_shared *sh = &s->shared[i];

		if (sh->valid && !sh->has_host)
			out[n++] = (struct auto_item){ sh->path, sh->size, &sh->pa, &sh->placed, sh->offset };
	}
	for (unsigned i = 0; i < s->n_channels; i++) {
		struct bh_channel *ch = &s->channels[i];

		if (ch->valid && !ch->has_host)
			out[n++] = (struct auto_item){ ch->path, ch->size, &ch->pa, &ch->placed, ch->offset };
	}
	/* Document order, wherever /shared-memory and /channels are (bhcc's own channels last). */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && out[j].offset < out[j - 1].offset; j--) {
			struct auto_item t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

void place_regions(struct bh_ctx *c)
{
	struct bh_system *s = c->sys;
	static struct used u;
	static struct auto_item items[MAX_ITEMS];
	unsigned n;

	u.n = 0;
	if (s->hyp.valid)
		u.r[u.n++] = s->hyp.reg;
	for (unsigned i = 0; i < s->n_partitions; i++)
		for (unsigned j = 0; j < s->partitions[i].n_ram; j++)
			if (s->partitions[i].regions[j].placed)
				u.r[u.n++] = (struct bh_range){ s->partitions[i].regions[j].pa,
								s->partitions[i].regions[j].size };
	for (unsigned i = 0; i < s->n_shared; i++)
		if (s->shared[i].placed)
			u.r[u.n++] = (struct bh_range){ s->shared[i].pa, s->shared[i].size };
	for (unsigned i = 0; i < s->n_channels; i++)
		if (s->channels[i].placed)
			u.r[u.n++] = (struct bh_range){ s->channels[i].pa, s->channels[i].size };
	n = auto_items(s, items);
	for (unsigned i = 0; i < n; i++) {
		struct auto_item *a = &items[i];
		uint64_t align = is_aligned(a->size, BHCC_2M) ? BHCC_2M : BHCC_PAGE;
		char size[32];

		if (!fit(&s->board, &u, a->size, align, a->pa)) {
			diag_error(c->diag, a->path, NULL,
				   "no room in board RAM to place 0x%llx bytes (%s, %s aligned); free some or give host-address",
				   (unsigned long long)a->size, format_size(size, sizeof(size), a->size),
				   align == BHCC_2M ? "2 MiB" : "4 KiB");
			continue;
		}
		*a->placed = true;
		u.r[u.n++] = (struct bh_range){ *a->pa, a->size };
	}
}
