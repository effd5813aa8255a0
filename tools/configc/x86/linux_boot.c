/* SPDX-License-Identifier: MIT */
/*
 * Linux's x86 32-bit boot protocol (Documentation/arch/x86/boot.rst) for a
 * partition whose `image` is a bzImage: the whole file is loaded at the
 * description's `entry` (its load address) and the vCPU starts at its
 * protected-mode part, (setup_sects + 1) sectors further, in the entry
 * state every x86 partition gets (32-bit flat, paging off, ESI = its
 * dtb-address). What a boot loader would build at run time is built here,
 * at dtb-address, in place of the guest device tree (docs/linux.md):
 *
 *   +0x0000  the zero page (boot_params): the bzImage's setup header, an
 *            e820 table of only the partition's RAM, the initrd, the command
 *            line and the ACPI root pointer
 *   +0x1000  the command line: bootargs, then " tsc_early_khz=" and room
 *            for the hypervisor's calibrated TSC rate (core/counter_rate.c)
 *   +0x1800  ACPI: RSDP, XSDT, a hardware-reduced FADT, an empty DSDT and a
 *            MADT with the partition's local APICs and the I/O APIC
 *
 * ACPI, not an MP table: Debian's kernels are built without
 * CONFIG_X86_MPPARSE. A hardware-reduced FADT tells Linux that there is no
 * PIT, no 8259 and no CMOS RTC, which the partition indeed does not have.
 */
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "cfg.h"
#include "linux_boot.h"

#define ULL(x) ((unsigned long long)(x))

/* boot_params (arch/x86/include/uapi/asm/bootparam.h) and its setup header. */
#define BP_ACPI_RSDP 0x070u
#define BP_EXT_RAMDISK_IMAGE 0x0c0u
#define BP_EXT_RAMDISK_SIZE 0x0c4u
#define BP_EXT_CMD_LINE_PTR 0x0c8u
#define BP_E820_ENTRIES 0x1e8u
#define BP_HDR 0x1f1u
#define BP_E820_TABLE 0x2d0u
#define BP_E820_MAX 128u
#define HDR_SETUP_SECTS 0x1f1u
#define HDR_BOOT_FLAG 0x1feu
#define HDR_JUMP_END 0x201u        /* the setup header ends at 0x202 + this byte */
#define HDR_MAGIC 0x202u           /* "HdrS" */
#define HDR_VERSION 0x206u
#define HDR_TYPE_OF_LOADER 0x210u
#define HDR_CODE32_START 0x214u
#define HDR_RAMDISK_IMAGE 0x218u
#define HDR_RAMDISK_SIZE 0x21cu
#define HDR_CMD_LINE_PTR 0x228u
#define HDR_INITRD_ADDR_MAX 0x22cu
#define HDR_KERNEL_ALIGNMENT 0x230u
#define HDR_RELOCATABLE 0x234u
#define HDR_XLOADFLAGS 0x236u
#define HDR_CMDLINE_SIZE 0x238u
#define HDR_PREF_ADDRESS 0x258u
#define HDR_INIT_SIZE 0x260u
#define XLF_KERNEL_64 0x1u
#define LOADER_UNDEFINED 0xffu
#define E820_RAM 1u
#define E820_ACPI 3u

#define CMDLINE_AT 0x1000u
#define CMDLINE_ROOM 0x800u
/* Linux measures the TSC on a PIT the partition lacks: the hypervisor gives its own figure here. */
#define TSC_KHZ_OPTION " tsc_early_khz="
#define TSC_KHZ_OPTION_LEN (sizeof(TSC_KHZ_OPTION) - 1u)
#define RSDP_AT 0x1800u
#define XSDT_AT 0x1840u
#define FADT_AT 0x1880u
#define DSDT_AT 0x19a0u
#define MADT_AT 0x1a40u

