/* SPDX-License-Identifier: MIT */
/*
 * Per-partition checks that involve more than one property: device and
 * interrupt ownership, the addresses where things are loaded, the stage-2
 * pool.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "backend.h"
#include "cfg.h"
#include "range.h"

/* Where the hypervisor finds the seed placeholders of /chosen (core/seed.c): property offsets in the tree. */
static uint32_t seed_offset(const void *blob, int chosen, const char *name, int len)
{
	int plen = 0;
	const struct fdt_property *prop = (chosen >= 0) ? fdt_get_property(blob, chosen, name, &plen) : NULL;

	return (prop != NULL && plen == len) ? (uint32_t)((const char *)prop - (const char *)blob) : 0u;
}

static void guest_desc_seeds(struct bh_ctx *c, struct bh_partition *p, const void *blob)
{
	int chosen = fdt_path_offset(blob, "/chosen");

	p->kaslr_seed = seed_offset(blob, chosen, "kaslr-seed", 8);
	p->rng_seed = seed_offset(blob, chosen, "rng-seed", CFG_RNG_SEED_SIZE);
	if ((p->kaslr_seed == 0u) != (p->rng_seed == 0u))
		diag_error(c->diag, p->path, "dtb-address", "internal error: only one seed placeholder in the guest device tree");
}

#define ULL(x) ((unsigned long long)(x))

