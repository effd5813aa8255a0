/* SPDX-License-Identifier: MIT */
/*
 * /board: what the hardware has. Nothing here is assigned yet; validate_board()
 * checks the ranges against each other once everything is read. The back end
 * parses the interrupt controller and each cpu's hardware id.
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "backend.h"
#include "cfg.h"
#include "props.h"

static const char *const board_props[] = {
	"compatible", "model", "#address-cells", "#size-cells", "interrupt-parent", NULL
};
static const char *const memory_props[] = { "reg", NULL };
static const char *const cpus_props[] = { "#address-cells", "#size-cells", NULL };
static const char *const device_props[] = {
	"compatible", "reg", "interrupts", "reg-shift", "reg-io-width", NULL
};

int board_device_at(const struct bh_board *b, int offset)
{
	for (unsigned i = 0; i < b->n_devices; i++)
		if (b->devices[i].offset == offset)
			return (int)i;
	return -1;
}

int board_cpu_at(const struct bh_board *b, int offset)
{
	for (unsigned i = 0; i < b->n_cpus; i++)
		if (b->cpus[i].offset == offset)
			return (int)i;
	return -1;
}

static void parse_memory(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	struct bh_board *b = &c->sys->board;
	struct bh_range r[BHCC_MAX_RAM];
	char path[BHCC_PATH_MAX];
	unsigned n;

	node_path(c, node, path);
	props_whitelist(c, node, path, memory_props);
	node_no_children(c, node, path);
	if (!ac || !sc)
		return;
	if (prop_reg(c, node, path, "reg", true, ac, sc, r, BHCC_MAX_RAM, &n) != PROP_OK)
		return;
	node_check_unit_address(c, node, path, r[0].base);
	for (unsigned i = 0; i < n; i++) {
		if (b->n_ram == BHCC_MAX_RAM) {
			diag_error(c->diag, path, "reg", "more than %u board RAM ranges in all",
				   BHCC_MAX_RAM);
			return;
		}
		b->ram[b->n_ram] = r[i];
		strcpy(b->ram_path[b->n_ram], path);
		b->n_ram++;
	}
}

static void parse_cpu(struct bh_ctx *c, int node, unsigned ac)
{
	struct bh_board *b = &c->sys->board;
	struct bh_cpu cpu = { .offset = node, .owner = BHCC_OWNER_NONE };
	int r;

	node_path(c, node, cpu.path);
	r = be_parse_cpu(c, node, cpu.path, ac, &cpu);
	if (r != PROP_OK)
		b->cpus_valid = false;
	if (r == PROP_ABSENT || b->n_cpus == BHCC_MAX_CPUS) {
		b->cpus_valid = false;
		return;
	}
	b->cpus[b->n_cpus++] = cpu;
}

static void parse_cpus(struct bh_ctx *c, int node)
{
	struct bh_board *b = &c->sys->board;
	unsigned ac = 0, sc = 0, count = 0, limit;
	char path[BHCC_PATH_MAX];
	int child;

	node_path(c, node, path);
	props_whitelist(c, node, path, cpus_props);
	prop_ncells(c, node, path, "#address-cells", true, 1, 2, &ac);
	prop_ncells(c, node, path, "#size-cells", true, 0, 0, &sc);
	b->cpus_valid = true;
	fdt_for_each_subnode(child, c->fdt, node) {
		if (!node_is(c, child, "cpu")) {
			diag_error(c->diag, path, NULL, "unknown node '%s'", node_name(c, child));
			continue;
		}
		count++;
		parse_cpu(c, child, ac);
	}
	limit = c->opt->max_cpus < BHCC_MAX_CPUS ? c->opt->max_cpus : BHCC_MAX_CPUS;
	if (count == 0) {
		diag_error(c->diag, path, NULL, "no cpu@ nodes; the board needs at least one core");
		b->cpus_valid = false;
	} else if (count > limit) {
		diag_error(c->diag, path, NULL, "too many cores: %u, CONFIG_MAX_CORES is %u", count,
			   limit);
		b->cpus_valid = false;
	}
}

/* How a register-based UART's registers sit in its range (the Linux binding's properties). */
static void parse_reg_layout(struct bh_ctx *c, int node, const char *path, struct bh_device *d)
{
	int rs = prop_u32(c, node, path, "reg-shift", false, &d->reg_shift);
	int rw = prop_u32(c, node, path, "reg-io-width", false, &d->reg_io_width);

	d->has_reg_shift = rs != PROP_ABSENT;
	d->has_reg_io_width = rw != PROP_ABSENT;
	if (rs != PROP_OK)
		d->reg_shift = 0;
	if (rw != PROP_OK)
		d->reg_io_width = 1;
	if (rs == PROP_BAD || rw == PROP_BAD) {
		d->valid = false;
	} else if (d->reg_shift > 3) {
		diag_error(c->diag, path, "reg-shift", "%u is not a register shift bhcc supports (0..3)",
			   d->reg_shift);
		d->valid = false;
	} else if (d->reg_io_width != 1 && d->reg_io_width != 4) {
		diag_error(c->diag, path, "reg-io-width", "%u is not an access width bhcc supports (1 or 4)",
			   d->reg_io_width);
		d->valid = false;
	} else if (d->reg_io_width > (1u << d->reg_shift)) {
		diag_error(c->diag, path, "reg-io-width",
			   "%u-byte accesses need registers at least %u bytes apart, reg-shift %u puts them %u apart",
			   d->reg_io_width, d->reg_io_width, d->reg_shift, 1u << d->reg_shift);
		d->valid = false;
	}
}

