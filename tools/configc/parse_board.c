/*
 * /board: what the hardware has. Nothing here is assigned yet; validate_board()
 * checks the ranges against each other once everything is read.
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "cfg.h"
#include "props.h"

static const char *const board_props[] = {
	"compatible", "model", "#address-cells", "#size-cells", "interrupt-parent", NULL
};
static const char *const memory_props[] = { "reg", NULL };
static const char *const cpus_props[] = { "#address-cells", "#size-cells", NULL };
static const char *const cpu_props[] = { "reg", NULL };
static const char *const gic_props[] = {
	"compatible", "reg", "interrupt-controller", "#interrupt-cells", "#address-cells", NULL
};
static const char *const device_props[] = { "compatible", "reg", "interrupts", NULL };

/* MPIDR_EL1 affinity fields: Aff3 [39:32], Aff2 [23:16], Aff1 [15:8], Aff0 [7:0]. */
#define MPIDR_AFFINITY_MASK UINT64_C(0xff00ffffff)

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

static unsigned gic_version_of(const char *compat, int len)
{
	if (fdt_stringlist_contains(compat, len, "arm,gic-v3"))
		return 3;
	if (fdt_stringlist_contains(compat, len, "arm,gic-400") ||
	    fdt_stringlist_contains(compat, len, "arm,cortex-a15-gic"))
		return 2;
	return 0;
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
	char path[BHCC_PATH_MAX];
	uint64_t mpidr;

	node_path(c, node, path);
	props_whitelist(c, node, path, cpu_props);
	node_no_children(c, node, path);
	if (!ac || prop_address(c, node, path, "reg", true, ac, &mpidr) != PROP_OK) {
		b->cpus_valid = false;
		return;
	}
	node_check_unit_address(c, node, path, mpidr);
	if (mpidr & ~MPIDR_AFFINITY_MASK) {
		diag_error(c->diag, path, "reg",
			   "MPIDR 0x%llx has bits outside the affinity fields Aff3..Aff0 (mask 0x%llx)",
			   (unsigned long long)mpidr, (unsigned long long)MPIDR_AFFINITY_MASK);
		b->cpus_valid = false;
	}
	for (unsigned i = 0; i < b->n_cpus; i++) {
		if (b->cpus[i].mpidr == mpidr) {
			diag_error(c->diag, path, "reg", "MPIDR 0x%llx is also the MPIDR of %s",
				   (unsigned long long)mpidr, b->cpus[i].path);
			b->cpus_valid = false;
		}
	}
	if (b->n_cpus == BHCC_MAX_CPUS) {
		b->cpus_valid = false;
		return;
	}
	strcpy(b->cpus[b->n_cpus].path, path);
	b->cpus[b->n_cpus].offset = node;
	b->cpus[b->n_cpus].mpidr = mpidr;
	b->cpus[b->n_cpus].owner = BHCC_OWNER_NONE;
	b->n_cpus++;
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

static void parse_gic(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	struct bh_gic *g = &c->sys->board.gic;
	char path[BHCC_PATH_MAX];
	struct bh_range r[4];
	const char *compat;
	unsigned version = 0, want, n, cells;
	int len;

	node_path(c, node, path);
	props_whitelist(c, node, path, gic_props);
	node_no_children(c, node, path);
	if (g->path[0]) {
		diag_error(c->diag, path, NULL,
			   "a second interrupt controller; the board has exactly one (%s)", g->path);
		return;
	}
	strcpy(g->path, path);
	g->offset = node;
	if (prop_stringlist(c, node, path, "compatible", true, &compat, &len) == PROP_OK) {
		version = gic_version_of(compat, len);
		if (!version)
			diag_error(c->diag, path, "compatible",
				   "unsupported interrupt controller \"%s\"; supported: \"arm,gic-v3\", \"arm,gic-400\", \"arm,cortex-a15-gic\"",
				   compat);
	}
	prop_empty(c, node, path, "interrupt-controller", true);
	prop_ncells(c, node, path, "#interrupt-cells", true, 1, 1, &cells);
	if (fdt_getprop(c->fdt, node, "#address-cells", NULL))
		prop_u32(c, node, path, "#address-cells", false, &cells);
	if (!version || !ac || !sc)
		return;
	if (prop_reg(c, node, path, "reg", true, ac, sc, r, 4, &n) != PROP_OK)
		return;
	want = version == 3 ? 2 : 4;
	if (n != want) {
		if (version == 3)
			diag_error(c->diag, path, "reg",
				   "a GICv3 needs 2 ranges (distributor, redistributors), got %u", n);
		else
			diag_error(c->diag, path, "reg",
				   "a GICv2 needs 4 ranges (distributor, cpu interface, hypervisor interface, virtual cpu interface), got %u",
				   n);
		return;
	}
	node_check_unit_address(c, node, path, r[0].base);
	g->dist = r[0];
	if (version == 3) {
		g->redist = r[1];
	} else {
		g->cpu = r[1];
		g->hyp = r[2];
		g->vcpu = r[3];
	}
	g->version = version;
}

static void parse_device(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	struct bh_board *b = &c->sys->board;
	char path[BHCC_PATH_MAX];
	struct bh_device *d;
	const char *compat;
	int len;

	node_path(c, node, path);
	props_whitelist(c, node, path, device_props);
	node_no_children(c, node, path);
	if (b->n_devices == BHCC_MAX_DEVICES) {
		diag_error(c->diag, path, NULL, "more than %u board devices", BHCC_MAX_DEVICES);
		return;
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
	else
		node_check_unit_address(c, node, path, d->regs[0].base);
	if (prop_u32_list(c, node, path, "interrupts", false, d->irqs, BHCC_MAX_DEV_IRQS,
			  &d->n_irqs) == PROP_BAD) {
		d->valid = false;
		d->n_irqs = 0;
	}
	/* Only interrupt ids go on: every table that follows is indexed by them. */
	unsigned kept = 0;

	for (unsigned i = 0; i < d->n_irqs; i++) {
		if (d->irqs[i] > BHCC_MAX_INTID) {
			diag_error(c->diag, path, "interrupts",
				   "%u is not a GIC interrupt id (0..%u)", d->irqs[i], BHCC_MAX_INTID);
			d->valid = false;
		} else {
			d->irqs[kept++] = d->irqs[i];
		}
	}
	d->n_irqs = kept;
}

static bool is_interrupt_controller(struct bh_ctx *c, int node)
{
	int len;
	const char *compat = fdt_getprop(c->fdt, node, "compatible", &len);

	if (fdt_getprop(c->fdt, node, "interrupt-controller", NULL))
		return true;
	return compat && len > 0 && gic_version_of(compat, len) != 0;
}

static void check_interrupt_parent(struct bh_ctx *c, int node, const char *path)
{
	const struct bh_gic *g = &c->sys->board.gic;
	uint32_t ph;
	int target;

	if (prop_u32(c, node, path, "interrupt-parent", false, &ph) != PROP_OK || !g->path[0])
		return;
	target = fdt_node_offset_by_phandle(c->fdt, ph);
	if (target != g->offset) {
		char tpath[BHCC_PATH_MAX];

		if (target < 0)
			diag_error(c->diag, path, "interrupt-parent",
				   "phandle 0x%x does not refer to any node", ph);
		else
			diag_error(c->diag, path, "interrupt-parent",
				   "%s is not the board's interrupt controller (%s)",
				   node_path(c, target, tpath), g->path);
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
		} else if (is_interrupt_controller(c, child)) {
			parse_gic(c, child, ac, sc);
		} else {
			parse_device(c, child, ac, sc);
		}
	}
	if (!has_memory)
		diag_error(c->diag, b->path, NULL, "missing required node 'memory@...'");
	if (!has_cpus)
		diag_error(c->diag, b->path, NULL, "missing required node 'cpus'");
	if (!b->gic.path[0])
		diag_error(c->diag, b->path, NULL,
			   "missing the interrupt controller (a node with compatible \"arm,gic-v3\", \"arm,gic-400\" or \"arm,cortex-a15-gic\")");
	check_interrupt_parent(c, node, b->path);
}