#define ACPI_HDR 36u
#define FADT_SIZE 276u              /* revision 6 */
#define FADT_FLAGS 112u
#define FADT_IAPC_BOOT_ARCH 109u
#define FADT_X_DSDT 140u
#define FADT_HYPERVISOR_ID 268u
#define FADT_HW_REDUCED (1u << 20)
#define FADT_APIC_PHYSICAL (1u << 19)
#define IAPC_NO_VGA (1u << 2)
#define IAPC_NO_CMOS_RTC (1u << 5)
#define MADT_LAPIC_ADDRESS 0xfee00000u
#define LAPIC_ENABLED 1u

static uint32_t rd32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void wr16(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *b, uint32_t v)
{
	wr16(b, v);
	wr16(b + 2, v >> 16);
}

static void wr64(uint8_t *b, uint64_t v)
{
	wr32(b, (uint32_t)v);
	wr32(b + 4, (uint32_t)(v >> 32));
}

bool x86_bz_read(const char *file, struct x86_bz *bz)
{
	FILE *f = file[0] ? fopen(file, "rb") : NULL;
	size_t n;

	memset(bz, 0, sizeof(*bz));
	if (!f)
		return false;
	n = fread(bz->hdr, 1, sizeof(bz->hdr), f);
	fclose(f);
	if (n < X86_BZ_HDR_END || bz->hdr[HDR_BOOT_FLAG] != 0x55 || bz->hdr[HDR_BOOT_FLAG + 1] != 0xaa)
		return false;
	bz->has_hdrs = memcmp(bz->hdr + HDR_MAGIC, "HdrS", 4) == 0;
	bz->version = (uint32_t)bz->hdr[HDR_VERSION] | (uint32_t)bz->hdr[HDR_VERSION + 1] << 8;
	bz->setup_size = ((uint32_t)(bz->hdr[HDR_SETUP_SECTS] ? bz->hdr[HDR_SETUP_SECTS] : 4u) + 1u) * 512u;
	bz->hdr_end = 0x202u + bz->hdr[HDR_JUMP_END];
	bz->relocatable = bz->hdr[HDR_RELOCATABLE] != 0;
	bz->kernel_64 = (bz->hdr[HDR_XLOADFLAGS] & XLF_KERNEL_64) != 0;
	bz->align = rd32(bz->hdr + HDR_KERNEL_ALIGNMENT);
	bz->initrd_max = rd32(bz->hdr + HDR_INITRD_ADDR_MAX);
	bz->cmdline_size = rd32(bz->hdr + HDR_CMDLINE_SIZE);
	bz->pref_address = (uint64_t)rd32(bz->hdr + HDR_PREF_ADDRESS) |
			   (uint64_t)rd32(bz->hdr + HDR_PREF_ADDRESS + 4) << 32;
	bz->init_size = rd32(bz->hdr + HDR_INIT_SIZE);
	return true;
}

/* Where the kernel decompresses itself: its load address rounded up to kernel_alignment, at least pref_address. */
uint64_t x86_bz_target(const struct x86_bz *bz, uint64_t start)
{
	uint64_t a = bz->align ? bz->align : 1u;
	uint64_t t = (start + a - 1u) / a * a;

	return t < bz->pref_address ? bz->pref_address : t;
}

static void acpi_header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	wr32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, "BLKHD ", 6);
	memcpy(t + 16, "BULKHEAD", 8);
	wr32(t + 24, 1u);
	memcpy(t + 28, "BHCC", 4);
	wr32(t + 32, 1u);
}

static uint8_t checksum(const uint8_t *b, uint32_t len)
{
	uint8_t s = 0;

	for (uint32_t i = 0; i < len; i++)
		s = (uint8_t)(s + b[i]);
	return (uint8_t)(0u - s);
}

static void acpi_seal(uint8_t *t)
{
	t[9] = 0;
	t[9] = checksum(t, rd32(t + 4));
}

/*
 * An interrupt source override of ISA IRQ @pin to the same GSI (edge, high):
 * with no 8259 (hardware-reduced ACPI) Linux maps an ISA IRQ to an I/O APIC
 * pin only where the MADT says so, and its 8250 driver asks for IRQ 4.
 */
