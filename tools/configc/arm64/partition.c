/* SPDX-License-Identifier: MIT */
/*
 * What arm64 adds to a partition: how its interrupts are delivered
 * (interrupt-delivery, direct-delivery-risk), only SPIs can be owned, the
 * GICv2 virtual cpu interface it maps, and the virtual GIC's windows that
 * its RAM must leave free.
 */
#include <string.h>

#include "backend.h"
#include "cfg.h"
#include "props.h"

const char *const be_partition_props[] = { "interrupt-delivery", "direct-delivery-risk", NULL };

static void parse_irq_delivery(struct bh_ctx *c, struct bh_partition *p, int node)
{
	const char *mode;

	p->arch.irq_delivery = CFG_IRQ_MEDIATED;
	if (prop_string(c, node, p->path, "interrupt-delivery", false, &mode) != PROP_OK)
		return;
	if (strcmp(mode, "direct") == 0)
		p->arch.irq_delivery = CFG_IRQ_DIRECT;
	else if (strcmp(mode, "mediated") != 0)
		diag_error(c->diag, p->path, "interrupt-delivery",
			   "unknown delivery '%s' (expected \"mediated\" or \"direct\")", mode);
}

/* Checked against the other partitions' interrupts by be_validate_partitions(). */
static void parse_delivery_risk(struct bh_ctx *c, struct bh_partition *p, int node)
{
	const char *risk;
	int r = prop_string(c, node, p->path, "direct-delivery-risk", false, &risk);

	p->arch.has_delivery_risk = r != PROP_ABSENT;
	if (r != PROP_OK)
		return;
	if (strcmp(risk, ARM64_RISK_FOREIGN_SPI) == 0)
		p->arch.accepts_foreign_spi_deactivation = true;
	else
		diag_error(c->diag, p->path, "direct-delivery-risk",
			   "unknown risk '%s' (expected \"%s\")", risk, ARM64_RISK_FOREIGN_SPI);
}

void be_parse_partition(struct bh_ctx *c, struct bh_partition *p, int node)
{
	parse_irq_delivery(c, p, node);
	parse_delivery_risk(c, p, node);
}

bool be_irq_assignable(struct bh_ctx *c, const struct bh_partition *p, const struct bh_device *d, uint32_t irq)
{
	if (irq >= ARM64_FIRST_SPI)
		return true;
	diag_error(c->diag, p->path, "devices",
		   "%s has interrupt %u, which is not an SPI; only SPIs (32..1019) can be assigned to a partition",
		   d->path, irq);
	return false;
}

/* GICv2: the partition's CPU interface is the hardware's virtual one (GICV),
 * mapped where the partition expects GICC. GICv3 needs no mapping (system
 * registers). Direct delivery needs GICv3's system-register interface. */
void be_partition_regions(struct bh_ctx *c, struct bh_partition *p)
{
	const struct bh_board *b = &c->sys->board;
	const struct bh_gic *g = &b->arch.gic;
	struct bh_region *r;

	if ((p->arch.irq_delivery == CFG_IRQ_DIRECT) && (g->version != 3)) {
		diag_error(c->diag, p->path, "interrupt-delivery",
			   "\"direct\" needs a GICv3; the board's interrupt controller %s is a GICv2", b->irqc_path);
		return;
	}
	if (g->version != 2)
		return;
	if (g->vcpu.size < ARM64_GICV2_CPUIF_SIZE) {
		diag_error(c->diag, b->irqc_path, "reg", "the virtual cpu interface is smaller than 0x%x bytes",
			   ARM64_GICV2_CPUIF_SIZE);
		return;
	}
	if (p->n_regions == BHCC_MAX_REGIONS) {
		diag_error(c->diag, p->path, NULL,
			   "more than %u regions (memory@ nodes, device ranges and the GIC cpu interface together)",
			   BHCC_MAX_REGIONS);
		return;
	}
	r = &p->regions[p->n_regions++];
	strcpy(r->path, b->irqc_path);
	r->ipa = g->cpu.base;
	r->pa = g->vcpu.base;
	r->size = ARM64_GICV2_CPUIF_SIZE;
	r->access = CFG_ACCESS_R | CFG_ACCESS_W;
	r->kind = CFG_REGION_DEVICE;
	r->valid = true;
	r->has_host = true;
	r->placed = true;
	r->device = -1;
	r->shared = -1;
	r->channel = -1;
}

/* The guest finds its virtual GIC at the board's addresses. */
unsigned be_guest_windows(const struct bh_system *sys, const struct bh_partition *p, struct be_window *out)
{
	const struct bh_gic *g = &sys->board.arch.gic;
	unsigned n_vcpus = p->n_vcpus ? p->n_vcpus : 1;

	if (!g->version)
		return 0;
	out[0] = (struct be_window){ "distributor", g->dist };
	if (g->version == 3)
		out[1] = (struct be_window){ "redistributors",
					     { g->redist.base, ARM64_GICR_FRAME_SIZE * n_vcpus } };
	else
		out[1] = (struct be_window){ "cpu interface", { g->cpu.base, ARM64_GICV2_CPUIF_SIZE } };
	return 2;
}

/*
 * A doorbell is an SGI the partition's own software does not send (1..14:
 * SGI 15 is a direct partition's kick, and SGI 0 is left to the partition)
 * or a virtual SPI, which only the mediated virtual distributor has; an
 * emulated device's interrupt is a level-sensitive SPI. Either way not an
 * SPI of a device the partition owns.
 */
bool be_doorbell_valid(struct bh_ctx *c, const struct bh_partition *p, const char *path, const char *prop,
		       uint32_t irq, bool level)
{
	bool spi = irq >= ARM64_FIRST_SPI && irq <= BH_ARCH_MAX_IRQ;

	if (!spi && (level || irq < 1u || irq > 14u)) {
		diag_error(c->diag, path, prop, "%u is not %s", irq,
			   level ? "an SPI (32..1019)" : "an SGI 1..14 or an SPI (32..1019)");
		return false;
	}
	if (spi && p->arch.irq_delivery == CFG_IRQ_DIRECT) {
		diag_error(c->diag, path, prop,
			   "%u is an SPI, and %s has direct interrupt delivery: a virtual SPI needs \"mediated\" (use an SGI 1..14)",
			   irq, p->path);
		return false;
	}
	for (unsigned i = 0; spi && i < p->n_irqs; i++) {
		if (p->irqs[i] == irq) {
			diag_error(c->diag, path, prop, "interrupt %u belongs to a device of %s", irq, p->path);
			return false;
		}
	}
	return true;
}
