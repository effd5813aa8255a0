/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of bhcc's x86 back end (tools/configc/x86) with the shared
 * front end. "default" is configs/qemu-x86_64.dts, the x86 default system;
 * every other fixture tests/unit/configc_x86/<name>.dts changes it in one
 * way bhcc must refuse, and the test checks the message names the node,
 * the property and the conflict. tests/unit/configc_x86.mk compiles the
 * fixtures into $BULKHEAD_BUILD/unit/configc-x86-fixtures/. Run from the
 * source tree (the config.c check compiles against core/include/cfg.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "bhcc.h"
#include "bhcc_fixture.h"
#include "cfg.h"
#include "pools.h"

#define PATH FX_PATH

static int group_setup(void **state)
{
	(void)state;
	return fx_setup("x86");
}

static int group_teardown(void **state)
{
	(void)state;
	return fx_teardown();
}

/* Both passes of bhcc on @fixture into fx_tmp/@fixture/gen; returns its messages (empty when accepted). */
static char *run_both(const char *fixture, int *rc)
{
	char dtb[PATH], out[PATH];
	struct bhcc_options opt;

	snprintf(dtb, sizeof(dtb), "%s/unit/configc-x86-fixtures/%s.dtb", fx_build, fixture);
	snprintf(out, sizeof(out), "%s/%s/gen", fx_tmp, fixture);
	fx_write_file(out, "talker.bin", 4096);
	fx_write_file(out, "x86probe.bin", 4096);
	fx_write_file(out, "x86cores.bin", 4096);
	fx_write_file(out, "service.bin", 4096);   /* the fixtures on the service system (ok-16550) */
	fx_write_file(out, "producer.bin", 4096);
	fx_write_file(out, "consumer.bin", 4096);
	opt = (struct bhcc_options){ .dtb = dtb, .source = fixture, .out = out, .max_cpus = 8,
				     .max_partitions = 8, .srctree = "." };
	return fx_run_passes(&opt, out, rc);
}

static void expect_text(const char *path_fmt, const char *want)
{
	char path[2 * PATH];
	char *text;

	snprintf(path, sizeof(path), path_fmt, fx_tmp);
	text = fx_read(path);
	if (!strstr(text, want))
		fail_msg("%s lacks:\n%s\n--- it has:\n%s", path, want, text);
	free(text);
}

/* Verifies: REQ-XARCH-012 */
static void test_default_system_gives_com2_to_x86probe(void **state)
{
	char cmd[4 * PATH], *err;
	int rc;

	(void)state;
	err = run_both("default", &rc);
	assert_string_equal(err, "");
	assert_int_equal(rc, 0);
	free(err);
	/* COM2's ports are x86probe's, as a port range, and talker has none. */
	expect_text("%s/default/gen/config.c",
		    "\t\t.arch = { .n_port_ranges = 1, .port_ranges = { { .base = 0x2f8, .count = 0x8 } } },\n");
	expect_text("%s/default/gen/config.c", "\t\t.arch = { .n_port_ranges = 0 },\n");
	/* No memory region of x86probe covers the ports: its only region is its RAM. */
	expect_text("%s/default/gen/config.c",
		    "static const struct cfg_region bh_x86probe_regions[] = {\n"
		    "\t{ /* /partitions/x86probe/memory@200000 */\n\t\t.ipa = 0x200000,\n\t\t.pa = 0x2000000,\n"
		    "\t\t.size = 0x1000000,\n\t\t.access = CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X,\n"
		    "\t\t.kind = CFG_REGION_RAM,\n\t},\n};\n");
	expect_text("%s/default/gen/config.c", ".arch = { .apic_id = 3 } }, /* core 3: /board/cpus/cpu@3 */");
	expect_text("%s/default/gen/config.c", ".console = { .base = 0x3f8, .size = 0x8, .reg_shift = 0, .reg_io_width = 1 },");
	expect_text("%s/default/gen/config.c", ".ioapic = { .mmio = { .base = 0xfec00000, .size = 0x1000 }, .gsi_base = 0, .pins = 24 },");
	/* Three partitions of 16 MiB at a 2 MiB boundary: PML4, PDPT and PD each. */
	expect_text("%s/default/gen/system.mk", "BH_S2_POOL_PAGES := 9\n");
	expect_text("%s/default/gen/isolation.md", "| I/O ports | 0x2f8-0x2ff |");
	/* config.c compiles against x86's part of the contract. */
	snprintf(cmd, sizeof(cmd),
		 "cc -std=c11 -Wall -Wextra -Werror -fsyntax-only -Icore/include -Iinclude -Iarch/x86/include '%s/default/gen/config.c'",
		 fx_tmp);
	assert_int_equal(system(cmd), 0);
}

/* Verifies: REQ-XARCH-017 */
static void test_device_gsi_becomes_the_partitions_pin(void **state)
{
	char *err;
	int rc;

	(void)state;
	err = run_both("ok-port-irq", &rc);
	assert_string_equal(err, "");
	assert_int_equal(rc, 0);
	free(err);
	/* x86probe owns pin 3 (cfg_partition.irqs, which arch/x86/ioapic.c reads); its description shows it. */
	expect_text("%s/ok-port-irq/gen/config.c", "static const uint32_t bh_x86probe_irqs[] = { 3 };");
	expect_text("%s/ok-port-irq/gen/config.c", ".irqs = bh_x86probe_irqs,");
}

/* Verifies: REQ-XARCH-012 */
static void test_npt_pool_counts_what_the_builder_takes(void **state)
{
	struct bh_partition p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.n_regions = 1;
	p.regions[0] = (struct bh_region){ .ipa = 0x200000, .pa = 0x4000000, .size = 0x1000000,
					   .access = CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X,
					   .kind = CFG_REGION_RAM };
	assert_int_equal(npt_partition_pages(&p), 3);   /* 2 MiB blocks: PML4, PDPT, PD */
	p.regions[0].ipa = 0x201000;   /* ipa and pa apart by no multiple of 2 MiB: 4 KiB pages, a PT per 2 MiB slot (9) */
	assert_int_equal(npt_partition_pages(&p), 12);
	p.n_regions = 2;                                /* a second range 512 GiB up: its own PDPT and PD */
	p.regions[1] = (struct bh_region){ .ipa = UINT64_C(0x8000000000), .pa = 0x8000000, .size = 0x200000,
					   .access = CFG_ACCESS_R, .kind = CFG_REGION_DEVICE };
	assert_int_equal(npt_partition_pages(&p), 14);
}

struct rejection {
	const char *fixture;
	const char *message;
};

static const struct rejection rejections[] = {
	{ "err-port-shared", "err-port-shared: /partitions/x86probe: devices: /board/isa/serial@i2f8 is also assigned to /partitions/talker" },
	{ "err-port-console", "err-port-console: /partitions/talker: devices: /board/isa/serial@i3f8 is the hypervisor's console" },
	{ "err-port-irq", "err-port-irq: /partitions/x86probe: devices: /board/isa/serial@i2f8 has interrupt (GSI) 16: x86 Bulkhead routes the I/O APIC's ISA pins 1 and 3..15 (edges) to partitions, not this one" },
	{ "err-port-irq-shared", "err-port-irq-shared: /partitions/x86probe: devices: interrupt 3 of /board/isa/serial@i2f8 is also owned by /partitions/talker (through /board/isa/dev@i100)" },
	{ "err-rtc-shared", "err-rtc-shared: /partitions/x86probe: devices: /board/isa/rtc@i70 is also assigned to /partitions/talker" },
	{ "err-port-space", "err-port-space: /board/isa/rtc@i70: reg: range 0 is in space 0; under isa only I/O ports (space 1) are allowed" },
	{ "err-port-limit", "err-port-limit: /board/isa/dev@ifffc: reg: ports 0xfffc + 0x8 are not inside 0..0xffff" },
	{ "err-port-unit", "err-port-unit: /board/isa/rtc@70: unit address '70' does not match the first port in reg (expected 'i70')" },
	{ "err-port-overlap", "err-port-overlap: /board/isa/dev@i2fc: reg: I/O-port range 0x2fc-0x2ff overlaps /board/isa/serial@i2f8 (0x2f8-0x2ff)" },
	{ "err-port-many", "err-port-many: /partitions/x86probe: devices: /board/isa/many@i100: more than 8 I/O-port ranges in one partition" },
	{ "err-doorbell", "err-doorbell: /channels/c/x86probe: doorbell: 5 is not a vector x86 Bulkhead raises (32..255; 0-31 are exceptions)" },
	{ "err-doorbell", "err-doorbell: /channels/c/talker: doorbell: 6 is not a vector x86 Bulkhead raises (32..255; 0-31 are exceptions)" },
	{ "err-ram-low", "err-ram-low: /board/memory@0: reg: RAM range 0x0-0xfffff reaches into the first MiB" },
	{ "err-apic-id", "err-apic-id: /board/cpus/cpu@2: reg: x2APIC id 1 is also the id of /board/cpus/cpu@1" },
};

/* Emulated 16550s bhcc refuses (REQ-XARCH-035). */
static const struct rejection uart_rejections[] = {
	{ "err-16550-port", "err-16550-port: /partitions/talker: console-address: 0x3f9 is not the first of eight I/O ports (a multiple of 8 up to 0xfff8; COM1 is 0x3f8)" },
	{ "err-16550-pin", "err-16550-pin: /partitions/talker: console-interrupt: 2 is not an I/O APIC pin an emulated 16550 can use (ISA pins 1 and 3..15; COM1's is 4)" },
	{ "err-16550-device", "err-16550-device: /partitions/talker: console-address: the emulated 16550 at ports 0x2f8-0x2ff overlaps its device's ports 0x2f8-0x2ff" },
	{ "err-16550-device", "err-16550-device: /partitions/talker: console-interrupt: pin 3 is also one of its devices' interrupts; the emulated 16550's pin is its own" },
	{ "err-16550-pl011", "err-16550-pl011: /partitions/talker: console: \"pl011\" is not an emulated UART of this architecture's hypervisor (it has \"ns16550\")" },
};

/* Each fixture is refused with a message containing its text. */
static void expect_rejections(const struct rejection *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int rc;
		char *err = run_both(list[i].fixture, &rc);

		if (rc == 0 || !strstr(err, list[i].message))
			fail_msg("%s: rc %d, expected:\n%s\n--- got:\n%s", list[i].fixture, rc, list[i].message, err);
		free(err);
	}
}