static uint32_t iso_add(uint8_t *t, uint32_t len, uint32_t pin)
{
	t[len] = 2;
	t[len + 1] = 10;
	t[len + 2] = 0;               /* ISA */
	t[len + 3] = (uint8_t)pin;
	wr32(t + len + 4, pin);
	wr16(t + len + 8, 0u);        /* conforms to the bus: edge, active high */
	return len + 10u;
}

/*
 * The MADT: one processor entry per vCPU (its core's APIC id), the I/O APIC
 * (its id register reads 0, arch/x86/ioapic.c), no 8259 (flags 0), and an
 * identity override for each ISA pin of its own: its devices' and its
 * emulated 16550's.
 */
static uint32_t build_madt(const struct bh_system *sys, const struct bh_partition *p, uint8_t *t)
{
	uint32_t len = ACPI_HDR + 8u;

	wr32(t + ACPI_HDR, MADT_LAPIC_ADDRESS);
	for (unsigned v = 0; v < p->n_vcpus; v++, len += 8u) {
		t[len] = 0;
		t[len + 1] = 8;
		t[len + 2] = (uint8_t)v;
		t[len + 3] = (uint8_t)sys->board.cpus[p->vcpu_cpu[v]].arch.apic_id;
		wr32(t + len + 4, LAPIC_ENABLED);
	}
	t[len] = 1;
	t[len + 1] = 12;
	t[len + 2] = 0;
	wr32(t + len + 4, (uint32_t)sys->board.arch.ioapic.base);
	wr32(t + len + 8, 0u);
	len += 12u;
	for (unsigned i = 0; i <= p->n_irqs; i++) {
		bool console = i == p->n_irqs;
		uint32_t pin = console ? p->console_irq : p->irqs[i];

		if (console && !(p->console == CFG_CONSOLE_NS16550 && p->has_console_irq))
			break;
		len = iso_add(t, len, pin);
	}
	acpi_header(t, "APIC", len, 5);
	acpi_seal(t);
	return len;
}

/*
 * The DSDT: the emulated 16550, if the partition has one, as ACPI device
 * PNP0501 with its ports and ISA IRQ. Without an 8259, Linux numbers I/O
 * APIC pins dynamically, so the 8250 driver's legacy COM1 (IRQ 4) finds no
 * such interrupt; from this device Linux's PNP driver takes the pin through
 * ACPI's GSI mapping. Hand-assembled AML:
 *   Scope (\_SB) { Device (COM1) { Name (_HID, EisaId ("PNP0501"))
 *     Name (_UID, One) Name (_CRS, ResourceTemplate () {
 *       IO (Decode16, port, port, 1, 8) IRQNoFlags () { pin } }) } }
 */
/* Implements: REQ-LNX-013~2, REQ-LNX-014 */
static uint32_t build_dsdt(const struct bh_partition *p, uint8_t *t)
{
	static const uint8_t aml[] = {
		0x10, 0x33, '\\', '_', 'S', 'B', '_',                       /* Scope, 51 bytes */
		0x5b, 0x82, 0x2b, 'C', 'O', 'M', '1',                        /* Device, 43 bytes */
		0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x05, 0x01,     /* EisaId PNP0501 */
		0x08, '_', 'U', 'I', 'D', 0x01,
		0x08, '_', 'C', 'R', 'S', 0x11, 0x10, 0x0a, 0x0d,           /* Buffer, 13 bytes */
		0x47, 0x01, 0, 0, 0, 0, 0x01, 0x08,                          /* IO: min, max at +2, +4 */
		0x22, 0, 0,                                                   /* IRQNoFlags: mask */
		0x79, 0x00,                                                   /* End tag */
	};
	uint32_t len = ACPI_HDR;

	if (p->console == CFG_CONSOLE_NS16550 && p->has_console_address && p->has_console_irq) {
		uint8_t *io = t + ACPI_HDR + 39u;   /* the IO descriptor */

		memcpy(t + ACPI_HDR, aml, sizeof(aml));
		wr16(io + 2, (uint32_t)p->console_address);
		wr16(io + 4, (uint32_t)p->console_address);
		wr16(io + 9, 1u << p->console_irq);
		len += (uint32_t)sizeof(aml);
	}
	acpi_header(t, "DSDT", len, 2);
	acpi_seal(t);
	return len;
}

