/* SPDX-License-Identifier: MIT */
/*
 * The board's own consistency: RAM ranges, MMIO ranges and the hypervisor
 * region. Partition checks rely on these, so they run first.
 */
#include <string.h>

#include "backend.h"
#include "range.h"

#define HYP_IMAGE_OFFSET BHCC_2M   /* the hypervisor is linked at base + 2 MiB */
/* What an I/O-port range is called; compared by address to tell it from memory ranges. */
static const char PORT_RANGE[] = "I/O-port range";

bool check_range(struct bh_ctx *c, const char *path, const char *prop, const char *what,
		 struct bh_range r)
{
	if (r.size == 0) {
		diag_error(c->diag, path, prop, "%s at 0x%llx has size zero", what,
			   (unsigned long long)r.base);
		return false;
	}
	if (range_wraps(r.base, r.size)) {
		diag_error(c->diag, path, prop, "%s 0x%llx + 0x%llx overflows 64 bits", what,
			   (unsigned long long)r.base, (unsigned long long)r.size);
		return false;
	}
	if (!is_aligned(r.base, BHCC_PAGE) || !is_aligned(r.size, BHCC_PAGE)) {
		diag_error(c->diag, path, prop,
			   "%s 0x%llx-0x%llx is not 4 KiB aligned in base and size", what,
			   (unsigned long long)r.base, (unsigned long long)range_last(r.base, r.size));
		return false;
	}
	return true;
}

/*
 * The hypervisor maps its own memory, partition RAM, its console and the
 * interrupt controller one to one in its own map, whose input addresses are
 * limited (arm64: 39 bits, TCR_EL2.T0SZ 25, arch/arm64/boot.S): a range
 * beyond would hang the boot in the map builder, before the console works.
 */
bool check_hyp_mappable(struct bh_ctx *c, const char *path, const char *prop, const char *what,
			struct bh_range r)
{
	if (range_last(r.base, r.size) < be_space.hyp_limit)
		return true;
	diag_error(c->diag, path, prop,
		   "%s 0x%llx-0x%llx reaches beyond %s (addresses must be below 0x%llx)",
		   what, (unsigned long long)r.base, (unsigned long long)range_last(r.base, r.size),
		   be_space.hyp_limit_text, (unsigned long long)be_space.hyp_limit);
	return false;
}

/* Later stages use the RAM list for placement, so unusable ranges leave it. */
static unsigned collect_ram(struct bh_ctx *c, struct bh_named_range *out)
{
	struct bh_board *b = &c->sys->board;
	unsigned kept = 0;

	for (unsigned i = 0; i < b->n_ram; i++) {
		if (!check_range(c, b->ram_path[i], "reg", "RAM range", b->ram[i]) ||
		    !check_hyp_mappable(c, b->ram_path[i], "reg", "RAM range", b->ram[i]) ||
		    !be_board_ram(c, b->ram_path[i], b->ram[i]))
			continue;
		b->ram[kept] = b->ram[i];
		if (kept != i)
			strcpy(b->ram_path[kept], b->ram_path[i]);
		kept++;
	}
	b->n_ram = kept;
	for (unsigned i = 0; i < b->n_ram; i++)
		out[i] = (struct bh_named_range){ b->ram_path[i], "RAM range", b->ram[i] };
	return b->n_ram;
}

static unsigned collect(struct bh_ctx *c, struct bh_named_range *out)
{
	struct bh_board *b = &c->sys->board;
	unsigned n = collect_ram(c, out);

	n += be_board_ranges(c, out + n);
	for (unsigned i = 0; i < b->n_devices; i++) {
		struct bh_device *d = &b->devices[i];

		if (!d->valid)
			continue;
		for (unsigned j = 0; j < d->n_regs; j++) {
			if (d->ports)   /* the back end checked them; they meet only other ports */
				out[n++] = (struct bh_named_range){ d->path, PORT_RANGE, d->regs[j] };
			else if (check_range(c, d->path, "reg", "MMIO range", d->regs[j]))
				out[n++] = (struct bh_named_range){ d->path, "MMIO range", d->regs[j] };
			else
				d->valid = false;
		}
	}
	return n;
}

static void check_board_overlaps(struct bh_ctx *c)
{
	static struct bh_named_range all[BHCC_MAX_RAM + BE_MAX_IRQC_RANGES + BHCC_MAX_DEVICES * BHCC_MAX_DEV_REGS];
	unsigned n = collect(c, all);

	for (unsigned j = 1; j < n; j++) {
		for (unsigned i = 0; i < j; i++) {
			if ((all[i].what == PORT_RANGE) != (all[j].what == PORT_RANGE))
				continue;   /* I/O ports and memory are separate address spaces */
			if (!ranges_overlap(all[i].r.base, all[i].r.size, all[j].r.base, all[j].r.size))
				continue;
			diag_error(c->diag, all[j].path, "reg", "%s 0x%llx-0x%llx overlaps %s (0x%llx-0x%llx)",
				   all[j].what, (unsigned long long)all[j].r.base,
				   (unsigned long long)range_last(all[j].r.base, all[j].r.size),
				   all[i].path, (unsigned long long)all[i].r.base,
				   (unsigned long long)range_last(all[i].r.base, all[i].r.size));
		}
	}
}

static void check_hypervisor(struct bh_ctx *c)
{
	struct bh_hyp *h = &c->sys->hyp;
	const struct bh_board *b = &c->sys->board;
	bool inside = false;

	if (!h->valid)
		return;
	if (!check_range(c, h->path, "reg", "hypervisor region", h->reg)) {
		h->valid = false;
		return;
	}
	if (!is_aligned(h->reg.base, BHCC_2M)) {
		diag_error(c->diag, h->path, "reg",
			   "base 0x%llx is not 2 MiB aligned (the hypervisor is linked at base + 2 MiB with 2 MiB mappings)",
			   (unsigned long long)h->reg.base);
		h->valid = false;
	}
	if (h->reg.size <= HYP_IMAGE_OFFSET) {
		diag_error(c->diag, h->path, "reg",
			   "size 0x%llx leaves no room for the hypervisor image, which is linked at base + 2 MiB; it must exceed 2 MiB",
			   (unsigned long long)h->reg.size);
		h->valid = false;
	}
	for (unsigned i = 0; i < b->n_ram; i++)
		inside = inside || range_inside(h->reg.base, h->reg.size, b->ram[i].base, b->ram[i].size);
	if (!inside && b->n_ram) {
		diag_error(c->diag, h->path, "reg",
			   "hypervisor region 0x%llx-0x%llx is not inside one board RAM range",
			   (unsigned long long)h->reg.base,
			   (unsigned long long)range_last(h->reg.base, h->reg.size));
		h->valid = false;
	}
}

static void check_console(struct bh_ctx *c)
{
	const struct bh_hyp *h = &c->sys->hyp;
	const struct bh_device *d;
	char what[BHCC_PATH_MAX + 8];

	if (h->console < 0)
		return;
	d = &c->sys->board.devices[h->console];
	snprintf(what, sizeof(what), "%s at", d->path);
	if (d->valid && !d->ports)
		check_hyp_mappable(c, h->path, "console", what, d->regs[0]);
}

void validate_board(struct bh_ctx *c)
{
	check_board_overlaps(c);
	be_validate_board(c);
	check_hypervisor(c);
	check_console(c);
}
