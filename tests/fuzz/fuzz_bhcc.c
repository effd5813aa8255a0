/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: bhcc, the config compiler, on any device tree blob.
 *
 * Pass 1 runs on the input in memory; a description it accepts goes through
 * pass 2 with made-up program images and the outputs go to the isolation
 * oracle (bhcc_oracle.c), which aborts on a broken promise. Built with
 * libFuzzer, AddressSanitizer and UBSan (tests/fuzz/build.mk).
 *
 * Random bytes rarely make a valid blob, so a custom mutator edits the tree
 * with libfdt as a user (or an attacker) would edit the source: values of
 * the properties bhcc reads set to boundary values, properties copied,
 * deleted or added, nodes renamed (sometimes very long), added or deleted.
 * One input in five is mutated byte-wise instead, for the blob parser.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "bhcc.h"
#include "bhcc_oracle.h"

/* Limits as in configs/qemu-aarch64-virt_defconfig. */
#define MAX_CORES 4
#define MAX_PARTITIONS 8

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

static char workdir[64];
static FILE *devnull;

static void remove_workdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", workdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", workdir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(workdir, sizeof(workdir), "/tmp/bhcc-fuzz.XXXXXX");
	if (!mkdtemp(workdir) || !(devnull = fopen("/dev/null", "w"))) {
		perror("bhcc fuzz set-up");
		exit(1);
	}
	atexit(remove_workdir);
	return 0;
}

static void write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

/* Pass 2 needs an image per program; a name that never had one gets 64 bytes. */
static void make_images(const struct bh_system *sys, const char *dir)
{
	static const uint8_t image[64] = { 1 };
	char path[BHCC_FILE_MAX + 64];
	struct stat st;

	for (unsigned i = 0; i < sys->n_partitions; i++) {
		if (!sys->partitions[i].program[0])
			continue;
		snprintf(path, sizeof(path), "%s/%s.bin", dir, sys->partitions[i].name);
		if (stat(path, &st) != 0)
			write_file(path, image, sizeof(image));
	}
}

static void options(struct bhcc_options *o, const char *dtb)
{
	static char out[96], images[96], src[96];

	snprintf(out, sizeof(out), "%s/gen", workdir);
	snprintf(images, sizeof(images), "%s/images", workdir);
	snprintf(src, sizeof(src), "%s/src", workdir);
	mkdir(out, 0700);
	mkdir(images, 0700);
	mkdir(src, 0700);
	*o = (struct bhcc_options){
		.dtb = dtb, .source = "fuzz.dts", .out = out, .max_cpus = MAX_CORES,
		.max_partitions = MAX_PARTITIONS, .layout_only = true,
		.images = images, .srctree = src,
	};
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bh_system sys;
	struct bhcc_options opt;
	struct diag d;
	char dtb[96];
	const char *problem;

	snprintf(dtb, sizeof(dtb), "%s/input.dtb", workdir);
	options(&opt, dtb);
	diag_init(&d, "fuzz.dts", devnull);
	if (bhcc_load_blob(&opt, data, size, &sys, &d) != 0)
		return 0;
	/* Accepted by pass 1: the whole program, both passes as make runs them, then the oracle. */
	write_file(dtb, data, size);
	make_images(&sys, opt.images);
	if (bhcc_run(&opt, devnull) != 0) {
		fprintf(stderr, "bhcc: pass 1 accepted the blob in memory but not from its file\n");
		abort();
	}
	opt.layout_only = false;
	if (bhcc_run(&opt, devnull) != 0)
		return 0;   /* pass 2 refused it (an image path, say): nothing was written */
	problem = bhcc_oracle_check(opt.out, data, size);
	if (problem) {
		fprintf(stderr, "bhcc isolation oracle: %s\n", problem);
		abort();
	}
	return 0;
}

/* --- the structure-aware mutator ------------------------------------------- */

static uint32_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return n ? rng_state % n : 0;
}

