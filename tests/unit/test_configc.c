/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of bhcc, the config compiler (tools/configc).
 *
 * The fixtures are tests/unit/configc/<name>.dts, compiled by
 * tests/unit/configc.mk into $BULKHEAD_BUILD/unit/configc-fixtures/<name>.dtb;
 * "default" is configs/qemu-aarch64-virt-demos.dts. Each rejection has its own
 * fixture and the test compares bhcc's complete output with the exact
 * messages. The tests run from the source tree (make does that), because
 * the config.c check compiles against core/include/cfg.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "bhcc.h"
#include "bhcc_fixture.h"
#include "output.h"
#include "pools.h"
#include "cfg.h"
#include "range.h"

#define PATH FX_PATH
#define MIB(x) ((uint64_t)(x) << 20)

#define SHORT (PATH / 2)

static char g_srctree[SHORT];   /* the working directory */

/* One bhcc invocation and everything it needs. */
struct run {
	char dtb[2 * PATH];
	char source[PATH];
	char out[PATH];
	char images[PATH];
	char srctree[PATH];
	struct bhcc_options opt;
	char *err;
	int rc;
};

static int group_setup(void **state)
{
	(void)state;
	if (fx_setup("test") != 0)
		return -1;
	if (!getcwd(g_srctree, sizeof(g_srctree)))
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	return fx_teardown();
}

static off_t file_size(const char *dir, const char *name)
{
	char path[PATH * 2];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static void assert_contains(const char *text, const char *line)
{
	if (!strstr(text, line))
		fail_msg("the output lacks: %s", line);
}

/* Prepares a run of @fixture writing into a fresh folder named @tag. */
static void prepare(struct run *r, const char *fixture, const char *tag)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->dtb, sizeof(r->dtb), "%s/unit/configc-fixtures/%s.dtb", fx_build, fixture);
	if (strcmp(fixture, "default") == 0)
		snprintf(r->source, sizeof(r->source), "configs/qemu-aarch64-virt.dts");
	else
		snprintf(r->source, sizeof(r->source), "tests/unit/configc/%s.dts", fixture);
	snprintf(r->out, sizeof(r->out), "%s/%s/gen", fx_tmp, tag);
	snprintf(r->images, sizeof(r->images), "%s/%s/images", fx_tmp, tag);
	snprintf(r->srctree, sizeof(r->srctree), "%s/%s/src", fx_tmp, tag);
	r->opt.dtb = r->dtb;
	r->opt.source = r->source;
	r->opt.out = r->out;
	r->opt.max_cpus = 8;
	r->opt.max_partitions = 8;
	r->opt.layout_only = true;
}

/* Switches @r to pass 2. */
static void pass2(struct run *r)
{
	r->opt.layout_only = false;
	r->opt.images = r->images;
	r->opt.srctree = r->srctree;
}

static void run(struct run *r)
{
	size_t len;
	FILE *f = open_memstream(&r->err, &len);

	assert_non_null(f);
	r->rc = bhcc_run(&r->opt, f);
	fclose(f);
}

static void run_ok(struct run *r)
{
	run(r);
	assert_string_equal(r->err, "");
	assert_int_equal(r->rc, 0);
}

/* The exact output expected: each line prefixed with the source, as bhcc prints it. */
static char *expected_text(const char *source, const char *const *lines)
{
	size_t len = 1;
	char *s;

	for (const char *const *l = lines; *l; l++)
		len += strlen(source) + strlen(*l) + 3;
	s = calloc(1, len);
	assert_non_null(s);
	for (const char *const *l = lines; *l; l++) {
		strcat(s, source);
		strcat(s, ": ");
		strcat(s, *l);
		strcat(s, "\n");
	}
	return s;
}

static void check_errors(struct run *r, const char *const *lines)
{
	char *want = expected_text(r->source, lines);

	run(r);
	assert_string_equal(r->err, want);
	assert_int_equal(r->rc, 1);
	assert_false(fx_exists(r->out, "system.mk"));
	assert_false(fx_exists(r->out, "config.c"));
	free(want);
	free(r->err);
}

static void expect_errors(const char *fixture, const char *const *lines)
{
	struct run r;

	prepare(&r, fixture, fixture);
	check_errors(&r, lines);
}

#define EXPECT_ERRORS(fixture, ...) expect_errors(fixture, (const char *const[]){ __VA_ARGS__, NULL })

/* Loads a fixture into a model and asserts it has no errors. */
static struct bh_system *load_ok(struct run *r)
{
	struct bh_system *sys = calloc(1, sizeof(*sys));
	struct diag d;
	size_t len;
	char *err;
	FILE *f = open_memstream(&err, &len);

	assert_non_null(sys);
	assert_non_null(f);
	diag_init(&d, r->source, f);
	bhcc_load(&r->opt, sys, &d);
	fclose(f);
	assert_string_equal(err, "");
	free(err);
	return sys;
}

static struct bh_system *load_fixture(const char *fixture)
{
	struct run r;

	prepare(&r, fixture, fixture);
	return load_ok(&r);
}

static const struct bh_partition *partition(const struct bh_system *sys, const char *name)
{
	for (unsigned i = 0; i < sys->n_partitions; i++)
		if (strcmp(sys->partitions[i].name, name) == 0)
			return &sys->partitions[i];
	fail_msg("no partition %s", name);
	return NULL;
}

/* ---- positive cases ---------------------------------------------------- */

/* Verifies: REQ-CFG-001~2, REQ-CFG-014, REQ-CFG-027 */
static void test_default_validates(void **state)
{
	struct bh_system *sys = load_fixture("default");
	const struct bh_partition *b, *c;

	(void)state;
	assert_int_equal(sys->board.n_cpus, 4);
	assert_int_equal(sys->board.arch.gic.version, 3);
	assert_int_equal(sys->n_partitions, 3);
	assert_int_equal(sys->hyp.reg.base, 0x40000000);
	assert_int_equal(sys->hyp.reg.size, MIB(16));
	assert_string_equal(sys->board.devices[sys->hyp.console].path, "/board/serial@9000000");
	b = partition(sys, "demo-b");
	assert_int_equal(b->n_vcpus, 2);
	assert_int_equal(b->vcpu_cpu[0], 1);
	assert_int_equal(b->vcpu_cpu[1], 2);
	assert_int_equal(b->fault_policy, CFG_FAULT_RESTART);
	assert_int_equal(sys->board.cpus[2].owner, 1);
	assert_int_equal(sys->board.cpus[2].vcpu, 1);
	c = partition(sys, "demo-c");
	assert_int_equal(c->n_regions, 2);
	assert_int_equal(c->regions[1].kind, CFG_REGION_DEVICE);
	assert_int_equal(c->regions[1].ipa, 0x9010000);
	assert_int_equal(c->regions[1].pa, 0x9010000);
	assert_int_equal(c->regions[1].access, CFG_ACCESS_R | CFG_ACCESS_W);
	assert_int_equal(c->n_irqs, 1);
	assert_int_equal(c->irqs[0], 34);
	assert_int_equal(c->fault_policy, CFG_FAULT_STOP);
	free(sys);
}

/* Verifies: REQ-CFG-030 */
static void test_auto_placement_default(void **state)
{
	struct bh_system *sys = load_fixture("default");
	const struct bh_region *r = &partition(sys, "demo-c")->regions[0];

	(void)state;
	/* After the hypervisor (16 MiB), demo-a (16 MiB) and demo-b (32 MiB). */
	assert_false(r->has_host);
	assert_true(r->placed);
	assert_int_equal(r->pa, 0x44000000);
	free(sys);
}

/* Verifies: REQ-CFG-030 */
static void test_auto_placement_first_fit(void **state)
{
	struct bh_system *sys = load_fixture("ok-place");
	const struct bh_partition *fixed = partition(sys, "fixed");
	const struct bh_partition *second = partition(sys, "second");
	const struct bh_partition *third = partition(sys, "third");

	(void)state;
	assert_int_equal(fixed->regions[0].pa, 0x41200000);
	assert_true(fixed->regions[0].has_host);
	assert_int_equal(fixed->regions[1].pa, 0x41000000);
	assert_int_equal(second->regions[0].pa, 0x41400000);
	assert_int_equal(second->regions[1].pa, 0x41003000);
	assert_int_equal(third->regions[0].pa, 0x41600000);
	free(sys);
}

/* Verifies: REQ-CFG-030 */
static void test_auto_placement_several_ram_ranges(void **state)
{
	struct bh_system *sys = load_fixture("ok-gicv2");
	const struct bh_partition *linux = partition(sys, "linux");
	const struct bh_partition *rtos = partition(sys, "rtos");

	(void)state;
	assert_int_equal(linux->regions[0].pa, 0x80400000);   /* 2 MiB aligned, after the hypervisor */
	assert_int_equal(linux->regions[1].pa, 0xd0000000);   /* explicit */
	assert_int_equal(rtos->regions[0].pa, 0xc0000000);    /* explicit */
	assert_int_equal(rtos->regions[1].pa, 0x84400000);    /* 20 KiB, 4 KiB aligned */
	assert_int_equal(rtos->regions[2].pa, 0x84405000);
	free(sys);
}

/* Verifies: REQ-CFG-001~2, REQ-CFG-032 */
static void test_system_mk_default(void **state)
{
	static const char want[] =
		"# Generated by bhcc from configs/qemu-aarch64-virt.dts. Do not edit.\n"
		"BH_BOARD := qemu,virt\n"
		"BH_NUM_CORES := 4\n"
		"BH_NUM_PARTITIONS := 3\n"
		"BH_NUM_CHANNELS := 0\n"
		"BH_RAM_BASE := 0x40000000\n"
		"BH_RAM_SIZE := 0x40000000\n"
		"BH_HYP_BASE := 0x40000000\n"
		"BH_HYP_SIZE := 0x1000000\n"
		"BH_HYP_LINK := 0x40200000\n"
		"BH_HYP_NODE := /hypervisor@40000000\n"
		"BH_GIC_VERSION := 3\n"
		"BH_CONSOLE := pl011\n"
		"BH_GICD_BASE := 0x8000000\n"
		"BH_GICR_BASE := 0x80a0000\n"
		"BH_GICR_SIZE := 0xf60000\n"
		"BH_S2_POOL_PAGES := 8\n"
		"BH_EL2_POOL_PAGES := 8\n"
		"BH_STORE_BASE := 0x45000000\n"
		"BH_STORE_SIZE := 0x4001000\n"
		"BH_STORE_INPUTS :=\n"
		"BH_DISK_SECTORS :=\n"
		"BH_PARTITIONS := demo-a demo-b demo-c\n"
		"BH_PART_demo-a_PROGRAM := demo\n"
		"BH_PART_demo-a_IMAGE :=\n"
		"BH_PART_demo-a_LOAD := 0x40000000\n"
		"BH_PART_demo-a_RAM_BASE := 0x40000000\n"
		"BH_PART_demo-a_RAM_SIZE := 0x1000000\n"
		"BH_PART_demo-a_VCPUS := 1\n"
		"BH_PART_demo-b_PROGRAM := demo\n"
		"BH_PART_demo-b_IMAGE :=\n"
		"BH_PART_demo-b_LOAD := 0x40000000\n"
		"BH_PART_demo-b_RAM_BASE := 0x40000000\n"
		"BH_PART_demo-b_RAM_SIZE := 0x2000000\n"
		"BH_PART_demo-b_VCPUS := 2\n"
		"BH_PART_demo-c_PROGRAM := demo\n"
		"BH_PART_demo-c_IMAGE :=\n"
		"BH_PART_demo-c_LOAD := 0x40000000\n"
		"BH_PART_demo-c_RAM_BASE := 0x40000000\n"
		"BH_PART_demo-c_RAM_SIZE := 0x1000000\n"
		"BH_PART_demo-c_VCPUS := 1\n";
	struct run r;
	char *mk;

	(void)state;
	prepare(&r, "default", "mk-default");
	run_ok(&r);
	mk = fx_read_in(r.out, "system.mk");
	assert_string_equal(mk, want);
	/* Pass 1 writes system.mk only. */
	assert_false(fx_exists(r.out, "config.c"));
	assert_false(fx_exists(r.out, "load.list"));
	assert_false(fx_exists(r.out, "isolation.md"));
	free(mk);
	free(r.err);
}

/* Verifies: REQ-CFG-032 */
static void test_system_mk_prebuilt_image(void **state)
{
	struct run r;
	char want[4 * PATH];
	char *mk;

	(void)state;
	prepare(&r, "ok-gicv2", "mk-gicv2");
	r.opt.srctree = r.srctree;
	run_ok(&r);
	mk = fx_read_in(r.out, "system.mk");
	snprintf(want, sizeof(want),
		 "# Generated by bhcc from tests/unit/configc/ok-gicv2.dts. Do not edit.\n"
		 "BH_BOARD := acme,board\n"
		 "BH_NUM_CORES := 3\n"
		 "BH_NUM_PARTITIONS := 2\n"
		 "BH_NUM_CHANNELS := 0\n"
		 "BH_RAM_BASE := 0x80000000\n"
		 "BH_RAM_SIZE := 0x58000000\n"
		 "BH_HYP_BASE := 0x80000000\n"
		 "BH_HYP_SIZE := 0x400000\n"
		 "BH_HYP_LINK := 0x80200000\n"
		 "BH_HYP_NODE := /hypervisor@80000000\n"
		 "BH_GIC_VERSION := 2\n"
		 "BH_CONSOLE := ns16550\n"
		 "BH_GICD_BASE := 0x2c001000\n"
		 "BH_GICC_BASE := 0x2c002000\n"
		 "BH_S2_POOL_PAGES := 11\n"
		 "BH_EL2_POOL_PAGES := 8\n"
		 "BH_STORE_BASE := 0x84406000\n"
		 "BH_STORE_SIZE := 0x6000\n"
		 "BH_STORE_INPUTS := %s/prebuilt/linux.bin\n"
		 "BH_DISK_SECTORS :=\n"
		 "BH_PARTITIONS := linux rtos\n"
		 "BH_PART_linux_PROGRAM :=\n"
		 "BH_PART_linux_IMAGE := %s/prebuilt/linux.bin\n"
		 "BH_PART_linux_LOAD := 0x80000000\n"
		 "BH_PART_linux_RAM_BASE := 0x80000000\n"
		 "BH_PART_linux_RAM_SIZE := 0x4000000\n"
		 "BH_PART_linux_VCPUS := 2\n"
		 "BH_PART_rtos_PROGRAM := rtos\n"
		 "BH_PART_rtos_IMAGE :=\n"
		 "BH_PART_rtos_LOAD := 0x200000\n"
		 "BH_PART_rtos_RAM_BASE := 0x200000\n"
		 "BH_PART_rtos_RAM_SIZE := 0x5000\n"
		 "BH_PART_rtos_VCPUS := 1\n",
		 r.srctree, r.srctree);
	assert_string_equal(mk, want);
	free(mk);
	free(r.err);
}

/* Pass 2 of the default description with made-up program images. */
static void default_pass2(struct run *r, const char *tag)
{
	prepare(r, "default", tag);
	pass2(r);
	fx_write_file(r->images, "demo-a.bin", 5000);
	fx_write_file(r->images, "demo-b.bin", 7000);
	fx_write_file(r->images, "demo-c.bin", 100);
	fx_mkdirs(r->srctree);
}

/* Pass 2 of ok-gicv2: a prebuilt image under --srctree and a program image. */
static void gicv2_pass2(struct run *r, const char *tag, uint64_t linux_size)
{
	char dir[PATH + 16];

	prepare(r, "ok-gicv2", tag);
	pass2(r);
	snprintf(dir, sizeof(dir), "%s/prebuilt", r->srctree);
	fx_write_file(dir, "linux.bin", linux_size);
	fx_write_file(r->images, "rtos.bin", 4000);
}

/* Verifies: REQ-CFG-001~2, REQ-CFG-060, REQ-MEM-013 */
static void test_pass2_outputs(void **state)
{
	struct run r;
	char want[10 * PATH];
	char *s;

	(void)state;
	default_pass2(&r, "pass2-default");
	run_ok(&r);
	assert_true(fx_exists(r.out, "config.c"));
	assert_true(fx_exists(r.out, "load.list"));
	assert_true(fx_exists(r.out, "isolation.md"));
	assert_false(fx_exists(r.out, "system.mk"));   /* pass 1's file */
	assert_false(fx_exists(r.out, "demo-a.dtb"));  /* no dtb-address */
	assert_true(fx_exists(r.out, "demo-c.dtb"));
	s = fx_read_in(r.out, "load.list");
	/* Programs get their RAM from the load address (known before they are linked), the
	 * device tree its size in pages, one after the other from the store's base. */
	snprintf(want, sizeof(want),
		 "# Generated by bhcc from configs/qemu-aarch64-virt.dts. Do not edit.\n"
		 "# kind partition host-address size file\n"
		 "# image store 0x45000000 size 0x4001000\n"
		 "image demo-a 0x45000000 0x1388 %s/demo-a.bin\n"
		 "placed demo-a 0x41000000 0x1390 %s/demo-a.placed\n"
		 "image demo-b 0x46000000 0x1b58 %s/demo-b.bin\n"
		 "placed demo-b 0x42000000 0x1b60 %s/demo-b.placed\n"
		 "image demo-c 0x48000000 0x64 %s/demo-c.bin\n"
		 "placed demo-c 0x44000000 0x70 %s/demo-c.placed\n"
		 "dtb demo-c 0x49000000 0x%llx %s/demo-c.dtb\n",
		 r.images, r.out, r.images, r.out, r.images, r.out,
		 (unsigned long long)file_size(r.out, "demo-c.dtb"), r.out);
	assert_string_equal(s, want);
	/* Each placed file: the image, zeros to the next 8-byte boundary of its host address, the tag. */
	assert_int_equal(file_size(r.out, "demo-a.placed"), 0x1390);
	assert_int_equal(file_size(r.out, "demo-c.placed"), 0x70);
	free(s);
	free(r.err);
}

