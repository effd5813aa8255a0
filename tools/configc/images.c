/* SPDX-License-Identifier: MIT */
/*
 * Partition images: where each one is, and (pass 2, once they are built)
 * whether it fits where it is loaded.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "bhcc.h"
#include "cfg.h"
#include "range.h"

#define ULL(x) ((unsigned long long)(x))

bool image_resolve(const struct bhcc_options *opt, struct bh_partition *p)
{
	char base[BHCC_FILE_MAX];
	int n;

	p->image_file[0] = '\0';
	if (p->program[0]) {
		if (!opt->images || !p->valid_name)
			return true;
		if (!absolute_path(opt->images, base, sizeof(base)))
			return false;
		n = snprintf(p->image_file, sizeof(p->image_file), "%s/%s.bin", base, p->name);
	} else if (p->image[0] == '/') {
		n = snprintf(p->image_file, sizeof(p->image_file), "%s", p->image);
	} else if (p->image[0]) {
		/* Pass 1 has no --srctree; make runs bhcc from the source tree. */
		if (!absolute_path(opt->srctree ? opt->srctree : ".", base, sizeof(base)))
			return false;
		n = snprintf(p->image_file, sizeof(p->image_file), "%s/%s", base, p->image);
	} else {
		return true;
	}
	if (n < 0 || (size_t)n >= sizeof(p->image_file)) {
		p->image_file[0] = '\0';
		return false;
	}
	return true;
}

uint64_t image_room(const struct bh_partition *p)
{
	struct stat st;
	int i;

	if (p->image[0])
		return p->image_file[0] && stat(p->image_file, &st) == 0 && S_ISREG(st.st_mode)
			       ? (uint64_t)st.st_size : 0;
	i = partition_ram_at(p, p->load);
	if (!p->program[0] || i < 0)
		return 0;
	return p->regions[i].ipa + p->regions[i].size - p->load;
}

static void check_fit(struct bh_ctx *c, struct bh_partition *p, const char *prop)
{
	int i = partition_ram_at(p, p->load);
	const struct bh_region *r;

	if (i < 0)
		return;   /* already reported by validate_addresses() */
	r = &p->regions[i];
	if (!range_inside(p->load, p->image_extent, r->ipa, r->size))
		diag_error(c->diag, p->path, prop,
			   "image larger than its region: '%s' needs %llu bytes, %s has %llu bytes from load-address 0x%llx",
			   p->image_file, ULL(p->image_extent), r->path,
			   ULL(r->ipa + r->size - p->load), ULL(p->load));
	if (p->has_initrd && ranges_overlap(p->initrd_ipa, p->initrd_size, p->load, p->image_extent))
		diag_error(c->diag, p->path, "initrd",
			   "the initrd (0x%llx-0x%llx, at the top of %s) overlaps the image (0x%llx-0x%llx)",
			   ULL(p->initrd_ipa), ULL(range_last(p->initrd_ipa, p->initrd_size)), r->path,
			   ULL(p->load), ULL(range_last(p->load, p->image_extent)));
	if (p->has_dtb && p->dtb_size &&
	    ranges_overlap(p->dtb_ipa, p->dtb_size, p->load, p->image_extent))
		diag_error(c->diag, p->path, "dtb-address",
			   "the guest device tree (0x%llx-0x%llx) overlaps the image (0x%llx-0x%llx)",
			   ULL(p->dtb_ipa), ULL(range_last(p->dtb_ipa, p->dtb_size)), ULL(p->load),
			   ULL(range_last(p->load, p->image_extent)));
}

/* arm64 Image header (Linux's Documentation/arch/arm64/booting.rst): little-endian fields. */
#define ARM64_IMAGE_HEADER 64
#define ARM64_IMAGE_MAGIC 0x644d5241u   /* "ARM\x64" at offset 56 */

static uint64_t le64(const unsigned char *b)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

/*
 * An arm64 Image runs only from a 2 MiB aligned base + text_offset, and uses
 * image_size bytes from its start (its BSS beyond the file): the extent the
 * fit checks use, so that nothing is placed in the kernel's BSS.
 */
static void arm64_image_header(struct bh_ctx *c, struct bh_partition *p, const char *prop)
{
	unsigned char h[ARM64_IMAGE_HEADER];
	FILE *f = fopen(p->image_file, "rb");
	size_t n = f ? fread(h, 1, sizeof(h), f) : 0;
	uint64_t text_offset, size;

	if (f)
		fclose(f);
	if (n < sizeof(h) || (uint32_t)le64(h + 56) != ARM64_IMAGE_MAGIC)
		return;   /* a raw binary: its file size is its extent */
	text_offset = le64(h + 8);
	size = le64(h + 16);
	if (size > p->image_extent)
		p->image_extent = size;
	if (p->load < text_offset || !is_aligned(p->load - text_offset, BHCC_2M))
		diag_error(c->diag, p->path, p->has_load ? "load-address" : prop,
			   "'%s' is an arm64 Image with text_offset 0x%llx: it must be loaded at a 2 MiB aligned address + 0x%llx, not 0x%llx",
			   p->image_file, ULL(text_offset), ULL(text_offset), ULL(p->load));
}

