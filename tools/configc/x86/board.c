/* SPDX-License-Identifier: MIT */
/*
 * The x86 board: its I/O APIC (the interrupt controller node), the local
 * APICs' window, the x2APIC id of each cpu, GSIs as interrupt ids, and the
 * devices that decode I/O ports (docs/bindings.md, "x86 boards").
 *
 * Port devices are board devices like MMIO ones (the front end checks
 * overlaps among them, owners and the console), their reg being the port
 * range itself and their `ports` flag set: never mapped, never checked
 * against memory.
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "backend.h"
#include "pci.h"
#include "props.h"
#include "range.h"

#define ISA_SPACE_IO 1u
#define IOAPIC_COMPATIBLE "intel,ce4100-ioapic"
#define LAPIC_COMPATIBLE "intel,ce4100-lapic"
#define IOMMU_COMPATIBLE "amd,iommu"
#define VTD_COMPATIBLE "intel,vtd"
#define IOAPIC_PINS 24u   /* the 82093AA's; QEMU's I/O APIC has the same */

static const char *const cpu_props[] = { "reg", NULL };
static const char *const ioapic_props[] = {
	"compatible", "reg", "interrupt-controller", "#interrupt-cells", "#address-cells", NULL
};
static const char *const lapic_props[] = { "compatible", "reg", NULL };

const struct be_space be_space = {
	.guest_limit = X86_GUEST_LIMIT,
	.guest_limit_text = "the 48-bit guest-physical addresses of four-level nested paging",
	.hyp_limit = X86_GUEST_LIMIT,
	.hyp_limit_text = "the 48-bit addresses of the hypervisor's four-level map",
};

static bool compatible_is(struct bh_ctx *c, int node, const char *want)
{
	int len;
	const char *compat = fdt_getprop(c->fdt, node, "compatible", &len);

	return compat && len > 0 && fdt_stringlist_contains(compat, len, want);
}

/* One MMIO frame. */
static bool parse_frame(struct bh_ctx *c, int node, const char *path, unsigned ac, unsigned sc,
			struct bh_range *out)
{
	unsigned n = 0;

	if (!ac || !sc || prop_reg(c, node, path, "reg", true, ac, sc, out, 1, &n) != PROP_OK)
		return false;
	node_check_unit_address(c, node, path, out->base);
	return true;
}

static void parse_ioapic(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	struct bh_board *b = &c->sys->board;
	char path[BHCC_PATH_MAX];
	uint32_t cells;

	node_path(c, node, path);
	props_whitelist(c, node, path, ioapic_props);
	node_no_children(c, node, path);
	if (b->irqc_path[0]) {
		diag_error(c->diag, path, NULL,
			   "a second interrupt controller; bhcc supports exactly one I/O APIC (%s)", b->irqc_path);
		return;
	}
	strcpy(b->irqc_path, path);
	b->irqc_offset = node;
	if (!compatible_is(c, node, IOAPIC_COMPATIBLE)) {
		diag_error(c->diag, path, "compatible",
			   "unsupported interrupt controller; supported: \"" IOAPIC_COMPATIBLE "\" (an I/O APIC)");
		return;
	}
	if (prop_u32(c, node, path, "#interrupt-cells", true, &cells) == PROP_OK && cells != 1)
		diag_error(c->diag, path, "#interrupt-cells", "%u; an interrupt is one cell, its GSI", cells);
	b->arch.ioapic_pins = IOAPIC_PINS;
	b->arch.has_ioapic = parse_frame(c, node, path, ac, sc, &b->arch.ioapic);
}

/* A node that is one MMIO frame the hypervisor keeps (compatible and reg only), at most once a board. */
static void parse_hyp_frame(struct bh_ctx *c, int node, unsigned ac, unsigned sc, const char *what, char *seen_path,
			    struct bh_range *out)
{
	char path[BHCC_PATH_MAX];

	node_path(c, node, path);
	props_whitelist(c, node, path, lapic_props);
	node_no_children(c, node, path);
	if (seen_path[0]) {
		diag_error(c->diag, path, NULL, "a second %s (%s)", what, seen_path);
		return;
	}
	if (parse_frame(c, node, path, ac, sc, out))
		strcpy(seen_path, path);
}

