/* SPDX-License-Identifier: MIT */
/*
 * The arm64 board: its GIC (the interrupt controller node), the MPIDR of
 * each cpu, GIC interrupt ids, and where QEMU's virt board has RAM.
 */
#include <string.h>

#include <libfdt.h>

#include "backend.h"
#include "props.h"
#include "range.h"

/* Stage 2 outputs 48-bit addresses at most (VTCR_EL2.PS, arch/arm64/stage2.c). */
#define STAGE2_OUTPUT_LIMIT (UINT64_C(1) << 48)

/* MPIDR_EL1 affinity fields: Aff3 [39:32], Aff2 [23:16], Aff1 [15:8], Aff0 [7:0]. */
#define MPIDR_AFFINITY_MASK UINT64_C(0xff00ffffff)

/* QEMU's virt board (7.2) has its RAM from 1 GiB, at most 255 GiB of it. */
#define QEMU_VIRT_RAM_BASE BHCC_1G
#define QEMU_VIRT_RAM_SIZE (UINT64_C(255) << 30)

static const char *const cpu_props[] = { "reg", NULL };
static const char *const gic_props[] = {
	"compatible", "reg", "interrupt-controller", "#interrupt-cells", "#address-cells", NULL
};

const struct be_space be_space = {
	.guest_limit = ARM64_IPA_LIMIT,
	.guest_limit_text = "the 39-bit stage-2 IPA limit",
	.hyp_limit = ARM64_IPA_LIMIT,
	.hyp_limit_text = "the 39-bit addresses the hypervisor maps for itself",
};

static unsigned gic_version_of(const char *compat, int len)
{
	if (fdt_stringlist_contains(compat, len, "arm,gic-v3"))
		return 3;
	if (fdt_stringlist_contains(compat, len, "arm,gic-400") ||
	    fdt_stringlist_contains(compat, len, "arm,cortex-a15-gic"))
		return 2;
	return 0;
}

static bool is_interrupt_controller(struct bh_ctx *c, int node)
{
	int len;
	const char *compat = fdt_getprop(c->fdt, node, "compatible", &len);

	if (fdt_getprop(c->fdt, node, "interrupt-controller", NULL))
		return true;
	return compat && len > 0 && gic_version_of(compat, len) != 0;
}

