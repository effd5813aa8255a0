/* SPDX-License-Identifier: MIT */
/*
 * /shared-memory: regions of host RAM that several partitions map, each with
 * the rights the region's node gives it. It is the only way two partitions
 * reach the same memory: a region is one host range (placed like RAM when
 * it has no host-address), and each of its children names a partition,
 * where that partition sees it (guest-address) and whether it may write
 * (access "r" or "rw"; never "x": one partition must not be able to write
 * code another runs). The mappings become regions of kind
 * CFG_REGION_SHARED of their partitions, checked against the partitions'
 * other regions like any region.
 */
#include <string.h>

#include <libfdt.h>

#include "backend.h"
#include "cfg.h"
#include "props.h"
#include "range.h"

#define ULL(x) ((unsigned long long)(x))

static const char *const region_props[] = { "size", "host-address", NULL };
static const char *const mapper_props[] = { "guest-address", "access", NULL };

static uint8_t parse_access(struct bh_ctx *c, int node, const char *path)
{
	const char *a;

	if (prop_string(c, node, path, "access", true, &a) != PROP_OK)
		return 0;
	if (strcmp(a, "r") == 0)
		return CFG_ACCESS_R;
	if (strcmp(a, "rw") == 0)
		return CFG_ACCESS_R | CFG_ACCESS_W;
	diag_error(c->diag, path, "access",
		   "'%s' is not valid for shared memory: \"r\" or \"rw\" (never executable)", a);
	return 0;
}

static void parse_mapper(struct bh_ctx *c, struct bh_shared *sh, int node, unsigned ac)
{
	struct bh_mapper *m = &sh->mappers[sh->n_mappers++];
	const char *name = node_name(c, node);

	node_path(c, node, m->path);
	props_whitelist(c, node, m->path, mapper_props);
	node_no_children(c, node, m->path);
	m->partition = partition_named(c->sys, name);
	if (m->partition < 0)
		diag_error(c->diag, m->path, NULL,
			   "no partition is named '%s'; each child of a shared-memory region is named after a partition that maps it",
			   name);
	m->access = parse_access(c, node, m->path);
	m->valid = m->partition >= 0 && m->access != 0 && ac &&
		   prop_address(c, node, m->path, "guest-address", true, ac, &m->ipa) == PROP_OK;
}

static void parse_region(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	struct bh_shared *sh = &c->sys->shared[c->sys->n_shared++];
	const char *name = node_name(c, node);
	int child, host;

	node_path(c, node, sh->path);
	sh->offset = node;
	props_whitelist(c, node, sh->path, region_props);
	if (strlen(name) > BHCC_NAME_MAX || strchr(name, '@'))
		diag_error(c->diag, sh->path, NULL,
			   "shared-memory region name '%s' must be 1 to %d characters without a unit address",
			   name, BHCC_NAME_MAX);
	else
		strcpy(sh->name, name);
	sh->valid = sc && sh->name[0] && prop_address(c, node, sh->path, "size", true, sc, &sh->size) == PROP_OK;
	host = ac ? prop_address(c, node, sh->path, "host-address", false, ac, &sh->pa) : PROP_BAD;
	sh->has_host = host != PROP_ABSENT;
	sh->valid = sh->valid && host != PROP_BAD;
	fdt_for_each_subnode(child, c->fdt, node) {
		if (sh->n_mappers == BHCC_MAX_PARTITIONS) {
			diag_error(c->diag, sh->path, NULL, "more than %u mappings", BHCC_MAX_PARTITIONS);
			break;
		}
		parse_mapper(c, sh, child, ac);
		for (unsigned i = 0; i + 1 < sh->n_mappers; i++) {
			if (sh->mappers[i].partition >= 0 &&
			    sh->mappers[i].partition == sh->mappers[sh->n_mappers - 1].partition) {
				diag_error(c->diag, sh->mappers[sh->n_mappers - 1].path, NULL,
					   "a second mapping by the same partition (%s)", sh->mappers[i].path);
				sh->mappers[sh->n_mappers - 1].valid = false;
			}
		}
	}
	if (sh->n_mappers < 2)
		diag_error(c->diag, sh->path, NULL,
			   "mapped by %u partition%s; shared memory is for two or more (one partition's own memory is a memory@ node)",
			   sh->n_mappers, sh->n_mappers == 1 ? "" : "s");
}

