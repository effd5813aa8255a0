/* SPDX-License-Identifier: MIT */
/*
 * /disks: block devices of the board that the service partition serves in
 * slices (docs/disk.md, docs/bindings.md). Each child of /disks is one
 * disk: its `device` is a board device the service partition owns, and
 * each of its children is a client partition with its slice (`lba`,
 * `sectors`), the emulated virtio-mmio device it sees (`address`,
 * `interrupt`) and how the service partition reaches its buffers (`mode`):
 * through a shared-memory `window` both map, or ("trusted-service") by
 * mapping the client's RAM at `service-address`. bhcc makes one disk
 * channel per client (the hypervisor's device at end 0, the service
 * partition at end 1) and, in trusted-service mode, the service partition's
 * regions onto the client's RAM.
 */
#include <string.h>

#include <libfdt.h>

#include <bulkhead/disk.h>

#include "backend.h"
#include "cfg.h"
#include "props.h"
#include "range.h"

#define ULL(x) ((unsigned long long)(x))

static const char *const disk_props[] = { "device", "sectors", NULL };
static const char *const client_props[] = { "lba",     "sectors",         "mode",      "window",
					    "address", "service-address", "interrupt", NULL };

/* A 64-bit count in two cells (`lba`, `sectors`): whatever the node's #address-cells. */
static int prop_u64(struct bh_ctx *c, int node, const char *path, const char *name, bool required, uint64_t *out)
{
	return prop_address(c, node, path, name, required, 2, out);
}