/* Implements: REQ-LNX-013~2 */
static void build_acpi(const struct bh_system *sys, const struct bh_partition *p, uint8_t *b, uint64_t at)
{
	uint8_t *rsdp = b + RSDP_AT, *xsdt = b + XSDT_AT, *fadt = b + FADT_AT;

	build_dsdt(p, b + DSDT_AT);
	acpi_header(fadt, "FACP", FADT_SIZE, 6);
	wr32(fadt + 40, (uint32_t)(at + DSDT_AT));
	wr16(fadt + FADT_IAPC_BOOT_ARCH, IAPC_NO_VGA | IAPC_NO_CMOS_RTC);
	/* Physical destinations: the x2APIC's ICR filter and the I/O APIC entries name APIC ids. */
	wr32(fadt + FADT_FLAGS, FADT_HW_REDUCED | FADT_APIC_PHYSICAL);
	fadt[131] = 3;   /* FADT minor version: 6.3 */
	wr64(fadt + FADT_X_DSDT, at + DSDT_AT);
	memcpy(fadt + FADT_HYPERVISOR_ID, "Bulkhead", 8);
	acpi_seal(fadt);
	build_madt(sys, p, b + MADT_AT);
	acpi_header(xsdt, "XSDT", ACPI_HDR + 16u, 1);
	wr64(xsdt + ACPI_HDR, at + FADT_AT);
	wr64(xsdt + ACPI_HDR + 8u, at + MADT_AT);
	acpi_seal(xsdt);
	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 9, "BLKHD ", 6);
	rsdp[15] = 2;
	wr32(rsdp + 20, 36u);
	wr64(rsdp + 24, at + XSDT_AT);
	rsdp[8] = checksum(rsdp, 20);
	rsdp[32] = checksum(rsdp, 36);
}

static unsigned e820_add(uint8_t *zp, unsigned n, uint64_t addr, uint64_t size, uint32_t type)
{
	uint8_t *e = zp + BP_E820_TABLE + 20u * n;

	if (size == 0 || n == BP_E820_MAX)
		return n;
	wr64(e, addr);
	wr64(e + 8, size);
	wr32(e + 16, type);
	return n + 1u;
}

/*
 * The e820 table: the partition's own RAM regions in address order, with
 * this blob's page range marked ACPI (its tables must outlive the kernel's
 * first allocations), and nothing else: no hole, ROM or device range of the
 * board, which the partition does not have.
 */
/* Implements: REQ-LNX-011 */
static unsigned build_e820(const struct bh_partition *p, uint8_t *zp, uint64_t at)
{
	uint64_t last = 0;
	unsigned n = 0;

	for (;;) {
		const struct bh_region *r = NULL;

		for (unsigned i = 0; i < p->n_ram; i++)
			if (p->regions[i].shared < 0 && !p->regions[i].lent && p->regions[i].ipa >= last &&
			    (r == NULL || p->regions[i].ipa < r->ipa))
				r = &p->regions[i];
		if (r == NULL)
			return n;
		if (at >= r->ipa && at + X86_LINUX_BLOB_SIZE <= r->ipa + r->size) {
			n = e820_add(zp, n, r->ipa, at - r->ipa, E820_RAM);
			n = e820_add(zp, n, at, X86_LINUX_BLOB_SIZE, E820_ACPI);
			n = e820_add(zp, n, at + X86_LINUX_BLOB_SIZE, r->ipa + r->size - at - X86_LINUX_BLOB_SIZE,
				     E820_RAM);
		} else {
			n = e820_add(zp, n, r->ipa, r->size, E820_RAM);
		}
		last = r->ipa + r->size;
	}
}