/* Pass 2's bounds.mk: the largest figures of the config.c it writes beside it (the path-length
 * model's BHCC_SYS_ constants): demo-b's image is the largest blob, demo-c's device tree the
 * only one, demo-b's 32 MiB the largest RAM region and the most RAM of a partition, its two vCPUs
 * and two regions the most. */
/* Verifies: REQ-CRT-032, REQ-CRT-038 */
static void test_pass2_bounds(void **state)
{
	struct run r;
	char want[PATH];
	char *s;
	unsigned long long dtb;

	(void)state;
	default_pass2(&r, "pass2-bounds");
	run_ok(&r);
	s = fx_read_in(r.out, "bounds.mk");
	dtb = (unsigned long long)file_size(r.out, "demo-c.dtb");
	snprintf(want, sizeof(want),
		 "# Generated by bhcc from configs/qemu-aarch64-virt.dts. Do not edit.\n"
		 "BHCC_SYS_MAX_REGIONS := 2\n"
		 "BHCC_SYS_MAX_RAM_REGION := 0x2000000\n"
		 "BHCC_SYS_MAX_PARTITION_RAM := 0x2000000\n"
		 "BHCC_SYS_MAX_BLOB := 0x%llx\n"
		 "BHCC_SYS_MAX_BOOT_INFO := 0x%llx\n"
		 "BHCC_SYS_MAX_VCPUS := 2\n"
		 "BHCC_SYS_MAX_CHANNEL := 0x0\n",
		 dtb > 0x1b58u ? dtb : 0x1b58u, dtb);
	assert_string_equal(s, want);
	free(s);
	free(r.err);
}

/* Verifies: REQ-CFG-035, REQ-CFG-060 */
static void test_load_list_with_dtb(void **state)
{
	struct run r;
	char want[6 * PATH];
	char *s;

	(void)state;
	gicv2_pass2(&r, "list-gicv2", 300000);
	run_ok(&r);
	assert_true(fx_exists(r.out, "linux.dtb"));
	assert_false(fx_exists(r.out, "rtos.dtb"));
	s = fx_read_in(r.out, "load.list");
	/* A prebuilt image gets its own size in whole pages; the store goes after every region. */
	snprintf(want, sizeof(want),
		 "# Generated by bhcc from tests/unit/configc/ok-gicv2.dts. Do not edit.\n"
		 "# kind partition host-address size file\n"
		 "# image store 0x84406000 size 0x%llx\n"
		 "image linux 0x84406000 0x493e0 %s/prebuilt/linux.bin\n"
		 "placed linux 0x80400000 0x493e8 %s/linux.placed\n"
		 "dtb linux 0x84450000 0x%llx %s/linux.dtb\n"
		 "image rtos 0x84451000 0xfa0 %s/rtos.bin\n"
		 "placed rtos 0x84400000 0xfa8 %s/rtos.placed\n",
		 0x4a000ull + 0x1000ull + 0x5000ull, r.srctree, r.out,
		 (unsigned long long)file_size(r.out, "linux.dtb"), r.out, r.images, r.out);
	assert_string_equal(s, want);
	free(s);
	free(r.err);
}

/* Verifies: REQ-CFG-062 */
static void test_initrd(void **state)
{
	struct run r;
	char dir[PATH + 32], want[2 * PATH];
	char *s;
	void *fdt;
	int chosen;
	const fdt64_t *v;

	(void)state;
	prepare(&r, "ok-initrd", "initrd");
	pass2(&r);
	snprintf(dir, sizeof(dir), "%s/prebuilt", r.srctree);
	fx_write_file(dir, "linux.bin", 300000);
	fx_write_file(dir, "initrd.img", 100000);
	fx_write_file(r.images, "rtos.bin", 4000);
	run_ok(&r);
	/* At the top of the RAM region holding load-address (0x80000000 + 64 MiB), page aligned. */
	fdt = fx_read_in(r.out, "linux.dtb");
	chosen = fdt_path_offset(fdt, "/chosen");
	assert_true(chosen >= 0);
	v = fdt_getprop(fdt, chosen, "linux,initrd-start", NULL);
	assert_non_null(v);
	assert_int_equal(fdt64_ld(v), 0x83fe7000);
	v = fdt_getprop(fdt, chosen, "linux,initrd-end", NULL);
	assert_non_null(v);
	assert_int_equal(fdt64_ld(v), 0x83fe7000 + 100000);
	free(fdt);
	/* Its pristine copy has a slot in the image store after the partition's guest dtb. */
	s = fx_read_in(r.out, "load.list");
	snprintf(want, sizeof(want), "initrd linux 0x84451000 0x186a0 %s/prebuilt/initrd.img\n", r.srctree);
	assert_non_null(strstr(s, want));
	free(s);
	s = fx_read_in(r.out, "config.c");
	assert_non_null(strstr(s, ".initrd = { .pa = 0x84451000, .size = 0x186a0, .ipa = 0x83fe7000 },"));
	free(s);
	free(r.err);
	/* A missing initrd is an error naming the node and the property, in either pass. */
	snprintf(dir, sizeof(dir), "%s/prebuilt/initrd.img", r.srctree);
	assert_int_equal(unlink(dir), 0);
	run(&r);
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.err, "/partitions/linux: initrd: cannot use '"));
	free(r.err);
}

/* An arm64 Image header: magic, text_offset and image_size, the rest zero. */
static void write_arm64_image(const char *dir, const char *name, uint64_t text_offset, uint64_t image_size)
{
	unsigned char h[4096] = { 0 };
	char path[PATH * 2];
	FILE *f;

	for (int i = 0; i < 8; i++) {
		h[8 + i] = (unsigned char)(text_offset >> (8 * i));
		h[16 + i] = (unsigned char)(image_size >> (8 * i));
	}
	memcpy(h + 56, "ARM\x64", 4);
	fx_mkdirs(dir);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(h, 1, sizeof(h), f), sizeof(h));
	assert_int_equal(fclose(f), 0);
}

/* Verifies: REQ-CFG-063 */
static void test_arm64_image_header(void **state)
{
	struct run r;
	char dir[PATH + 32];

	(void)state;
	/* image_size reaches into the initrd at the top of the region: refused. */
	prepare(&r, "ok-initrd", "arm64-header");
	pass2(&r);
	snprintf(dir, sizeof(dir), "%s/prebuilt", r.srctree);
	write_arm64_image(dir, "linux.bin", 0, 0x3ff0000);
	fx_write_file(dir, "initrd.img", 100000);
	fx_write_file(r.images, "rtos.bin", 4000);
	run(&r);
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.err, "/partitions/linux: initrd: the initrd (0x83fe7000-0x83fff69f"));
	free(r.err);
	/* Within the region and clear of the initrd and the device tree: accepted. */
	write_arm64_image(dir, "linux.bin", 0, 0x3e00000);
	run_ok(&r);
	free(r.err);
	/* text_offset 0x80000 with load-address 0x80000000: not a 2 MiB aligned base + text_offset. */
	write_arm64_image(dir, "linux.bin", 0x80000, 0x100000);
	run(&r);
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.err, "/partitions/linux: load-address: '"));
	assert_non_null(strstr(r.err, "is an arm64 Image with text_offset 0x80000: it must be loaded at a 2 MiB aligned address + 0x80000, not 0x80000000"));
	free(r.err);
}

/* A program that prints cfg_system in a fixed format, linked with the generated files. */
static const char checker_src[] =
	"#include <stdio.h>\n"
	"#include \"cfg.h\"\n"
	"static void mmio(const char *n, struct cfg_mmio m)\n"
	"{\n"
	"\tprintf(\"%s %llx %llx\\n\", n, (unsigned long long)m.base, (unsigned long long)m.size);\n"
	"}\n"
	"int main(void)\n"
	"{\n"
	"\tconst struct cfg_system *s = &cfg_system;\n"
	"\tprintf(\"console %llx %llx %u %u\\n\", (unsigned long long)s->console.base,\n"
	"\t       (unsigned long long)s->console.size, s->console.reg_shift, s->console.reg_io_width);\n"
	"\tmmio(\"dist\", s->arch.gic.dist);\n"
	"\tmmio(\"redist\", s->arch.gic.redist);\n"
	"\tmmio(\"cpu\", s->arch.gic.cpu);\n"
	"\tmmio(\"hypif\", s->arch.gic.hyp);\n"
	"\tmmio(\"vcpu\", s->arch.gic.vcpu);\n"
	"\tfor (uint32_t i = 0; i < s->n_cpus; i++)\n"
	"\t\tprintf(\"core %u %llx %u %u\\n\", i, (unsigned long long)s->cpus[i].arch.mpidr,\n"
	"\t\t       s->cpus[i].partition, s->cpus[i].vcpu);\n"
	"\tfor (uint32_t i = 0; i < s->n_partitions; i++) {\n"
	"\t\tconst struct cfg_partition *p = &s->partitions[i];\n"
	"\t\tprintf(\"partition %s %u entry %llx policy %u\\n\", p->name,\n"
	"\t\t       p->n_vcpus, (unsigned long long)p->entry,\n"
	"\t\t       p->fault_policy);\n"
	"\t\tfor (uint32_t v = 0; v < p->n_vcpus; v++)\n"
	"\t\t\tprintf(\" vcpu %u core %u\\n\", v, p->vcpu_cpu[v]);\n"
	"\t\tprintf(\" image %llx %llx %llx\\n\", (unsigned long long)p->image.size,\n"
	"\t\t       (unsigned long long)p->image.ipa, (unsigned long long)p->image.pa);\n"
	"\t\tprintf(\" dtb %llx %llx %llx\\n\", (unsigned long long)p->boot_info.size,\n"
	"\t\t       (unsigned long long)p->boot_info.ipa, (unsigned long long)p->boot_info.pa);\n"
	"\t\tfor (uint32_t r = 0; r < p->n_regions; r++)\n"
	"\t\t\tprintf(\" region %llx %llx %llx %u %u\\n\", (unsigned long long)p->regions[r].ipa,\n"
	"\t\t\t       (unsigned long long)p->regions[r].pa, (unsigned long long)p->regions[r].size,\n"
	"\t\t\t       p->regions[r].access, p->regions[r].kind);\n"
	"\t\tfor (uint32_t q = 0; q < p->n_irqs; q++)\n"
	"\t\t\tprintf(\" irq %u\\n\", p->irqs[q]);\n"
	"\t\tprintf(\" console %u %u %u %llx control %u\\n\", p->console.kind, p->console.channel,\n"
	"\t\t       p->console.irq, (unsigned long long)p->console.ipa, p->service_control);\n"
	"\t}\n"
	"\tprintf(\"service %u log %u\\n\", s->service, s->log_channel);\n"
	"\tprintf(\"store %llx %llx\\n\", (unsigned long long)s->store_pa, (unsigned long long)s->store_size);\n"
	"\tfor (uint32_t i = 0; i < s->n_channels; i++) {\n"
	"\t\tconst struct cfg_channel *c = &s->channels[i];\n"
	"\t\tprintf(\"channel %s %llx %llx %u %u\\n\", c->name, (unsigned long long)c->pa,\n"
	"\t\t       (unsigned long long)c->size, c->kind, c->one_way);\n"
	"\t\tfor (int e = 0; e < 2; e++)\n"
	"\t\t\tprintf(\" end %u %u %u %u %llx\\n\", c->end[e].kind, c->end[e].partition, c->end[e].vcpu,\n"
	"\t\t\t       c->end[e].doorbell, (unsigned long long)c->end[e].ipa);\n"
	"\t}\n"
	"\treturn 0;\n"
	"}\n";

static void put_mmio(FILE *f, const char *n, struct bh_range m)
{
	fprintf(f, "%s %llx %llx\n", n, (unsigned long long)m.base, (unsigned long long)m.size);
}

/* What the checker must print for @sys, computed from the model and the files. */
static char *model_dump(const struct bh_system *sys)
{
	const struct bh_board *b = &sys->board;
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	fprintf(f, "console %llx %llx %u %u\n", (unsigned long long)b->devices[sys->hyp.console].regs[0].base,
		(unsigned long long)b->devices[sys->hyp.console].regs[0].size,
		b->devices[sys->hyp.console].reg_shift, b->devices[sys->hyp.console].reg_io_width);
	put_mmio(f, "dist", b->arch.gic.dist);
	put_mmio(f, "redist", b->arch.gic.redist);
	put_mmio(f, "cpu", b->arch.gic.cpu);
	put_mmio(f, "hypif", b->arch.gic.hyp);
	put_mmio(f, "vcpu", b->arch.gic.vcpu);
	for (unsigned i = 0; i < b->n_cpus; i++)
		fprintf(f, "core %u %llx %u %u\n", i, (unsigned long long)b->cpus[i].arch.mpidr,
			b->cpus[i].owner < 0 ? CFG_NO_PARTITION : (unsigned)b->cpus[i].owner,
			b->cpus[i].owner < 0 ? 0 : b->cpus[i].vcpu);
	for (unsigned i = 0; i < sys->n_partitions; i++) {
		const struct bh_partition *p = &sys->partitions[i];

		fprintf(f, "partition %s %u entry %llx policy %u\n", p->name, p->n_vcpus,
			(unsigned long long)p->entry, p->fault_policy);
		for (unsigned v = 0; v < p->n_vcpus; v++)
			fprintf(f, " vcpu %u core %u\n", v, p->vcpu_cpu[v]);
		fprintf(f, " image %llx %llx %llx\n", (unsigned long long)p->image_size,
			(unsigned long long)p->load, (unsigned long long)p->image_slot_pa);
		fprintf(f, " dtb %llx %llx %llx\n", (unsigned long long)p->dtb_size,
			(unsigned long long)(p->has_dtb ? p->dtb_ipa : 0),
			(unsigned long long)(p->has_dtb ? p->dtb_slot_pa : 0));
		for (unsigned r = 0; r < p->n_regions; r++)
			fprintf(f, " region %llx %llx %llx %u %u\n",
				(unsigned long long)p->regions[r].ipa, (unsigned long long)p->regions[r].pa,
				(unsigned long long)p->regions[r].size, p->regions[r].access,
				p->regions[r].kind);
		for (unsigned q = 0; q < p->n_irqs; q++)
			fprintf(f, " irq %u\n", p->irqs[q]);
		fprintf(f, " console %u %u %u %llx control %u\n", p->console,
			p->console_channel < 0 ? 0 : (unsigned)p->console_channel,
			p->console == CFG_CONSOLE_PL011 ? p->console_irq : 0,
			(unsigned long long)(p->console == CFG_CONSOLE_PL011 ? p->console_address : 0),
			p->service_control);
	}
	fprintf(f, "service %u log %u\n", sys->service < 0 ? CFG_NO_PARTITION : (unsigned)sys->service,
		sys->log_channel < 0 ? 0 : (unsigned)sys->log_channel);
	fprintf(f, "store %llx %llx\n", (unsigned long long)sys->store.base, (unsigned long long)sys->store.size);
	for (unsigned i = 0; i < sys->n_channels; i++) {
		const struct bh_channel *c = &sys->channels[i];

		fprintf(f, "channel %s %llx %llx %u %u\n", c->name, (unsigned long long)c->pa,
			(unsigned long long)c->size, c->kind, c->one_way);
		for (int e = 0; e < 2; e++)
			fprintf(f, " end %u %u %u %u %llx\n", c->end[e].kind,
				c->end[e].partition < 0 ? CFG_NO_PARTITION : (unsigned)c->end[e].partition,
				c->end[e].vcpu, c->end[e].has_doorbell ? c->end[e].doorbell : CFG_NO_DOORBELL,
				(unsigned long long)(c->end[e].kind == CFG_END_PARTITION ? c->end[e].ipa : 0));
	}
	fclose(f);
	return buf;
}

static char *command_output(const char *cmd)
{
	char *buf;
	size_t len;
	FILE *out = open_memstream(&buf, &len);
	FILE *p = popen(cmd, "r");
	int ch;

	assert_non_null(out);
	assert_non_null(p);
	while ((ch = fgetc(p)) != EOF)
		fputc(ch, out);
	assert_int_equal(pclose(p), 0);
	fclose(out);
	return buf;
}

/* Builds config.c into a host program and compares what it sees with the model. */
static void check_config_c(struct run *r)
{
	struct bh_system *sys;
	char cmd[8 * PATH], path[PATH * 2];
	char *got, *want;
	FILE *f;

	run_ok(r);
	free(r->err);
	sys = load_ok(r);
	snprintf(path, sizeof(path), "%s/check.c", r->out);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(checker_src, f);
	fclose(f);
	/* The hypervisor's warning flags, on the host compiler. */
	snprintf(cmd, sizeof(cmd),
		 "gcc -std=c11 -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes "
		 "-I'%s/core/include' -I'%s/arch/arm64/include' -c '%s/config.c' -o '%s/config.o'",
		 g_srctree, g_srctree, r->out, r->out);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd),
		 "gcc -std=c11 -I'%s/core/include' -I'%s/arch/arm64/include' '%s/check.c' '%s/config.c' -o '%s/check'",
		 g_srctree, g_srctree, r->out, r->out, r->out);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "'%s/check'", r->out);
	got = command_output(cmd);
	want = model_dump(sys);
	assert_string_equal(got, want);
	free(got);
	free(want);
	free(sys);
}