static int shared_named(const struct bh_system *s, const char *name)
{
	for (unsigned i = 0; i < s->n_shared; i++)
		if (strcmp(s->shared[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void parse_mode(struct bh_ctx *c, struct bh_disk_client *k, int node)
{
	const char *mode, *window;

	k->window = -1;
	if (prop_string(c, node, k->path, "mode", true, &mode) != PROP_OK) {
		k->valid = false;
		return;
	}
	if (strcmp(mode, "window") == 0) {
		k->mode = BH_DISK_WINDOW;
	} else if (strcmp(mode, "trusted-service") == 0) {
		k->mode = BH_DISK_TRUSTED;
	} else {
		diag_error(c->diag, k->path, "mode", "unknown mode '%s' (expected \"window\" or \"trusted-service\")",
			   mode);
		k->valid = false;
		return;
	}
	if (prop_string(c, node, k->path, "window", k->mode == BH_DISK_WINDOW, &window) == PROP_OK) {
		if (k->mode != BH_DISK_WINDOW) {
			diag_error(c->diag, k->path, "window",
				   "has no effect in mode \"trusted-service\" (the service partition maps the client's RAM)");
			k->valid = false;
		} else if ((k->window = shared_named(c->sys, window)) < 0) {
			diag_error(c->diag, k->path, "window", "no /shared-memory region is named '%s'", window);
			k->valid = false;
		}
	} else if (k->mode == BH_DISK_WINDOW) {
		k->valid = false;
	}
}

static void parse_client(struct bh_ctx *c, struct bh_disk *d, int node, unsigned ac)
{
	struct bh_disk_client *k = &d->clients[d->n_clients++];
	const char *name = node_name(c, node);
	int sa;

	memset(k, 0, sizeof(*k));
	k->channel = -1;
	node_path(c, node, k->path);
	props_whitelist(c, node, k->path, client_props);
	node_no_children(c, node, k->path);
	k->partition = partition_named(c->sys, name);
	k->valid = k->partition >= 0;
	if (k->partition < 0)
		diag_error(c->diag, k->path, NULL,
			   "no partition is named '%s'; each child of a disk is named after a client partition", name);
	k->valid = prop_u64(c, node, k->path, "lba", true, &k->lba) == PROP_OK && k->valid;
	k->valid = prop_u64(c, node, k->path, "sectors", true, &k->sectors) == PROP_OK && k->valid;
	k->valid = ac && prop_address(c, node, k->path, "address", true, ac, &k->address) == PROP_OK && k->valid;
	k->valid = prop_u32(c, node, k->path, "interrupt", true, &k->irq) == PROP_OK && k->valid;
	sa = ac ? prop_address(c, node, k->path, "service-address", false, ac, &k->service_address) : PROP_BAD;
	k->has_service_address = sa == PROP_OK;
	k->valid = sa != PROP_BAD && k->valid;
	parse_mode(c, k, node);
	if (k->has_service_address && k->mode == BH_DISK_WINDOW) {
		diag_error(c->diag, k->path, "service-address",
			   "has no effect in mode \"window\" (the service partition reaches only the window)");
		k->valid = false;
	} else if (!k->has_service_address && k->mode == BH_DISK_TRUSTED && sa != PROP_BAD) {
		diag_error(c->diag, k->path, "service-address",
			   "missing required property (mode \"trusted-service\": where the service partition sees the client's RAM)");
		k->valid = false;
	}
}

static void parse_disk(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	struct bh_disk *d = &c->sys->disks[c->sys->n_disks++];
	const char *name = node_name(c, node);
	uint32_t ph;
	int off, child;
	unsigned n;

	(void)sc;
	memset(d, 0, sizeof(*d));
	d->device = -1;
	node_path(c, node, d->path);
	props_whitelist(c, node, d->path, disk_props);
	if (strlen(name) > BHCC_NAME_MAX || strchr(name, '@'))
		diag_error(c->diag, d->path, NULL, "disk name '%s' must be 1 to %d characters without a unit address",
			   name, BHCC_NAME_MAX);
	else
		strcpy(d->name, name);
	if (prop_phandles(c, node, d->path, "device", true, &ph, &off, 1, &n) == PROP_OK) {
		d->device = off < 0 ? -1 : board_device_at(&c->sys->board, off);
		if (d->device < 0)
			diag_error(c->diag, d->path, "device", "phandle 0x%x is not a board device", ph);
	}
	d->has_sectors = prop_u64(c, node, d->path, "sectors", false, &d->sectors) == PROP_OK;
	d->valid = d->device >= 0 && d->name[0];
	fdt_for_each_subnode(child, c->fdt, node) {
		if (d->n_clients == BHCC_MAX_DISK_CLIENTS) {
			diag_error(c->diag, d->path, NULL, "more than %u clients", BHCC_MAX_DISK_CLIENTS);
			break;
		}
		parse_client(c, d, child, ac);
	}
}

void parse_disks(struct bh_ctx *c, int node)
{
	parse_container(c, node, &c->sys->n_disks, BHCC_MAX_DISKS, "disks", parse_disk);
}

/* ---- generation: a disk channel per client ---- */

static void make_channel(struct bh_ctx *c, struct bh_disk_client *k)
{
	struct bh_system *s = c->sys;
	const struct bh_partition *svc = &s->partitions[s->service];
	const struct bh_partition *p = &s->partitions[k->partition];
	int i = channel_add_generated(c, k->path, CFG_CHANNEL_DISK, BH_DISK_CHANNEL_SIZE);
	struct bh_channel *ch;

	if (i < 0)
		return;
	ch = &s->channels[i];
	strcpy(ch->name, "disk-");
	strcat(ch->name, p->name);
	strcpy(ch->end[0].path, k->path);
	ch->end[0].kind = CFG_END_HYPERVISOR;
	ch->end[0].partition = k->partition;
	ch->end[0].valid = true;
	strcpy(ch->end[1].path, svc->path);
	ch->end[1].doorbell_prop = "console-doorbell";
	ch->end[1].kind = CFG_END_PARTITION;
	ch->end[1].partition = s->service;
	ch->end[1].has_doorbell = svc->has_console_doorbell;
	ch->end[1].doorbell = svc->console_doorbell;
	ch->end[1].valid = true;
	k->channel = i;
}

void disks_generate(struct bh_ctx *c)
{
	struct bh_system *s = c->sys;

	for (unsigned di = 0; di < s->n_disks; di++) {
		struct bh_disk *d = &s->disks[di];

		for (unsigned ki = 0; ki < d->n_clients; ki++) {
			struct bh_disk_client *k = &d->clients[ki];
			struct bh_partition *p;

			if (k->partition < 0)
				continue;
			p = &s->partitions[k->partition];
			if (s->service < 0) {
				diag_error(c->diag, k->path, NULL,
					   "a disk client needs the service partition (a partition with `service`), and there is none");
				k->valid = false;
			} else if (k->partition == s->service) {
				diag_error(c->diag, k->path, NULL, "the service partition serves the disk; it is no client of it");
				k->valid = false;
			} else if (p->disk >= 0) {
				diag_error(c->diag, k->path, NULL, "%s is already a client (%s); a partition has one disk",
					   p->path, s->disks[p->disk].clients[p->disk_client].path);
				k->valid = false;
			}
			if (!k->valid)
				continue;
			p->disk = (int)di;
			p->disk_client = (int)ki;
			make_channel(c, k);
		}
	}
}

/* ---- checks ---- */

/* Implements: REQ-DSK-001 */
static void check_device(struct bh_ctx *c, const struct bh_disk *d)
{
	const struct bh_system *s = c->sys;
	const struct bh_partition *svc;
	bool owned = false;

	if (d->device < 0 || s->service < 0)
		return;
	svc = &s->partitions[s->service];
	for (unsigned i = 0; i < svc->n_devices; i++)
		owned = owned || svc->devices[i] == (unsigned)d->device;
	if (!owned)
		diag_error(c->diag, d->path, "device", "%s is not one of the service partition's devices (%s: devices)",
			   s->board.devices[d->device].path, svc->path);
}

/* The slice alone, against the disk's size, and against the clients before it. */
/* Implements: REQ-DSK-001 */
static void check_slice(struct bh_ctx *c, const struct bh_disk *d, unsigned ki)
{
	const struct bh_disk_client *k = &d->clients[ki];

	if (k->sectors == 0) {
		diag_error(c->diag, k->path, "sectors", "is zero; a slice has at least one sector");
		return;
	}
	if (range_wraps(k->lba, k->sectors)) {
		diag_error(c->diag, k->path, "sectors", "lba 0x%llx + 0x%llx sectors overflows 64 bits", ULL(k->lba),
			   ULL(k->sectors));
		return;
	}
	if (d->has_sectors && k->lba + k->sectors > d->sectors)
		diag_error(c->diag, k->path, "sectors",
			   "the slice %llu-%llu reaches past the end of the disk (%s: sectors = %llu)", ULL(k->lba),
			   ULL(range_last(k->lba, k->sectors)), d->path, ULL(d->sectors));
	for (unsigned j = 0; j < ki; j++) {
		const struct bh_disk_client *o = &d->clients[j];

		if (o->partition < 0 || o->sectors == 0 || range_wraps(o->lba, o->sectors) ||
		    !ranges_overlap(k->lba, k->sectors, o->lba, o->sectors))
			continue;
		diag_error(c->diag, k->path, "lba", "the slice %llu-%llu overlaps the slice of %s (%llu-%llu)",
			   ULL(k->lba), ULL(range_last(k->lba, k->sectors)), o->path, ULL(o->lba),
			   ULL(range_last(o->lba, o->sectors)));
	}
}

/* Where partition @pi maps shared region @si read-write; false when it does not. */
static bool maps_rw(const struct bh_shared *sh, int pi, uint64_t *ipa)
{
	for (unsigned i = 0; i < sh->n_mappers; i++) {
		const struct bh_mapper *m = &sh->mappers[i];

		if (m->partition == pi && m->valid && (m->access & CFG_ACCESS_W)) {
			*ipa = m->ipa;
			return true;
		}
	}
	return false;
}

/* Implements: REQ-DSK-001 */
static void check_window(struct bh_ctx *c, struct bh_disk_client *k)
{
	const struct bh_system *s = c->sys;
	const struct bh_shared *sh;

	if (k->mode != BH_DISK_WINDOW || k->window < 0)
		return;
	sh = &s->shared[k->window];
	if (!maps_rw(sh, k->partition, &k->client_window)) {
		diag_error(c->diag, k->path, "window", "%s does not map '%s' read-write (%s)",
			   s->partitions[k->partition].path, sh->name, sh->path);
		k->valid = false;
	}
	if (!maps_rw(sh, s->service, &k->service_window)) {
		diag_error(c->diag, k->path, "window", "the service partition does not map '%s' read-write (%s)",
			   sh->name, sh->path);
		k->valid = false;
	}
	if (sh->n_mappers != 2) {
		diag_error(c->diag, k->path, "window",
			   "'%s' is mapped by %u partitions; a disk window is the client's and the service partition's alone",
			   sh->name, sh->n_mappers);
		k->valid = false;
	}
}

/* The virtio-mmio frame: a page of the client's space nothing else uses; its interrupt its own. */
static void check_frame(struct bh_ctx *c, const struct bh_disk_client *k)
{
	const struct bh_partition *p = &c->sys->partitions[k->partition];
	struct be_window win[BE_MAX_WINDOWS];
	unsigned n = be_guest_windows(c->sys, p, win);
	uint64_t a = k->address;

	if (!is_aligned(a, BHCC_PAGE) || range_last(a, BHCC_PAGE) >= be_space.guest_limit) {
		diag_error(c->diag, k->path, "address", "0x%llx is not a 4 KiB aligned guest address below 0x%llx (%s)",
			   ULL(a), ULL(be_space.guest_limit), be_space.guest_limit_text);
		return;
	}
	for (unsigned i = 0; i < p->n_regions; i++)
		if (p->regions[i].valid && ranges_overlap(a, BHCC_PAGE, p->regions[i].ipa, p->regions[i].size))
			diag_error(c->diag, k->path, "address", "the disk's device at 0x%llx overlaps %s (0x%llx-0x%llx)",
				   ULL(a), p->regions[i].path, ULL(p->regions[i].ipa),
				   ULL(range_last(p->regions[i].ipa, p->regions[i].size)));
	for (unsigned w = 0; w < n; w++)
		if (win[w].r.size && ranges_overlap(a, BHCC_PAGE, win[w].r.base, win[w].r.size))
			diag_error(c->diag, k->path, "address",
				   "the disk's device at 0x%llx overlaps the virtual interrupt controller's %s", ULL(a),
				   win[w].what);
	if (p->console == CFG_CONSOLE_PL011 && p->has_console_address && p->console_address == a)
		diag_error(c->diag, k->path, "address", "is the emulated UART's page too (%s: console-address)",
			   p->path);
	if (!p->has_dtb)
		diag_error(c->diag, k->path, NULL, "%s needs dtb-address: the guest finds its disk in its device tree",
			   p->path);
}

static void check_interrupt(struct bh_ctx *c, const struct bh_disk_client *k)
{
	const struct bh_system *s = c->sys;
	const struct bh_partition *p = &s->partitions[k->partition];

	if (!be_doorbell_valid(c, p, k->path, "interrupt", k->irq, false))
		return;
	if (p->console == CFG_CONSOLE_PL011 && p->has_console_irq && p->console_irq == k->irq)
		diag_error(c->diag, k->path, "interrupt", "%u is the emulated UART's interrupt too", k->irq);
	for (unsigned i = 0; i < s->n_channels; i++)
		for (unsigned e = 0; e < 2; e++)
			if (s->channels[i].end[e].kind == CFG_END_PARTITION &&
			    s->channels[i].end[e].partition == k->partition && s->channels[i].end[e].has_doorbell &&
			    s->channels[i].end[e].doorbell == k->irq)
				diag_error(c->diag, k->path, "interrupt", "%u is also a doorbell (%s: %s)", k->irq,
					   s->channels[i].end[e].path, s->channels[i].end[e].doorbell_prop);
}

/* Implements: REQ-DSK-001 */
void validate_disks(struct bh_ctx *c)
{
	for (unsigned di = 0; di < c->sys->n_disks; di++) {
		struct bh_disk *d = &c->sys->disks[di];

		check_device(c, d);
		for (unsigned ki = 0; ki < d->n_clients; ki++) {
			struct bh_disk_client *k = &d->clients[ki];

			if (k->partition < 0)
				continue;
			check_slice(c, d, ki);
			if (!k->valid || k->channel < 0)
				continue;
			check_window(c, k);
			check_frame(c, k);
			check_interrupt(c, k);
		}
	}
}

/* ---- trusted-service: the service partition's view of each client's RAM ---- */

void disk_regions(struct bh_ctx *c)
{
	struct bh_system *s = c->sys;

	for (unsigned di = 0; di < s->n_disks; di++) {
		for (unsigned ki = 0; ki < s->disks[di].n_clients; ki++) {
			const struct bh_disk_client *k = &s->disks[di].clients[ki];
			const struct bh_partition *p;
			struct bh_partition *svc;

			if (!k->valid || k->channel < 0 || k->mode != BH_DISK_TRUSTED)
				continue;
			p = &s->partitions[k->partition];
			svc = &s->partitions[s->service];
			for (unsigned j = 0; j < p->n_ram; j++) {
				const struct bh_region *m = &p->regions[j];
				struct bh_region *r;

				if (!m->valid || m->ipa < p->regions[0].ipa)
					continue;
				if (svc->n_regions == BHCC_MAX_REGIONS) {
					diag_error(c->diag, k->path, "service-address", "%s has more than %u regions",
						   svc->path, BHCC_MAX_REGIONS);
					break;
				}
				r = &svc->regions[svc->n_regions++];
				memset(r, 0, sizeof(*r));
				strcpy(r->path, k->path);
				r->ipa = k->service_address + (m->ipa - p->regions[0].ipa);
				r->size = m->size;
				r->access = CFG_ACCESS_R | CFG_ACCESS_W;
				r->kind = CFG_REGION_SHARED;
				r->valid = !range_wraps(r->ipa, r->size) && is_aligned(r->ipa, BHCC_PAGE) &&
					   range_last(r->ipa, r->size) < be_space.guest_limit;
				if (!r->valid)
					diag_error(c->diag, k->path, "service-address",
						   "0x%llx: the client's RAM would not fit below 0x%llx at a 4 KiB aligned address",
						   ULL(k->service_address), ULL(be_space.guest_limit));
				r->device = -1;
				r->shared = -1;
				r->channel = -1;
				r->lent = true;
				r->lent_from = k->partition;
				r->lent_region = j;
				r->offset = m->offset;
			}
		}
	}
}

void disk_link(struct bh_ctx *c)
{
	for (unsigned i = 0; i < c->sys->n_partitions; i++) {
		struct bh_partition *p = &c->sys->partitions[i];

		for (unsigned j = 0; j < p->n_regions; j++) {
			struct bh_region *r = &p->regions[j];
			const struct bh_region *m;

			if (!r->lent)
				continue;
			m = &c->sys->partitions[r->lent_from].regions[r->lent_region];
			r->pa = m->pa;
			r->placed = m->placed;
			r->has_host = true;
		}
	}
}
