/* SPDX-License-Identifier: MIT */
/*
 * bhcc, the Bulkhead config compiler: the stages between the device tree
 * blob and the generated files, and the driver that runs them. main.c only
 * turns the command line into struct bhcc_options, so that the unit tests
 * can drive every stage directly.
 */
#ifndef BHCC_H
#define BHCC_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "model.h"

struct bhcc_options {
	const char *dtb;          /* input blob */
	const char *source;       /* the .dts path, for messages */
	const char *out;          /* GENDIR */
	unsigned max_cpus;       /* CONFIG_MAX_CORES */
	unsigned max_partitions;  /* CONFIG_MAX_PARTITIONS */
	bool layout_only;         /* pass 1: no images yet, write system.mk only */
	const char *images;       /* pass 2: where program images <partition>.bin are */
	const char *srctree;      /* base of relative `image` paths (default: working directory) */
};

/** What every stage works on. */
struct bh_ctx {
	const void *fdt;
	struct diag *diag;
	struct bh_system *sys;
	const struct bhcc_options *opt;
};

/* args.c */

/**
 * Fills @opt from the command line. Returns 0 on success, 1 after printing a
 * usage error to @err, 2 when --help was asked for (usage printed to stdout).
 */
int bhcc_parse_args(int argc, char **argv, struct bhcc_options *opt, FILE *err);

/* run.c */

/** Reads, parses and validates the description (images too unless layout_only). Returns the error count. */
unsigned bhcc_load(const struct bhcc_options *opt, struct bh_system *sys, struct diag *d);

/** bhcc_load() of a blob already in memory (@size bytes at @fdt; opt->dtb only names it). */
unsigned bhcc_load_blob(const struct bhcc_options *opt, const void *fdt, size_t size,
			struct bh_system *sys, struct diag *d);

/** The whole program after argument parsing: load, then write or clean the outputs. Returns the exit status. */
int bhcc_run(const struct bhcc_options *opt, FILE *err);

/* parse.c, parse_board.c, parse_hyp.c, parse_part.c */

/** Builds the model from the tree, reporting every syntax-level error. */
void parse_system(struct bh_ctx *c);

/** Parses /board (RAM, cores, interrupt controller, devices). */
void parse_board(struct bh_ctx *c, int node);

/**
 * Parses a board device node (compatible, reg with @ac/@sc cells, reg-shift,
 * reg-io-width, interrupts) into the next board.devices entry and returns it,
 * NULL when the table is full (reported). The caller checks the unit address:
 * a back end's bus may spell it its own way (x86's "serial@i3f8").
 */
struct bh_device *parse_board_device(struct bh_ctx *c, int node, unsigned ac, unsigned sc);

/** parse_board_device() for a bus whose devices have properties of its own (@more, NULL ended), which the caller reads. */
struct bh_device *parse_board_device_more(struct bh_ctx *c, int node, unsigned ac, unsigned sc,
					  const char *const *more);

/** Index of the board device at fdt @offset, or -1. */
int board_device_at(const struct bh_board *b, int offset);

/** Index of the board core at fdt @offset, or -1. */
int board_cpu_at(const struct bh_board *b, int offset);

/**
 * Parses /hypervisor@X with the root's cells (0 when they are unusable); must
 * run after parse_board because the console is a board device.
 */
void parse_hypervisor(struct bh_ctx *c, int node, unsigned ac, unsigned sc);

/** Parses /partitions and each partition under it; must run after parse_board. */
void parse_partitions(struct bh_ctx *c, int node);

/* parse_console.c */

/** Parses a partition's service, service-control, console and console-* properties. */
void parse_partition_console(struct bh_ctx *c, struct bh_partition *p, int node, unsigned ac);

/* channels.c, channel_map.c */

/** Adds a channel bhcc makes (after every declared one); its index, or -1 when the table is full (reported). */
int channel_add_generated(struct bh_ctx *c, const char *path, uint8_t kind, uint64_t size);

/** Parses /disks (docs/disk.md); must run after parse_partitions and parse_shared. */
void parse_disks(struct bh_ctx *c, int node);

/** Makes each disk client's channel; after channels_generate (it needs the service partition). */
void disks_generate(struct bh_ctx *c);

/** Checks the disks: devices, slices, windows, each client's device frame and interrupt. */
void validate_disks(struct bh_ctx *c);

/** Adds the service partition's regions onto trusted-service clients' RAM (before channel_regions). */
void disk_regions(struct bh_ctx *c);

/** Gives those regions their host addresses once RAM is placed. */
void disk_link(struct bh_ctx *c);

/** isolation.md: the Disks section (each slice, its client, what the service partition can reach). */
void report_disks(FILE *f, const struct bh_system *sys);

/** Parses /channels; must run after parse_partitions (its endpoints name partitions). */
void parse_channels(struct bh_ctx *c, int node);

/**
 * Finds the service partition, checks the console properties and adds the
 * channels they imply (each console channel, the log channel) after the
 * declared ones. Runs after parse_channels, also when there is no /channels.
 */
void channels_generate(struct bh_ctx *c);

/** Checks each channel alone: size, host-address, its ends' guest addresses and doorbells. */
void validate_channels(struct bh_ctx *c);

/**
 * Places the guest address of every partition end that has none (above the
 * partition's RAM, clear of its other regions), then adds the end's regions
 * to its partition: the channel's pages, each with the rights of this end.
 * Runs after every other region of the partitions is known.
 */
void channel_regions(struct bh_ctx *c);

