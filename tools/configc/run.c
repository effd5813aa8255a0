/* SPDX-License-Identifier: MIT */
/*
 * The driver: read the blob, run every stage so that one run reports every
 * error it can, then either write all outputs or remove the stale ones.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libfdt.h>

#include "backend.h"
#include "output.h"

#define DTB_MAX (16u << 20)

static void *read_file(const char *path, size_t *size, struct diag *d)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf = NULL;

	if (!f || fstat(fileno(f), &st) != 0) {
		diag_error(d, NULL, NULL, "cannot read device tree blob '%s': %s", path,
			   strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		diag_error(d, NULL, NULL, "cannot read device tree blob '%s': %s", path,
			   S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file");
	} else if ((uint64_t)st.st_size > DTB_MAX) {
		diag_error(d, NULL, NULL,
			   "cannot read device tree blob '%s': it has %llu bytes, bhcc reads at most %u",
			   path, (unsigned long long)st.st_size, DTB_MAX);
	} else {
		*size = (size_t)st.st_size;
		buf = malloc(*size ? *size : 1);
		if (!buf || fread(buf, 1, *size, f) != *size) {
			diag_error(d, NULL, NULL, "cannot read device tree blob '%s': %s", path,
				   buf ? (ferror(f) ? strerror(errno) : "the file shrank while being read")
				       : "out of memory");
			free(buf);
			buf = NULL;
		}
	}
	if (f)
		fclose(f);
	return buf;
}

unsigned bhcc_load_blob(const struct bhcc_options *opt, const void *fdt, size_t size,
			struct bh_system *sys, struct diag *d)
{
	struct bh_ctx c = { .fdt = fdt, .diag = d, .sys = sys, .opt = opt };
	int err;

	memset(sys, 0, sizeof(*sys));
	sys->hyp.console = -1;
	sys->service = -1;
	sys->log_channel = -1;
	/* libfdt 1.6.1's fdt_check_full() dereferences a NULL root node name in a blob
	 * before version 16 (found by tests/fuzz); dtc writes version 17. */
	if (size >= FDT_V1_SIZE && fdt_magic(fdt) == FDT_MAGIC && fdt_version(fdt) < 16) {
		diag_error(d, NULL, NULL,
			   "'%s' is not a valid device tree blob: version %u, bhcc reads version 16 and later",
			   opt->dtb, fdt_version(fdt));
		return d->errors;
	}
	err = fdt_check_full(fdt, size);
	if (err) {
		diag_error(d, NULL, NULL, "'%s' is not a valid device tree blob: %s", opt->dtb,
			   fdt_strerror(err));
		return d->errors;
	}
	parse_system(&c);
	validate_board(&c);
	validate_regions(&c);
	validate_shared(&c);
	validate_channels(&c);
	validate_devices(&c);
	shared_regions(&c);
	be_validate_partitions(&c);
	disk_regions(&c);
	channel_regions(&c);
	validate_consoles(&c);
	validate_disks(&c);
	place_regions(&c);
	shared_link(&c);
	channel_link(&c);
	disk_link(&c);
	validate_overlaps(&c);
	/* Before the addresses: an x86 bzImage's guest description is built from its setup header. */
	for (unsigned i = 0; i < sys->n_partitions; i++)
		if (!image_resolve(opt, &sys->partitions[i]))
			diag_error(d, sys->partitions[i].path, sys->partitions[i].program[0] ? "program" : "image",
				   "the image file's path is longer than %u characters", BHCC_FILE_MAX - 1);
	initrds_check(&c);
	validate_addresses(&c);
	place_image_store(&c);
	if (!opt->layout_only)
		images_check(&c);
	validate_pools(&c);
	return d->errors;
}

unsigned bhcc_load(const struct bhcc_options *opt, struct bh_system *sys, struct diag *d)
{
	size_t size;
	void *fdt = read_file(opt->dtb, &size, d);

	if (!fdt) {
		memset(sys, 0, sizeof(*sys));
		sys->hyp.console = -1;
		sys->service = -1;
		sys->log_channel = -1;
		return d->errors;
	}
	bhcc_load_blob(opt, fdt, size, sys, d);
	free(fdt);
	return d->errors;
}