/* Verifies: REQ-CFG-033, REQ-CFG-061 */
static void test_config_c_default(void **state)
{
	struct run r;

	(void)state;
	default_pass2(&r, "cfg-default");
	check_config_c(&r);
}

/* Verifies: REQ-CFG-033, REQ-CFG-061 */
static void test_config_c_gicv2(void **state)
{
	struct run r;

	(void)state;
	gicv2_pass2(&r, "cfg-gicv2", 300000);
	check_config_c(&r);
}

/* Verifies: REQ-CFG-033 */
static void test_config_c_aarch64_flags(void **state)
{
	struct run r;
	char cmd[8 * PATH];

	(void)state;
	if (system("command -v aarch64-linux-gnu-gcc >/dev/null 2>&1") != 0) {
		fprintf(stderr, "aarch64-linux-gnu-gcc not installed; `make deps` installs it\n");
		skip();
	}
	gicv2_pass2(&r, "cfg-aarch64", 300000);
	run_ok(&r);
	snprintf(cmd, sizeof(cmd),
		 "aarch64-linux-gnu-gcc -std=c11 -ffreestanding -nostdinc "
		 "-isystem \"$(aarch64-linux-gnu-gcc -print-file-name=include)\" "
		 "-Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes -I'%s/core/include' "
		 "-I'%s/arch/arm64/include' -c '%s/config.c' -o '%s/config.o'",
		 g_srctree, g_srctree, r.out, r.out);
	assert_int_equal(system(cmd), 0);
	free(r.err);
}

/* ---- guest device tree -------------------------------------------------- */

static void *read_dtb(const char *dir, const char *name)
{
	char *blob = fx_read_in(dir, name);

	assert_int_equal(fdt_check_header(blob), 0);
	return blob;
}

static int node(const void *fdt, const char *path)
{
	int off = fdt_path_offset(fdt, path);

	if (off < 0)
		fail_msg("guest dtb has no %s", path);
	return off;
}

static void assert_cells(const void *fdt, const char *path, const char *prop, const uint32_t *want,
			 int n)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node(fdt, path), prop, &len);

	assert_non_null(p);
	assert_int_equal(len, n * 4);
	for (int i = 0; i < n; i++)
		assert_int_equal(fdt32_to_cpu(p[i]), want[i]);
}

static void assert_str(const void *fdt, const char *path, const char *prop, const char *want,
		       int len)
{
	int got;
	const char *p = fdt_getprop(fdt, node(fdt, path), prop, &got);

	assert_non_null(p);
	assert_int_equal(got, len);
	assert_memory_equal(p, want, (size_t)len);
}

#define STR(fdt, path, prop, lit) assert_str(fdt, path, prop, lit, (int)sizeof(lit))
#define CELLS(fdt, path, prop, ...)                                                    \
	assert_cells(fdt, path, prop, (const uint32_t[]){ __VA_ARGS__ },                \
		     (int)(sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t)))

/* Verifies: REQ-CFG-035 */
static void test_guest_dtb_gicv3(void **state)
{
	struct run r;
	struct bh_system *sys;
	void *fdt;
	int gic;

	(void)state;
	prepare(&r, "ok-guest-dtb", "dtb-v3");
	pass2(&r);
	fx_write_file(r.images, "demo-a.bin", 64);
	fx_write_file(r.images, "os.bin", 4096);
	fx_mkdirs(r.srctree);
	run_ok(&r);
	free(r.err);
	assert_false(fx_exists(r.out, "demo-a.dtb"));
	fdt = read_dtb(r.out, "os.dtb");
	sys = load_ok(&r);
	assert_int_equal(fdt_totalsize(fdt), partition(sys, "os")->dtb_size);
	CELLS(fdt, "/", "#address-cells", 2);
	CELLS(fdt, "/", "#size-cells", 2);
	STR(fdt, "/", "compatible", "bulkhead,partition");
	STR(fdt, "/", "model", "os");
	STR(fdt, "/chosen", "bootargs", "console=hvc0 quiet");
	STR(fdt, "/memory@40000000", "device_type", "memory");
	CELLS(fdt, "/memory@40000000", "reg", 0, 0x40000000, 0, 0x1000000);
	CELLS(fdt, "/memory@41000000", "reg", 0, 0x41000000, 0, 0x100000);
	CELLS(fdt, "/cpus", "#address-cells", 1);
	CELLS(fdt, "/cpus", "#size-cells", 0);
	CELLS(fdt, "/cpus/cpu@0", "reg", 0);
	CELLS(fdt, "/cpus/cpu@1", "reg", 1);
	STR(fdt, "/cpus/cpu@1", "device_type", "cpu");
	STR(fdt, "/cpus/cpu@1", "compatible", "arm,armv8");
	STR(fdt, "/cpus/cpu@1", "enable-method", "psci");
	assert_true(fdt_path_offset(fdt, "/cpus/cpu@2") < 0);
	STR(fdt, "/psci", "compatible", "arm,psci-1.0\0arm,psci-0.2");
	STR(fdt, "/psci", "method", "hvc");
	STR(fdt, "/interrupt-controller@8000000", "compatible", "arm,gic-v3");
	/* Two vCPUs: two redistributor frames of 128 KiB. */
	CELLS(fdt, "/interrupt-controller@8000000", "reg", 0, 0x8000000, 0, 0x10000, 0, 0x80a0000,
	      0, 0x40000);
	CELLS(fdt, "/interrupt-controller@8000000", "#interrupt-cells", 3);
	gic = node(fdt, "/interrupt-controller@8000000");
	assert_non_null(fdt_getprop(fdt, gic, "interrupt-controller", NULL));
	CELLS(fdt, "/", "interrupt-parent", fdt_get_phandle(fdt, gic));
	STR(fdt, "/timer", "compatible", "arm,armv8-timer");
	CELLS(fdt, "/timer", "interrupts", 1, 13, 0xf08, 1, 14, 0xf08, 1, 11, 0xf08, 1, 10, 0xf08);
	STR(fdt, "/rtc@9010000", "compatible", "arm,pl031\0arm,primecell");
	/* A PrimeCell gets the fixed apb_pclk Linux's AMBA bus enables before probing it. */
	STR(fdt, "/rtc@9010000", "clock-names", "apb_pclk");
	STR(fdt, "/apb-pclk", "compatible", "fixed-clock");
	CELLS(fdt, "/rtc@9010000", "clocks", fdt_get_phandle(fdt, node(fdt, "/apb-pclk")));
	CELLS(fdt, "/rtc@9010000", "reg", 0, 0x9010000, 0, 0x1000);
	CELLS(fdt, "/rtc@9010000", "interrupts", 0, 2, 4);
	assert_true(fdt_path_offset(fdt, "/serial@9000000") < 0);
	free(fdt);
	free(sys);
}

/* Verifies: REQ-LNX-007 */
static void test_guest_dtb_seed_placeholders(void **state)
{
	struct run r;
	struct bh_system *sys;
	const struct bh_partition *os;
	const struct fdt_property *prop;
	uint8_t *fdt;
	int len = 0;

	(void)state;
	prepare(&r, "ok-guest-dtb", "dtb-seeds");
	pass2(&r);
	fx_write_file(r.images, "demo-a.bin", 64);
	fx_write_file(r.images, "os.bin", 4096);
	fx_mkdirs(r.srctree);
	run_ok(&r);
	free(r.err);
	fdt = read_dtb(r.out, "os.dtb");
	sys = load_ok(&r);
	os = partition(sys, "os");
	/* Zero-filled placeholders of the sizes the hypervisor fills, in /chosen... */
	prop = fdt_get_property(fdt, node(fdt, "/chosen"), "kaslr-seed", &len);
	assert_non_null(prop);
	assert_int_equal(len, 8);
	/* ...at the offsets the tables give the hypervisor (core/seed.c overwrites what is there). */
	assert_int_equal(os->kaslr_seed, (uint32_t)((const uint8_t *)prop - fdt));
	assert_int_equal(fdt32_to_cpu(prop->tag), FDT_PROP);
	for (int i = 0; i < 8; i++)
		assert_int_equal(prop->data[i], 0);
	prop = fdt_get_property(fdt, node(fdt, "/chosen"), "rng-seed", &len);
	assert_non_null(prop);
	assert_int_equal(len, CFG_RNG_SEED_SIZE);
	assert_int_equal(os->rng_seed, (uint32_t)((const uint8_t *)prop - fdt));
	char *config = fx_read_in(r.out, "config.c");
	assert_non_null(strstr(config, ".kaslr_seed = 0x"));
	free(config);
	free(fdt);
	free(sys);
}

/* Verifies: REQ-CON-007, REQ-CFG-035 */
static void test_uart_register_layout(void **state)
{
	struct run r;
	char *text;
	void *fdt;

	(void)state;
	prepare(&r, "ok-uart-layout", "uart-layout");
	run_ok(&r);
	free(r.err);
	text = fx_read_in(r.out, "system.mk");
	assert_contains(text, "\nBH_CONSOLE := ns16550\n");
	free(text);
	pass2(&r);
	fx_write_file(r.images, "os.bin", 64);
	fx_mkdirs(r.srctree);
	run_ok(&r);
	free(r.err);
	text = fx_read_in(r.out, "config.c");
	assert_contains(text,
			"\t.console = { .base = 0x9080000, .size = 0x1000, .reg_shift = 2, .reg_io_width = 4 },\n");
	free(text);
	/* What the description wrote reaches the guest; the PL011 has no layout to copy. */
	fdt = read_dtb(r.out, "os.dtb");
	CELLS(fdt, "/serial@9090000", "reg-shift", 0);
	CELLS(fdt, "/serial@9090000", "reg-io-width", 1);
	assert_null(fdt_getprop(fdt, node(fdt, "/serial@9000000"), "reg-shift", NULL));
	assert_null(fdt_getprop(fdt, node(fdt, "/serial@9000000"), "reg-io-width", NULL));
	free(fdt);
}

/* Verifies: REQ-CON-007, REQ-CFG-009 */
static void test_err_uart_layout(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-uart-layout",
		      "/board/serial@9080000: reg-shift: 4 is not a register shift bhcc supports (0..3)",
		      "/board/serial@9090000: reg-io-width: 2 is not an access width bhcc supports (1 or 4)",
		      "/board/serial@90a0000: reg-io-width: 4-byte accesses need registers at least 4 bytes apart, reg-shift 0 puts them 1 apart",
		      "/hypervisor@40000000: console: /board/serial@9000000 has reg-shift, which only a \"ns16550a\" console's driver reads; remove it");
}

/* Verifies: REQ-CFG-049, REQ-CFG-050, REQ-CFG-036 */
static void test_shared_memory(void **state)
{
	static const char *const report[] = {
		"| `/shared-memory/mailbox` | 0x44000000-0x4400ffff | 64 KiB | ping (at 0x50000000), pong (at 0x50000000) | peek (at 0x60000000) |",
		"| `/shared-memory/log` | 0x7fe00000-0x7fffffff | 2 MiB | ping (at 0x48000000) | peek (at 0x48000000) |",
		"| `/shared-memory/mailbox/peek` | shared | 0x60000000-0x6000ffff | 0x44000000-0x4400ffff | 64 KiB | r | auto-placed by bhcc |",
		"| 0x44000000-0x4400ffff | 64 KiB | shared: `/shared-memory/mailbox`, auto-placed (see Shared memory) |",
	};
	struct bh_system *sys;
	struct run r;
	char *text;
	void *fdt;

	(void)state;
	prepare(&r, "ok-shared", "shared");
	sys = load_ok(&r);
	/* Each mapping is a region of its partition: after its RAM, same host range, its own rights. */
	const struct bh_partition *ping = partition(sys, "ping"), *pong = partition(sys, "pong"),
				  *peek = partition(sys, "peek");
	assert_int_equal(ping->n_regions, 3);
	assert_int_equal(ping->regions[1].kind, CFG_REGION_SHARED);
	assert_int_equal(ping->regions[1].ipa, 0x50000000);
	assert_int_equal(ping->regions[1].pa, 0x44000000);   /* placed after the partitions' RAM */
	assert_int_equal(ping->regions[1].access, CFG_ACCESS_R | CFG_ACCESS_W);
	assert_int_equal(pong->regions[1].pa, 0x44000000);
	assert_int_equal(peek->regions[1].ipa, 0x60000000);
	assert_int_equal(peek->regions[1].pa, 0x44000000);
	assert_int_equal(peek->regions[1].access, CFG_ACCESS_R);
	assert_int_equal(peek->regions[2].pa, 0x7fe00000);
	/* Stage 2 counts shared memory like any region: the mailbox's 64 KiB shares pong's
	 * level-2 table (the 1 GiB at 0x40000000) and needs a level-3 table of its own. */
	assert_int_equal(pong->s2_pages, 1 + 1 + 1);
	free(sys);

	pass2(&r);
	fx_write_file(r.images, "ping.bin", 64);
	fx_write_file(r.images, "pong.bin", 64);
	fx_write_file(r.images, "peek.bin", 64);
	fx_mkdirs(r.srctree);
	run_ok(&r);
	free(r.err);
	text = fx_read_in(r.out, "config.c");
	assert_contains(text, "\t{ /* /shared-memory/mailbox/peek */\n\t\t.ipa = 0x60000000,\n\t\t.pa = 0x44000000,\n"
			      "\t\t.size = 0x10000,\n\t\t.access = CFG_ACCESS_R,\n\t\t.kind = CFG_REGION_SHARED,\n");
	free(text);
	text = fx_read_in(r.out, "isolation.md");
	for (size_t i = 0; i < sizeof(report) / sizeof(report[0]); i++)
		assert_contains(text, report[i]);
	free(text);
	/* The guest sees shared memory as what it is, read-only where it is. */
	fdt = read_dtb(r.out, "peek.dtb");
	STR(fdt, "/shared-memory@60000000", "compatible", "bulkhead,shared-memory");
	CELLS(fdt, "/shared-memory@60000000", "reg", 0, 0x60000000, 0, 0x10000);
	STR(fdt, "/shared-memory@60000000", "label", "mailbox");
	assert_non_null(fdt_getprop(fdt, node(fdt, "/shared-memory@60000000"), "read-only", NULL));
	assert_true(fdt_path_offset(fdt, "/memory@60000000") < 0);
	free(fdt);
}

/* Verifies: REQ-CFG-049, REQ-CFG-050 */
static void test_err_shared(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-shared",
		      "/shared-memory/lonely: mapped by 1 partition; shared memory is for two or more (one partition's own memory is a memory@ node)",
		      "/shared-memory/stranger/c: no partition is named 'c'; each child of a shared-memory region is named after a partition that maps it",
		      "/shared-memory/exec/a: access: 'rwx' is not valid for shared memory: \"r\" or \"rw\" (never executable)",
		      "/shared-memory/odd: size: 0x1800 is not a non-zero multiple of 4 KiB",
		      "/shared-memory/crooked/a: guest-address: 0x50004800 is not 4 KiB aligned",
		      "/shared-memory/far/a: guest-address: guest range 0x7ffffff000 + 0x2000 reaches beyond the 39-bit stage-2 IPA limit (addresses must be below 0x8000000000)",
		      "/shared-memory/squatter: host-address: host range 0x41800000-0x41800fff overlaps /partitions/a/memory@40000000 (0x41000000-0x41ffffff)",
		      "/shared-memory/gic/a: guest-address: guest range 0x8000000-0x8000fff overlaps the virtual interrupt controller's distributor (0x8000000-0x800ffff)",
		      "/shared-memory/crooked/b: guest-address: guest range 0x40001000-0x40001fff overlaps /partitions/b/memory@40000000 (0x40000000-0x40ffffff)");
}

/* Pass 2 of ok-channels. */
static void channels_pass2(struct run *r, const char *tag)
{
	prepare(r, "ok-channels", tag);
	pass2(r);
	fx_write_file(r->images, "service.bin", 64);
	fx_write_file(r->images, "producer.bin", 64);
	fx_write_file(r->images, "consumer.bin", 64);
	fx_mkdirs(r->srctree);
}

/* The regions of partition @p that map channel @ci, in order. */
static unsigned channel_regions_of(const struct bh_partition *p, int ci, const struct bh_region **out)
{
	unsigned n = 0;

	for (unsigned i = 0; i < p->n_regions; i++)
		if (p->regions[i].channel == ci)
			out[n++] = &p->regions[i];
	return n;
}

static void assert_region(const struct bh_region *r, uint64_t ipa, uint64_t pa, uint64_t size, uint8_t access)
{
	assert_int_equal(r->kind, CFG_REGION_SHARED);
	assert_int_equal(r->ipa, ipa);
	assert_int_equal(r->pa, pa);
	assert_int_equal(r->size, size);
	assert_int_equal(r->access, access);
}

#define RW (CFG_ACCESS_R | CFG_ACCESS_W)
#define RO CFG_ACCESS_R

