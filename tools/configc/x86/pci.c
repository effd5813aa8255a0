/* SPDX-License-Identifier: MIT */
/*
 * PCI functions of an x86 board (docs/bindings.md, "PCI functions"): the
 * board's `pci` node names the window BARs may be placed in, and each child
 * one function by bus/device/function with the address of each of its
 * memory BARs. A function is a board device like an MMIO one (its reg is its
 * BARs' windows), so the front end checks its windows against RAM, other
 * devices and each other, gives it to one partition and maps the windows
 * there; this file checks what only a BAR must be (a power of two, aligned,
 * inside the window), that no BDF is described twice, and hands the
 * hypervisor each partition's functions (cfg_arch_partition.pci), whose
 * configuration space arch/x86/pci.c filters.
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "backend.h"
#include "pci.h"
#include "props.h"
#include "range.h"

#define ULL(x) ((unsigned long long)(x))
#define PCI_CONFIG_COMPATIBLE "pci,configuration-mechanism-1"
#define BAR_MIN_SIZE UINT64_C(0x1000)        /* one nested page: the partition maps the BAR and nothing beside it */
#define BAR_LIMIT UINT64_C(0x100000000)      /* 32-bit memory BARs only */

static const char *const pci_props[] = { "#address-cells", "#size-cells", "mmio-window", NULL };
static const char *const function_props[] = { "pci-bdf", "pci-bars", NULL };

static void bdf_text(uint32_t bdf, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x.%u", bdf >> 8, (bdf >> 3) & 0x1fu, bdf & 7u);
}

/* Implements: REQ-DEV-001 */
static bool parse_bdf(struct bh_ctx *c, int node, const char *path, uint32_t *bdf)
{
	uint32_t cell[3];
	unsigned n = 0;

	if (prop_u32_list(c, node, path, "pci-bdf", true, cell, 3, &n) != PROP_OK)
		return false;
	if (n != 3 || cell[0] > 0xffu || cell[1] > 0x1fu || cell[2] > 7u) {
		diag_error(c->diag, path, "pci-bdf",
			   "not <bus device function> with bus 0..255, device 0..31 and function 0..7");
		return false;
	}
	*bdf = (cell[0] << 8) | (cell[1] << 3) | cell[2];
	for (unsigned i = 0; i < c->sys->board.arch.n_pci; i++) {
		const struct bh_pci_function *o = &c->sys->board.arch.pci[i];
		char text[16];

		if (o->bdf == *bdf) {
			bdf_text(*bdf, text, sizeof(text));
			diag_error(c->diag, path, "pci-bdf", "%s is also the BDF of %s", text,
				   c->sys->board.devices[o->device].path);
			return false;
		}
	}
	return true;
}

/* Implements: REQ-DEV-001 */
static bool check_bar(struct bh_ctx *c, const char *path, struct bh_range r, struct bh_range window)
{
	if (r.size < BAR_MIN_SIZE || (r.size & (r.size - 1u)) != 0u || (r.base & (r.size - 1u)) != 0u) {
		diag_error(c->diag, path, "reg",
			   "BAR window 0x%llx + 0x%llx is not a power of two of 4 KiB or more at a multiple of its size",
			   ULL(r.base), ULL(r.size));
		return false;
	}
	if (!range_inside(r.base, r.size, window.base, window.size)) {
		diag_error(c->diag, path, "reg", "BAR window 0x%llx-0x%llx is outside the board's PCI window 0x%llx-0x%llx",
			   ULL(r.base), ULL(range_last(r.base, r.size)), ULL(window.base),
			   ULL(range_last(window.base, window.size)));
		return false;
	}
	return true;
}