static void parse_gic(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	struct bh_board *b = &c->sys->board;
	struct bh_gic *g = &b->arch.gic;
	char path[BHCC_PATH_MAX];
	struct bh_range r[4];
	const char *compat;
	unsigned version = 0, want, n, cells;
	int len;

	node_path(c, node, path);
	props_whitelist(c, node, path, gic_props);
	node_no_children(c, node, path);
	if (b->irqc_path[0]) {
		diag_error(c->diag, path, NULL,
			   "a second interrupt controller; the board has exactly one (%s)", b->irqc_path);
		return;
	}
	strcpy(b->irqc_path, path);
	b->irqc_offset = node;
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

bool be_board_node(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	if (!is_interrupt_controller(c, node))
		return false;
	parse_gic(c, node, ac, sc);
	return true;
}

void be_board_end(struct bh_ctx *c)
{
	const struct bh_board *b = &c->sys->board;

	if (!b->irqc_path[0])
		diag_error(c->diag, b->path, NULL,
			   "missing the interrupt controller (a node with compatible \"arm,gic-v3\", \"arm,gic-400\" or \"arm,cortex-a15-gic\")");
}

int be_parse_cpu(struct bh_ctx *c, int node, const char *path, unsigned ac, struct bh_cpu *cpu)
{
	const struct bh_board *b = &c->sys->board;
	uint64_t mpidr;
	int r = PROP_OK;

	props_whitelist(c, node, path, cpu_props);
	node_no_children(c, node, path);
	if (!ac || prop_address(c, node, path, "reg", true, ac, &mpidr) != PROP_OK)
		return PROP_ABSENT;
	node_check_unit_address(c, node, path, mpidr);
	if (mpidr & ~MPIDR_AFFINITY_MASK) {
		diag_error(c->diag, path, "reg",
			   "MPIDR 0x%llx has bits outside the affinity fields Aff3..Aff0 (mask 0x%llx)",
			   (unsigned long long)mpidr, (unsigned long long)MPIDR_AFFINITY_MASK);
		r = PROP_BAD;
	}
	for (unsigned i = 0; i < b->n_cpus; i++) {
		if (b->cpus[i].arch.mpidr == mpidr) {
			diag_error(c->diag, path, "reg", "MPIDR 0x%llx is also the MPIDR of %s",
				   (unsigned long long)mpidr, b->cpus[i].path);
			r = PROP_BAD;
		}
	}
	cpu->arch.mpidr = mpidr;
	return r;
}

bool be_irq_id(struct bh_ctx *c, const char *path, uint32_t irq)
{
	if (irq <= BH_ARCH_MAX_IRQ)
		return true;
	diag_error(c->diag, path, "interrupts", "%u is not a GIC interrupt id (0..%u)", irq,
		   BH_ARCH_MAX_IRQ);
	return false;
}

/* The GIC's ranges; an unusable one leaves the board without a GIC (version 0). */
unsigned be_board_ranges(struct bh_ctx *c, struct bh_named_range *out)
{
	struct bh_board *b = &c->sys->board;
	struct bh_gic *g = &b->arch.gic;
	const struct bh_range *gr[] = { &g->dist, &g->redist, &g->cpu, &g->hyp, &g->vcpu };
	unsigned n = 0;
	bool ok = true;

	if (!g->version)
		return 0;
	for (unsigned i = 0; i < 5; i++) {
		if (g->version == 3 ? i > 1 : i == 1)
			continue;
		if (check_range(c, b->irqc_path, "reg", "MMIO range", *gr[i]))
			out[n++] = (struct bh_named_range){ b->irqc_path, "MMIO range", *gr[i] };
		else
			ok = false;
		/* The virtual cpu interface is only ever mapped for partitions, by stage 2. */
		if (ok && gr[i] != &g->vcpu)
			ok = check_hyp_mappable(c, b->irqc_path, "reg", "MMIO range", *gr[i]);
		else if (ok && range_last(gr[i]->base, gr[i]->size) >= STAGE2_OUTPUT_LIMIT) {
			diag_error(c->diag, b->irqc_path, "reg",
				   "virtual cpu interface 0x%llx-0x%llx reaches beyond the 48-bit output addresses of stage 2, where every partition maps it (addresses must be below 0x%llx)",
				   (unsigned long long)gr[i]->base,
				   (unsigned long long)range_last(gr[i]->base, gr[i]->size),
				   (unsigned long long)STAGE2_OUTPUT_LIMIT);
			ok = false;
		}
	}
	if (!ok)
		g->version = 0;
	return n;
}

/* Each core has its own GICv3 redistributor frame; the vGIC hands them out per vCPU. */
void be_validate_board(struct bh_ctx *c)
{
	struct bh_board *b = &c->sys->board;
	struct bh_gic *g = &b->arch.gic;
	uint64_t need = ARM64_GICR_FRAME_SIZE * b->n_cpus;

	if (g->version != 3 || g->redist.size >= need)
		return;
	diag_error(c->diag, b->irqc_path, "reg",
		   "redistributor range 0x%llx-0x%llx is smaller than 128 KiB for each of the %u cores (0x%llx)",
		   (unsigned long long)g->redist.base,
		   (unsigned long long)range_last(g->redist.base, g->redist.size), b->n_cpus,
		   (unsigned long long)need);
	g->version = 0;
}

bool be_board_ram(struct bh_ctx *c, const char *path, struct bh_range r)
{
	if (!c->sys->board.qemu_virt ||
	    range_inside(r.base, r.size, QEMU_VIRT_RAM_BASE, QEMU_VIRT_RAM_SIZE))
		return true;
	diag_error(c->diag, path, "reg",
		   "RAM range 0x%llx-0x%llx is not where a \"qemu,virt\" board has RAM (0x%llx-0x%llx: at most 255 GiB from 1 GiB)",
		   (unsigned long long)r.base, (unsigned long long)range_last(r.base, r.size),
		   (unsigned long long)QEMU_VIRT_RAM_BASE,
		   (unsigned long long)range_last(QEMU_VIRT_RAM_BASE, QEMU_VIRT_RAM_SIZE));
	return false;
}

unsigned be_hyp_ranges(const struct bh_system *sys, struct bh_range *out)
{
	const struct bh_gic *g = &sys->board.arch.gic;

	out[0] = g->dist;
	out[1] = g->redist;
	out[2] = g->cpu;
	out[3] = g->hyp;
	return 4;
}