static void parse_lapic(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	struct bh_arch_board *a = &c->sys->board.arch;

	parse_hyp_frame(c, node, ac, sc, "local APIC window", a->lapic_path, &a->lapic);
}

/*
 * The IOMMU's register frame, AMD-Vi's or a VT-d unit's: the hypervisor's,
 * never a partition's (pci.c's functions translate through it). One IOMMU
 * per board: a second is refused by parse_hyp_frame like a second of any frame.
 */
static void parse_iommu(struct bh_ctx *c, int node, unsigned ac, unsigned sc, bool vtd)
{
	struct bh_arch_board *a = &c->sys->board.arch;

	if (!a->iommu_path[0])
		a->iommu_vtd = vtd;
	parse_hyp_frame(c, node, ac, sc, "IOMMU", a->iommu_path, &a->iommu);
}

/* "serial@i3f8": the unit address of a port device is its first port after an 'i'. */
static void check_port_unit_address(struct bh_ctx *c, int node, const char *path, uint64_t port)
{
	const char *at = strchr(fdt_get_name(c->fdt, node, NULL), '@');
	char want[16];

	if (!at)
		return;
	snprintf(want, sizeof(want), "i%llx", (unsigned long long)port);
	if (strcmp(at + 1, want) != 0)
		diag_error(c->diag, path, NULL,
			   "unit address '%s' does not match the first port in reg (expected '%s')", at + 1, want);
}

/* (space, first port, count) -> the port range; only the I/O space, inside 0..0xffff. */
static void port_regs(struct bh_ctx *c, struct bh_device *d)
{
	for (unsigned i = 0; i < d->n_regs; i++) {
		uint64_t space = d->regs[i].base >> 32, port = d->regs[i].base & 0xffffffffu;

		if (space != ISA_SPACE_IO) {
			diag_error(c->diag, d->path, "reg", "range %u is in space %llu; under isa only I/O ports (space 1) are allowed",
				   i, (unsigned long long)space);
			d->valid = false;
		} else if (d->regs[i].size == 0 || port + d->regs[i].size > X86_PORT_LIMIT) {
			diag_error(c->diag, d->path, "reg", "ports 0x%llx + 0x%llx are not inside 0..0xffff",
				   (unsigned long long)port, (unsigned long long)d->regs[i].size);
			d->valid = false;
		}
		d->regs[i].base = port;
	}
}

/* A port device under /board/isa: a board device with its `ports` flag, its reg the port range itself. */
static void parse_isa_device(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	struct bh_device *d = parse_board_device(c, node, ac, sc);

	if (!d)
		return;
	d->ports = true;
	if (!ac || !sc || !d->n_regs)
		return;   /* the container's cells or the reg were refused already */
	port_regs(c, d);
	check_port_unit_address(c, node, d->path, d->regs[0].base);
}

static void parse_isa(struct bh_ctx *c, int node)
{
	static const struct container_cells isa_cells = { 2, 2, 1, 1 };   /* (space, port), count */

	parse_container_cells(c, node, &c->sys->board.n_devices, BHCC_MAX_DEVICES, "board devices", &isa_cells,
			      parse_isa_device);
}

bool be_board_node(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	const char *name = fdt_get_name(c->fdt, node, NULL);

	if (strcmp(name, "isa") == 0) {
		parse_isa(c, node);
		return true;
	}
	if (strcmp(name, "pci") == 0) {
		x86_parse_pci(c, node);
		return true;
	}
	if (fdt_getprop(c->fdt, node, "interrupt-controller", NULL) || compatible_is(c, node, IOAPIC_COMPATIBLE)) {
		parse_ioapic(c, node, ac, sc);
		return true;
	}
	if (compatible_is(c, node, LAPIC_COMPATIBLE)) {
		parse_lapic(c, node, ac, sc);
		return true;
	}
	if (compatible_is(c, node, IOMMU_COMPATIBLE) || compatible_is(c, node, VTD_COMPATIBLE)) {
		parse_iommu(c, node, ac, sc, compatible_is(c, node, VTD_COMPATIBLE));
		return true;
	}
	return false;
}