/* Verifies: REQ-XARCH-012, REQ-XARCH-019~3, REQ-CFG-010 */
static void test_bad_x86_descriptions_name_node_property_and_conflict(void **state)
{
	(void)state;
	expect_rejections(rejections, sizeof(rejections) / sizeof(rejections[0]));
}

/* Verifies: REQ-XARCH-035 */
static void test_emulated_16550_console(void **state)
{
	char *err;
	int rc;

	(void)state;
	err = run_both("ok-16550", &rc);
	assert_string_equal(err, "");
	assert_int_equal(rc, 0);
	free(err);
	/* Its ports and pin, on a console channel whose end 0 is the hypervisor's; no port of the board opened. */
	expect_text("%s/ok-16550/gen/config.c", ".console = { .kind = CFG_CONSOLE_NS16550, .channel = ");
	expect_text("%s/ok-16550/gen/config.c", ", .irq = 4, .ipa = 0x3f8 },");
	expect_text("%s/ok-16550/gen/isolation.md", "| Console | emulated 16550 at ports 0x3f8-0x3ff, pin 4, channel ");
	expect_rejections(uart_rejections, sizeof(uart_rejections) / sizeof(uart_rejections[0]));
}

/*
 * A bzImage as far as bhcc reads it (Linux's Documentation/arch/x86/boot.rst):
 * the boot flag, "HdrS", the protocol @version, relocatable, 2 MiB alignment,
 * pref_address 16 MiB and @init_size; setup_sects 3, so its 32-bit entry is
 * 0x800 bytes into the file. @bz false: no boot flag (a raw binary).
 */