/* Verifies: REQ-CHN-006, REQ-CHN-007 */
static void test_channel_rights(void **state)
{
	const struct bh_region *reg[8];
	struct bh_system *sys = load_fixture("ok-channels");
	const struct bh_partition *prod = partition(sys, "producer"), *cons = partition(sys, "consumer");
	const struct bh_channel *samples = &sys->channels[0], *control = &sys->channels[1];

	(void)state;
	/* Declared channels first, in document order; `from` makes the producer end 0. */
	assert_int_equal(sys->n_channels, 5);
	assert_string_equal(samples->name, "samples");
	assert_true(samples->one_way);
	assert_int_equal(samples->end[0].partition, 1);
	assert_int_equal(samples->end[0].vcpu, 1);
	assert_int_equal(samples->end[1].partition, 2);
	/* Placed like RAM: after the partitions' RAM, above each end's RAM in its guest space. */
	assert_int_equal(samples->pa, 0x44000000);
	assert_int_equal(samples->end[0].ipa, 0x41000000);
	assert_int_equal(samples->end[1].ipa, 0x41000000);
	/* One-way: the sender writes all but the receiver's page, the receiver only that page. */
	assert_int_equal(channel_regions_of(prod, 0, reg), 2);
	assert_region(reg[0], 0x41000000, 0x44000000, 0x1000, RO);
	assert_region(reg[1], 0x41001000, 0x44001000, 0xf000, RW);
	assert_int_equal(channel_regions_of(cons, 0, reg), 2);
	assert_region(reg[0], 0x41000000, 0x44000000, 0x1000, RW);
	assert_region(reg[1], 0x41001000, 0x44001000, 0xf000, RO);
	/* Two-way, 8 KiB a direction: end 0 receives in the second half's first page. */
	assert_int_equal(control->pa, 0x7ff00000);
	assert_int_equal(channel_regions_of(prod, 1, reg), 3);
	assert_region(reg[0], 0x50000000, 0x7ff00000, 0x1000, RO);
	assert_region(reg[1], 0x50001000, 0x7ff01000, 0x2000, RW);
	assert_region(reg[2], 0x50003000, 0x7ff03000, 0x1000, RO);
	assert_int_equal(channel_regions_of(cons, 1, reg), 3);
	assert_region(reg[0], 0x60000000, 0x7ff00000, 0x1000, RW);
	assert_region(reg[1], 0x60001000, 0x7ff01000, 0x2000, RO);
	assert_region(reg[2], 0x60003000, 0x7ff03000, 0x1000, RW);
	/* A placed end keeps clear of the written ones and of the other channels. */
	assert_int_equal(sys->channels[2].end[0].ipa, 0x41010000);
	free(sys);
}

/* Verifies: REQ-CHN-006, REQ-CHN-007, REQ-CFG-033 */
static void test_config_c_channels(void **state)
{
	struct run r;
	char *text;

	(void)state;
	channels_pass2(&r, "cfg-channels");
	check_config_c(&r);
	text = fx_read_in(r.out, "config.c");
	assert_contains(text, "\t{ /* /channels/samples/consumer */\n\t\t.ipa = 0x41001000,\n\t\t.pa = 0x44001000,\n"
			      "\t\t.size = 0xf000,\n\t\t.access = CFG_ACCESS_R,\n\t\t.kind = CFG_REGION_SHARED,\n");
	assert_contains(text, "\t\t.end = {\n\t\t\t{ .kind = CFG_END_PARTITION, .partition = 1, .vcpu = 1, .doorbell = 5, .ipa = 0x41000000 },\n"
			      "\t\t\t{ .kind = CFG_END_PARTITION, .partition = 2, .vcpu = 0, .doorbell = 40, .ipa = 0x41000000 },\n");
	free(text);
}

/* Verifies: REQ-CHN-008 */
static void test_channel_guest_dtb(void **state)
{
	struct run r;
	void *fdt;

	(void)state;
	channels_pass2(&r, "dtb-channels");
	run_ok(&r);
	free(r.err);
	fdt = read_dtb(r.out, "consumer.dtb");
	STR(fdt, "/channel@41000000", "compatible", "bulkhead,channel");
	CELLS(fdt, "/channel@41000000", "reg", 0, 0x41000000, 0, 0x10000);
	STR(fdt, "/channel@41000000", "label", "samples");
	CELLS(fdt, "/channel@41000000", "bulkhead,channel-id", 0);
	CELLS(fdt, "/channel@41000000", "bulkhead,end", 1);
	STR(fdt, "/channel@41000000", "bulkhead,kind", "data");
	assert_non_null(fdt_getprop(fdt, node(fdt, "/channel@41000000"), "bulkhead,one-way", NULL));
	STR(fdt, "/channel@41000000", "bulkhead,peer", "producer");
	CELLS(fdt, "/channel@41000000", "bulkhead,peer-id", 1);
	CELLS(fdt, "/channel@41000000", "bulkhead,doorbell", 40);
	/* An SPI doorbell is also an ordinary edge-triggered interrupt of the node. */
	CELLS(fdt, "/channel@41000000", "interrupts", 0, 8, 1);
	CELLS(fdt, "/channel@60000000", "bulkhead,channel-id", 1);
	assert_null(fdt_getprop(fdt, node(fdt, "/channel@60000000"), "bulkhead,one-way", NULL));
	free(fdt);
	fdt = read_dtb(r.out, "producer.dtb");
	CELLS(fdt, "/channel@41000000", "bulkhead,end", 0);
	CELLS(fdt, "/channel@41000000", "bulkhead,doorbell", 5);
	/* An SGI doorbell has no interrupts property: an SGI is no device interrupt. */
	assert_null(fdt_getprop(fdt, node(fdt, "/channel@41000000"), "interrupts", NULL));
	free(fdt);
}

/* Verifies: REQ-CHN-006 */
static void test_err_channels(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-channels",
		      "/channels/lonely: has 1 endpoint node; a channel has exactly two, each named after a partition",
		      "/channels/stranger/c: no partition is named 'c'; each child of a channel is named after an endpoint partition",
		      "/channels/selfish: from: 'nodtb' is not one of the channel's two endpoints",
		      "/channels/console: channel name 'console' is reserved: it labels the console and log channels bhcc makes",
		      "/channels/ppi/b: doorbell: missing required property",
		      "/channels/odd: size: 0x5000 is not a multiple of 8 KiB of at least 0x4000 bytes (two-way: each direction is a receiver page and at least one sender page)",
		      "/channels/tiny: size: 0x1000 is not a multiple of 4 KiB of at least 0x2000 bytes (one-way: each direction is a receiver page and at least one sender page)",
		      "/channels/crooked/a: guest-address: 0x50000800 is not 4 KiB aligned",
		      "/channels/crooked/b: doorbell-vcpu: /partitions/b has 1 vCPU; vCPU 1 does not exist",
		      "/channels/blind/nodtb: /partitions/nodtb has no dtb-address; a partition at a channel's end finds it in its guest device tree",
		      "/channels/bells/a: doorbell: interrupt 34 belongs to a device of /partitions/a",
		      "/channels/bells/b: doorbell: 0 is not an SGI 1..14 or an SPI (32..1019)",
		      "/channels/ppi/a: doorbell: 20 is not an SGI 1..14 or an SPI (32..1019)",
		      "/channels/onram/a: guest-address: guest range 0x40ff0000-0x40ff3fff overlaps /partitions/a/memory@40000000 (0x40000000-0x40ffffff)",
		      "/channels/onram/b: guest-address: guest range 0x8000000-0x8003fff overlaps the hypervisor's emulated distributor (0x8000000-0x800ffff)",
		      "/channels/squatter: host-address: host range 0x41800000-0x41803fff overlaps /partitions/a/memory@40000000 (0x41000000-0x41ffffff)");
}

/* Verifies: REQ-CHN-010 */
static void test_console_channels(void **state)
{
	const struct bh_region *reg[8];
	struct bh_system *sys = load_fixture("ok-channels");
	const struct bh_partition *svc = partition(sys, "service"), *prod = partition(sys, "producer"),
				  *cons = partition(sys, "consumer");
	const struct bh_channel *con_prod = &sys->channels[2], *con_cons = &sys->channels[3], *log = &sys->channels[4];
	unsigned with, without;

	(void)state;
	assert_int_equal(sys->service, 0);
	assert_int_equal(sys->log_channel, 4);
	assert_true(prod->service_control);
	assert_false(cons->service_control);
	/* console = "channel": the partition (end 0) to the service partition (end 1), two-way. */
	assert_int_equal(prod->console, CFG_CONSOLE_CHANNEL);
	assert_int_equal(prod->console_channel, 2);
	assert_int_equal(con_prod->kind, CFG_CHANNEL_CONSOLE);
	assert_false(con_prod->one_way);
	assert_int_equal(con_prod->size, 0x4000);
	assert_int_equal(con_prod->end[0].kind, CFG_END_PARTITION);
	assert_int_equal(con_prod->end[0].partition, 1);
	assert_int_equal(con_prod->end[0].doorbell, 4);
	assert_int_equal(con_prod->end[1].partition, 0);
	assert_int_equal(con_prod->end[1].doorbell, 3);
	/* console = "pl011": the hypervisor speaks for the partition at end 0. */
	assert_int_equal(cons->console_channel, 3);
	assert_int_equal(con_cons->end[0].kind, CFG_END_HYPERVISOR);
	assert_int_equal(con_cons->end[0].partition, 2);
	assert_int_equal(con_cons->end[1].partition, 0);
	assert_int_equal(channel_regions_of(cons, 3, reg), 0);
	/* The log: one-way from the hypervisor, rung into the service partition's doorbell. */
	assert_int_equal(log->kind, CFG_CHANNEL_LOG);
	assert_true(log->one_way);
	assert_int_equal(log->size, 0x8000);
	assert_int_equal(log->end[0].kind, CFG_END_HYPERVISOR);
	assert_int_equal(log->end[0].partition, -1);
	assert_int_equal(log->end[1].partition, 0);
	assert_int_equal(log->end[1].doorbell, 3);
	/* The service partition maps every console and the log with a receiver's rights. */
	assert_int_equal(channel_regions_of(svc, 4, reg), 2);
	assert_region(reg[0], 0x41008000, log->pa, 0x1000, RW);
	assert_region(reg[1], 0x41009000, log->pa + 0x1000, 0x7000, RO);
	/* It owns the hypervisor's UART and its interrupt. */
	assert_int_equal(svc->n_irqs, 1);
	assert_int_equal(svc->irqs[0], 33);
	assert_true(sys->hyp_console_shared);
	/* The channels with a hypervisor end (the log, the emulated UART's) are in its EL2 map:
	 * both in a 2 MiB range no partition RAM shares, one more level-3 table. */
	sys->store.size = 0;   /* the image store shares their 2 MiB range */
	with = el2_count_pages(sys);
	sys->n_channels = 2;
	without = el2_count_pages(sys);
	assert_int_equal(with, without + 1);
	free(sys);
}

/* Verifies: REQ-CHN-010, REQ-CHN-008 */
static void test_console_guest_dtb(void **state)
{
	static const char names[] = "service\0producer\0consumer";
	struct run r;
	void *fdt;

	(void)state;
	channels_pass2(&r, "dtb-consoles");
	run_ok(&r);
	free(r.err);
	fdt = read_dtb(r.out, "service.dtb");
	assert_str(fdt, "/chosen", "bulkhead,partitions", names, (int)sizeof(names));
	/* Its console channels name the partition whose console they are, the hypervisor's included. */
	STR(fdt, "/channel@41000000", "label", "console");
	STR(fdt, "/channel@41000000", "bulkhead,kind", "console");
	STR(fdt, "/channel@41000000", "bulkhead,peer", "producer");
	CELLS(fdt, "/channel@41000000", "bulkhead,channel-id", 2);
	CELLS(fdt, "/channel@41000000", "bulkhead,end", 1);
	STR(fdt, "/channel@41004000", "bulkhead,peer", "consumer");
	CELLS(fdt, "/channel@41004000", "bulkhead,peer-id", 2);
	STR(fdt, "/channel@41008000", "label", "log");
	STR(fdt, "/channel@41008000", "bulkhead,peer", "bulkhead");
	CELLS(fdt, "/channel@41008000", "bulkhead,peer-id", 0xff);
	CELLS(fdt, "/channel@41008000", "bulkhead,doorbell", 3);
	assert_non_null(fdt_getprop(fdt, node(fdt, "/channel@41008000"), "bulkhead,one-way", NULL));
	/* Its UART is a passed-through device like any. */
	STR(fdt, "/serial@9000000", "compatible", "arm,pl011");
	free(fdt);
	/* The emulated UART: the node Linux's amba-pl011 driver binds to, and stdout-path for earlycon. */
	fdt = read_dtb(r.out, "consumer.dtb");
	STR(fdt, "/chosen", "stdout-path", "/serial@9000000");
	STR(fdt, "/serial@9000000", "compatible", "arm,pl011\0arm,primecell");
	CELLS(fdt, "/serial@9000000", "reg", 0, 0x9000000, 0, 0x1000);
	CELLS(fdt, "/serial@9000000", "interrupts", 0, 1, 4);
	CELLS(fdt, "/serial@9000000", "clocks", 2, 2);
	STR(fdt, "/serial@9000000", "clock-names", "uartclk\0apb_pclk");
	STR(fdt, "/apb-pclk", "compatible", "fixed-clock");
	CELLS(fdt, "/apb-pclk", "clock-frequency", 24000000);
	CELLS(fdt, "/apb-pclk", "phandle", 2);
	assert_true(fdt_path_offset(fdt, "/chosen/bulkhead,partitions") < 0);
	assert_null(fdt_getprop(fdt, node(fdt, "/chosen"), "bulkhead,partitions", NULL));
	free(fdt);
	/* A console channel: the partition's own end, labelled for the runtime to find. */
	fdt = read_dtb(r.out, "producer.dtb");
	STR(fdt, "/channel@41010000", "label", "console");
	CELLS(fdt, "/channel@41010000", "bulkhead,end", 0);
	STR(fdt, "/channel@41010000", "bulkhead,peer", "service");
	CELLS(fdt, "/channel@41010000", "bulkhead,doorbell", 4);
	assert_null(fdt_getprop(fdt, node(fdt, "/chosen"), "stdout-path", NULL));
	free(fdt);
}

/* Verifies: REQ-CHN-011 */
static void test_channels_report(void **state)
{
	static const char *const report[] = {
		"| 0 | `samples` (`/channels/samples`) | data, one-way from end 0 | 0x44000000-0x4400ffff | 64 KiB | producer at 0x41000000, doorbell 5 in vCPU 1 | consumer at 0x41000000, doorbell 40 in vCPU 0 | producer: 0x44001000-0x4400ffff; consumer: 0x44000000-0x44000fff |",
		"| 1 | `control` (`/channels/control`) | data, two-way | 0x7ff00000-0x7ff03fff | 16 KiB | producer at 0x50000000, doorbell 5 in vCPU 0 | consumer at 0x60000000, doorbell 40 in vCPU 0 | producer: 0x7ff01000-0x7ff02fff; consumer: 0x7ff00000-0x7ff00fff, 0x7ff03000-0x7ff03fff |",
		"| 3 | `console-consumer` (`/partitions/consumer`) | console, two-way | 0x44014000-0x44017fff | 16 KiB | hypervisor (emulated UART of consumer) | service at 0x41004000, doorbell 3 in vCPU 0 | hypervisor: all (its EL2 map); service: 0x44014000-0x44014fff, 0x44017000-0x44017fff |",
		"| 4 | `log` (`/partitions/service`) | log, one-way from end 0 | 0x44018000-0x4401ffff | 32 KiB | hypervisor | service at 0x41008000, doorbell 3 in vCPU 0 | hypervisor: all (its EL2 map); service: 0x44018000-0x44018fff |",
		"| `/channels/samples/consumer` | channel | 0x41001000-0x4100ffff | 0x44001000-0x4400ffff | 60 KiB | r | auto-placed by bhcc |",
		"| `/partitions/service (channel log)` | channel | 0x41009000-0x4100ffff | 0x44019000-0x4401ffff | 28 KiB | r | auto-placed by bhcc |",
		"| 0x44018000-0x4401ffff | 32 KiB | channel 4: `log`, auto-placed (see Channels) |",
		"| Console | `/board/serial@9000000` (\"arm,pl011\") at 0x9000000, written by the hypervisor until the service partition service runs (and on a fail-safe stop), then owned by it |",
		"| Service partition | yes: the only writer of the UART once it runs; console-doorbell 3 |",
		"| Console | channel 2 to service, input doorbell 4 |",
		"| Service control | the service partition may stop and restart it |",
		"| Console | emulated PL011 at 0x9000000, interrupt 33, channel 3 to service |",
		"| 33 | `/board/serial@9000000` | hypervisor (console), then the service partition |",
	};
	struct run r;
	char *text;

	(void)state;
	channels_pass2(&r, "report-channels");
	run_ok(&r);
	free(r.err);
	text = fx_read_in(r.out, "isolation.md");
	for (size_t i = 0; i < sizeof(report) / sizeof(report[0]); i++)
		assert_contains(text, report[i]);
	free(text);
}