void be_board_end(struct bh_ctx *c)
{
	const struct bh_board *b = &c->sys->board;

	if (!b->irqc_path[0])
		diag_error(c->diag, b->path, NULL,
			   "missing the interrupt controller (a node with compatible \"" IOAPIC_COMPATIBLE "\")");
}

int be_parse_cpu(struct bh_ctx *c, int node, const char *path, unsigned ac, struct bh_cpu *cpu)
{
	const struct bh_board *b = &c->sys->board;
	uint64_t id;
	int r = PROP_OK;

	props_whitelist(c, node, path, cpu_props);
	node_no_children(c, node, path);
	if (!ac || prop_address(c, node, path, "reg", true, ac, &id) != PROP_OK)
		return PROP_ABSENT;
	node_check_unit_address(c, node, path, id);
	if (id >= 0xffffffffu) {
		diag_error(c->diag, path, "reg", "0x%llx is not an x2APIC id (0..0xfffffffe)",
			   (unsigned long long)id);
		r = PROP_BAD;
	}
	for (unsigned i = 0; i < b->n_cpus; i++) {
		if (b->cpus[i].arch.apic_id == id) {
			diag_error(c->diag, path, "reg", "x2APIC id %llu is also the id of %s",
				   (unsigned long long)id, b->cpus[i].path);
			r = PROP_BAD;
		}
	}
	cpu->arch.apic_id = (uint32_t)id;
	return r;
}

bool be_irq_id(struct bh_ctx *c, const char *path, uint32_t irq)
{
	if (irq <= BH_ARCH_MAX_IRQ)
		return true;
	diag_error(c->diag, path, "interrupts", "%u is not a GSI bhcc accepts (0..%u)", irq, BH_ARCH_MAX_IRQ);
	return false;
}

unsigned be_board_ranges(struct bh_ctx *c, struct bh_named_range *out)
{
	struct bh_board *b = &c->sys->board;
	unsigned n = 0;

	if (b->arch.has_ioapic) {
		if (check_range(c, b->irqc_path, "reg", "MMIO range", b->arch.ioapic) &&
		    check_hyp_mappable(c, b->irqc_path, "reg", "MMIO range", b->arch.ioapic))
			out[n++] = (struct bh_named_range){ b->irqc_path, "MMIO range", b->arch.ioapic };
		else
			b->arch.has_ioapic = false;
	}
	if (b->arch.lapic_path[0] && check_range(c, b->arch.lapic_path, "reg", "MMIO range", b->arch.lapic))
		out[n++] = (struct bh_named_range){ b->arch.lapic_path, "MMIO range", b->arch.lapic };
	if (b->arch.iommu_path[0]) {
		if (check_range(c, b->arch.iommu_path, "reg", "MMIO range", b->arch.iommu) &&
		    check_hyp_mappable(c, b->arch.iommu_path, "reg", "MMIO range", b->arch.iommu))
			out[n++] = (struct bh_named_range){ b->arch.iommu_path, "MMIO range", b->arch.iommu };
		else
			b->arch.iommu_path[0] = '\0';
	}
	return n;
}

void be_validate_board(struct bh_ctx *c)
{
	(void)c;
}

bool be_board_ram(struct bh_ctx *c, const char *path, struct bh_range r)
{
	if (r.base >= X86_LOW_RAM_LIMIT)
		return true;
	diag_error(c->diag, path, "reg",
		   "RAM range 0x%llx-0x%llx reaches into the first MiB (real-mode vectors, BIOS data, VGA and ROMs); board RAM starts at 0x100000 or above",
		   (unsigned long long)r.base, (unsigned long long)range_last(r.base, r.size));
	return false;
}

/* The hypervisor maps board RAM and the local APIC from its own fixed pool (arch/x86/setup.c); nothing is counted here. */
unsigned be_hyp_ranges(const struct bh_system *sys, struct bh_range *out)
{
	(void)sys;
	(void)out;
	return 0;
}