/* Values where bhcc's checks change their answer. */
static const uint32_t interesting[] = {
	0, 1, 2, 3, 4, 8, 15, 16, 31, 32, 33, 34, 63, 64, 65, 1019, 1020, 1023, 0x1000, 0xfff, 0x1001,
	0x200000, 0x1fffff, 0x40000000, 0x3fffffff, 0x7f, 0x80, 0xff, 0x100, 0x8000000, 0x80a0000,
	0x9000000, 0x9010000, 0x41000000, 0x7ffff000, 0x80000000, 0xfffff000, 0xffffffff, 0x7fffffff,
};

static const char *const prop_names[] = {
	"reg", "interrupts", "cpus", "devices", "entry", "load-address", "host-address", "access",
	"interrupt-delivery", "direct-delivery-risk", "fault-policy", "program", "image", "dtb-address",
	"bootargs", "console", "compatible", "#address-cells", "#size-cells", "interrupt-parent",
	"interrupt-controller", "#interrupt-cells", "model", "size", "guest-address", "reg-shift",
	"reg-io-width",
};

static const char *const strings[] = {
	"direct", "mediated", "foreign-spi-deactivation", "restart", "stop", "r", "rw", "rx", "rwx",
	"demo", "arm,pl011", "ns16550a", "arm,gic-v3", "arm,gic-400", "qemu,virt", "bulkhead,system",
	"prebuilt/x.bin", "/abs/x.bin", "console=hvc0",
};

static const char *const node_names[] = {
	"memory@40000000", "memory@41000000", "memory@9000000", "cpu@4", "bulkhead", "demo-x", "x_y",
	"serial@9020000", "rtc@9030000", "interrupt-controller@8000000", "timer", "chosen", "cpus",
	"partitions", "hypervisor@40000000", "shared-memory", "shared-memory@50000000", "ping", "pong",
};

/* The n-th node of the tree (document order), or -1. */
static int nth_node(const void *fdt, uint32_t n)
{
	int depth = 0, node = 0;

	for (uint32_t i = 0; i < n && node >= 0; i++)
		node = fdt_next_node(fdt, node, &depth);
	return node;
}

static int count_nodes(const void *fdt)
{
	int depth = 0, n = 0;

	for (int node = 0; node >= 0; node = fdt_next_node(fdt, node, &depth))
		n++;
	return n;
}

/* A property of @node chosen at random, or NULL. */
static const char *pick_prop(const void *fdt, int node, const void **val, int *len)
{
	int count = 0, prop, want;
	const char *name = NULL;

	fdt_for_each_property_offset(prop, fdt, node)
		count++;
	if (!count)
		return NULL;
	want = (int)rnd((uint32_t)count);
	fdt_for_each_property_offset(prop, fdt, node)
		if (want-- == 0)
			*val = fdt_getprop_by_offset(fdt, prop, &name, len);
	return name;
}

static void random_name(char *buf, size_t len)
{
	size_t n = rnd(8) == 0 ? 200 + rnd(1900) : 1 + rnd(40);

	n = n < len - 1 ? n : len - 1;
	for (size_t i = 0; i < n; i++)
		buf[i] = "abcdefxyz-_@0123456789,.+"[rnd(25)];
	buf[n] = '\0';
}

/* Fills @v with a value for a property: cells near boundaries, a string, or phandles. */
static int random_value(void *fdt, uint8_t *v, int max)
{
	uint32_t kind = rnd(4), n = 1 + rnd(8);
	fdt32_t *cell = (fdt32_t *)(void *)v;

	if (kind == 0) {
		const char *s = strings[rnd(sizeof(strings) / sizeof(strings[0]))];
		int len = (int)strlen(s) + 1;

		memcpy(v, s, (size_t)len);
		return len;
	}
	if (n * 4 > (uint32_t)max)
		n = (uint32_t)max / 4;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t x = kind == 1 ? (uint32_t)rnd(fdt_get_max_phandle(fdt) + 2)
				       : interesting[rnd(sizeof(interesting) / sizeof(interesting[0]))];

		cell[i] = cpu_to_fdt32(x);
	}
	return (int)n * 4;
}