/* Verifies: REQ-CHN-010 */
static void test_err_console(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-console",
		      "/partitions/tty: console: unknown console 'tty' (expected \"channel\", \"pl011\" or \"ns16550\")",
		      "/partitions/com: cpus: core 3 (/board/cpus/cpu@3) is also assigned to /partitions/half",
		      "/partitions/svc2: service: a second service partition (/partitions/svc is one); the system has at most one",
		      "/partitions/svc: console: the service partition drives the UART itself; it has no console to the service partition",
		      "/partitions/svc: service-control: the service partition cannot stop or restart itself",
		      "/partitions/svc2: console-doorbell: missing required property (the service partition's interrupt for its console and log channels)",
		      "/partitions/tty: console-doorbell: has no effect without console = \"channel\"",
		      "/partitions/half: console: \"pl011\" needs console-address (where the emulated UART is) and console-interrupt (its interrupt id)",
		      "/partitions/com: console: \"ns16550\" is not an emulated UART of this architecture's hypervisor (it has \"pl011\")");
	EXPECT_ERRORS("err-console-uart",
		      "/partitions/b: console-address: has no effect without an emulated UART (console = \"pl011\" or \"ns16550\")",
		      "/partitions/b: devices: /board/serial@9000000 is the hypervisor's console (only the service partition may own it)",
		      "/partitions/a: console-address: the emulated UART at 0x40001000-0x40001fff overlaps /partitions/a/memory@40000000 (0x40000000-0x40ffffff)",
		      "/partitions/a: console-interrupt: 5 is not an SPI (32..1019)",
		      "/partitions/a: console: \"pl011\" needs dtb-address: the guest finds its UART in its device tree",
		      "/partitions/c: console-address: 0x9000800 is not a 4 KiB aligned guest address below 0x8000000000 (the 39-bit stage-2 IPA limit)",
		      "/partitions/c: console-interrupt: 40 is also a doorbell (/channels/cs/c: doorbell); the emulated UART's interrupt is its own");
	EXPECT_ERRORS("err-console-dtb",
		      "/partitions/svc: service: /partitions/svc has no dtb-address; a partition at a channel's end finds it in its guest device tree",
		      "/partitions/b: console: /partitions/b has no dtb-address; a partition at a channel's end finds it in its guest device tree");
	EXPECT_ERRORS("err-no-service",
		      "/partitions/a: console: a console goes to the service partition, and no partition has `service`",
		      "/partitions/b: service-control: has no effect without a service partition (a partition with `service`)");
}

/* Verifies: REQ-DSK-001 */
static void test_err_disks(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-disks",
		      "/disks/disk1/a: service-address: missing required property (mode \"trusted-service\": where the service partition sees the client's RAM)",
		      "/disks/disk1/a: /partitions/a is already a client (/disks/disk0/a); a partition has one disk",
		      "/disks/disk0/b: lba: the slice 50-149 overlaps the slice of /disks/disk0/a (0-99)",
		      "/disks/disk0/b: address: the disk's device at 0x40001000 overlaps /partitions/b/memory@40000000 (0x40000000-0x40ffffff)",
		      "/disks/disk0/c: sectors: the slice 950-1049 reaches past the end of the disk (/disks/disk0: sectors = 1000)",
		      "/disks/disk0/c: window: /partitions/c does not map 'ro' read-write (/shared-memory/ro)",
		      "/disks/disk1: device: /board/rtc@9010000 is not one of the service partition's devices (/partitions/svc: devices)");
	EXPECT_ERRORS("err-disks-rules",
		      "/disks/disk0/svc: window: has no effect in mode \"trusted-service\" (the service partition maps the client's RAM)",
		      "/disks/disk1@1: disk name 'disk1@1' must be 1 to 31 characters without a unit address",
		      "/disks/disk2/a: window: no /shared-memory region is named 'nowhere'",
		      "/disks/disk0/svc: the service partition serves the disk; it is no client of it",
		      "/disks/disk2/a: /partitions/a is already a client (/disks/disk0/a); a partition has one disk",
		      "/disks/disk0/a: sectors: is zero; a slice has at least one sector",
		      "/disks/disk0/a: window: 'three' is mapped by 3 partitions; a disk window is the client's and the service partition's alone",
		      "/disks/disk0/a: address: is the emulated UART's page too (/partitions/a: console-address)",
		      "/disks/disk0/a: interrupt: 33 is the emulated UART's interrupt too",
		      "/disks/disk0/b: /partitions/b needs dtb-address: the guest finds its disk in its device tree",
		      "/disks/disk0/c: sectors: lba 0xffffffffffffff00 + 0x200 sectors overflows 64 bits",
		      "/disks/disk0/c: window: the service partition does not map 'svc-ro' read-write (/shared-memory/svc-ro)",
		      "/disks/disk0/c: address: 0xa000800 is not a 4 KiB aligned guest address below 0x8000000000 (the 39-bit stage-2 IPA limit)",
		      "/disks/disk0/c: interrupt: 40 is also a doorbell (/channels/talk/c: doorbell)");
	EXPECT_ERRORS("err-disks-noservice",
		      "/disks/disk0/nobody: no partition is named 'nobody'; each child of a disk is named after a client partition",
		      "/disks/disk0/nobody: mode: unknown mode 'mirror' (expected \"window\" or \"trusted-service\")",
		      "/disks/disk0/a: a disk client needs the service partition (a partition with `service`), and there is none");
}

/* The guest device trees of ok-disk: each client's virtio-mmio node, the window as a restricted DMA pool,
 * the service partition's view of each client. */
/* Verifies: REQ-DSK-001 */
static void test_disk_guest_dtb(void **state)
{
	struct run r;
	void *fdt;

	(void)state;
	prepare(&r, "ok-disk", "dtb-disk");
	pass2(&r);
	fx_write_file(r.images, "svc.bin", 64);
	fx_write_file(r.images, "t.bin", 64);
	fx_write_file(r.images, "w.bin", 64);
	fx_mkdirs(r.srctree);
	run_ok(&r);
	free(r.err);
	fdt = read_dtb(r.out, "w.dtb");
	STR(fdt, "/virtio_mmio@a000000", "compatible", "virtio,mmio");
	CELLS(fdt, "/virtio_mmio@a000000", "reg", 0, 0x0a000000, 0, 0x1000);
	CELLS(fdt, "/virtio_mmio@a000000", "interrupts", 0, 48, 1);
	CELLS(fdt, "/virtio_mmio@a000000", "bulkhead,window", 0, 0x50000000, 0, 0x10000);
	CELLS(fdt, "/virtio_mmio@a000000", "memory-region", 3);
	STR(fdt, "/reserved-memory/restricted-dma@50000000", "compatible", "restricted-dma-pool");
	CELLS(fdt, "/reserved-memory/restricted-dma@50000000", "reg", 0, 0x50000000, 0, 0x10000);
	CELLS(fdt, "/reserved-memory/restricted-dma@50000000", "phandle", 3);
	free(fdt);
	/* Trusted service: no pool (the kernel keeps its buffers where it likes). */
	fdt = read_dtb(r.out, "t.dtb");
	assert_null(fdt_getprop(fdt, node(fdt, "/virtio_mmio@a000000"), "memory-region", NULL));
	assert_true(fdt_path_offset(fdt, "/reserved-memory") < 0);
	free(fdt);
	fdt = read_dtb(r.out, "svc.dtb");
	assert_non_null(fdt_getprop(fdt, node(fdt, "/memory@40000000"), "bulkhead,host-address", NULL));
	free(fdt);
}

/* The service partition's regions that map a trusted-service client's RAM, and the report's Disks rows. */
/* Verifies: REQ-DSK-001, REQ-DSK-002 */
static void test_disk_modes(void **state)
{
	struct bh_system *sys = load_fixture("ok-disk");
	const struct bh_partition *svc = partition(sys, "svc");
	const struct bh_partition *t = partition(sys, "t");
	const struct bh_partition *w = partition(sys, "w");
	const struct bh_region *lent = NULL;
	unsigned n_lent = 0;
	char *text;
	size_t len;
	FILE *f;

	(void)state;
	for (unsigned i = 0; i < svc->n_regions; i++) {
		if (svc->regions[i].lent) {
			lent = &svc->regions[i];
			n_lent++;
		}
	}
	/* Only t's RAM, at service-address, with t's host range; nothing of w's. */
	assert_int_equal(n_lent, 1);
	assert_int_equal(lent->ipa, 0x60000000);
	assert_int_equal(lent->pa, 0x48000000);
	assert_int_equal(lent->pa, t->regions[0].pa);
	assert_int_equal(lent->size, 0x01000000);
	assert_int_equal(lent->access, CFG_ACCESS_R | CFG_ACCESS_W);
	assert_int_equal(lent->kind, CFG_REGION_SHARED);
	assert_int_equal(t->disk, 0);
	assert_int_equal(w->disk, 0);
	assert_int_equal(sys->channels[sys->disks[0].clients[1].channel].kind, CFG_CHANNEL_DISK);
	assert_int_equal(sys->channels[sys->disks[0].clients[1].channel].end[0].kind, CFG_END_HYPERVISOR);
	assert_int_equal(sys->channels[sys->disks[0].clients[1].channel].end[1].partition, sys->service);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	report_disks(f, sys);
	fclose(f);
	assert_non_null(strstr(text, "| `disk0` (/board/virtio_mmio@a003000) | t | 0-1023 (1024) | virtio-mmio at 0xa000000, interrupt 80 |"));
	assert_non_null(strstr(text, "trusted service: t trusts svc with all its RAM, which svc can read and write: host 0x48000000-0x48ffffff |"));
	assert_non_null(strstr(text, "| `disk0` (/board/virtio_mmio@a003000) | w | 1024-2047 (1024) |"));
	assert_non_null(strstr(text, "window: `ww`, host 0x"));
	assert_non_null(strstr(text, "svc never maps w's RAM |"));
	free(text);
	free(sys);
}

/* Verifies: REQ-CFG-035 */
static void test_guest_dtb_gicv2(void **state)
{
	struct run r;
	void *fdt;

	(void)state;
	gicv2_pass2(&r, "dtb-v2", 300000);
	run_ok(&r);
	free(r.err);
	fdt = read_dtb(r.out, "linux.dtb");
	STR(fdt, "/", "model", "linux");
	STR(fdt, "/chosen", "bootargs", "console=ttyS0");
	CELLS(fdt, "/memory@80000000", "reg", 0, 0x80000000, 0, 0x4000000);
	CELLS(fdt, "/memory@90000000", "reg", 0, 0x90000000, 0, 0x100000);
	STR(fdt, "/interrupt-controller@2c001000", "compatible", "arm,cortex-a15-gic");
	CELLS(fdt, "/interrupt-controller@2c001000", "reg", 0, 0x2c001000, 0, 0x1000, 0, 0x2c002000,
	      0, 0x2000);
	STR(fdt, "/ethernet@1c0a0000", "compatible", "acme,eth-v1\0acme,eth");
	CELLS(fdt, "/ethernet@1c0a0000", "reg", 0, 0x1c0a0000, 0, 0x1000, 0, 0x1c0b0000, 0, 0x2000);
	CELLS(fdt, "/ethernet@1c0a0000", "interrupts", 0, 9, 4, 0, 8, 4);
	assert_true(fdt_path_offset(fdt, "/watchdog@1c0f0000") < 0);
	free(fdt);
}

/* ---- isolation report --------------------------------------------------- */

/* Verifies: REQ-CFG-036 */
static void test_isolation_report(void **state)
{
	static const char *const lines[] = {
		/* cores, the boot vCPU first */
		"| 0 | 0x0 | `/board/cpus/cpu@0` | linux | 1 |",
		"| 1 | 0x1 | `/board/cpus/cpu@1` | linux | 0 |",
		"| 2 | 0x100 | `/board/cpus/cpu@100` | rtos | 0 |",
		/* host memory, ascending, with the free gaps */
		"| 0x80000000-0x803fffff | 4 MiB | hypervisor |",
		"| 0x80400000-0x843fffff | 64 MiB | linux (`/partitions/linux/memory@80000000`, auto-placed) |",
		"| 0x84400000-0x84404fff | 20 KiB | rtos (`/partitions/rtos/memory@200000`, auto-placed) |",
		"| 0x84405000-0x84405fff | 4 KiB | rtos (`/partitions/rtos/memory@300000`, auto-placed) |",
		"| 0x84406000-0x84455fff | 320 KiB | image store: the pristine partition images and guest device trees (load list), read-only to the hypervisor, mapped by no partition |",
		"| 0x84456000-0x8fffffff | 192168 KiB | free |",
		"| 0xc0000000-0xc01fffff | 2 MiB | rtos (`/partitions/rtos/memory@0`) |",
		"| 0xc0200000-0xc7ffffff | 126 MiB | free |",
		"| 0xd0000000-0xd00fffff | 1 MiB | linux (`/partitions/linux/memory@90000000`) |",
		"| 0xd0100000-0xd7ffffff | 127 MiB | free |",
		/* devices and interrupts */
		"| `/board/interrupt-controller@2c001000` | GICv2 |",
		"| `/board/serial@1c090000` | ns16550a | 0x1c090000-0x1c090fff | 37 | hypervisor (console) |",
		"| `/board/ethernet@1c0a0000` | acme,eth-v1, acme,eth | 0x1c0a0000-0x1c0a0fff, 0x1c0b0000-0x1c0b1fff | 41, 40 | linux |",
		"| `/board/watchdog@1c0f0000` | arm,sp805 | 0x1c0f0000-0x1c0f0fff | 42 | rtos |",
		"| 37 | `/board/serial@1c090000` | hypervisor (console) |",
		"| 40 | `/board/ethernet@1c0a0000` | linux |",
		"| 41 | `/board/ethernet@1c0a0000` | linux |",
		"| 42 | `/board/watchdog@1c0f0000` | rtos |",
		/* per partition */
		"| Cores | core 1 (MPIDR 0x1) as vCPU 0, core 0 (MPIDR 0x0) as vCPU 1 |",
		"| Image | prebuilt `prebuilt/linux.bin`, 300000 bytes loaded at 0x80000000, pristine copy at host 0x84406000 in the image store |",
		"| Fault policy | restart |",
		"| Stage-2 table pages | 5 |",
		"| `/partitions/linux/memory@90000000` | RAM | 0x90000000-0x900fffff | 0xd0000000-0xd00fffff | 1 MiB | rw | host-address |",
		"| `/partitions/rtos/memory@300000` | RAM | 0x300000-0x300fff | 0x84405000-0x84405fff | 4 KiB | r | auto-placed by bhcc |",
		"| `/board/watchdog@1c0f0000` | device | 0x1c0f0000-0x1c0f0fff | 0x1c0f0000-0x1c0f0fff | 4 KiB | rw | identity (device) |",
		"| Stage-2 tables | 11 pool pages (the pool has exactly these) |",
		/* the picture */
		"## Memory map of host RAM\n\n```\n0x80000000 +",
		"           | linux memory@80000000 (auto)      64 MiB |\n0x84400000 +",
		"0x90000000 +------------------------------------------+\n             (not RAM)\n0xc0000000 +",
	};
	struct run r;
	char *md;

	(void)state;
	gicv2_pass2(&r, "report", 300000);
	run_ok(&r);
	md = fx_read_in(r.out, "isolation.md");
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_contains(md, lines[i]);
	free(md);
	free(r.err);
}

/* Verifies: REQ-CFG-036 */
static void test_isolation_report_default(void **state)
{
	static const char *const lines[] = {
		"| 3 | 0x3 | `/board/cpus/cpu@3` | demo-c | 0 |",
		"| 0x40000000-0x40ffffff | 16 MiB | hypervisor |",
		"| 0x44000000-0x44ffffff | 16 MiB | demo-c (`/partitions/demo-c/memory@40000000`, auto-placed) |",
		"| 0x45000000-0x49000fff | 65540 KiB | image store: the pristine partition images and guest device trees (load list), read-only to the hypervisor, mapped by no partition |",
		"| 0x49001000-0x7fffffff | 901116 KiB | free |",
		"| `/board/rtc@9010000` | arm,pl031, arm,primecell | 0x9010000-0x9010fff | 34 | demo-c |",
		"| 34 | `/board/rtc@9010000` | demo-c |",
		"| 33 | `/board/serial@9000000` | hypervisor (console) |",
		"| Stage-2 tables | 8 pool pages (the pool has exactly these) |",
	};
	struct run r;
	char *md;

	(void)state;
	default_pass2(&r, "report-default");
	run_ok(&r);
	md = fx_read_in(r.out, "isolation.md");
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_contains(md, lines[i]);
	free(md);
	free(r.err);
}

/* ---- stage-2 table count ------------------------------------------------ */

static unsigned pages(const struct s2_map *m, unsigned n)
{
	return s2_count_pages(m, n);
}

/* Verifies: REQ-CFG-031 */
static void test_s2_blocks(void **state)
{
	(void)state;
	/* 1 GiB aligned both sides: two level-1 blocks, only the root. */
	assert_int_equal(pages((struct s2_map[]){ { 0x40000000, 0x80000000, 0x80000000 } }, 1), 1);
	/* 2 MiB aligned: one level-2 table of blocks. */
	assert_int_equal(pages((struct s2_map[]){ { 0x40000000, 0x41000000, MIB(16) } }, 1), 2);
	/* 1 GiB aligned IPA but not PA: level-2 blocks. */
	assert_int_equal(pages((struct s2_map[]){ { 0x40000000, 0x40200000, 0x40000000 } }, 1), 2);
	/* Nothing mapped: the root alone. */
	assert_int_equal(pages(NULL, 0), 1);
}

