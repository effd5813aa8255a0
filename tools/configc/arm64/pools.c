/*
 * Translation table pages, counted exactly as the hypervisor's builder
 * (arch/arm64/pgtable.c) spends them from its pools: 4 KiB granule, 39-bit
 * input addresses, root at level 1 (512 x 1 GiB entries). The same builder
 * makes the stage-2 tables of each partition and the hypervisor's own EL2
 * map (arch/arm64/mmu.c), whose root is not from the pool. A level-1 entry
 * is a 1 GiB block when IPA and PA are 1 GiB aligned and a whole 1 GiB
 * remains, else it points to a level-2 table; a level-2 entry likewise is a
 * 2 MiB block or points to a level-3 table.
 * Tables are shared between regions, so a page is counted once per distinct
 * level-1 or level-2 slot that needs a next-level table.
 */
#include <string.h>

#include "backend.h"
#include "cfg.h"
#include "pools.h"

#define L1_SLOTS (ARM64_IPA_LIMIT / BHCC_1G)   /* 512 */
#define L2_SLOTS (ARM64_IPA_LIMIT / BHCC_2M)   /* 262144 */

struct slots {
	uint64_t l1[L1_SLOTS / 64];
	uint64_t l2[L2_SLOTS / 64];
};

/* Marks a slot; returns 1 the first time, so the caller can count pages. */
static unsigned mark(uint64_t *bits, uint64_t slot)
{
	uint64_t bit = UINT64_C(1) << (slot % 64);

	if (bits[slot / 64] & bit)
		return 0;
	bits[slot / 64] |= bit;
	return 1;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Pages for the part of one mapping inside a single 1 GiB slot that is not a block. */
static unsigned level2(struct slots *s, uint64_t ipa, uint64_t pa, uint64_t size)
{
	unsigned pages = mark(s->l1, ipa / BHCC_1G);

	while (size) {
		uint64_t step;

		if ((ipa | pa) % BHCC_2M == 0 && size >= BHCC_2M) {
			step = BHCC_2M;
		} else {
			pages += mark(s->l2, ipa / BHCC_2M);
			step = min_u64(size, BHCC_2M - ipa % BHCC_2M);
		}
		ipa += step;
		pa += step;
		size -= step;
	}
	return pages;
}

/* Marks what one mapping needs in @s; returns the pages it adds. */
static unsigned count_map(struct slots *s, uint64_t ipa, uint64_t pa, uint64_t size)
{
	unsigned pages = 0;

	while (size && ipa < ARM64_IPA_LIMIT) {
		uint64_t step;

		if ((ipa | pa) % BHCC_1G == 0 && size >= BHCC_1G) {
			step = BHCC_1G;
		} else {
			step = min_u64(size, BHCC_1G - ipa % BHCC_1G);
			pages += level2(s, ipa, pa, step);
		}
		ipa += step;
		pa += step;
		size -= step;
	}
	return pages;
}

unsigned s2_count_pages(const struct s2_map *maps, unsigned n)
{
	static struct slots s;
	unsigned pages = 1;   /* the level-1 root */

	memset(&s, 0, sizeof(s));
	for (unsigned i = 0; i < n; i++)
		pages += count_map(&s, maps[i].ipa, maps[i].pa, maps[i].size);
	return pages;
}

/*
 * The image is mapped as three ranges from its link address (text, read-only
 * data, the rest), whose ends are only known once it is linked, and the pool
 * it is counted for is inside it. So the count takes the worst case over
 * every layout that fits the region: a level-2 table for each 1 GiB slot the
 * region touches after the link address, and a level-3 table for each of the
 * three ends, in three 2 MiB slots that need no table yet.
 */
static unsigned count_image(struct slots *s, uint64_t link, uint64_t end)
{
	unsigned pages = 0, ends = 0;

	for (uint64_t a = link - link % BHCC_1G; a < end && a < ARM64_IPA_LIMIT; a += BHCC_1G)
		pages += mark(s->l1, a / BHCC_1G);
	for (uint64_t a = link; a < end && a < ARM64_IPA_LIMIT && ends < 3; a += BHCC_2M) {
		unsigned fresh = mark(s->l2, a / BHCC_2M);

		pages += fresh;
		ends += fresh;
	}
	return pages;
}

unsigned el2_count_pages(const struct bh_system *sys)
{
	static struct slots s;
	struct bh_range dev[BE_MAX_IRQC_RANGES];
	unsigned n_dev = be_hyp_ranges(sys, dev), pages = 0;

	memset(&s, 0, sizeof(s));
	for (unsigned i = 0; i < sys->n_partitions; i++) {
		const struct bh_partition *p = &sys->partitions[i];

		for (unsigned j = 0; j < p->n_ram; j++)
			pages += count_map(&s, p->regions[j].pa, p->regions[j].pa, p->regions[j].size);
	}
	if (sys->hyp.console >= 0) {
		const struct bh_range *con = &sys->board.devices[sys->hyp.console].regs[0];

		pages += count_map(&s, con->base, con->base, con->size);
	}
	for (unsigned i = 0; i < n_dev; i++)
		pages += count_map(&s, dev[i].base, dev[i].base, dev[i].size);
	/* Last: the worst case puts the image's ends where nothing else needs a table. */
	return pages + count_image(&s, sys->hyp.reg.base + BHCC_2M, sys->hyp.reg.base + sys->hyp.reg.size);
}

unsigned s2_partition_pages(const struct bh_partition *p)
{
	struct s2_map maps[BHCC_MAX_REGIONS];

	for (unsigned i = 0; i < p->n_regions; i++)
		maps[i] = (struct s2_map){ p->regions[i].ipa, p->regions[i].pa, p->regions[i].size };
	return s2_count_pages(maps, p->n_regions);
}

void be_count_pools(struct bh_ctx *c)
{
	struct bh_system *s = c->sys;

	s->s2_pages = 0;
	for (unsigned i = 0; i < s->n_partitions; i++) {
		s->partitions[i].s2_pages = s2_partition_pages(&s->partitions[i]);
		s->s2_pages += s->partitions[i].s2_pages;
	}
	s->el2_pages = el2_count_pages(s);
}