static void write_bzimage(const char *dir, uint32_t version, uint32_t init_size, uint32_t initrd_max, bool bz)
{
	unsigned char h[0x1000] = { 0 };
	char path[2 * PATH];
	FILE *f;

	if (bz) {
		h[0x1f1] = 3;
		h[0x1fe] = 0x55;
		h[0x1ff] = 0xaa;
		h[0x201] = 0x6a;   /* the header ends at 0x26c */
		memcpy(h + 0x202, "HdrS", 4);
		h[0x206] = (unsigned char)version;
		h[0x207] = (unsigned char)(version >> 8);
		memcpy(h + 0x22c, &initrd_max, 4);
		h[0x232] = 0x20;   /* kernel_alignment 0x200000 */
		h[0x234] = 1;      /* relocatable */
		h[0x238] = 0xff;   /* cmdline_size 2047 */
		h[0x239] = 0x07;
		h[0x25b] = 0x01;   /* pref_address 0x1000000 */
		memcpy(h + 0x260, &init_size, 4);
	}
	fx_mkdirs(dir);
	snprintf(path, sizeof(path), "%s/guest.bzImage", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(h, 1, sizeof(h), f), sizeof(h));
	fclose(f);
	fx_write_file(dir, "guest.initrd", 65536);
}

/* Both passes on @fixture with its guest files (build/linux-x86/) written in fx_tmp/@variant, the source tree. */
static char *run_linux(const char *fixture, const char *variant, uint32_t version, uint32_t init_size,
		       uint32_t initrd_max, bool bz, int *rc)
{
	static char tree[PATH];
	char dtb[PATH], out[2 * PATH], guest[2 * PATH];
	struct bhcc_options opt;

	snprintf(dtb, sizeof(dtb), "%s/unit/configc-x86-fixtures/%s.dtb", fx_build, fixture);
	snprintf(tree, sizeof(tree), "%s/%s", fx_tmp, variant);
	snprintf(out, sizeof(out), "%s/gen", tree);
	snprintf(guest, sizeof(guest), "%s/build/linux-x86", tree);
	write_bzimage(guest, version, init_size, initrd_max, bz);
	fx_write_file(out, "talker.bin", 4096);
	fx_write_file(out, "service.bin", 4096);
	opt = (struct bhcc_options){ .dtb = dtb, .source = fixture, .out = out, .max_cpus = 8,
				     .max_partitions = 8, .srctree = tree };
	return fx_run_passes(&opt, out, rc);
}

