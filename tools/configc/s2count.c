/*
 * Stage-2 table pages, counted exactly as the hypervisor's builder spends
 * them from its pool: 4 KiB granule, 39-bit IPA, root at level 1 (512 x 1 GiB
 * entries). A level-1 entry is a 1 GiB block when IPA and PA are 1 GiB
 * aligned and a whole 1 GiB remains, else it points to a level-2 table; a
 * level-2 entry likewise is a 2 MiB block or points to a level-3 table.
 * Tables are shared between regions, so a page is counted once per distinct
 * level-1 or level-2 slot that needs a next-level table.
 */
#include <string.h>

#include "bhcc.h"
#include "cfg.h"

#define L1_SLOTS (BHCC_IPA_LIMIT / BHCC_1G)   /* 512 */
#define L2_SLOTS (BHCC_IPA_LIMIT / BHCC_2M)   /* 262144 */

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

unsigned s2_count_pages(const struct s2_map *maps, unsigned n)
{
	static struct slots s;
	unsigned pages = 1;   /* the level-1 root */

	memset(&s, 0, sizeof(s));
	for (unsigned i = 0; i < n; i++) {
		uint64_t ipa = maps[i].ipa, pa = maps[i].pa, size = maps[i].size;

		while (size && ipa < BHCC_IPA_LIMIT) {
			uint64_t step;

			if ((ipa | pa) % BHCC_1G == 0 && size >= BHCC_1G) {
				step = BHCC_1G;
			} else {
				step = min_u64(size, BHCC_1G - ipa % BHCC_1G);
				pages += level2(&s, ipa, pa, step);
			}
			ipa += step;
			pa += step;
			size -= step;
		}
	}
	return pages;
}

unsigned s2_partition_pages(const struct bh_partition *p)
{
	struct s2_map maps[BHCC_MAX_REGIONS];

	for (unsigned i = 0; i < p->n_regions; i++)
		maps[i] = (struct s2_map){ p->regions[i].ipa, p->regions[i].pa, p->regions[i].size };
	return s2_count_pages(maps, p->n_regions);
}