/* Implements: REQ-DEV-001 */
static bool parse_bars(struct bh_ctx *c, int node, const struct bh_device *d, struct bh_pci_function *f)
{
	uint32_t seen = 0;
	unsigned n = 0;
	bool ok = true;

	if (prop_u32_list(c, node, d->path, "pci-bars", true, f->bar_index, BHCC_MAX_DEV_REGS, &n) != PROP_OK)
		return false;
	if (n != d->n_regs) {
		diag_error(c->diag, d->path, "pci-bars", "%u BAR numbers for %u reg ranges; one for each", n, d->n_regs);
		return false;
	}
	for (unsigned i = 0; i < n; i++) {
		if (f->bar_index[i] >= CFG_X86_PCI_BARS || (seen & (1u << f->bar_index[i])) != 0u) {
			diag_error(c->diag, d->path, "pci-bars", "%u is not a BAR (0..5) named once", f->bar_index[i]);
			return false;
		}
		seen |= 1u << f->bar_index[i];
		ok = check_bar(c, d->path, d->regs[i], c->sys->board.arch.pci_window) && ok;
	}
	return ok;
}

static void parse_function(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	struct bh_arch_board *a = &c->sys->board.arch;
	struct bh_device *d = parse_board_device_more(c, node, ac, sc, function_props);
	struct bh_pci_function *f;

	if (!d)
		return;
	if (a->n_pci == X86_PCI_MAX_FUNCS) {
		diag_error(c->diag, d->path, NULL, "more than %u PCI functions", X86_PCI_MAX_FUNCS);
		d->valid = false;
		return;
	}
	f = &a->pci[a->n_pci];
	f->device = (int)(d - c->sys->board.devices);
	if (d->n_regs)
		node_check_unit_address(c, node, d->path, d->regs[0].base);
	if (d->n_irqs) {
		diag_error(c->diag, d->path, "interrupts",
			   "a PCI function's interrupts (INTx, MSI) are not routed to partitions; drop the property");
		d->valid = false;
	}
	f->valid = parse_bdf(c, node, d->path, &f->bdf) && d->valid && parse_bars(c, node, d, f);
	d->valid = d->valid && f->valid;
	a->n_pci++;
}

/* Implements: REQ-DEV-001 */
void x86_parse_pci(struct bh_ctx *c, int node)
{
	struct bh_arch_board *a = &c->sys->board.arch;
	unsigned ac = 0, sc = 0, n = 0;
	int child;

	node_path(c, node, a->pci_path);
	props_whitelist(c, node, a->pci_path, pci_props);
	prop_ncells(c, node, a->pci_path, "#address-cells", true, 1, 2, &ac);
	prop_ncells(c, node, a->pci_path, "#size-cells", true, 1, 2, &sc);
	if (!ac || !sc || prop_reg(c, node, a->pci_path, "mmio-window", true, ac, sc, &a->pci_window, 1, &n) != PROP_OK)
		return;
	if (a->pci_window.size == 0u || a->pci_window.base >= BAR_LIMIT || a->pci_window.size > BAR_LIMIT - a->pci_window.base) {
		diag_error(c->diag, a->pci_path, "mmio-window", "0x%llx + 0x%llx is not a window below 4 GiB (32-bit BARs)",
			   ULL(a->pci_window.base), ULL(a->pci_window.size));
		return;
	}
	fdt_for_each_subnode(child, c->fdt, node) {
		if (c->sys->board.n_devices == BHCC_MAX_DEVICES) {
			diag_error(c->diag, a->pci_path, NULL, "more than %u board devices", BHCC_MAX_DEVICES);
			return;
		}
		parse_function(c, child, ac, sc);
	}
}

static const struct bh_pci_function *function_of(const struct bh_system *s, unsigned dev)
{
	for (unsigned i = 0; i < s->board.arch.n_pci; i++)
		if (s->board.arch.pci[i].device == (int)dev && s->board.arch.pci[i].valid)
			return &s->board.arch.pci[i];
	return NULL;
}

static bool is_pci_config(const struct bh_device *d)
{
	return fdt_stringlist_contains(d->compatible, (int)d->compatible_len, PCI_CONFIG_COMPATIBLE);
}

/*
 * A partition that owns the configuration ports themselves could move any
 * function's BARs over another partition's RAM: not in a system whose
 * hypervisor filters them for an assigned function.
 */