static uint32_t le32_at(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

#define BZ_OK_VERSION 0x20fu
#define BZ_INIT_SIZE 0x3378000u   /* Debian 12's 6.1 cloud kernel's */

/*
 * The zero page bhcc builds at dtb-address (0x80000): the setup header with
 * type_of_loader 0xff and code32_start at the protected-mode part, an e820
 * table of exactly the partition's RAM (its 8 KiB at dtb-address as ACPI
 * data), the initrd at the top of RAM, the command line and the RSDP; and
 * the vCPU starts 0x800 past the load address.
 */
/* Verifies: REQ-LNX-011, REQ-LNX-017 */
static void test_linux_zero_page(void **state)
{
	char path[2 * PATH];
	unsigned char *zp;
	size_t n;
	int rc;
	char *err = run_linux("ok-linux", "ok-linux", BZ_OK_VERSION, BZ_INIT_SIZE, 0x7fffffffu, true, &rc);
	FILE *f;

	(void)state;
	assert_string_equal(err, "");
	assert_int_equal(rc, 0);
	free(err);
	expect_text("%s/ok-linux/gen/config.c", ".entry = 0x100800,");
	snprintf(path, sizeof(path), "%s/ok-linux/gen/linux.dtb", fx_tmp);
	f = fopen(path, "rb");
	assert_non_null(f);
	zp = malloc(0x2000);
	assert_non_null(zp);
	n = fread(zp, 1, 0x2000, f);
	fclose(f);
	assert_int_equal(n, 0x2000);
	assert_int_equal(zp[0x210], 0xff);                     /* type_of_loader */
	assert_int_equal(le32_at(zp + 0x214), 0x100800);       /* code32_start */
	assert_memory_equal(zp + 0x202, "HdrS", 4);
	assert_int_equal(le32_at(zp + 0x218), 0x10000000u - 65536u);   /* ramdisk_image: the top of RAM */
	assert_int_equal(le32_at(zp + 0x21c), 65536u);
	assert_int_equal(le32_at(zp + 0x228), 0x81000u);       /* cmd_line_ptr */
	/* bootargs, then the TSC rate's option with ten spaces the hypervisor writes its rate over (REQ-LNX-017) */
	assert_string_equal((const char *)zp + 0x1000,
			    "earlycon=uart8250,io,0x3f8 console=ttyS0 panic=-1 tsc_early_khz=          ");
	expect_text("%s/ok-linux/gen/config.c", ".counter_khz = 0x1040,");
	assert_int_equal(le32_at(zp + 0x70), 0x81800u);        /* acpi_rsdp_addr */
	assert_memory_equal(zp + 0x1800, "RSD PTR ", 8);
	assert_int_equal(zp[0x1e8], 3);                        /* e820_entries */
	{
		const uint32_t want[3][3] = { { 0x0, 0x80000, 1 }, { 0x80000, 0x2000, 3 }, { 0x82000, 0x10000000 - 0x82000, 1 } };

		for (unsigned i = 0; i < 3; i++) {
			const unsigned char *e = zp + 0x2d0 + 20 * i;

			assert_int_equal(le32_at(e), want[i][0]);
			assert_int_equal(le32_at(e + 4), 0);
			assert_int_equal(le32_at(e + 8), want[i][1]);
			assert_int_equal(le32_at(e + 16), want[i][2]);
		}
	}
	free(zp);
}

/* bzImage partitions bhcc refuses (REQ-LNX-012): the description's fixture, the files, the message. */
struct linux_rejection {
	const char *fixture;
	const char *variant;
	uint32_t version, init_size, initrd_max;
	bool bz;
	const char *message;
};

static const struct linux_rejection linux_rejections[] = {
	{ "ok-linux", "old", 0x20bu, BZ_INIT_SIZE, 0x7fffffffu, true,
	  "/partitions/linux: image: '%s/old/build/linux-x86/guest.bzImage' speaks Linux boot protocol 2.11; Bulkhead needs 2.14 or later (boot_params.acpi_rsdp_addr)" },
	{ "ok-linux", "raw", 0, 0, 0, false,
	  "/partitions/linux: initrd: '%s/raw/build/linux-x86/guest.bzImage' is not a bzImage (no 0xAA55 boot flag): an initrd goes with Linux's boot protocol only" },
	{ "ok-linux", "initrd-max", BZ_OK_VERSION, BZ_INIT_SIZE, 0x0fffffffu - 0x10000u, true,
	  "/partitions/linux: initrd: '%s/initrd-max/build/linux-x86/guest.initrd' lies at 0xfff0000-0xfffffff, above the kernel's initrd_addr_max 0xffeffff" },
	{ "ok-linux", "init-size", BZ_OK_VERSION, 0x0f000000u, 0x7fffffffu, true,
	  "/partitions/linux: initrd: '%s/init-size/build/linux-x86/guest.initrd' (0xfff0000-0xfffffff, at the top of the RAM) lies where '%s/init-size/build/linux-x86/guest.bzImage' decompresses (0x1000000-0xfffffff)" },
	{ "err-linux-small", "small", BZ_OK_VERSION, BZ_INIT_SIZE, 0x7fffffffu, true,
	  "/partitions/linux: image: '%s/small/build/linux-x86/guest.bzImage' decompresses into 0x1000000-0x4377fff (init_size 53968896 bytes): that is not all in the partition's RAM" },
	{ "err-linux-load", "load", BZ_OK_VERSION, BZ_INIT_SIZE, 0x7fffffffu, true,
	  "/partitions/linux: load-address: a bzImage starts where it is loaded (entry 0x100000): give no load-address" },
	{ "err-linux-tsc", "tsc", BZ_OK_VERSION, BZ_INIT_SIZE, 0x7fffffffu, true,
	  "/partitions/linux: bootargs: tsc_early_khz= is the hypervisor's to give (its calibrated TSC rate, at each start)" },
};

/* Verifies: REQ-LNX-012, REQ-LNX-017 */
static void test_bad_linux_partitions_name_property_and_reason(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(linux_rejections) / sizeof(linux_rejections[0]); i++) {
		const struct linux_rejection *l = &linux_rejections[i];
		char want[4 * PATH];
		int rc;
		char *err = run_linux(l->fixture, l->variant, l->version, l->init_size, l->initrd_max, l->bz, &rc);

		snprintf(want, sizeof(want), l->message, fx_tmp, fx_tmp);
		if (rc == 0 || !strstr(err, want))
			fail_msg("%s/%s: rc %d, expected:\n%s\n--- got:\n%s", l->fixture, l->variant, rc, want, err);
		free(err);
	}
}