/* Implements: REQ-LNX-011, REQ-LNX-015 */
int x86_linux_blob(const struct bh_system *sys, const struct bh_partition *p, const struct x86_bz *bz, uint8_t *b,
		   int bufsize)
{
	uint64_t at = p->dtb_ipa;
	uint64_t start = p->load + bz->setup_size;
	size_t len = p->has_bootargs ? strlen(p->bootargs) : 0;

	if (bufsize < (int)X86_LINUX_BLOB_SIZE)
		return -1;
	memset(b, 0, X86_LINUX_BLOB_SIZE);
	memcpy(b + BP_HDR, bz->hdr + BP_HDR, bz->hdr_end - BP_HDR);
	b[HDR_TYPE_OF_LOADER] = LOADER_UNDEFINED;
	wr32(b + HDR_CODE32_START, (uint32_t)start);
	if (len >= CMDLINE_ROOM)
		len = CMDLINE_ROOM - 1u;
	memcpy(b + CMDLINE_AT, p->has_bootargs ? p->bootargs : "", len);
	if (p->counter_khz != 0u) {
		memcpy(b + p->counter_khz - TSC_KHZ_OPTION_LEN, TSC_KHZ_OPTION, TSC_KHZ_OPTION_LEN);
		memset(b + p->counter_khz, ' ', CFG_COUNTER_KHZ_DIGITS);
	}
	wr32(b + HDR_CMD_LINE_PTR, (uint32_t)(at + CMDLINE_AT));
	wr32(b + BP_EXT_CMD_LINE_PTR, (uint32_t)((at + CMDLINE_AT) >> 32));
	if (p->has_initrd) {
		wr32(b + HDR_RAMDISK_IMAGE, (uint32_t)p->initrd_ipa);
		wr32(b + HDR_RAMDISK_SIZE, (uint32_t)p->initrd_size);
		wr32(b + BP_EXT_RAMDISK_IMAGE, (uint32_t)(p->initrd_ipa >> 32));
		wr32(b + BP_EXT_RAMDISK_SIZE, (uint32_t)(p->initrd_size >> 32));
	}
	b[BP_E820_ENTRIES] = (uint8_t)build_e820(p, b, at);
	build_acpi(sys, p, b, at);
	wr64(b + BP_ACPI_RSDP, at + RSDP_AT);
	return (int)X86_LINUX_BLOB_SIZE;
}

static bool overlap(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return a < b + bn && b < a + an;
}

/* The RAM region of @p holding [@at, @at + @size), or NULL. */
static const struct bh_region *ram_holding(const struct bh_partition *p, uint64_t at, uint64_t size)
{
	for (unsigned i = 0; i < p->n_ram; i++)
		if (at >= p->regions[i].ipa && at + size <= p->regions[i].ipa + p->regions[i].size)
			return &p->regions[i];
	return NULL;
}

/*
 * The command line: bootargs, then the TSC rate's option with its room,
 * which must fit the kernel's cmdline_size; the rate is the hypervisor's to
 * give, so bootargs may not give one.
 */
/* Implements: REQ-LNX-012, REQ-LNX-017 */
static void check_cmdline(struct bh_ctx *c, struct bh_partition *p, const struct x86_bz *bz)
{
	size_t len = p->has_bootargs ? strlen(p->bootargs) : 0u;
	size_t room = CMDLINE_ROOM - 1u - TSC_KHZ_OPTION_LEN - CFG_COUNTER_KHZ_DIGITS;

	if (bz->cmdline_size < TSC_KHZ_OPTION_LEN + CFG_COUNTER_KHZ_DIGITS)
		room = 0u;
	else if (bz->cmdline_size - TSC_KHZ_OPTION_LEN - CFG_COUNTER_KHZ_DIGITS < room)
		room = bz->cmdline_size - TSC_KHZ_OPTION_LEN - CFG_COUNTER_KHZ_DIGITS;
	if (len > room)
		diag_error(c->diag, p->path, "bootargs",
			   "%zu characters: '%s' takes a command line of %u at most, %zu of them the TSC's rate the "
			   "hypervisor gives", len, p->image_file, bz->cmdline_size < CMDLINE_ROOM - 1u ? bz->cmdline_size
											: CMDLINE_ROOM - 1u,
			   TSC_KHZ_OPTION_LEN + CFG_COUNTER_KHZ_DIGITS);
	else if (p->has_bootargs && strstr(p->bootargs, "tsc_early_khz=") != NULL)
		diag_error(c->diag, p->path, "bootargs",
			   "tsc_early_khz= is the hypervisor's to give (its calibrated TSC rate, at each start)");
	else
		p->counter_khz = (uint32_t)(CMDLINE_AT + len + TSC_KHZ_OPTION_LEN);
}