static void write_dtbs(struct outputs *o, const struct bh_system *sys)
{
	static uint8_t blob[BHCC_GUEST_DESC_MAX];
	char name[BHCC_NAME_MAX + 8];

	for (unsigned i = 0; i < sys->n_partitions; i++) {
		const struct bh_partition *p = &sys->partitions[i];
		int size;

		if (!p->has_dtb)
			continue;
		size = be_guest_desc_build(sys, p, blob, (int)sizeof(blob));
		if (size < 0 || (uint64_t)size != p->dtb_size) {
			diag_error(o->diag, p->path, "dtb-address",
				   "internal error: the guest device tree changed size");
			o->failed = true;
			return;
		}
		snprintf(name, sizeof(name), "%s.dtb", p->name);
		out_blob(o, name, blob, (size_t)size);
	}
}

/* Each placed image: the image, zeros to the tag's 8-byte boundary, the tag (little-endian). */
static void write_placed(struct outputs *o, const struct bh_system *sys)
{
	char name[BHCC_NAME_MAX + 8];

	for (unsigned i = 0; i < sys->n_partitions; i++) {
		const struct bh_partition *p = &sys->partitions[i];
		unsigned char *buf;
		FILE *f;

		if (!p->placed_tag)
			continue;
		buf = calloc(1, p->placed_size);
		f = fopen(p->image_file, "rb");
		if (!buf || !f || fread(buf, 1, p->image_size, f) != p->image_size) {
			diag_error(o->diag, p->path, p->program[0] ? "program" : "image",
				   "cannot read image file '%s' again: %s", p->image_file,
				   buf ? strerror(errno) : "out of memory");
			o->failed = true;
		} else {
			for (unsigned k = 0; k < 8; k++)
				buf[p->placed_size - 8 + k] = (unsigned char)(p->placed_tag >> (8 * k));
			snprintf(name, sizeof(name), "%s.placed", p->name);
			out_blob(o, name, buf, (size_t)p->placed_size);
		}
		if (f)
			fclose(f);
		free(buf);
		if (o->failed)
			return;
	}
}

static void emit(struct outputs *o, const char *name,
		 void (*fn)(FILE *, const struct bh_system *, const struct bhcc_options *),
		 const struct bh_system *sys, const struct bhcc_options *opt)
{
	FILE *f = out_begin(o, name);

	if (!f)
		return;
	fn(f, sys, opt);
	out_end(o, f);
}

static void write_outputs(const struct bhcc_options *opt, const struct bh_system *sys,
			  struct diag *d)
{
	static struct outputs o;
	char abs[BHCC_FILE_MAX];

	/* load.list names the guest device trees by absolute path. */
	if (!absolute_path(opt->out, abs, sizeof(abs) - BHCC_NAME_MAX - 8)) {
		diag_error(d, NULL, NULL, "output directory '%s': path too long", opt->out);
		return;
	}
	if (!out_init(&o, opt->out, d))
		return;
	if (opt->layout_only) {
		emit(&o, "system.mk", emit_mk, sys, opt);
	} else {
		write_dtbs(&o, sys);
		write_placed(&o, sys);
		emit(&o, "load.list", emit_load_list, sys, opt);
		emit(&o, "isolation.md", emit_report, sys, opt);
		emit(&o, "bounds.mk", emit_bounds, sys, opt);
		/* Last, because make's rule for the three files is keyed on config.c. */
		emit(&o, "config.c", emit_c, sys, opt);
	}
	out_commit(&o);
}

static void remove_outputs(const struct bhcc_options *opt, const struct bh_system *sys)
{
	char name[BHCC_NAME_MAX + 8];

	if (opt->layout_only) {
		out_remove(opt->out, "system.mk", opt->dtb);
		return;
	}
	out_remove(opt->out, "config.c", opt->dtb);
	out_remove(opt->out, "load.list", opt->dtb);
	out_remove(opt->out, "isolation.md", opt->dtb);
	out_remove(opt->out, "bounds.mk", opt->dtb);
	for (unsigned i = 0; i < sys->n_partitions; i++) {
		if (!sys->partitions[i].valid_name)
			continue;
		snprintf(name, sizeof(name), "%s.dtb", sys->partitions[i].name);
		out_remove(opt->out, name, opt->dtb);
		snprintf(name, sizeof(name), "%s.placed", sys->partitions[i].name);
		out_remove(opt->out, name, opt->dtb);
	}
}

int bhcc_run(const struct bhcc_options *opt, FILE *err)
{
	struct bh_system *sys = calloc(1, sizeof(*sys));
	struct diag d;

	if (!sys) {
		fprintf(err, "bhcc: out of memory\n");
		return 1;
	}
	diag_init(&d, opt->source, err);
	bhcc_load(opt, sys, &d);
	if (!d.errors)
		write_outputs(opt, sys, &d);
	if (d.errors)
		remove_outputs(opt, sys);
	free(sys);
	return d.errors ? 1 : 0;
}