/* PCI functions bhcc refuses (REQ-DEV-001). */
static const struct rejection pci_rejections[] = {
	{ "err-pci-bdf-twice", "err-pci-bdf-twice: /board/pci/dup@d0100000: pci-bdf: 00:03.0 is also the BDF of /board/pci/edu@d0000000" },
	{ "err-pci-bdf", "err-pci-bdf: /board/pci/edu@d0000000: pci-bdf: not <bus device function> with bus 0..255, device 0..31 and function 0..7" },
	{ "err-pci-bar-size", "err-pci-bar-size: /board/pci/edu@d0000000: reg: BAR window 0xd0000000 + 0x3000 is not a power of two of 4 KiB or more at a multiple of its size" },
	{ "err-pci-bar-align", "err-pci-bar-align: /board/pci/edu@d0001000: reg: BAR window 0xd0001000 + 0x100000 is not a power of two of 4 KiB or more at a multiple of its size" },
	{ "err-pci-bar-ram", "err-pci-bar-ram: /board/pci/edu@3000000: reg: MMIO range 0x3000000-0x30fffff overlaps /board/memory@100000 (0x100000-0x3fffffff)" },
	{ "err-pci-bar-window", "err-pci-bar-window: /board/pci/edu@a0000000: reg: BAR window 0xa0000000-0xa00fffff is outside the board's PCI window 0xc0000000-0xfebfffff" },
	{ "err-pci-bar-overlap", "err-pci-bar-overlap: /board/pci/edu@d0000000: reg: MMIO range 0xd0000000-0xd0000fff overlaps /board/pci/edu@d0000000 (0xd0000000-0xd00fffff)" },
	{ "err-pci-bars", "err-pci-bars: /board/pci/edu@d0000000: pci-bars: 6 is not a BAR (0..5) named once" },
	{ "err-pci-shared", "err-pci-shared: /partitions/x86probe: devices: /board/pci/edu@d0000000 is also assigned to /partitions/talker" },
	{ "err-pci-config", "err-pci-config: /partitions/x86probe: devices: /board/isa/pci-config@icf8 (the configuration ports) and the PCI function /board/pci/edu@d0000000 are both assigned" },
};

