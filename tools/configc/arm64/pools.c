/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's table pools, counted by a dry run of its own builder
 * (vmsa_map: core/include/pgtable_build.h for arch/arm64/vmsa.c) against a
 * pool of host pages (count_pool.h): each partition's stage-2 tables, as
 * core/partition.c maps its regions, and the EL2 map, as arch/arm64/mmu.c
 * maps partition RAM, the image store, the channels the hypervisor is an end of, the console
 * and the GIC. What one builder took is what
 * the hypervisor takes from the pool bhcc sizes (BH_S2_POOL_PAGES,
 * BH_EL2_POOL_PAGES), whatever order the mappings come in: a table exists
 * where some mapping needs one.
 *
 * The image's three section ends are known only after the link, so its
 * share of the EL2 map is counted at the worst case over every layout that
 * fits the hypervisor region, by asking the dry run's tables where a table
 * would still be new.
 */
#include <string.h>

#include "backend.h"
#include "cfg.h"
#include "count_pool.h"
#include "pools.h"
#include "vmsa.h"

/* The most pages one 39-bit tree can take: the root, 512 level-2 and 512 x 512 level-3 tables. */
#define TREE_MAX_PAGES (1u + 512u + 512u * 512u)

static uint64_t bound(const struct s2_map *maps, unsigned n)
{
	uint64_t pages = 1;

	for (unsigned i = 0; i < n; i++)
		pages += count_pool_bound(&vmsa_format, maps[i].ipa, maps[i].size);
	return pages < TREE_MAX_PAGES ? pages : TREE_MAX_PAGES;
}

/* Maps @maps under @root from @cp; false when the builder refused one (an error bhcc reports elsewhere). */
static bool dry_run(struct count_pool *cp, pte_t *root, const struct s2_map *maps, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (maps[i].size && vmsa_map(&cp->pool, root, maps[i].ipa, maps[i].pa, maps[i].size, PTE_AF) != PT_OK)
			return false;
	return true;
}

unsigned s2_count_pages(const struct s2_map *maps, unsigned n)
{
	struct count_pool cp;
	unsigned pages = POOL_COUNT_FAILED;

	if (!count_pool_open(&cp, bound(maps, n)))
		return POOL_COUNT_FAILED;
	if (dry_run(&cp, pt_alloc(&cp.pool), maps, n))
		pages = cp.pool.used;
	count_pool_close(&cp);
	return pages;
}

unsigned s2_partition_pages(const struct bh_partition *p)
{
	struct s2_map maps[BHCC_MAX_REGIONS];

	for (unsigned i = 0; i < p->n_regions; i++)
		maps[i] = (struct s2_map){ p->regions[i].ipa, p->regions[i].pa, p->regions[i].size };
	return s2_count_pages(maps, p->n_regions);
}

/* What mmu.c maps besides the image, one to one: partition RAM, the image store, the channels it is an end of, the console, the GIC. */
static unsigned el2_maps(const struct bh_system *sys, struct s2_map *out)
{
	struct bh_range dev[BE_MAX_IRQC_RANGES];
	unsigned n_dev = be_hyp_ranges(sys, dev), n = 0;

	for (unsigned i = 0; i < sys->n_partitions; i++) {
		const struct bh_partition *p = &sys->partitions[i];

		for (unsigned j = 0; j < p->n_ram; j++)
			out[n++] = (struct s2_map){ p->regions[j].pa, p->regions[j].pa, p->regions[j].size };
	}
	if (sys->store.size)
		out[n++] = (struct s2_map){ sys->store.base, sys->store.base, sys->store.size };
	for (unsigned i = 0; i < sys->n_channels; i++)
		if (sys->channels[i].end[0].kind == CFG_END_HYPERVISOR)
			out[n++] = (struct s2_map){ sys->channels[i].pa, sys->channels[i].pa, sys->channels[i].size };
	if (sys->hyp.console >= 0) {
		const struct bh_range *con = &sys->board.devices[sys->hyp.console].regs[0];

		out[n++] = (struct s2_map){ con->base, con->base, con->size };
	}
	for (unsigned i = 0; i < n_dev; i++)
		out[n++] = (struct s2_map){ dev[i].base, dev[i].base, dev[i].size };
	return n;
}

/*
 * The image goes from the link address as three ranges (text, read-only
 * data, the rest) whose ends can fall anywhere up to the region's end: the
 * worst case needs a level-2 table in each 1 GiB slot the region touches
 * after the link address that has none yet, and a level-3 table for each
 * end, in three 2 MiB slots that have none yet.
 */
static unsigned image_worst_case(const pte_t *root, uint64_t link, uint64_t end)
{
	unsigned pages = 0, ends = 0;

	for (uint64_t a = link - link % BHCC_1G; a < end && a < ARM64_IPA_LIMIT; a += BHCC_1G)
		pages += pt_table_depth(&vmsa_format, root, a) < 2u;
	for (uint64_t a = link; a < end && a < ARM64_IPA_LIMIT && ends < 3; a += BHCC_2M)
		ends += pt_table_depth(&vmsa_format, root, a) < 3u;
	return pages + ends;
}

unsigned el2_count_pages(const struct bh_system *sys)
{
	static struct s2_map maps[BHCC_MAX_PARTITIONS * BHCC_MAX_REGIONS + 1 + BHCC_MAX_CHANNELS + 1 + BE_MAX_IRQC_RANGES];
	static pte_t root[PT_ENTRIES] __attribute__((aligned(4096)));
	unsigned n = el2_maps(sys, maps), pages = POOL_COUNT_FAILED;
	struct count_pool cp;

	/* The hypervisor's EL2 root is not from the pool. */
	memset(root, 0, sizeof(root));
	if (!count_pool_open(&cp, bound(maps, n)))
		return POOL_COUNT_FAILED;
	if (dry_run(&cp, root, maps, n))
		pages = cp.pool.used + image_worst_case(root, sys->hyp.reg.base + BHCC_2M,
							sys->hyp.reg.base + sys->hyp.reg.size);
	count_pool_close(&cp);
	return pages;
}

/* Only a description with an error bhcc failed to report makes the builder refuse a mapping. */
static void count_failed(struct bh_ctx *c, const char *path, const char *what)
{
	diag_error(c->diag, path, NULL,
		   "internal error: the hypervisor's table builder refuses %s (or bhcc could not reserve memory to count it)",
		   what);
}

void be_count_pools(struct bh_ctx *c)
{
	struct bh_system *s = c->sys;

	s->s2_pages = 0;
	for (unsigned i = 0; i < s->n_partitions; i++) {
		struct bh_partition *p = &s->partitions[i];

		p->s2_pages = s2_partition_pages(p);
		if (p->s2_pages == POOL_COUNT_FAILED) {
			count_failed(c, p->path, "this partition's stage-2 map");
			return;
		}
		s->s2_pages += p->s2_pages;
	}
	s->el2_pages = el2_count_pages(s);
	if (s->el2_pages == POOL_COUNT_FAILED)
		count_failed(c, s->hyp.path, "the hypervisor's EL2 map");
}