struct bh_device *parse_board_device(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	return parse_board_device_more(c, node, ac, sc, NULL);
}

struct bh_device *parse_board_device_more(struct bh_ctx *c, int node, unsigned ac, unsigned sc,
					  const char *const *more)
{
	struct bh_board *b = &c->sys->board;
	char path[BHCC_PATH_MAX];
	struct bh_device *d;
	const char *compat;
	int len;

	node_path(c, node, path);
	props_whitelist2(c, node, path, device_props, more);
	node_no_children(c, node, path);
	if (b->n_devices == BHCC_MAX_DEVICES) {
		diag_error(c->diag, path, NULL, "more than %u board devices", BHCC_MAX_DEVICES);
		return NULL;
	}
	d = &b->devices[b->n_devices++];
	strcpy(d->path, path);
	/* A longer name makes a longer path, which nodes_check_paths() reported. */
	snprintf(d->name, sizeof(d->name), "%s", node_name(c, node));
	d->offset = node;
	d->owner = BHCC_OWNER_NONE;
	d->valid = true;
	if (prop_stringlist(c, node, path, "compatible", true, &compat, &len) != PROP_OK) {
		d->valid = false;
	} else if ((size_t)len > sizeof(d->compatible)) {
		diag_error(c->diag, path, "compatible", "longer than %zu bytes", sizeof(d->compatible));
		d->valid = false;
	} else {
		memcpy(d->compatible, compat, (size_t)len);
		d->compatible_len = (size_t)len;
	}
	if (!ac || !sc ||
	    prop_reg(c, node, path, "reg", true, ac, sc, d->regs, BHCC_MAX_DEV_REGS, &d->n_regs) != PROP_OK)
		d->valid = false;
	parse_reg_layout(c, node, path, d);
	if (prop_u32_list(c, node, path, "interrupts", false, d->irqs, BHCC_MAX_DEV_IRQS,
			  &d->n_irqs) == PROP_BAD) {
		d->valid = false;
		d->n_irqs = 0;
	}
	/* Only interrupt ids go on: every table that follows is indexed by them. */
	unsigned kept = 0;

	for (unsigned i = 0; i < d->n_irqs; i++) {
		if (be_irq_id(c, path, d->irqs[i]))
			d->irqs[kept++] = d->irqs[i];
		else
			d->valid = false;
	}
	d->n_irqs = kept;
	return d;
}

static void parse_device(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	struct bh_device *d = parse_board_device(c, node, ac, sc);

	if (d && d->n_regs)
		node_check_unit_address(c, node, d->path, d->regs[0].base);
}

static void check_interrupt_parent(struct bh_ctx *c, int node, const char *path)
{
	const struct bh_board *b = &c->sys->board;
	uint32_t ph;
	int target;

	if (prop_u32(c, node, path, "interrupt-parent", false, &ph) != PROP_OK || !b->irqc_path[0])
		return;
	target = fdt_node_offset_by_phandle(c->fdt, ph);
	if (target != b->irqc_offset) {
		char tpath[BHCC_PATH_MAX];

		if (target < 0)
			diag_error(c->diag, path, "interrupt-parent",
				   "phandle 0x%x does not refer to any node", ph);
		else
			diag_error(c->diag, path, "interrupt-parent",
				   "%s is not the board's interrupt controller (%s)",
				   node_path(c, target, tpath), b->irqc_path);
	}
}

void parse_board(struct bh_ctx *c, int node)
{
	struct bh_board *b = &c->sys->board;
	const char *compat, *model;
	unsigned ac = 0, sc = 0;
	bool has_cpus = false, has_memory = false;
	int child, len;

	node_path(c, node, b->path);
	b->offset = node;
	props_whitelist(c, node, b->path, board_props);
	if (prop_stringlist(c, node, b->path, "compatible", true, &compat, &len) == PROP_OK) {
		snprintf(b->compatible, sizeof(b->compatible), "%s", compat);
		b->qemu_virt = fdt_stringlist_contains(compat, len, "qemu,virt");
	}
	prop_string(c, node, b->path, "model", false, &model);
	prop_ncells(c, node, b->path, "#address-cells", true, 1, 2, &ac);
	prop_ncells(c, node, b->path, "#size-cells", true, 1, 2, &sc);
	fdt_for_each_subnode(child, c->fdt, node) {
		if (node_is(c, child, "memory")) {
			has_memory = true;
			parse_memory(c, child, ac, sc);
		} else if (strcmp(node_name(c, child), "cpus") == 0) {
			has_cpus = true;
			parse_cpus(c, child);
		} else if (be_board_node(c, child, ac, sc)) {
			/* the interrupt controller: the back end's */
		} else {
			parse_device(c, child, ac, sc);
		}
	}
	if (!has_memory)
		diag_error(c->diag, b->path, NULL, "missing required node 'memory@...'");
	if (!has_cpus)
		diag_error(c->diag, b->path, NULL, "missing required node 'cpus'");
	be_board_end(c);
	check_interrupt_parent(c, node, b->path);
}