/*
 * A PCI function given by BDF: the hypervisor gets its BDF and BARs, the
 * partition a device mapping of each BAR window and nothing of the
 * configuration ports, and the report says DMA is denied.
 */
/* Verifies: REQ-DEV-001 */
static void test_pci_function_assignment(void **state)
{
	char *err;
	int rc;

	(void)state;
	err = run_both("ok-pci", &rc);
	assert_string_equal(err, "");
	assert_int_equal(rc, 0);
	free(err);
	expect_text("%s/ok-pci/gen/config.c",
		    ".n_pci = 1, .pci = { { .bdf = 0x18, .n_bars = 1, .bars = { { 0, 0xd0000000, 0x100000 } } } } },");
	expect_text("%s/ok-pci/gen/config.c",
		    "\t{ /* /board/pci/edu@d0000000 */\n\t\t.ipa = 0xd0000000,\n\t\t.pa = 0xd0000000,\n"
		    "\t\t.size = 0x100000,\n\t\t.access = CFG_ACCESS_R | CFG_ACCESS_W,\n\t\t.kind = CFG_REGION_DEVICE,\n");
	expect_text("%s/ok-pci/gen/isolation.md",
		    "| PCI functions | 00:03.0, BAR0 0xd0000000-0xd00fffff (configuration space filtered; bus mastering denied");
	expect_rejections(pci_rejections, sizeof(pci_rejections) / sizeof(pci_rejections[0]));
}