/*
 * What a user can get wrong in a bzImage partition, each named by its
 * property (called for a partition with dtb-address only: without one, its
 * bootargs and initrd are refused already); and its start: the protected-mode part, (setup_sects + 1)
 * sectors past where `entry` loads the file.
 */
/* Implements: REQ-LNX-011, REQ-LNX-012 */
void x86_linux_check(struct bh_ctx *c, struct bh_partition *p)
{
	struct x86_bz bz;
	uint64_t target;

	if (p->program[0] || !x86_bz_read(p->image_file, &bz)) {
		if (p->has_initrd && !p->program[0])
			diag_error(c->diag, p->path, "initrd",
				   "'%s' is not a bzImage (no 0xAA55 boot flag): an initrd goes with Linux's boot protocol only",
				   p->image_file);
		return;
	}
	if (!bz.has_hdrs || bz.version < X86_BZ_MIN_VERSION) {
		diag_error(c->diag, p->path, "image",
			   "'%s' speaks Linux boot protocol %u.%02u; Bulkhead needs 2.14 or later (boot_params.acpi_rsdp_addr)",
			   p->image_file, bz.has_hdrs ? bz.version >> 8 : 1u, bz.has_hdrs ? bz.version & 0xffu : 0u);
		return;
	}
	if (!bz.relocatable) {
		diag_error(c->diag, p->path, "image", "'%s' is not a relocatable kernel (relocatable_kernel 0)",
			   p->image_file);
		return;
	}
	if (p->has_load && p->load != p->entry) {
		diag_error(c->diag, p->path, "load-address",
			   "a bzImage starts where it is loaded (entry 0x%llx): give no load-address", ULL(p->entry));
		return;
	}
	if (p->entry == p->load)
		p->entry = p->load + bz.setup_size;
	check_cmdline(c, p, &bz);
	if (p->dtb_ipa % 4096u != 0u)
		diag_error(c->diag, p->path, "dtb-address", "0x%llx: a bzImage's zero page must be page aligned",
			   ULL(p->dtb_ipa));
	target = x86_bz_target(&bz, p->entry);
	if (ram_holding(p, target, bz.init_size) == NULL)
		diag_error(c->diag, p->path, "image",
			   "'%s' decompresses into 0x%llx-0x%llx (init_size %u bytes): that is not all in the partition's RAM",
			   p->image_file, ULL(target), ULL(target + bz.init_size - 1u), bz.init_size);
	if (overlap(p->dtb_ipa, X86_LINUX_BLOB_SIZE, target, bz.init_size))
		diag_error(c->diag, p->path, "dtb-address",
			   "the zero page and ACPI tables (0x%llx-0x%llx) lie where '%s' decompresses (0x%llx-0x%llx)",
			   ULL(p->dtb_ipa), ULL(p->dtb_ipa + X86_LINUX_BLOB_SIZE - 1u), p->image_file, ULL(target),
			   ULL(target + bz.init_size - 1u));
	if (!p->has_initrd)
		return;
	if (p->initrd_ipa + p->initrd_size - 1u > bz.initrd_max)
		diag_error(c->diag, p->path, "initrd",
			   "'%s' lies at 0x%llx-0x%llx, above the kernel's initrd_addr_max 0x%x",
			   p->initrd_file, ULL(p->initrd_ipa), ULL(p->initrd_ipa + p->initrd_size - 1u), bz.initrd_max);
	if (overlap(p->initrd_ipa, p->initrd_size, target, bz.init_size))
		diag_error(c->diag, p->path, "initrd",
			   "'%s' (0x%llx-0x%llx, at the top of the RAM) lies where '%s' decompresses (0x%llx-0x%llx)",
			   p->initrd_file, ULL(p->initrd_ipa), ULL(p->initrd_ipa + p->initrd_size - 1u), p->image_file,
			   ULL(target), ULL(target + bz.init_size - 1u));
}