/** Checks each emulated UART's console-address and console-interrupt; after channel_regions. */
void validate_consoles(struct bh_ctx *c);

/** After placement: gives each partition's channel regions their host address. */
void channel_link(struct bh_ctx *c);

/** Index of the valid partition named @name, or -1. */
int partition_named(const struct bh_system *s, const char *name);

/* shared.c */

/** Parses /shared-memory; must run after parse_partitions (its children name partitions). */
void parse_shared(struct bh_ctx *c, int node);

/** Checks each shared-memory region alone (size, host-address) and each mapping's guest-address. */
void validate_shared(struct bh_ctx *c);

/** Adds a region of kind CFG_REGION_SHARED to each partition that maps a valid region. */
void shared_regions(struct bh_ctx *c);

/** After placement: gives each partition's shared regions their region's host address. */
void shared_link(struct bh_ctx *c);

/* validate_board.c, validate_mem.c, validate_part.c */

/** Checks the board's resources against each other and the hypervisor region. */
void validate_board(struct bh_ctx *c);

/** Reports a range of @what that is empty, wraps or is not 4 KiB aligned; false then. */
bool check_range(struct bh_ctx *c, const char *path, const char *prop, const char *what,
		 struct bh_range r);

/** Reports a range beyond what the hypervisor maps for itself (be_space.hyp_limit); false then. */
bool check_hyp_mappable(struct bh_ctx *c, const char *path, const char *prop, const char *what,
			struct bh_range r);

/** Checks each partition region alone, then host-address ranges against the board. */
void validate_regions(struct bh_ctx *c);

/** Reports a host range at @path that is unaligned, wraps, leaves board RAM or meets the hypervisor; false then. */
bool check_host(struct bh_ctx *c, const char *path, uint64_t pa, uint64_t size);

/** Checks overlaps between placed host ranges and between guest ranges of one partition. */
void validate_overlaps(struct bh_ctx *c);

/** Adds passthrough device regions and interrupts; checks single ownership. */
void validate_devices(struct bh_ctx *c);

/** Checks entry, load-address, dtb-address and bootargs against the partition's memory. */
void validate_addresses(struct bh_ctx *c);

/** Counts the pages of the hypervisor's table pools (be_count_pools), which it sizes from the counts. */
void validate_pools(struct bh_ctx *c);

/* place.c */

/** Gives a host address to every valid region without host-address, first fit in document order. */
void place_regions(struct bh_ctx *c);

/** Places the image store after everything else and gives each image and guest device tree its slot there. */
void place_image_store(struct bh_ctx *c);

/** Largest guest description (arm64: device tree) bhcc makes; the buffers for be_guest_desc_build() use it. */
#define BHCC_GUEST_DESC_MAX 65536

/* images.c */

/** Pass 2: resolves, measures and fits each partition image; checks the guest dtb against it. */
void images_check(struct bh_ctx *c);

/** Whether @p's console is a UART the hypervisor emulates (pl011 or ns16550). */
bool console_emulated(const struct bh_partition *p);

/** Resolves a partition's `image` (relative to --srctree, else the working directory) into image_file. */
bool image_resolve(const struct bhcc_options *opt, struct bh_partition *p);

/**
 * Room the image store keeps for a partition's image, the same in both passes:
 * a prebuilt `image` file's size, a `program`'s whole RAM from its load address
 * (it is linked only after the layout pass); 0 when unknown (an error is reported).
 */
uint64_t image_room(const struct bh_partition *p);

/** Resolves, measures and places each `initrd` (both passes: the guest device tree holds its range). */
void initrds_check(struct bh_ctx *c);

/* emit_mk.c, emit_c.c, emit_load_list.c, emit_report.c */

/** Writes GENDIR/system.mk. */
void emit_mk(FILE *f, const struct bh_system *sys, const struct bhcc_options *opt);

/** Writes GENDIR/config.c. */
void emit_c(FILE *f, const struct bh_system *sys, const struct bhcc_options *opt);

/** Writes GENDIR/load.list: each file to load beside the hypervisor, where, and what it is. */
void emit_load_list(FILE *f, const struct bh_system *sys, const struct bhcc_options *opt);

/** Writes GENDIR/isolation.md. */
void emit_report(FILE *f, const struct bh_system *sys, const struct bhcc_options *opt);

/* emit_bounds.c */

/** Writes GENDIR/bounds.mk: this system's largest figures, for the path-length bounds. */
void emit_bounds(FILE *f, const struct bh_system *sys, const struct bhcc_options *opt);

/* emit_report_channels.c */

/** isolation.md: the Channels section (each channel, its ends, what each end can write). */
void report_channels(FILE *f, const struct bh_system *sys);

/** isolation.md: a partition's console, service partition and service-control rows. */
void report_console(FILE *f, const struct bh_system *sys, const struct bh_partition *p);

/* util.c */

/** Formats @size as "16 MiB", "4 KiB" or "4660 bytes" into @buf. */
const char *format_size(char *buf, size_t len, uint64_t size);

/** CFG_ACCESS_* bits as the binding writes them ("rwx"). */
const char *access_str(uint8_t access);

/** The board's RAM as one window, lowest base to highest end (what cfg_system.ram holds). */
struct bh_range board_ram_span(const struct bh_board *b);

/** Makes @path absolute against the working directory; false when it does not fit in @len. */
bool absolute_path(const char *path, char *out, size_t len);

/** Index of the valid RAM region of @p that contains guest address @addr, or -1. */
int partition_ram_at(const struct bh_partition *p, uint64_t addr);

#endif /* BHCC_H */