/* FNV-1a, 64 bits: enough to tell this build's image from any other bytes in that place. */
static uint64_t fnv1a(uint64_t h, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

/*
 * The image placed where it runs as well as in the store (docs/boot.md), for
 * the first start: the file is the image, zeros to the next 8-byte boundary
 * of its host address, and a tag that depends on the image, the partition
 * and the place, which the hypervisor checks and erases. Not placed when the
 * tag would leave the image's RAM region: the first start then copies.
 */
static void image_place(struct bh_partition *p)
{
	int i = partition_ram_at(p, p->load);
	unsigned char buf[65536];
	uint64_t h = 0xcbf29ce484222325ull, pa, tag_at;
	const struct bh_region *r;
	FILE *f;
	size_t n;

	if (i < 0 || !p->regions[i].placed)
		return;
	r = &p->regions[i];
	pa = r->pa + (p->load - r->ipa);
	tag_at = (pa + p->image_size + 7u) & ~(uint64_t)7u;
	if (tag_at + 8u > r->pa + r->size)
		return;
	f = fopen(p->image_file, "rb");
	if (!f)
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		h = fnv1a(h, buf, n);
	fclose(f);
	h = fnv1a(h, (const unsigned char *)p->name, strlen(p->name));
	for (unsigned k = 0; k < 8; k++)
		buf[k] = (unsigned char)(pa >> (8 * k));
	h = fnv1a(h, buf, 8);
	p->placed_tag = h ? h : 1u;
	p->placed_pa = pa;
	p->placed_size = tag_at + 8u - pa;
}

void images_check(struct bh_ctx *c)
{
	for (unsigned pi = 0; pi < c->sys->n_partitions; pi++) {
		struct bh_partition *p = &c->sys->partitions[pi];
		const char *prop = p->program[0] ? "program" : "image";
		struct stat st;

		if (!p->image_file[0])
			continue;   /* no valid program or image: already reported */
		if (stat(p->image_file, &st) != 0) {
			diag_error(c->diag, p->path, prop, "cannot read image file '%s': %s",
				   p->image_file, strerror(errno));
			continue;
		}
		if (!S_ISREG(st.st_mode)) {
			diag_error(c->diag, p->path, prop, "image file '%s' is not a regular file",
				   p->image_file);
			continue;
		}
		if (st.st_size == 0) {
			diag_error(c->diag, p->path, prop, "image file '%s' is empty", p->image_file);
			continue;
		}
		p->image_size = (uint64_t)st.st_size;
		p->image_extent = p->image_size;
		p->has_image_size = true;
		if (p->image[0])
			arm64_image_header(c, p, prop);
		check_fit(c, p, prop);
		image_place(p);
	}
}

/* Where the initrd goes: page aligned at the top of the RAM region that holds load-address. */
static void initrd_place(struct bh_ctx *c, struct bh_partition *p)
{
	int i = partition_ram_at(p, p->load);
	const struct bh_region *r;
	uint64_t end;

	if (i < 0)
		return;   /* reported by validate_addresses() */
	r = &p->regions[i];
	end = r->ipa + r->size;
	if (p->initrd_size > r->size - (p->load - r->ipa)) {
		diag_error(c->diag, p->path, "initrd",
			   "'%s' (%llu bytes) does not fit in %s from load-address 0x%llx",
			   p->initrd_file, ULL(p->initrd_size), r->path, ULL(p->load));
		return;
	}
	p->initrd_ipa = (end - p->initrd_size) & ~(uint64_t)(BHCC_PAGE - 1);
	if (p->initrd_ipa < p->load)
		diag_error(c->diag, p->path, "initrd",
			   "'%s' (%llu bytes) does not fit in %s from load-address 0x%llx",
			   p->initrd_file, ULL(p->initrd_size), r->path, ULL(p->load));
}

void initrds_check(struct bh_ctx *c)
{
	const char *root = c->opt->srctree ? c->opt->srctree : ".";

	for (unsigned pi = 0; pi < c->sys->n_partitions; pi++) {
		struct bh_partition *p = &c->sys->partitions[pi];
		char base[BHCC_FILE_MAX], file[BHCC_FILE_MAX];
		struct stat st;
		int n;

		if (!p->has_initrd)
			continue;
		if (p->initrd[0] == '/')
			n = snprintf(file, sizeof(file), "%s", p->initrd);
		else if (absolute_path(root, base, sizeof(base)))
			n = snprintf(file, sizeof(file), "%s/%s", base, p->initrd);
		else
			n = -1;
		if (n >= 0 && (size_t)n < sizeof(file))
			memcpy(p->initrd_file, file, sizeof(file));
		if (n < 0 || (size_t)n >= sizeof(file)) {
			diag_error(c->diag, p->path, "initrd", "the file's path is longer than %u characters",
				   BHCC_FILE_MAX - 1);
			p->has_initrd = false;
			continue;
		}
		/* Both passes: the guest device tree and the image store depend on it. */
		if (stat(p->initrd_file, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
			diag_error(c->diag, p->path, "initrd", "cannot use '%s': %s", p->initrd_file,
				   stat(p->initrd_file, &st) != 0 ? strerror(errno) : "not a non-empty regular file");
			p->has_initrd = false;
			continue;
		}
		p->initrd_size = (uint64_t)st.st_size;
		initrd_place(c, p);
	}
}