void parse_shared(struct bh_ctx *c, int node)
{
	parse_container(c, node, &c->sys->n_shared, BHCC_MAX_SHARED, "shared-memory regions", parse_region);
}

static bool check_mapper(struct bh_ctx *c, const struct bh_shared *sh, const struct bh_mapper *m)
{
	if (!is_aligned(m->ipa, BHCC_PAGE)) {
		diag_error(c->diag, m->path, "guest-address", "0x%llx is not 4 KiB aligned", ULL(m->ipa));
		return false;
	}
	if (range_wraps(m->ipa, sh->size) || range_last(m->ipa, sh->size) >= be_space.guest_limit) {
		diag_error(c->diag, m->path, "guest-address",
			   "guest range 0x%llx + 0x%llx reaches beyond %s (addresses must be below 0x%llx)",
			   ULL(m->ipa), ULL(sh->size), be_space.guest_limit_text, ULL(be_space.guest_limit));
		return false;
	}
	return true;
}

void validate_shared(struct bh_ctx *c)
{
	for (unsigned i = 0; i < c->sys->n_shared; i++) {
		struct bh_shared *sh = &c->sys->shared[i];

		if (sh->valid && (sh->size == 0 || !is_aligned(sh->size, BHCC_PAGE))) {
			diag_error(c->diag, sh->path, "size", "0x%llx is not a non-zero multiple of 4 KiB",
				   ULL(sh->size));
			sh->valid = false;
		}
		if (sh->valid && sh->has_host)
			sh->placed = check_host(c, sh->path, sh->pa, sh->size);
		for (unsigned j = 0; j < sh->n_mappers; j++) {
			struct bh_mapper *m = &sh->mappers[j];

			m->valid = m->valid && sh->valid && check_mapper(c, sh, m);
		}
	}
}

void shared_regions(struct bh_ctx *c)
{
	for (unsigned i = 0; i < c->sys->n_shared; i++) {
		const struct bh_shared *sh = &c->sys->shared[i];

		for (unsigned j = 0; j < sh->n_mappers; j++) {
			const struct bh_mapper *m = &sh->mappers[j];
			struct bh_partition *p;
			struct bh_region *r;

			if (!m->valid)
				continue;
			p = &c->sys->partitions[m->partition];
			if (p->n_regions == BHCC_MAX_REGIONS) {
				diag_error(c->diag, m->path, NULL,
					   "%s has more than %u regions (memory@ nodes, device ranges and shared memory together)",
					   p->path, BHCC_MAX_REGIONS);
				continue;
			}
			r = &p->regions[p->n_regions++];
			memset(r, 0, sizeof(*r));
			strcpy(r->path, m->path);
			r->ipa = m->ipa;
			r->size = sh->size;
			r->access = m->access;
			r->kind = CFG_REGION_SHARED;
			r->valid = true;
			r->has_host = sh->has_host;
			r->device = -1;
			r->shared = (int)i;
			r->channel = -1;
			r->offset = sh->offset;
		}
	}
}

void shared_link(struct bh_ctx *c)
{
	for (unsigned i = 0; i < c->sys->n_partitions; i++) {
		struct bh_partition *p = &c->sys->partitions[i];

		for (unsigned j = 0; j < p->n_regions; j++) {
			struct bh_region *r = &p->regions[j];

			if (r->shared < 0)
				continue;
			r->pa = c->sys->shared[r->shared].pa;
			r->placed = c->sys->shared[r->shared].placed;
		}
	}
}