struct irq_owners {
	int owner[BH_ARCH_MAX_IRQ + 1];               /* partition, BHCC_OWNER_HYP or NONE */
	const char *device[BH_ARCH_MAX_IRQ + 1];      /* path of the device that brought it */
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static bool claim_irqs(struct bh_ctx *c, struct irq_owners *o, unsigned pi, const struct bh_device *d)
{
	struct bh_partition *p = &c->sys->partitions[pi];
	bool ok = true;

	for (unsigned k = 0; k < d->n_irqs; k++) {
		uint32_t irq = d->irqs[k];

		bool takeover = p->service && d->owner == BHCC_OWNER_HYP && o->owner[irq] == BHCC_OWNER_HYP;

		if (!be_irq_assignable(c, p, d, irq)) {
			ok = false;
		} else if (takeover) {
			continue;   /* the service partition takes the console's interrupt too */
		} else if (o->owner[irq] == BHCC_OWNER_HYP) {
			diag_error(c->diag, p->path, "devices",
				   "interrupt %u of %s is owned by the hypervisor (console %s)", irq,
				   d->path, o->device[irq]);
			ok = false;
		} else if (o->owner[irq] != BHCC_OWNER_NONE && o->owner[irq] != (int)pi) {
			diag_error(c->diag, p->path, "devices",
				   "interrupt %u of %s is also owned by %s (through %s)", irq, d->path,
				   c->sys->partitions[o->owner[irq]].path, o->device[irq]);
			ok = false;
		}
	}
	if (!ok)
		return false;
	for (unsigned k = 0; k < d->n_irqs; k++) {
		uint32_t irq = d->irqs[k];

		if (o->owner[irq] == (int)pi)
			continue;   /* two of its devices share the line */
		if (p->n_irqs == BHCC_MAX_IRQS) {
			diag_error(c->diag, p->path, "devices", "more than %u interrupts", BHCC_MAX_IRQS);
			return false;
		}
		o->owner[irq] = (int)pi;
		o->device[irq] = d->path;
		p->irqs[p->n_irqs++] = irq;
	}
	return true;
}

static void add_device_regions(struct bh_ctx *c, struct bh_partition *p, unsigned dev)
{
	const struct bh_device *d = &c->sys->board.devices[dev];

	/* I/O ports are not memory: the back end gives them (be_partition_regions). */
	for (unsigned k = 0; !d->ports && k < d->n_regs; k++) {
		const struct bh_range *m = &d->regs[k];
		struct bh_region *r;

		if (range_last(m->base, m->size) >= be_space.guest_limit) {
			diag_error(c->diag, p->path, "devices",
				   "MMIO range 0x%llx-0x%llx of %s is beyond %s (0x%llx); it cannot be passed through",
				   ULL(m->base), ULL(range_last(m->base, m->size)), d->path,
				   be_space.guest_limit_text, ULL(be_space.guest_limit));
			continue;
		}
		if (p->n_regions == BHCC_MAX_REGIONS) {
			diag_error(c->diag, p->path, "devices",
				   "more than %u regions (memory@ nodes and device ranges together)",
				   BHCC_MAX_REGIONS);
			return;
		}
		r = &p->regions[p->n_regions++];
		strcpy(r->path, d->path);
		r->ipa = m->base;
		r->pa = m->base;
		r->size = m->size;
		r->access = CFG_ACCESS_R | CFG_ACCESS_W;
		r->kind = CFG_REGION_DEVICE;
		r->valid = true;
		r->has_host = true;
		r->placed = true;
		r->device = (int)dev;
		r->shared = -1;
		r->channel = -1;
	}
}

void validate_devices(struct bh_ctx *c)
{
	struct bh_system *s = c->sys;
	struct irq_owners *o = malloc(sizeof(*o));

	if (!o) {
		diag_error(c->diag, NULL, NULL, "out of memory");
		return;
	}
	for (unsigned i = 0; i <= BH_ARCH_MAX_IRQ; i++)
		o->owner[i] = BHCC_OWNER_NONE;
	if (s->hyp.console >= 0) {
		const struct bh_device *con = &s->board.devices[s->hyp.console];

		for (unsigned k = 0; k < con->n_irqs; k++) {
			o->owner[con->irqs[k]] = BHCC_OWNER_HYP;
			o->device[con->irqs[k]] = con->path;
		}
	}
	for (unsigned pi = 0; pi < s->n_partitions; pi++) {
		struct bh_partition *p = &s->partitions[pi];

		for (unsigned k = 0; k < p->n_devices; k++) {
			struct bh_device *d = &s->board.devices[p->devices[k]];

			if (!d->valid)
				continue;
			/* The service partition takes the UART over from the hypervisor once it runs. */
			if (d->owner == BHCC_OWNER_HYP && !p->service) {
				diag_error(c->diag, p->path, "devices",
					   "%s is the hypervisor's console (only the service partition may own it)", d->path);
				continue;
			}
			if (d->owner != BHCC_OWNER_NONE && d->owner != BHCC_OWNER_HYP) {
				diag_error(c->diag, p->path, "devices", "%s is also assigned to %s",
					   d->path, s->partitions[d->owner].path);
				continue;
			}
			if (!claim_irqs(c, o, pi, d))
				continue;
			if (d->owner == BHCC_OWNER_HYP)
				s->hyp_console_shared = true;
			else
				d->owner = (int)pi;
			add_device_regions(c, p, p->devices[k]);
		}
		qsort(p->irqs, p->n_irqs, sizeof(p->irqs[0]), cmp_u32);
		be_partition_regions(c, p);
	}
	free(o);
}

/* Finds the region for @addr and checks it grants @need; -1 after an error. */
static int check_in_ram(struct bh_ctx *c, const struct bh_partition *p, const char *prop,
			const char *what, uint64_t addr, uint8_t need)
{
	int i = partition_ram_at(p, addr);

	if (i < 0) {
		diag_error(c->diag, p->path, prop, "%s0x%llx is not inside any memory region of the partition",
			   what, ULL(addr));
		return -1;
	}
	if ((p->regions[i].access & need) != need) {
		diag_error(c->diag, p->path, prop, "%s0x%llx is in %s, which has no %s access (access \"%s\")",
			   what, ULL(addr), p->regions[i].path, need == CFG_ACCESS_X ? "x" : "w",
			   access_str(p->regions[i].access));
		return -1;
	}
	return i;
}

static void check_dtb(struct bh_ctx *c, struct bh_partition *p)
{
	static uint8_t blob[BHCC_GUEST_DESC_MAX];
	int i, size;

	if (!is_aligned(p->dtb_ipa, 8)) {
		diag_error(c->diag, p->path, "dtb-address", "0x%llx is not 8-byte aligned",
			   ULL(p->dtb_ipa));
		return;
	}
	i = check_in_ram(c, p, "dtb-address", "", p->dtb_ipa, CFG_ACCESS_W);
	be_check_guest_desc(c, p);
	if (i < 0)
		return;
	size = be_guest_desc_build(c->sys, p, blob, (int)sizeof(blob));
	if (size < 0) {
		diag_error(c->diag, p->path, "dtb-address",
			   "the guest device tree does not fit in %u bytes", BHCC_GUEST_DESC_MAX);
		return;
	}
	p->dtb_size = (uint64_t)size;
	guest_desc_seeds(c, p, blob);
	if (p->has_initrd && ranges_overlap(p->dtb_ipa, p->dtb_size, p->initrd_ipa, p->initrd_size))
		diag_error(c->diag, p->path, "dtb-address",
			   "the guest device tree (0x%llx-0x%llx) overlaps the initrd (0x%llx-0x%llx)",
			   ULL(p->dtb_ipa), ULL(range_last(p->dtb_ipa, p->dtb_size)), ULL(p->initrd_ipa),
			   ULL(range_last(p->initrd_ipa, p->initrd_size)));
	if (!range_inside(p->dtb_ipa, p->dtb_size, p->regions[i].ipa, p->regions[i].size))
		diag_error(c->diag, p->path, "dtb-address",
			   "the guest device tree (%d bytes) does not fit between 0x%llx and the end of %s (0x%llx)",
			   size, ULL(p->dtb_ipa), p->regions[i].path,
			   ULL(range_last(p->regions[i].ipa, p->regions[i].size)));
}

void validate_addresses(struct bh_ctx *c)
{
	for (unsigned pi = 0; pi < c->sys->n_partitions; pi++) {
		struct bh_partition *p = &c->sys->partitions[pi];
		bool entry_ok = false;

		if (p->has_entry)
			entry_ok = check_in_ram(c, p, "entry", "", p->entry, CFG_ACCESS_X) >= 0;
		if (p->has_load)
			check_in_ram(c, p, "load-address", "", p->load, CFG_ACCESS_W);
		else if (entry_ok)
			check_in_ram(c, p, "entry", "the image is loaded at entry (no load-address): ",
				     p->load, CFG_ACCESS_W);
		if (p->has_dtb)
			check_dtb(c, p);
		if (p->has_initrd && !p->has_dtb)
			diag_error(c->diag, p->path, "initrd",
				   "has no effect without dtb-address (its range goes to /chosen of the guest device tree)");
		if (p->has_bootargs && !p->has_dtb)
			diag_error(c->diag, p->path, "bootargs",
				   "has no effect without dtb-address (it goes to /chosen of the guest device tree)");
	}
}

void validate_pools(struct bh_ctx *c)
{
	/* The count is only meaningful for a layout without errors. */
	if (!c->diag->errors)
		be_count_pools(c);
}