/* One structural edit of the tree in @fdt (a buffer of @cap bytes). */
static void edit_tree(void *fdt, int cap)
{
	static uint8_t val[4096];
	int nodes = count_nodes(fdt);
	int node = nth_node(fdt, rnd((uint32_t)nodes));
	const void *old = NULL;
	int len = 0;
	const char *name;
	char nm[2100];

	(void)cap;
	if (node < 0)
		return;
	switch (rnd(8)) {
	case 0: /* a cell of a property to a boundary value */
		name = pick_prop(fdt, node, &old, &len);
		if (name && len >= 4) {
			fdt32_t c = cpu_to_fdt32(interesting[rnd(sizeof(interesting) / sizeof(interesting[0]))]);
			int at = (int)rnd((uint32_t)len / 4) * 4;

			memcpy(val, old, (size_t)len);
			memcpy(val + at, &c, 4);
			snprintf(nm, sizeof(nm), "%s", name);
			fdt_setprop(fdt, node, nm, val, len);
		}
		break;
	case 1: /* a property's bytes mutated */
		name = pick_prop(fdt, node, &old, &len);
		if (name && len <= (int)sizeof(val)) {
			memcpy(val, old, (size_t)len);
			len = (int)LLVMFuzzerMutate(val, (size_t)len, sizeof(val));
			snprintf(nm, sizeof(nm), "%s", name);
			fdt_setprop(fdt, node, nm, val, len);
		}
		break;
	case 2: /* a property deleted */
		name = pick_prop(fdt, node, &old, &len);
		if (name) {
			snprintf(nm, sizeof(nm), "%s", name);
			fdt_delprop(fdt, node, nm);
		}
		break;
	case 3: /* a known property with a new value */
		len = random_value(fdt, val, (int)sizeof(val));
		fdt_setprop(fdt, node, prop_names[rnd(sizeof(prop_names) / sizeof(prop_names[0]))], val, len);
		break;
	case 4: { /* a property copied from another node */
		int from = nth_node(fdt, rnd((uint32_t)nodes));

		name = from < 0 ? NULL : pick_prop(fdt, from, &old, &len);
		if (name && len <= (int)sizeof(val)) {
			memcpy(val, old, (size_t)len);
			snprintf(nm, sizeof(nm), "%s", name);
			fdt_setprop(fdt, node, nm, val, len);
		}
		break;
	}
	case 5: /* a node renamed */
		if (node == 0)
			break;
		if (rnd(2))
			random_name(nm, sizeof(nm));
		else
			snprintf(nm, sizeof(nm), "%s", node_names[rnd(sizeof(node_names) / sizeof(node_names[0]))]);
		fdt_set_name(fdt, node, nm);
		break;
	case 6: /* a node added */
		snprintf(nm, sizeof(nm), "%s", node_names[rnd(sizeof(node_names) / sizeof(node_names[0]))]);
		fdt_add_subnode(fdt, node, nm);
		break;
	default: /* a node deleted */
		if (node != 0)
			fdt_del_node(fdt, node);
		break;
	}
}

/* libfdt's own check, but not on a blob before version 16, on which 1.6.1 crashes (tools/configc/run.c). */
static bool valid_blob(const uint8_t *data, size_t size)
{
	return size >= FDT_V1_SIZE && fdt_magic(data) == FDT_MAGIC && fdt_version(data) >= 16 &&
	       fdt_check_full(data, size) == 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	static uint8_t work[1 << 20];
	int cap = (int)(max_size + 8192 < sizeof(work) ? max_size + 8192 : sizeof(work));

	rng_state = seed | 1u;
	if (rnd(5) == 0 || !valid_blob(data, size) || fdt_open_into(data, work, cap) != 0)
		return LLVMFuzzerMutate(data, size, max_size);
	for (uint32_t n = 1 + rnd(3); n > 0; n--)
		edit_tree(work, cap);
	if (fdt_pack(work) != 0 || fdt_totalsize(work) > max_size)
		return LLVMFuzzerMutate(data, size, max_size);
	memcpy(data, work, fdt_totalsize(work));
	return fdt_totalsize(work);
}