/* Verifies: REQ-CFG-031 */
static void test_s2_unaligned(void **state)
{
	(void)state;
	/* PA 4 KiB off: every 2 MiB slot needs a level-3 table (2 slots). */
	assert_int_equal(pages((struct s2_map[]){ { 0x40000000, 0x41001000, MIB(4) } }, 1), 4);
	/* 4 KiB device page: level-2 and level-3 tables. */
	assert_int_equal(pages((struct s2_map[]){ { 0x9010000, 0x9010000, 0x1000 } }, 1), 3);
	/* 3 MiB from a 2 MiB boundary: one block, then a level-3 table for the tail. */
	assert_int_equal(pages((struct s2_map[]){ { 0x40000000, 0x80000000, MIB(3) } }, 1), 3);
	/* Starting 1 MiB into a 2 MiB slot: head and tail slots need level-3 tables. */
	assert_int_equal(pages((struct s2_map[]){ { 0x40100000, 0x80100000, MIB(4) } }, 1), 4);
	/* Across a 1 GiB boundary with 2 MiB blocks: two level-2 tables. */
	assert_int_equal(pages((struct s2_map[]){ { 0x7fe00000, 0x7fe00000, MIB(4) } }, 1), 3);
	/* 1 GiB + 2 MiB, both 1 GiB aligned: a block, then a level-2 table. */
	assert_int_equal(pages((struct s2_map[]){ { 0x40000000, 0x40000000, 0x40200000 } }, 1), 2);
}

/* Verifies: REQ-CFG-031 */
static void test_s2_shared_tables(void **state)
{
	(void)state;
	/* UART and RTC share one level-2 slot: one level-3 table. */
	assert_int_equal(pages((struct s2_map[]){ { 0x9000000, 0x9000000, 0x1000 },
						 { 0x9010000, 0x9010000, 0x1000 } }, 2), 3);
	/* RAM blocks and a device page in different 1 GiB slots. */
	assert_int_equal(pages((struct s2_map[]){ { 0x40000000, 0x44000000, MIB(16) },
						 { 0x9010000, 0x9010000, 0x1000 } }, 2), 4);
	/* Two RAM regions in one 1 GiB slot share its level-2 table. */
	assert_int_equal(pages((struct s2_map[]){ { 0x40000000, 0x41000000, MIB(16) },
						 { 0x50000000, 0x60000000, MIB(2) } }, 2), 2);
	/* Two small regions in one 2 MiB slot share its level-3 table. */
	assert_int_equal(pages((struct s2_map[]){ { 0x40000000, 0x41000000, 0x1000 },
						 { 0x40100000, 0x42000000, 0x1000 } }, 2), 3);
}

/* Verifies: REQ-CFG-031 */
static void test_s2_partitions(void **state)
{
	struct bh_system *sys = load_fixture("default");

	(void)state;
	assert_int_equal(partition(sys, "demo-a")->s2_pages, 2);
	assert_int_equal(partition(sys, "demo-b")->s2_pages, 2);
	assert_int_equal(partition(sys, "demo-c")->s2_pages, 4);
	assert_int_equal(sys->s2_pages, 8);
	free(sys);
	/* GICv2: each partition also maps the virtual CPU interface (one more level-3 table here). */
	sys = load_fixture("ok-gicv2");
	assert_int_equal(partition(sys, "linux")->s2_pages, 6);
	assert_int_equal(partition(sys, "rtos")->s2_pages, 5);
	assert_int_equal(sys->s2_pages, 11);
	free(sys);
}

/* A system with the hypervisor region alone, for the EL2 count. */
static struct bh_system *hyp_only(uint64_t base, uint64_t size)
{
	struct bh_system *sys = calloc(1, sizeof(*sys));

	assert_non_null(sys);
	sys->hyp.reg = (struct bh_range){ base, size };
	sys->hyp.console = -1;
	return sys;
}

/* Verifies: REQ-CFG-060 */
static void test_image_store_placement(void **state)
{
	struct bh_system *sys = load_fixture("default");
	const struct bh_range st = sys->store;
	uint64_t at;

	(void)state;
	/* Each program's slot is its RAM from the load address; the one guest dtb a page. */
	assert_int_equal(st.size, MIB(16) + MIB(32) + MIB(16) + 0x1000);
	assert_false(ranges_overlap(st.base, st.size, sys->hyp.reg.base, sys->hyp.reg.size));
	for (unsigned i = 0; i < sys->n_partitions; i++) {
		const struct bh_partition *p = &sys->partitions[i];

		/* No partition maps the store, whatever the kind of region. */
		for (unsigned j = 0; j < p->n_regions; j++)
			if (p->regions[j].kind != CFG_REGION_DEVICE)
				assert_false(ranges_overlap(st.base, st.size, p->regions[j].pa, p->regions[j].size));
	}
	for (unsigned i = 0; i < sys->n_channels; i++)
		assert_false(ranges_overlap(st.base, st.size, sys->channels[i].pa, sys->channels[i].size));
	/* Slots one after the other from the base, in partition order, inside the store. */
	at = st.base;
	for (unsigned i = 0; i < sys->n_partitions; i++) {
		const struct bh_partition *p = &sys->partitions[i];

		assert_int_equal(p->image_slot_pa, at);
		at += p->image_slot_size;
		if (p->has_dtb) {
			assert_int_equal(p->dtb_slot_pa, at);
			at += 0x1000;
		}
	}
	assert_int_equal(at, st.base + st.size);
	free(sys);
}

/* Verifies: REQ-MEM-006, REQ-CFG-045 */
static void test_el2_pages(void **state)
{
	struct bh_system *sys;
	struct bh_partition *p;

	(void)state;
	/* 16 MiB region: the image's level-2 table and three ends in three level-3 tables. */
	sys = hyp_only(0x40000000, MIB(16));
	assert_int_equal(el2_count_pages(sys), 4);
	/* 2 MiB + 4 KiB: one 2 MiB slot after the link address, so one end table only. */
	sys->hyp.reg.size = MIB(2) + 0x1000;
	assert_int_equal(el2_count_pages(sys), 2);
	/* Partition RAM sharing that last slot shares its level-3 table... */
	sys->n_partitions = 1;
	p = &sys->partitions[0];
	p->n_ram = p->n_regions = 1;
	p->regions[0] = (struct bh_region){ .pa = 0x40201000, .size = 0x1000, .kind = CFG_REGION_RAM };
	assert_int_equal(el2_count_pages(sys), 2);
	/* ... while a 2 MiB block elsewhere in the 1 GiB slot costs nothing, and one in
	 * another 1 GiB slot its level-2 table. Device regions are not the hypervisor's. */
	p->regions[0] = (struct bh_region){ .pa = 0x41000000, .size = MIB(2), .kind = CFG_REGION_RAM };
	assert_int_equal(el2_count_pages(sys), 2);
	p->regions[0].pa = 0x80000000;
	p->n_regions = 2;
	p->regions[1] = (struct bh_region){ .pa = 0x9010000, .size = 0x1000, .kind = CFG_REGION_DEVICE };
	assert_int_equal(el2_count_pages(sys), 3);
	free(sys);
	/* The default system: image 4, UART (level 2 and 3) 2, GIC distributor 1; the
	 * redistributors share its table and are blocks after; partition RAM is blocks;
	 * the image store blocks but for its last page, one level-3 table. */
	sys = load_fixture("default");
	assert_int_equal(sys->el2_pages, 8);
	free(sys);
	/* GICv2: image 2, RAM in the 1 GiB slot at 3 GiB 2 and a small region 1, UART 2,
	 * the distributor, cpu and hypervisor interfaces one level-3 table. */
	sys = load_fixture("ok-gicv2");
	assert_int_equal(sys->el2_pages, 8);
	free(sys);
}

/* Verifies: REQ-CFG-046 */
static void test_err_el2_limit(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-el2-limit",
		      "/board/memory@1000000000000: reg: RAM range 0x1000000000000-0x100003fffffff reaches beyond the 39-bit addresses the hypervisor maps for itself (addresses must be below 0x8000000000)",
		      "/board/interrupt-controller@8000000000: reg: MMIO range 0x8000000000-0x800000ffff reaches beyond the 39-bit addresses the hypervisor maps for itself (addresses must be below 0x8000000000)",
		      "/hypervisor@80000000: console: /board/serial@8000100000 at 0x8000100000-0x8000100fff reaches beyond the 39-bit addresses the hypervisor maps for itself (addresses must be below 0x8000000000)");
}

/* Verifies: REQ-CFG-047 */
static void test_err_qemu_virt_ram(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-qemu-virt-ram",
		      "/board/memory@20000000: reg: RAM range 0x20000000-0x2fffffff is not where a \"qemu,virt\" board has RAM (0x40000000-0x3fffffffff: at most 255 GiB from 1 GiB)",
		      "/board/memory@3fc0000000: reg: RAM range 0x3fc0000000-0x403fffffff is not where a \"qemu,virt\" board has RAM (0x40000000-0x3fffffffff: at most 255 GiB from 1 GiB)");
}

/* Verifies: REQ-CFG-041 */
static void test_gicv2_cpu_interface_region(void **state)
{
	struct bh_system *sys = load_fixture("ok-gicv2");

	(void)state;
	for (unsigned i = 0; i < sys->n_partitions; i++) {
		const struct bh_partition *p = &sys->partitions[i];
		const struct bh_region *r = &p->regions[p->n_regions - 1];

		/* GICV at the guest's GICC address, read-write device memory. */
		assert_int_equal(r->ipa, 0x2c002000);
		assert_int_equal(r->pa, 0x2c006000);
		assert_int_equal(r->size, 0x2000);
		assert_int_equal(r->kind, CFG_REGION_DEVICE);
		assert_int_equal(r->access, CFG_ACCESS_R | CFG_ACCESS_W);
		assert_int_equal(p->arch.irq_delivery, CFG_IRQ_MEDIATED);
	}
	free(sys);
	/* GICv3 partitions map no CPU interface: it is made of system registers. */
	sys = load_fixture("default");
	assert_int_equal(partition(sys, "demo-a")->n_regions, 1);
	free(sys);
}

/* Verifies: REQ-CFG-042 */
static void test_direct_delivery(void **state)
{
	struct bh_system *sys = load_fixture("ok-direct");

	(void)state;
	assert_int_equal(partition(sys, "fast")->arch.irq_delivery, CFG_IRQ_DIRECT);
	assert_int_equal(partition(sys, "slow")->arch.irq_delivery, CFG_IRQ_MEDIATED);
	free(sys);
}

/* Verifies: REQ-CFG-042 */
static void test_err_direct_gicv2(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-direct-gicv2",
		      "/partitions/demo-a: interrupt-delivery: \"direct\" needs a GICv3; the board's interrupt controller /board/interrupt-controller@8000000 is a GICv2");
}

/* Verifies: REQ-CFG-042 */
static void test_err_delivery(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-delivery",
		      "/partitions/demo-a: interrupt-delivery: unknown delivery 'fast' (expected \"mediated\" or \"direct\")");
}

/* Verifies: REQ-CFG-044 */
static void test_err_direct_risk(void **state)
{
	(void)state;
	/* "third" accepts the risk and passes; the others do not. */
	EXPECT_ERRORS("err-direct-risk",
		      "/partitions/fourth: direct-delivery-risk: unknown risk 'spi' (expected \"foreign-spi-deactivation\")",
		      "/partitions/fast: interrupt-delivery: \"direct\" would let this partition deactivate SPIs of other partitions (its EOI on the physical CPU interface acts on any INTID and cannot be trapped): 34 (/partitions/slow), 39 (/partitions/third), 40 (/partitions/third); deliver \"mediated\", or accept the risk with direct-delivery-risk = \"foreign-spi-deactivation\"",
		      "/partitions/slow: direct-delivery-risk: has no effect without interrupt-delivery = \"direct\"",
		      "/partitions/fourth: interrupt-delivery: \"direct\" would let this partition deactivate SPIs of other partitions (its EOI on the physical CPU interface acts on any INTID and cannot be trapped): 34 (/partitions/slow), 39 (/partitions/third), 40 (/partitions/third); deliver \"mediated\", or accept the risk with direct-delivery-risk = \"foreign-spi-deactivation\"");
}

/* Verifies: REQ-CFG-044 */
static void test_err_direct_no_risk(void **state)
{
	(void)state;
	/* Its own SPI and the hypervisor's console SPI (never enabled) are no risk. */
	EXPECT_ERRORS("err-direct-no-risk",
		      "/partitions/fast: direct-delivery-risk: no other partition owns an SPI, so there is no risk to accept; remove the property");
}

/* Verifies: REQ-CFG-036, REQ-CFG-044 */
static void test_direct_risk_report(void **state)
{
	static const char *const lines[] = {
		"## Accepted risks\n\n- **fast** (`/partitions/fast`), `direct-delivery-risk = \"foreign-spi-deactivation\"`: with direct delivery its EOIs reach\n"
		"  the physical GIC, so it can deactivate these SPIs of other partitions while they\n"
		"  are active: 34 (/partitions/slow).",
		"| Interrupt delivery | direct (physical CPU interface) |\n| Accepted risk | `direct-delivery-risk = \"foreign-spi-deactivation\"`: see Accepted risks |",
	};
	struct run r;
	char *md;

	(void)state;
	prepare(&r, "ok-direct-risk", "report-risk");
	pass2(&r);
	fx_write_file(r.images, "fast.bin", 64);
	fx_write_file(r.images, "slow.bin", 64);
	fx_mkdirs(r.srctree);
	run_ok(&r);
	md = fx_read_in(r.out, "isolation.md");
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_contains(md, lines[i]);
	free(md);
	free(r.err);
	/* Without a risk, the report says so. */
	default_pass2(&r, "report-no-risk");
	run_ok(&r);
	md = fx_read_in(r.out, "isolation.md");
	assert_contains(md, "## Accepted risks\n\nNone.\n");
	assert_null(strstr(md, "Accepted risk |"));
	free(md);
	free(r.err);
}

/* Verifies: REQ-CFG-031 */
static void test_s2_pool_sized(void **state)
{
	struct run r;
	char *mk;

	(void)state;
	/* The default system's count, 8 (test_s2_partitions), is the pool. */
	prepare(&r, "default", "s2-sized");
	run_ok(&r);
	mk = fx_read_in(r.out, "system.mk");
	assert_contains(mk, "\nBH_S2_POOL_PAGES := 8\n");
	free(mk);
	free(r.err);
}

/* ---- limits -------------------------------------------------------------- */

/* Verifies: REQ-CFG-011 */
static void test_too_many_cores(void **state)
{
	struct run r;

	(void)state;
	prepare(&r, "default", "max-cores");
	r.opt.max_cpus = 2;
	check_errors(&r, (const char *const[]){
		"/board/cpus: too many cores: 4, CONFIG_MAX_CORES is 2", NULL });
}

/* Verifies: REQ-CFG-013 */
static void test_too_many_partitions(void **state)
{
	struct run r;

	(void)state;
	prepare(&r, "default", "max-partitions");
	r.opt.max_partitions = 2;
	check_errors(&r, (const char *const[]){
		"/partitions: too many partitions: 3, CONFIG_MAX_PARTITIONS is 2", NULL });
}

/* Verifies: REQ-CFG-038 */
static void test_err_regions(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-regions",
		      "/partitions/demo-a/memory@43000000: more than 48 memory regions in /partitions/demo-a");
}

/* ---- rejections ----------------------------------------------------------- */

/* Verifies: REQ-CFG-002, REQ-CFG-021 */
static void test_err_host_overlap(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-host-overlap",
		      "/partitions/demo-b/memory@40000000: host-address: host range 0x41000000-0x41ffffff overlaps /partitions/demo-a/memory@40000000 (0x41000000-0x41ffffff)");
}

/* Verifies: REQ-CFG-019 */
static void test_err_host_outside(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-host-outside",
		      "/partitions/demo-a/memory@40000000: host-address: host range 0x30000000-0x30ffffff is outside board RAM (0x40000000-0x7fffffff)",
		      "/partitions/demo-b/memory@40000000: host-address: host range 0x7f000000-0x80ffffff is outside board RAM (0x40000000-0x7fffffff)");
}

/* Verifies: REQ-CFG-020 */
static void test_err_host_hyp(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-host-hyp",
		      "/partitions/demo-a/memory@40000000: host-address: host range 0x40800000-0x417fffff overlaps the hypervisor region /hypervisor@40000000 (0x40000000-0x40ffffff)");
}

/* Verifies: REQ-CFG-016 */
static void test_err_align(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-align",
		      "/partitions/demo-a/memory@50000800: reg: guest base 0x50000800 is not 4 KiB aligned",
		      "/partitions/demo-a/memory@51000000: reg: size 0x1800 is not a multiple of 4 KiB",
		      "/partitions/demo-a/memory@52000000: host-address: 0x48000100 is not 4 KiB aligned",
		      "/partitions/demo-a/memory@53000000: reg: size is zero");
}

/* Verifies: REQ-CFG-017 */
static void test_err_overflow(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-overflow",
		      "/partitions/demo-a/memory@fffffffffffff000: reg: guest range 0xfffffffffffff000 + 0x2000 overflows 64 bits",
		      "/partitions/demo-a/memory@50000000: host-address: host range 0xfffffffffffff000 + 0x2000 overflows 64 bits");
}

