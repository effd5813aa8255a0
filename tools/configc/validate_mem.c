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

static bool check_host(struct bh_ctx *c, struct bh_region *r)
{
	const struct bh_board *b = &c->sys->board;
	const struct bh_hyp *h = &c->sys->hyp;
	bool inside = false;
	char ram[256];

	if (!is_aligned(r->pa, BHCC_PAGE)) {
		diag_error(c->diag, r->path, "host-address", "0x%llx is not 4 KiB aligned",
			   ULL(r->pa));
		return false;
	}
	if (range_wraps(r->pa, r->size)) {
		diag_error(c->diag, r->path, "host-address",
			   "host range 0x%llx + 0x%llx overflows 64 bits", ULL(r->pa), ULL(r->size));
		return false;
	}
	for (unsigned i = 0; i < b->n_ram; i++)
		inside = inside || range_inside(r->pa, r->size, b->ram[i].base, b->ram[i].size);
	if (!inside) {
		describe_ram(b, ram, sizeof(ram));
		diag_error(c->diag, r->path, "host-address",
			   "host range 0x%llx-0x%llx is outside board RAM (%s)", ULL(r->pa),
			   ULL(range_last(r->pa, r->size)), ram);
		return false;
	}
	if (h->valid && ranges_overlap(r->pa, r->size, h->reg.base, h->reg.size)) {
		diag_error(c->diag, r->path, "host-address",
			   "host range 0x%llx-0x%llx overlaps the hypervisor region %s (0x%llx-0x%llx)",
			   ULL(r->pa), ULL(range_last(r->pa, r->size)), h->path, ULL(h->reg.base),
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
				r->placed = check_host(c, r);
		}
	}
}

static void check_host_overlaps(struct bh_ctx *c)
{
	struct bh_system *s = c->sys;

	/* Every pair of RAM regions once, reported at the later one in document order. */
	for (unsigned pj = 0; pj < s->n_partitions; pj++) {
		for (unsigned j = 0; j < s->partitions[pj].n_ram; j++) {
			const struct bh_region *b = &s->partitions[pj].regions[j];

			if (!b->placed)
				continue;
			for (unsigned pi = 0; pi <= pj; pi++) {
				unsigned end = pi == pj ? j : s->partitions[pi].n_ram;

				for (unsigned i = 0; i < end; i++) {
					const struct bh_region *a = &s->partitions[pi].regions[i];

					if (!a->placed || !ranges_overlap(a->pa, a->size, b->pa, b->size))
						continue;
					diag_error(c->diag, b->path, b->has_host ? "host-address" : NULL,
						   "host range 0x%llx-0x%llx overlaps %s (0x%llx-0x%llx)",
						   ULL(b->pa), ULL(range_last(b->pa, b->size)), a->path,
						   ULL(a->pa), ULL(range_last(a->pa, a->size)));
				}
			}
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
			if (b->kind == CFG_REGION_RAM)
				diag_error(c->diag, b->path, "reg",
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

	for (unsigned j = 0; j < p->n_ram; j++) {
		const struct bh_region *r = &p->regions[j];

		for (unsigned w = 0; r->valid && w < n; w++) {
			if (!ranges_overlap(r->ipa, r->size, win[w].r.base, win[w].r.size))
				continue;
			diag_error(c->diag, r->path, "reg",
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
