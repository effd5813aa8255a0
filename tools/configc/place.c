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
 *
 * The image store (the pristine copy of every partition image and guest
 * device tree, loaded beside the hypervisor and read by it at each partition
 * start) goes last, at the lowest address that fits, so that it moves nothing
 * else; no partition maps it.
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

/* What is placed already: the hypervisor, placed RAM, shared memory and channels. */
static void collect_used(const struct bh_system *s, struct used *u)
{
	u->n = 0;
	if (s->hyp.valid)
		u->r[u->n++] = s->hyp.reg;
	for (unsigned i = 0; i < s->n_partitions; i++)
		for (unsigned j = 0; j < s->partitions[i].n_ram; j++)
			if (s->partitions[i].regions[j].placed)
				u->r[u->n++] = (struct bh_range){ s->partitions[i].regions[j].pa,
								  s->partitions[i].regions[j].size };
	for (unsigned i = 0; i < s->n_shared; i++)
		if (s->shared[i].placed)
			u->r[u->n++] = (struct bh_range){ s->shared[i].pa, s->shared[i].size };
	for (unsigned i = 0; i < s->n_channels; i++)
		if (s->channels[i].placed)
			u->r[u->n++] = (struct bh_range){ s->channels[i].pa, s->channels[i].size };
}

static uint64_t align_error(struct bh_ctx *c, const char *path, uint64_t size, uint64_t align)
{
	char text[32];

	diag_error(c->diag, path, NULL,
		   "no room in board RAM to place 0x%llx bytes (%s, %s aligned); free some or give host-address",
		   (unsigned long long)size, format_size(text, sizeof(text), size),
		   align == BHCC_2M ? "2 MiB" : "4 KiB");
	return 0;
}

void place_regions(struct bh_ctx *c)
{
	struct bh_system *s = c->sys;
	static struct used u;
	static struct auto_item items[MAX_ITEMS];
	unsigned n;

	collect_used(s, &u);
	n = auto_items(s, items);
	for (unsigned i = 0; i < n; i++) {
		struct auto_item *a = &items[i];
		uint64_t align = is_aligned(a->size, BHCC_2M) ? BHCC_2M : BHCC_PAGE;

		if (!fit(&s->board, &u, a->size, align, a->pa)) {
			align_error(c, a->path, a->size, align);
			continue;
		}
		*a->placed = true;
		u.r[u.n++] = (struct bh_range){ *a->pa, a->size };
	}
}

/* Room for one pristine copy: whole pages, or 0 when it cannot have any. */
static uint64_t slot(uint64_t size)
{
	return size > UINT64_MAX - (BHCC_PAGE - 1) ? 0 : (size + BHCC_PAGE - 1) & ~(uint64_t)(BHCC_PAGE - 1);
}

void place_image_store(struct bh_ctx *c)
{
	struct bh_system *s = c->sys;
	static struct used u;
	uint64_t size = 0, at, align;

	s->store = (struct bh_range){ 0, 0 };
	for (unsigned i = 0; i < s->n_partitions; i++) {
		struct bh_partition *p = &s->partitions[i];

		p->image_slot_size = slot(image_room(p));
		size += p->image_slot_size;
		if (p->has_dtb)
			size += slot(p->dtb_size);
		if (p->has_initrd)
			size += slot(p->initrd_size);
	}
	if (size == 0 || c->diag->errors)
		return;   /* nothing to store, or placement would report what is already wrong */
	align = is_aligned(size, BHCC_2M) ? BHCC_2M : BHCC_PAGE;
	collect_used(s, &u);
	if (!fit(&s->board, &u, size, align, &at)) {
		align_error(c, s->hyp.path, size, align);
		return;
	}
	s->store = (struct bh_range){ at, size };
	for (unsigned i = 0; i < s->n_partitions; i++) {
		struct bh_partition *p = &s->partitions[i];

		p->image_slot_pa = at;
		at += p->image_slot_size;
		if (p->has_dtb) {
			p->dtb_slot_pa = at;
			at += slot(p->dtb_size);
		}
		if (p->has_initrd) {
			p->initrd_slot_pa = at;
			at += slot(p->initrd_size);
		}
	}
}
