/* SPDX-License-Identifier: MIT */
/*
 * s2map: every partition's stage-2 tables, computed at build time.
 *
 *   s2map POOL_PA ROOTS_PA OUT.S
 *
 * Runs the hypervisor's stage-2 builder (arch/arm64/stage2_build.c, with
 * core's table builder) on the host for each partition of the system's
 * generated tables (gen/config.c), in a pool of BH_S2_POOL_PAGES pages as
 * bhcc counted them, and writes them as assembler data for the second link:
 * partition i's root at ROOTS_PA + i pages (.s2_roots, the first pages of
 * .data: the fence writes their valid bits), the tables below the roots in
 * the order the builder took them from POOL_PA on (.s2_tables, the end of
 * .rodata). Every table descriptor is moved from the host's address of the
 * page to the page's address in the image. A table that cannot be built
 * fails the build, naming the partition and the region.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arm64.h"
#include "cfg.h"
#include "vmsa.h"

#define PAGE 4096u
#define TYPE_MASK 3u
#define TYPE_TABLE 3u
#define LEVELS 3u
#define N_PAGES ((unsigned)BH_S2_POOL_PAGES)
#define N_ROOTS ((unsigned)BH_NUM_PARTITIONS)

static pte_t pages[N_PAGES][PT_ENTRIES] __attribute__((aligned(4096)));
static uint64_t image_pa[N_PAGES];
static unsigned char level_of[N_PAGES];

/* The pool page a table descriptor points to, or -1 when it points elsewhere. */
static long pool_index(pte_t e)
{
	uintptr_t a = (uintptr_t)(e & 0x0000fffffffff000ull);
	uintptr_t base = (uintptr_t)&pages[0][0];

	if (a < base || a >= base + sizeof(pages) || ((a - base) % PAGE) != 0u)
		return -1;
	return (long)((a - base) / PAGE);
}

/* Moves the table descriptors of one table (level 1 or 2) to image addresses. */
static int relocate(pte_t *t, unsigned level)
{
	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		if ((t[i] & TYPE_MASK) != TYPE_TABLE)
			continue;
		long k = pool_index(t[i]);
		if (k < 0 || level_of[k] != 0u) {
			fprintf(stderr, "s2map: a level-%u table descriptor points outside the pool or twice to a page\n",
				level);
			return -1;
		}
		level_of[k] = (unsigned char)(level + 1u);
		t[i] = (t[i] & ~0x0000fffffffff000ull) | image_pa[k];
	}
	return 0;
}

static void emit_page(FILE *f, const pte_t *t)
{
	for (unsigned i = 0; i < PT_ENTRIES; i += 4u)
		fprintf(f, "\t.quad 0x%llx, 0x%llx, 0x%llx, 0x%llx\n", (unsigned long long)t[i],
			(unsigned long long)t[i + 1u], (unsigned long long)t[i + 2u], (unsigned long long)t[i + 3u]);
}

static int parse_pa(const char *s, uint64_t *pa)
{
	char *end;

	errno = 0;
	*pa = strtoull(s, &end, 0);
	if (errno || *end || (*pa % PAGE) != 0u) {
		fprintf(stderr, "s2map: %s: not a page-aligned address\n", s);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct pt_pool pool = { pages, N_PAGES, 0u };
	long root_of[N_ROOTS];
	uint64_t pool_pa, roots_pa;
	unsigned below = 0;
	FILE *f;

	if (argc != 4) {
		fprintf(stderr, "usage: s2map POOL_PA ROOTS_PA OUT.S\n");
		return 2;
	}
	if (parse_pa(argv[1], &pool_pa) != 0 || parse_pa(argv[2], &roots_pa) != 0)
		return 2;
	if (cfg_system.n_partitions != N_ROOTS || N_PAGES < N_ROOTS) {
		fprintf(stderr, "s2map: %u partitions, %u roots in a pool of %u pages\n", cfg_system.n_partitions,
			N_ROOTS, N_PAGES);
		return 1;
	}
	for (unsigned i = 0; i < N_ROOTS; i++) {
		const struct cfg_partition *p = &cfg_system.partitions[i];
		pte_t *root = pt_alloc(&pool);

		if (root == NULL) {
			fprintf(stderr, "s2map: partition '%s': no page left for its root\n", p->name);
			return 1;
		}
		root_of[i] = pool_index((pte_t)(uintptr_t)root);
		for (unsigned j = 0; j < p->n_regions; j++) {
			const struct cfg_region *r = &p->regions[j];
			int ret = arm64_s2_map_region(&pool, root, r);

			if (ret != PT_OK) {
				fprintf(stderr, "s2map: partition '%s': region IPA 0x%llx-0x%llx: error %d (pool of %u pages)\n",
					p->name, (unsigned long long)r->ipa, (unsigned long long)(r->ipa + r->size - 1u),
					ret, N_PAGES);
				return 1;
			}
		}
	}
	/* Roots at ROOTS_PA in partition order, every other page at POOL_PA in the order taken. */
	for (unsigned k = 0; k < N_PAGES; k++)
		image_pa[k] = ~0ull;
	for (unsigned i = 0; i < N_ROOTS; i++)
		image_pa[root_of[i]] = roots_pa + (uint64_t)i * PAGE;
	for (unsigned k = 0; k < N_PAGES; k++)
		if (image_pa[k] == ~0ull)
			image_pa[k] = pool_pa + (uint64_t)below++ * PAGE;
	if (roots_pa != pool_pa + (uint64_t)below * PAGE) {
		fprintf(stderr, "s2map: the roots (0x%llx) do not follow the %u pages below them (0x%llx): "
			"arch/arm64/hypervisor.lds must place .s2_roots right after .s2_tables\n",
			(unsigned long long)roots_pa, below, (unsigned long long)pool_pa);
		return 1;
	}
	/* Roots first (level 1), then the pool's pages in level order: a page is
	 * relocated after the one that points to it. */
	for (unsigned i = 0; i < N_ROOTS; i++)
		if (relocate(pages[root_of[i]], 1u) != 0)
			return 1;
	for (unsigned level = 2u; level < LEVELS; level++)
		for (unsigned k = 0; k < N_PAGES; k++)
			if (level_of[k] == level && relocate(pages[k], level) != 0)
				return 1;
	f = fopen(argv[3], "w");
	if (!f) {
		perror(argv[3]);
		return 1;
	}
	fprintf(f, "/* Generated by tools/el2map/s2map: the partitions' stage-2 tables, %u roots at 0x%llx, "
		"%u pages below them at 0x%llx. Do not edit. */\n", N_ROOTS, (unsigned long long)roots_pa, below,
		(unsigned long long)pool_pa);
	/* s2_pages names the whole pool: the pages below the roots, then the roots. */
	fprintf(f, "\t.section .s2_tables, \"a\"\n\t.balign 4096\n\t.global s2_pages\n\t.type s2_pages, %%object\n"
		"\t.size s2_pages, %u\ns2_pages:\n", N_PAGES * PAGE);
	for (unsigned k = 0; k < N_PAGES; k++)
		if (image_pa[k] < roots_pa)
			emit_page(f, pages[k]);
	fprintf(f, "\t.section .s2_roots, \"aw\"\n\t.balign 4096\n\t.global s2_roots\n\t.type s2_roots, %%object\n"
		"\t.size s2_roots, %u\ns2_roots:\n", N_ROOTS * PAGE);
	for (unsigned i = 0; i < N_ROOTS; i++)
		emit_page(f, pages[root_of[i]]);
	if (fclose(f) != 0) {
		perror(argv[3]);
		return 1;
	}
	return 0;
}