/* Implements: REQ-DEV-001 */
static void check_config_owner(struct bh_ctx *c, const struct bh_partition *p)
{
	const struct bh_system *s = c->sys;
	const char *config = NULL, *function = NULL;
	bool own = false;   /* reported once: by the partition that owns one of the two */

	for (unsigned i = 0; i < s->board.n_devices; i++) {
		const struct bh_device *d = &s->board.devices[i];
		bool mine = d->owner == (int)(p - s->partitions);

		if (d->owner < 0)
			continue;
		if (is_pci_config(d)) {
			config = d->path;
			own = own || mine;
		} else if (function_of(s, i)) {
			function = d->path;
			own = own || mine;
		}
	}
	if (config && function && own)
		diag_error(c->diag, p->path, "devices",
			   "%s (the configuration ports) and the PCI function %s are both assigned; a partition given a function reaches configuration space through the hypervisor's filter, and no partition may own the ports",
			   config, function);
}

/* Implements: REQ-DEV-001 */
void x86_pci_partition(struct bh_ctx *c, struct bh_partition *p)
{
	struct bh_arch_partition *a = &p->arch;

	a->n_pci = 0;
	for (unsigned k = 0; k < p->n_devices; k++) {
		const struct bh_device *d = &c->sys->board.devices[p->devices[k]];
		const struct bh_pci_function *f = function_of(c->sys, p->devices[k]);
		struct cfg_pci_function *out;

		if (!f || d->owner != (int)(p - c->sys->partitions))
			continue;
		if (a->n_pci == CFG_X86_MAX_PCI_FUNCS) {
			diag_error(c->diag, p->path, "devices", "%s: more than %u PCI functions in one partition", d->path,
				   CFG_X86_MAX_PCI_FUNCS);
			return;
		}
		out = &a->pci[a->n_pci++];
		*out = (struct cfg_pci_function){ .bdf = f->bdf, .n_bars = d->n_regs };
		for (unsigned i = 0; i < d->n_regs; i++)
			out->bars[i] = (struct cfg_pci_bar){ f->bar_index[i], (uint32_t)d->regs[i].base,
							     (uint32_t)d->regs[i].size };
	}
	a->dma_translated = c->sys->board.arch.iommu_path[0] != '\0';
	check_config_owner(c, p);
}

void x86_pci_emit_c(FILE *f, const struct bh_arch_partition *a)
{
	if (!a->n_pci)
		return;   /* zero-initialized: the default system's config.c stays as it was */
	fprintf(f, ", .n_pci = %u", a->n_pci);
	for (unsigned i = 0; i < a->n_pci; i++) {
		const struct cfg_pci_function *fn = &a->pci[i];

		fprintf(f, "%s { .bdf = 0x%x, .n_bars = %u, .bars = {", i ? "," : ", .pci = {", fn->bdf, fn->n_bars);
		for (unsigned b = 0; b < fn->n_bars; b++)
			fprintf(f, "%s { %u, 0x%x, 0x%x }", b ? "," : "", fn->bars[b].index, fn->bars[b].base,
				fn->bars[b].size);
		fprintf(f, " } }");
	}
	fprintf(f, " }");
}

/* Implements: REQ-DEV-001 */
void x86_pci_report(FILE *f, const struct bh_arch_partition *a)
{
	char text[16];

	if (!a->n_pci)
		return;
	fprintf(f, "| PCI functions | ");
	for (unsigned i = 0; i < a->n_pci; i++) {
		bdf_text(a->pci[i].bdf, text, sizeof(text));
		fprintf(f, "%s%s", i ? "; " : "", text);
		for (unsigned b = 0; b < a->pci[i].n_bars; b++)
			fprintf(f, ", BAR%u 0x%x-0x%x", a->pci[i].bars[b].index, a->pci[i].bars[b].base,
				a->pci[i].bars[b].base + (a->pci[i].bars[b].size - 1u));
	}
	if (a->dma_translated)
		fprintf(f, " (configuration space filtered; DMA translated by the IOMMU through its own RAM, every other requester blocked) |\n");
	else
		fprintf(f, " (configuration space filtered; bus mastering denied: the board has no IOMMU, so the function cannot DMA) |\n");
}