/* The board's AMD IOMMU: the hypervisor gets its frame, QEMU its device, the report the translated DMA. */
/* Verifies: REQ-DEV-004 */
static void test_pci_function_behind_the_iommu(void **state)
{
	char *err;
	int rc;

	(void)state;
	err = run_both("ok-pci-iommu", &rc);
	assert_string_equal(err, "");
	assert_int_equal(rc, 0);
	free(err);
	expect_text("%s/ok-pci-iommu/gen/config.c",
		    "\t\t.iommu = { .base = 0xfed80000, .size = 0x4000 },\n\t\t.iommu_kind = CFG_X86_IOMMU_AMD,\n");
	expect_text("%s/ok-pci-iommu/gen/system.mk", "BH_X86_IOMMU := amd\n");
	expect_text("%s/ok-pci-iommu/gen/isolation.md",
		    "(configuration space filtered; DMA translated by the IOMMU through its own RAM, every other requester blocked) |");
}

/* A VT-d unit instead: its kind picks vtd.c, QEMU gets intel-iommu, the report the translated DMA. */
/* Verifies: REQ-DEV-005 */
static void test_pci_function_behind_vtd(void **state)
{
	char *err;
	int rc;

	(void)state;
	err = run_both("ok-pci-vtd", &rc);
	assert_string_equal(err, "");
	assert_int_equal(rc, 0);
	free(err);
	expect_text("%s/ok-pci-vtd/gen/config.c",
		    "\t\t.iommu = { .base = 0xfed90000, .size = 0x1000 },\n\t\t.iommu_kind = CFG_X86_IOMMU_VTD,\n");
	expect_text("%s/ok-pci-vtd/gen/system.mk", "BH_X86_IOMMU := intel\n");
	expect_text("%s/ok-pci-vtd/gen/isolation.md",
		    "(configuration space filtered; DMA translated by the IOMMU through its own RAM, every other requester blocked) |");
}

/* Every x86 description bhcc builds, a partition's tree as the zero page it makes for a
 * bzImage, is built again into every smaller buffer (bhcc_fixture.c): each fails without writing
 * past it, so a description that does not fit is bhcc's error, never a truncated one. */
/* Verifies: REQ-XARCH-017, REQ-XARCH-018, REQ-LNX-011 */
static void test_descriptions_too_big_for_their_buffer_are_errors(void **state)
{
	static const char *const fixtures[] = { "default", "ok-16550", "ok-port-irq", "ok-pci" };
	int rc;
	char *err;

	(void)state;
	fx_sweep_guest_desc = true;
	fx_trees_swept = 0;
	for (unsigned i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		err = run_both(fixtures[i], &rc);
		assert_string_equal(err, "");
		assert_int_equal(rc, 0);
		free(err);
	}
	unsigned trees = fx_trees_swept;
	err = run_linux("ok-linux", "sweep", BZ_OK_VERSION, BZ_INIT_SIZE, 0x7fffffffu, true, &rc);
	fx_sweep_guest_desc = false;
	assert_string_equal(err, "");
	assert_int_equal(rc, 0);
	free(err);
	assert_true(trees >= sizeof(fixtures) / sizeof(fixtures[0]));
	assert_true(fx_trees_swept > trees);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_system_gives_com2_to_x86probe),
		cmocka_unit_test(test_device_gsi_becomes_the_partitions_pin),
		cmocka_unit_test(test_npt_pool_counts_what_the_builder_takes),
		cmocka_unit_test(test_bad_x86_descriptions_name_node_property_and_conflict),
		cmocka_unit_test(test_emulated_16550_console),
		cmocka_unit_test(test_linux_zero_page),
		cmocka_unit_test(test_bad_linux_partitions_name_property_and_reason),
		cmocka_unit_test(test_pci_function_assignment),
		cmocka_unit_test(test_pci_function_behind_the_iommu),
		cmocka_unit_test(test_pci_function_behind_vtd),
		cmocka_unit_test(test_descriptions_too_big_for_their_buffer_are_errors),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