/* Verifies: REQ-CFG-018 */
static void test_err_ipa_limit(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-ipa-limit",
		      "/partitions/demo-a/memory@8000000000: reg: guest range 0x8000000000-0x8000000fff reaches beyond the 39-bit stage-2 IPA limit (addresses must be below 0x8000000000)",
		      "/partitions/demo-a/memory@7ffffff000: reg: guest range 0x7ffffff000-0x8000000fff reaches beyond the 39-bit stage-2 IPA limit (addresses must be below 0x8000000000)");
}

/* Verifies: REQ-CFG-018 */
static void test_err_device_high(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-device-high",
		      "/partitions/demo-a: devices: MMIO range 0x8000000000-0x8000000fff of /board/big@8000000000 is beyond the 39-bit stage-2 IPA limit (0x8000000000); it cannot be passed through");
}

/* Verifies: REQ-CFG-022 */
static void test_err_guest_overlap(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-guest-overlap",
		      "/partitions/demo-a/memory@40800000: reg: guest range 0x40800000-0x417fffff overlaps /partitions/demo-a/memory@40000000 (0x40000000-0x40ffffff)",
		      "/partitions/demo-a: devices: guest range 0x9010000-0x9010fff of /board/rtc@9010000 overlaps /partitions/demo-a/memory@9000000 (0x9000000-0x90fffff)");
}

/* Verifies: REQ-CFG-022 */
static void test_err_vgic(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-vgic",
		      "/partitions/demo-a/memory@8000000: reg: guest range 0x8000000-0x801ffff overlaps the virtual interrupt controller's distributor (0x8000000-0x800ffff)",
		      "/partitions/demo-a/memory@80a0000: reg: guest range 0x80a0000-0x80a0fff overlaps the virtual interrupt controller's redistributors (0x80a0000-0x80bffff)");
}

/* Verifies: REQ-CFG-014 */
static void test_err_core_twice(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-core-twice",
		      "/partitions/demo-b: cpus: core 1 (/board/cpus/cpu@1) is also assigned to /partitions/demo-a",
		      "/partitions/demo-b: cpus: /board/cpus/cpu@2 is listed twice");
}

/* Verifies: REQ-CFG-014 */
static void test_err_core_not_cpu(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-core-not-cpu",
		      "/partitions/demo-a: cpus: /board/rtc@9010000 is not a board cpu (/board/cpus/cpu@...)");
}

/* Verifies: REQ-CFG-027 */
static void test_err_device_twice(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-device-twice",
		      "/partitions/demo-b: devices: /board/rtc@9010000 is listed twice",
		      "/partitions/demo-b: devices: /board/rtc@9010000 is also assigned to /partitions/demo-a",
		      "/partitions/demo-b: devices: /board/serial@9000000 is the hypervisor's console (only the service partition may own it)");
}

/* Verifies: REQ-CFG-027 */
static void test_err_device_kind(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-device-kind",
		      "/partitions/demo-a: devices: /board/cpus/cpu@1 is not a board device (memory, cpus and the interrupt controller cannot be assigned)",
		      "/partitions/demo-a: devices: /board/interrupt-controller@8000000 is not a board device (memory, cpus and the interrupt controller cannot be assigned)");
}

/* Verifies: REQ-CFG-027 */
static void test_err_irq_twice(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-irq-twice",
		      "/partitions/demo-b: devices: interrupt 34 of /board/gpio@9030000 is also owned by /partitions/demo-a (through /board/rtc@9010000)",
		      "/partitions/demo-b: devices: interrupt 33 of /board/spare@9040000 is owned by the hypervisor (console /board/serial@9000000)");
}

/* Verifies: REQ-CFG-027 */
static void test_err_irq_ppi(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-irq-ppi",
		      "/partitions/demo-a: devices: /board/pmu@9050000 has interrupt 23, which is not an SPI; only SPIs (32..1019) can be assigned to a partition");
}

/* Verifies: REQ-CFG-015 */
static void test_err_program_image(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-program-image",
		      "/partitions/demo-a: has both 'program' and 'image'; give exactly one",
		      "/partitions/demo-b: missing required property 'program' or 'image' (exactly one)");
}

/* Verifies: REQ-CFG-028 */
static void test_err_fault_policy(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-fault-policy",
		      "/partitions/demo-a: fault-policy: unknown policy 'reboot' (expected \"stop\" or \"restart\")",
		      "/partitions/demo-a: scrub-on-restart: expected an empty property, got 4 bytes");
}

/* Verifies: REQ-CFG-023 */
static void test_err_access(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-access",
		      "/partitions/demo-a/memory@50000000: access: 'wx' is not valid: r, w, x in that order, r required (\"r\", \"rw\", \"rx\" or \"rwx\")",
		      "/partitions/demo-a/memory@51000000: access: 'xr' is not valid: r, w, x in that order, r required (\"r\", \"rw\", \"rx\" or \"rwx\")",
		      "/partitions/demo-a/memory@52000000: access: 'w' is not valid: r, w, x in that order, r required (\"r\", \"rw\", \"rx\" or \"rwx\")");
}

/* Verifies: REQ-CFG-024 */
static void test_err_entry(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-entry",
		      "/partitions/demo-a: entry: 0x30000000 is not inside any memory region of the partition",
		      "/partitions/demo-b: entry: 0x40000000 is in /partitions/demo-b/memory@40000000, which has no x access (access \"rw\")",
		      "/partitions/demo-c: load-address: 0x40000000 is in /partitions/demo-c/memory@40000000, which has no w access (access \"rx\")",
		      "/partitions/demo-d: entry: the image is loaded at entry (no load-address): 0x40000000 is in /partitions/demo-d/memory@40000000, which has no w access (access \"rx\")");
}

/* Verifies: REQ-CFG-025 */
static void test_err_dtb_address(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-dtb-address",
		      "/partitions/demo-a: dtb-address: 0x40000004 is not 8-byte aligned",
		      "/partitions/demo-b: dtb-address: 0x50000000 is not inside any memory region of the partition",
		      "/partitions/demo-c: dtb-address: 0x48000000 is in /partitions/demo-c/memory@48000000, which has no w access (access \"r\")",
		      "/partitions/demo-d: dtb-address: the guest device tree (1528 bytes) does not fit between 0x40ffff00 and the end of /partitions/demo-d/memory@40000000 (0x40ffffff)");
}

/* Verifies: REQ-CFG-040 */
static void test_err_dtb_name(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-dtb-name",
		      "/partitions/demo-a: devices: node name 'timer' of /board/timer clashes with a node of the generated guest device tree; rename the board node");
}

/* Verifies: REQ-CFG-026 */
static void test_err_bootargs(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-bootargs",
		      "/partitions/demo-a: bootargs: has no effect without dtb-address (it goes to /chosen of the guest device tree)");
}

/* Verifies: REQ-CFG-030 */
static void test_err_no_room(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-no-room",
		      "/partitions/demo-b/memory@40000000: no room in board RAM to place 0x3f000000 bytes (1008 MiB, 2 MiB aligned); free some or give host-address");
}

/* Verifies: REQ-CFG-004 */
static void test_err_unknown(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-unknown",
		      "/: unknown node 'mailboxes'",
		      "/board/serial@9000000: unknown property 'status'",
		      "/partitions/demo-a: unknown property 'priority'",
		      "/partitions/demo-a: unknown node 'shm'",
		      "/partitions/demo-a/memory@40000000: unknown property 'cacheable'");
}

/* Verifies: REQ-CFG-005 */
static void test_err_missing(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-missing",
		      "/: missing required node 'hypervisor@...'",
		      "/partitions/demo-a: cpus: missing required property",
		      "/partitions/demo-a: entry: missing required property",
		      "/partitions/demo-a: missing required node 'memory@...'");
}

/* Verifies: REQ-CFG-006 */
static void test_err_length(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-length",
		      "/partitions/demo-a: entry: expected one address of 2 cells (#address-cells), got 4 bytes",
		      "/partitions/demo-a: dtb-address: expected one address of 2 cells (#address-cells), got 5 bytes",
		      "/partitions/demo-a: fault-policy: expected one string",
		      "/partitions/demo-a/memory@40000000: reg: expected (address, size) pairs of 2+2 cells (#address-cells, #size-cells), got 12 bytes");
}

/* Verifies: REQ-CFG-006 */
static void test_err_cells(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-cells",
		      "/partitions/demo-a: #address-cells: must be 1 or 2, got 3",
		      "/partitions/demo-a: #size-cells: must be 1 or 2, got 0");
}

/* Verifies: REQ-CFG-013 */
static void test_err_name(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-name",
		      "/partitions/Demo: partition name 'Demo' must be 1 to 31 characters from a-z, 0-9, '_' and '-'",
		      "/partitions/a-name-that-is-far-too-long-for-c: partition name 'a-name-that-is-far-too-long-for-c' must be 1 to 31 characters from a-z, 0-9, '_' and '-'",
		      "/partitions/demo_x: partition name 'demo_x' gives the same C symbol 'demo_x' as /partitions/demo-x");
}

/* Verifies: REQ-CFG-013, REQ-CON-006 */
static void test_err_name_reserved(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-name-reserved",
		      "/partitions/bulkhead: partition name 'bulkhead' is reserved: the hypervisor's console lines start with [bulkhead]");
}

/* Verifies: REQ-CFG-011 */
static void test_err_mpidr(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-mpidr",
		      "/board/cpus/cpu@1000004: reg: MPIDR 0x1000004 has bits outside the affinity fields Aff3..Aff0 (mask 0xff00ffffff)",
		      "/board/cpus/cpu@00: reg: MPIDR 0x0 is also the MPIDR of /board/cpus/cpu@0");
}

/* Verifies: REQ-CFG-037 */
static void test_err_unit_address(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-unit-address",
		      "/partitions/demo-a/memory@40000000: unit address '40000000' does not match the address in reg (0x40100000)",
		      "/partitions/demo-a/memory@zz: unit address 'zz' is not a hexadecimal number");
}

/* Verifies: REQ-CFG-008 */
static void test_err_board_mmio(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-board-mmio",
		      "/board/memory@c0000800: reg: RAM range 0xc0000800-0xc01007ff is not 4 KiB aligned in base and size",
		      "/board/odd@9060000: reg: MMIO range 0x9060000-0x90607ff is not 4 KiB aligned in base and size",
		      "/board/clash@9000000: reg: MMIO range 0x9000000-0x9001fff overlaps /board/serial@9000000 (0x9000000-0x9000fff)",
		      "/board/inram@7ffff000: reg: MMIO range 0x7ffff000-0x7fffffff overlaps /board/memory@40000000 (0x40000000-0x7fffffff)");
}

/* Verifies: REQ-CFG-005, REQ-CFG-009 */
static void test_err_board_device(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-board-device",
		      "/board/nocompat@9070000: compatible: missing required property",
		      "/board/noreg: reg: missing required property",
		      "/board/badirq@9080000: interrupts: 1020 is not a GIC interrupt id (0..1019)");
}

/* Verifies: REQ-CFG-010 */
static void test_err_gic(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-gic",
		      "/board/interrupt-controller@8000000: compatible: unsupported interrupt controller \"arm,gic-v5\"; supported: \"arm,gic-v3\", \"arm,gic-400\", \"arm,cortex-a15-gic\"");
}

/* Verifies: REQ-CFG-010 */
static void test_err_gic_reg(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-gic-reg",
		      "/board/interrupt-controller@8000000: reg: a GICv3 needs 2 ranges (distributor, redistributors), got 1",
		      "/board/intc@9090000: a second interrupt controller; the board has exactly one (/board/interrupt-controller@8000000)");
}

/* Verifies: REQ-CFG-041 */
static void test_err_gicv2_vcpu_high(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-gicv2-vcpu-high",
		      "/board/interrupt-controller@8000000: reg: virtual cpu interface 0x3fffffff08040000-0x3fffffff0804ffff reaches beyond the 48-bit output addresses of stage 2, where every partition maps it (addresses must be below 0x1000000000000)");
}

/* Verifies: REQ-CFG-010 */
static void test_err_gic_redist(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-gic-redist",
		      "/board/interrupt-controller@8000000: reg: redistributor range 0x80a0000-0x80dffff is smaller than 128 KiB for each of the 4 cores (0x80000)");
}

/* Verifies: REQ-CFG-010 */
static void test_err_interrupt_parent(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-interrupt-parent",
		      "/board: interrupt-parent: /board/serial@9000000 is not the board's interrupt controller (/board/interrupt-controller@8000000)");
}

/* Verifies: REQ-CFG-012 */
static void test_err_hyp(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-hyp",
		      "/hypervisor@3ff00000: console: /board/rtc@9010000 is not a supported console (compatible \"arm,pl011\", \"ns16550a\", \"cdns,uart-r1p12\" or \"fsl,imx6q-uart\")",
		      "/hypervisor@3ff00000: reg: base 0x3ff00000 is not 2 MiB aligned (the hypervisor is linked at base + 2 MiB with 2 MiB mappings)",
		      "/hypervisor@3ff00000: reg: size 0x100000 leaves no room for the hypervisor image, which is linked at base + 2 MiB; it must exceed 2 MiB",
		      "/hypervisor@3ff00000: reg: hypervisor region 0x3ff00000-0x3fffffff is not inside one board RAM range");
}

/* Verifies: REQ-CFG-007 */
static void test_err_root(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-root", "/: compatible: must be \"bulkhead,system\", got \"acme,system\"");
}

/* Verifies: REQ-CFG-002 */
static void test_err_several(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-several",
		      "/partitions/demo-a: fault-policy: unknown policy 'never' (expected \"stop\" or \"restart\")",
		      "/partitions/demo-b: unknown property 'colour'",
		      "/partitions/demo-b: cpus: core 0 (/board/cpus/cpu@0) is also assigned to /partitions/demo-a",
		      "/partitions/demo-b/memory@40000000: host-address: host range 0x41000000-0x41ffffff overlaps /partitions/demo-a/memory@40000000 (0x41000000-0x41ffffff)");
}

/* ---- hostile input: bhcc's own tables ---------------------------------------- */

/* Verifies: REQ-CFG-002, REQ-CFG-043 */
static void test_err_node_name(void **state)
{
	(void)state;
	/* 298 and 1998 characters: once an overflow of a 256-byte name, then garbage. */
	EXPECT_ERRORS("err-node-name",
		      "/board/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...@9070000: node path longer than 255 characters (the node name has 298); shorten the name",
		      "/board/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb...@9080000: node path longer than 255 characters (the node name has 1998); shorten the name");
}

/* Verifies: REQ-CFG-009, REQ-CFG-043 */
static void test_err_console_irq(void **state)
{
	(void)state;
	/* Once the interrupt ids of an invalid console indexed bhcc's owner table. */
	EXPECT_ERRORS("err-console-irq",
		      "/board/serial@9000000: interrupts: 5000 is not a GIC interrupt id (0..1019)",
		      "/board/serial@9000000: interrupts: 4294967295 is not a GIC interrupt id (0..1019)");
}

/* Verifies: REQ-CFG-002, REQ-CFG-019 */
static void test_err_no_ram(void **state)
{
	(void)state;
	EXPECT_ERRORS("err-no-ram",
		      "/board/memory@40000000: reg: RAM range 0x40000000-0x7ffff7ff is not 4 KiB aligned in base and size",
		      "/partitions/demo-a/memory@40000000: host-address: host range 0x41000000-0x41ffffff is outside board RAM (the board has no usable RAM range)");
}

/* ---- pass 2: images ------------------------------------------------------- */

/* Verifies: REQ-CFG-029 */
static void test_image_missing(void **state)
{
	struct run r;
	char line[4 * PATH];

	(void)state;
	default_pass2(&r, "img-missing");
	snprintf(line, sizeof(line), "%s/demo-c.bin", r.images);
	assert_int_equal(unlink(line), 0);
	snprintf(line, sizeof(line),
		 "/partitions/demo-c: program: cannot read image file '%s/demo-c.bin': No such file or directory",
		 r.images);
	check_errors(&r, (const char *const[]){ line, NULL });
}

/* Verifies: REQ-CFG-029 */
static void test_image_empty(void **state)
{
	struct run r;
	char line[4 * PATH];

	(void)state;
	default_pass2(&r, "img-empty");
	fx_write_file(r.images, "demo-b.bin", 0);
	snprintf(line, sizeof(line), "/partitions/demo-b: program: image file '%s/demo-b.bin' is empty",
		 r.images);
	check_errors(&r, (const char *const[]){ line, NULL });
}

/* Verifies: REQ-CFG-029 */
static void test_image_too_large(void **state)
{
	struct run r;
	char line[4 * PATH];

	(void)state;
	default_pass2(&r, "img-large");
	fx_write_file(r.images, "demo-a.bin", MIB(16) + 1);
	snprintf(line, sizeof(line),
		 "/partitions/demo-a: program: image larger than its region: '%s/demo-a.bin' needs 16777217 bytes, /partitions/demo-a/memory@40000000 has 16777216 bytes from load-address 0x40000000",
		 r.images);
	check_errors(&r, (const char *const[]){ line, NULL });
	/* Exactly the region's size fits. */
	fx_write_file(r.images, "demo-a.bin", MIB(16));
	run_ok(&r);
	free(r.err);
}

/* Verifies: REQ-CFG-025, REQ-CFG-029 */
static void test_image_overlaps_dtb(void **state)
{
	struct run r;
	char line[4 * PATH];

	(void)state;
	/* linux loads at 0x80000000 and has its device tree at 0x83f00000. */
	gicv2_pass2(&r, "img-dtb", 0x3f00001);
	snprintf(line, sizeof(line),
		 "/partitions/linux: dtb-address: the guest device tree (0x83f00000-0x83f00758) overlaps the image (0x80000000-0x83f00000)");
	check_errors(&r, (const char *const[]){ line, NULL });
	assert_false(fx_exists(r.out, "linux.dtb"));
}

/* ---- outputs on error, files, arguments -------------------------------------- */

/* How many entries of @dir begin with '.' and are not "." or "..": the outputs' temporary files. */
static unsigned temporaries_in(const char *dir)
{
	unsigned n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* The outputs' own failures are errors too, never a partial set left behind: an output folder
 * that cannot be made, a path too long for it, more files than the set holds, and a rename that
 * fails (a folder where a file goes) each say what and leave no temporary file. */
/* Verifies: REQ-CFG-003 */
static void test_output_failures_are_errors(void **state)
{
	static struct outputs o;
	struct diag d;
	char *err;
	size_t len;
	FILE *f;
	char dir[PATH], path[2 * PATH], want[3 * PATH];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/outfail", fx_tmp);
	fx_write_file(fx_tmp, "outfail-file", 16);
	snprintf(path, sizeof(path), "%s/outfail-file/gen", fx_tmp);
	f = open_memstream(&err, &len);
	diag_init(&d, "src.dts", f);
	assert_false(out_init(&o, path, &d));
	fclose(f);
	snprintf(want, sizeof(want), "cannot create output directory '%s': Not a directory", path);
	assert_non_null(strstr(err, want));
	free(err);

	/* A folder where b.txt goes: the rename fails, no temporary stays. */
	f = open_memstream(&err, &len);
	diag_init(&d, "src.dts", f);
	assert_true(out_init(&o, dir, &d));
	snprintf(path, sizeof(path), "%s/b.txt", dir);
	assert_int_equal(mkdir(path, 0777), 0);
	FILE *a = out_begin(&o, "a.txt");
	assert_non_null(a);
	fputs("a\n", a);
	out_end(&o, a);
	out_blob(&o, "b.txt", "b\n", 2);
	assert_false(out_commit(&o));
	fclose(f);
	snprintf(want, sizeof(want), "cannot write '%s': Is a directory", path);
	assert_non_null(strstr(err, want));
	free(err);
	assert_int_equal(temporaries_in(dir), 0);

	/* More files than a set holds. */
	f = open_memstream(&err, &len);
	diag_init(&d, "src.dts", f);
	assert_true(out_init(&o, dir, &d));
	for (unsigned i = 0; i < OUT_MAX_FILES; i++) {
		char name[32];

		snprintf(name, sizeof(name), "f%u", i);
		out_blob(&o, name, "x", 1);
	}
	assert_null(out_begin(&o, "one-more"));
	assert_false(out_commit(&o));
	fclose(f);
	snprintf(want, sizeof(want), "more than %u output files", (unsigned)OUT_MAX_FILES);
	assert_non_null(strstr(err, want));
	free(err);
	assert_int_equal(temporaries_in(dir), 0);
	assert_false(fx_exists(dir, "f0"));

	/* A name that makes the path longer than a path may be. */
	char name[BHCC_FILE_MAX];
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	f = open_memstream(&err, &len);
	diag_init(&d, "src.dts", f);
	assert_true(out_init(&o, dir, &d));
	assert_null(out_begin(&o, name));
	assert_false(out_commit(&o));
	fclose(f);
	assert_non_null(strstr(err, "is too long"));
	free(err);
}

/* Verifies: REQ-CFG-003 */
static void test_no_outputs_after_error(void **state)
{
	struct run ok, bad;
	char dir[PATH + 32];

	(void)state;
	/* Pass 1 succeeds, then a broken description removes system.mk. */
	prepare(&ok, "default", "stale");
	run_ok(&ok);
	free(ok.err);
	assert_true(fx_exists(ok.out, "system.mk"));
	prepare(&bad, "err-host-overlap", "stale");
	check_errors(&bad, (const char *const[]){
		"/partitions/demo-b/memory@40000000: host-address: host range 0x41000000-0x41ffffff overlaps /partitions/demo-a/memory@40000000 (0x41000000-0x41ffffff)",
		NULL });
	assert_false(fx_exists(bad.out, "system.mk"));

	/* Pass 2 succeeds with a guest dtb, then a missing image removes every table. */
	gicv2_pass2(&ok, "stale2", 300000);
	run_ok(&ok);
	free(ok.err);
	assert_true(fx_exists(ok.out, "linux.dtb"));
	snprintf(dir, sizeof(dir), "%s/rtos.bin", ok.images);
	assert_int_equal(unlink(dir), 0);
	run(&ok);
	assert_int_equal(ok.rc, 1);
	free(ok.err);
	assert_false(fx_exists(ok.out, "config.c"));
	assert_false(fx_exists(ok.out, "load.list"));
	assert_false(fx_exists(ok.out, "isolation.md"));
	assert_false(fx_exists(ok.out, "bounds.mk"));
	assert_false(fx_exists(ok.out, "linux.dtb"));
	/* No temporary files either. */
	snprintf(dir, sizeof(dir), "ls -A '%s' | grep -q .", ok.out);
	assert_int_not_equal(system(dir), 0);
}

/* Verifies: REQ-CFG-003 */
static void test_input_blob_never_removed(void **state)
{
	struct run r;
	char cmd[4 * PATH];

	(void)state;
	/* The input is GENDIR/demo-a.dtb, a name bhcc would otherwise clean up. */
	default_pass2(&r, "keep-input");
	fx_mkdirs(r.out);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s/demo-a.dtb'", r.dtb, r.out);
	assert_int_equal(system(cmd), 0);
	snprintf(r.dtb, sizeof(r.dtb), "%s/demo-a.dtb", r.out);
	snprintf(cmd, sizeof(cmd), "%s/demo-c.bin", r.images);
	assert_int_equal(unlink(cmd), 0);
	run(&r);
	assert_int_equal(r.rc, 1);
	free(r.err);
	assert_true(fx_exists(r.out, "demo-a.dtb"));
}

/* Verifies: REQ-CFG-002, REQ-CFG-043 */
static void test_not_a_blob(void **state)
{
	struct run r;
	char line[4 * PATH];

	(void)state;
	prepare(&r, "default", "not-a-blob");
	fx_write_file(r.srctree, "text.dtb", 100);
	snprintf(r.dtb, sizeof(r.dtb), "%s/text.dtb", r.srctree);
	snprintf(line, sizeof(line), "'%s' is not a valid device tree blob: FDT_ERR_BADMAGIC", r.dtb);
	check_errors(&r, (const char *const[]){ line, NULL });
	snprintf(r.dtb, sizeof(r.dtb), "%s/absent.dtb", r.srctree);
	snprintf(line, sizeof(line), "cannot read device tree blob '%s': No such file or directory",
		 r.dtb);
	check_errors(&r, (const char *const[]){ line, NULL });
	/* The blob on which libfdt 1.6.1's fdt_check_full() crashed (fuzzing found it): refused first. */
	snprintf(r.dtb, sizeof(r.dtb), "tests/fuzz/regressions/bhcc/libfdt-version-5-root-name.dtb");
	snprintf(line, sizeof(line),
		 "'%s' is not a valid device tree blob: version 5, bhcc reads version 16 and later", r.dtb);
	check_errors(&r, (const char *const[]){ line, NULL });
	snprintf(r.dtb, sizeof(r.dtb), "%s", r.srctree);
	snprintf(line, sizeof(line), "cannot read device tree blob '%s': it is a directory", r.dtb);
	check_errors(&r, (const char *const[]){ line, NULL });
	fx_write_file(r.srctree, "huge.dtb", MIB(16) + 1);
	snprintf(r.dtb, sizeof(r.dtb), "%s/huge.dtb", r.srctree);
	snprintf(line, sizeof(line),
		 "cannot read device tree blob '%s': it has 16777217 bytes, bhcc reads at most 16777216",
		 r.dtb);
	check_errors(&r, (const char *const[]){ line, NULL });
}

static int parse(const char *const *argv, struct bhcc_options *opt, char **err)
{
	size_t len;
	int argc = 0, rc;
	FILE *f = open_memstream(err, &len);

	while (argv[argc])
		argc++;
	rc = bhcc_parse_args(argc, (char **)argv, opt, f);
	fclose(f);
	return rc;
}

#define PARSE(opt, err, ...) parse((const char *const[]){ "bhcc", __VA_ARGS__, NULL }, opt, err)

/* Verifies: REQ-LNX-001 */
static void test_guest_tree_too_big_for_its_buffer_is_an_error(void **state)
{
	static const char *const fixtures[] = { "ok-channels", "ok-disk", "ok-gicv2", "ok-guest-dtb",
						"ok-shared", "ok-uart-layout", "default" };
	struct run r;

	(void)state;
	fx_sweep_guest_desc = true;
	fx_trees_swept = 0;
	for (unsigned i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		prepare(&r, fixtures[i], "tree-sweep");
		run_ok(&r);
		free(r.err);
	}
	fx_sweep_guest_desc = false;
	assert_true(fx_trees_swept >= sizeof(fixtures) / sizeof(fixtures[0]));
}

/* Verifies: REQ-CFG-039 */
static void test_arguments(void **state)
{
	struct bhcc_options o;
	char *err;

	(void)state;
	assert_int_equal(PARSE(&o, &err, "--dtb", "s.dtb", "--source", "x.dts", "--out", "gen",
			       "--max-cores", "4", "--max-partitions", "8",
			       "--layout-only"), 0);
	assert_string_equal(err, "");
	free(err);
	assert_string_equal(o.dtb, "s.dtb");
	assert_string_equal(o.source, "x.dts");
	assert_string_equal(o.out, "gen");
	assert_int_equal(o.max_cpus, 4);
	assert_int_equal(o.max_partitions, 8);
	assert_true(o.layout_only);

	assert_int_equal(PARSE(&o, &err, "--dtb", "s.dtb", "--out", "gen", "--max-cores", "4",
			       "--max-partitions", "8", "--images", "img",
			       "--srctree", "."), 0);
	free(err);
	assert_false(o.layout_only);
	assert_string_equal(o.source, "s.dtb");
	assert_string_equal(o.images, "img");

	/* Pass 2 needs the images. */
	assert_int_equal(PARSE(&o, &err, "--dtb", "s.dtb", "--out", "gen", "--max-cores", "4",
			       "--max-partitions", "8"), 1);
	assert_non_null(strstr(err, "bhcc: pass 2 (without --layout-only) needs --images and --srctree\n"));
	free(err);
	/* Limits are checked. */
	assert_int_equal(PARSE(&o, &err, "--dtb", "s.dtb", "--out", "gen", "--max-cores", "65",
			       "--max-partitions", "8", "--layout-only"), 1);
	assert_string_equal(err, "bhcc: --max-cores: '65' is not a number from 1 to 64\n");
	free(err);
	assert_int_equal(PARSE(&o, &err, "--dtb", "s.dtb", "--out", "gen", "--max-cores", "4x",
			       "--max-partitions", "8", "--layout-only"), 1);
	free(err);
	/* Unknown, incomplete, missing. */
	assert_int_equal(PARSE(&o, &err, "--frobnicate"), 1);
	assert_non_null(strstr(err, "bhcc: unknown argument '--frobnicate'\n"));
	free(err);
	assert_int_equal(PARSE(&o, &err, "--dtb"), 1);
	assert_non_null(strstr(err, "bhcc: --dtb needs a value\n"));
	free(err);
	assert_int_equal(PARSE(&o, &err, "--dtb", "s.dtb", "--layout-only"), 1);
	assert_non_null(strstr(err, "are required"));
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_validates),
		cmocka_unit_test(test_auto_placement_default),
		cmocka_unit_test(test_auto_placement_first_fit),
		cmocka_unit_test(test_auto_placement_several_ram_ranges),
		cmocka_unit_test(test_system_mk_default),
		cmocka_unit_test(test_system_mk_prebuilt_image),
		cmocka_unit_test(test_pass2_outputs),
		cmocka_unit_test(test_pass2_bounds),
		cmocka_unit_test(test_load_list_with_dtb),
		cmocka_unit_test(test_initrd),
		cmocka_unit_test(test_arm64_image_header),
		cmocka_unit_test(test_config_c_default),
		cmocka_unit_test(test_config_c_gicv2),
		cmocka_unit_test(test_config_c_aarch64_flags),
		cmocka_unit_test(test_guest_dtb_gicv3),
		cmocka_unit_test(test_uart_register_layout),
		cmocka_unit_test(test_err_uart_layout),
		cmocka_unit_test(test_shared_memory),
		cmocka_unit_test(test_err_shared),
		cmocka_unit_test(test_channel_rights),
		cmocka_unit_test(test_config_c_channels),
		cmocka_unit_test(test_channel_guest_dtb),
		cmocka_unit_test(test_err_channels),
		cmocka_unit_test(test_console_channels),
		cmocka_unit_test(test_console_guest_dtb),
		cmocka_unit_test(test_err_console),
		cmocka_unit_test(test_err_disks),
		cmocka_unit_test(test_disk_modes),
		cmocka_unit_test(test_disk_guest_dtb),
		cmocka_unit_test(test_channels_report),
		cmocka_unit_test(test_guest_dtb_gicv2),
		cmocka_unit_test(test_isolation_report),
		cmocka_unit_test(test_isolation_report_default),
		cmocka_unit_test(test_s2_blocks),
		cmocka_unit_test(test_s2_unaligned),
		cmocka_unit_test(test_s2_shared_tables),
		cmocka_unit_test(test_s2_partitions),
		cmocka_unit_test(test_image_store_placement),
		cmocka_unit_test(test_el2_pages),
		cmocka_unit_test(test_err_el2_limit),
		cmocka_unit_test(test_err_qemu_virt_ram),
		cmocka_unit_test(test_gicv2_cpu_interface_region),
		cmocka_unit_test(test_direct_delivery),
		cmocka_unit_test(test_err_direct_gicv2),
		cmocka_unit_test(test_err_delivery),
		cmocka_unit_test(test_err_direct_risk),
		cmocka_unit_test(test_err_direct_no_risk),
		cmocka_unit_test(test_direct_risk_report),
		cmocka_unit_test(test_s2_pool_sized),
		cmocka_unit_test(test_too_many_cores),
		cmocka_unit_test(test_too_many_partitions),
		cmocka_unit_test(test_err_regions),
		cmocka_unit_test(test_err_host_overlap),
		cmocka_unit_test(test_err_host_outside),
		cmocka_unit_test(test_err_host_hyp),
		cmocka_unit_test(test_err_align),
		cmocka_unit_test(test_err_overflow),
		cmocka_unit_test(test_err_ipa_limit),
		cmocka_unit_test(test_err_device_high),
		cmocka_unit_test(test_err_guest_overlap),
		cmocka_unit_test(test_err_vgic),
		cmocka_unit_test(test_err_core_twice),
		cmocka_unit_test(test_err_core_not_cpu),
		cmocka_unit_test(test_err_device_twice),
		cmocka_unit_test(test_err_device_kind),
		cmocka_unit_test(test_err_irq_twice),
		cmocka_unit_test(test_err_irq_ppi),
		cmocka_unit_test(test_err_program_image),
		cmocka_unit_test(test_err_fault_policy),
		cmocka_unit_test(test_err_access),
		cmocka_unit_test(test_err_entry),
		cmocka_unit_test(test_err_dtb_address),
		cmocka_unit_test(test_guest_dtb_seed_placeholders),
		cmocka_unit_test(test_err_dtb_name),
		cmocka_unit_test(test_err_bootargs),
		cmocka_unit_test(test_err_no_room),
		cmocka_unit_test(test_err_unknown),
		cmocka_unit_test(test_err_missing),
		cmocka_unit_test(test_err_length),
		cmocka_unit_test(test_err_cells),
		cmocka_unit_test(test_err_name),
		cmocka_unit_test(test_err_name_reserved),
		cmocka_unit_test(test_err_mpidr),
		cmocka_unit_test(test_err_unit_address),
		cmocka_unit_test(test_err_board_mmio),
		cmocka_unit_test(test_err_board_device),
		cmocka_unit_test(test_err_gic),
		cmocka_unit_test(test_err_gic_reg),
		cmocka_unit_test(test_err_gicv2_vcpu_high),
		cmocka_unit_test(test_err_gic_redist),
		cmocka_unit_test(test_err_interrupt_parent),
		cmocka_unit_test(test_err_hyp),
		cmocka_unit_test(test_err_root),
		cmocka_unit_test(test_err_several),
		cmocka_unit_test(test_err_node_name),
		cmocka_unit_test(test_err_console_irq),
		cmocka_unit_test(test_err_no_ram),
		cmocka_unit_test(test_image_missing),
		cmocka_unit_test(test_image_empty),
		cmocka_unit_test(test_image_too_large),
		cmocka_unit_test(test_image_overlaps_dtb),
		cmocka_unit_test(test_no_outputs_after_error),
		cmocka_unit_test(test_output_failures_are_errors),
		cmocka_unit_test(test_input_blob_never_removed),
		cmocka_unit_test(test_not_a_blob),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_guest_tree_too_big_for_its_buffer_is_an_error),
	};

	return cmocka_run_group_tests_name("configc", tests, group_setup, group_teardown);
}
