/* SPDX-License-Identifier: MIT */
/*
 * The arm64 back end's outputs: its variables in system.mk, the `arch`
 * members of config.c (cfg_arch.h), its lines in the isolation report, and
 * the consoles it has drivers for.
 */
#include "backend.h"
#include "cfg.h"
#include "delivery.h"

#define ULL(x) ((unsigned long long)(x))

/* The drivers are arch/arm64/<driver>.c. */
/* core/vuart_pl011.c */
const uint8_t be_emulated_console = CFG_CONSOLE_PL011;

/* Never called: be_emulated_console is not the 16550 here. */
void be_check_port_console(struct bh_ctx *c, const struct bh_partition *p)
{
	(void)c;
	(void)p;
}

const struct be_console be_consoles[] = {
	{ "arm,pl011", BH_CONSOLE_PL011, "pl011" },
	{ "ns16550a", BH_CONSOLE_NS16550, "ns16550" },
	{ "cdns,uart-r1p12", BH_CONSOLE_CADENCE, "cadence_uart" },
	{ "fsl,imx6q-uart", BH_CONSOLE_IMX, "imx_uart" },
	{ NULL, BH_CONSOLE_NONE, NULL },
};
const char *const be_console_names = "\"arm,pl011\", \"ns16550a\", \"cdns,uart-r1p12\" or \"fsl,imx6q-uart\"";

const char *const be_cpu_id_title = "MPIDR";
const char *const be_irq_note = "SGIs and PPIs (0..31) are per core: each vCPU has its own virtual ones.";
const char *const be_irq_title = "INTID";

static const char *console_driver(uint8_t kind)
{
	for (const struct be_console *k = be_consoles; k->compatible; k++)
		if (k->kind == kind)
			return k->driver;
	return "none";
}

/* The GIC and the console choose their drivers; the hypervisor sizes both table pools from bhcc's counts. */
void be_emit_mk(FILE *f, const struct bh_system *sys)
{
	fprintf(f, "BH_GIC_VERSION := %u\n", sys->board.arch.gic.version);
	fprintf(f, "BH_CONSOLE := %s\n", console_driver(sys->hyp.console_kind));
	/* Where partitions find their virtual GIC: the board's addresses (the runtime's RT_GIC*_BASE). */
	fprintf(f, "BH_GICD_BASE := 0x%llx\n", ULL(sys->board.arch.gic.dist.base));
	if (sys->board.arch.gic.version == 3) {
		fprintf(f, "BH_GICR_BASE := 0x%llx\n", ULL(sys->board.arch.gic.redist.base));
		/* The redistributor frames the hypervisor searches at a core's start (tools/cert/pathlen-model.txt). */
		fprintf(f, "BH_GICR_SIZE := 0x%llx\n", ULL(sys->board.arch.gic.redist.size));
	} else
		fprintf(f, "BH_GICC_BASE := 0x%llx\n", ULL(sys->board.arch.gic.cpu.base));
	fprintf(f, "BH_S2_POOL_PAGES := %u\n", sys->s2_pages);
	fprintf(f, "BH_EL2_POOL_PAGES := %u\n", sys->el2_pages);
}

static void mmio(FILE *f, const char *field, struct bh_range r)
{
	fprintf(f, "\t\t\t.%s = { .base = 0x%llx, .size = 0x%llx },\n", field, ULL(r.base), ULL(r.size));
}

void be_emit_c_system(FILE *f, const struct bh_system *sys)
{
	const struct bh_gic *g = &sys->board.arch.gic;

	fprintf(f, "\t.arch = {\n\t\t.gic = {\n");
	mmio(f, "dist", g->dist);
	mmio(f, "redist", g->redist);
	mmio(f, "cpu", g->cpu);
	mmio(f, "hyp", g->hyp);
	mmio(f, "vcpu", g->vcpu);
	fprintf(f, "\t\t},\n\t},\n");
}

void be_emit_c_cpu(FILE *f, const struct bh_cpu *cpu)
{
	fprintf(f, ".arch = { .mpidr = 0x%llx }", ULL(cpu->arch.mpidr));
}

void be_emit_c_partition(FILE *f, const struct bh_partition *p)
{
	fprintf(f, "\t\t.arch = { .irq_delivery = %s },\n",
		p->arch.irq_delivery == CFG_IRQ_DIRECT ? "CFG_IRQ_DIRECT" : "CFG_IRQ_MEDIATED");
}

const char *be_cpu_id_text(const struct bh_cpu *cpu, char *buf, size_t len)
{
	snprintf(buf, len, "0x%llx", ULL(cpu->arch.mpidr));
	return buf;
}

void be_report_board(FILE *f, const struct bh_system *sys)
{
	const struct bh_gic *g = &sys->board.arch.gic;

	if (g->version == 3)
		fprintf(f, "| Interrupt controller | GICv3, distributor 0x%llx, redistributors 0x%llx |\n",
			ULL(g->dist.base), ULL(g->redist.base));
	else
		fprintf(f, "| Interrupt controller | GICv2, distributor 0x%llx, cpu interface 0x%llx, hypervisor interface 0x%llx, virtual cpu interface 0x%llx |\n",
			ULL(g->dist.base), ULL(g->cpu.base), ULL(g->hyp.base), ULL(g->vcpu.base));
}

void be_report_pools(FILE *f, const struct bh_system *sys)
{
	fprintf(f, "| Stage-2 tables | %u pool pages (the pool has exactly these) |\n", sys->s2_pages);
	fprintf(f, "| EL2 map tables | %u pool pages (the hypervisor's own map; its image counted at the largest the region holds) |\n",
		sys->el2_pages);
}

void be_report_partition(FILE *f, const struct bh_partition *p)
{
	fprintf(f, "| Interrupt delivery | %s |\n",
		p->arch.irq_delivery == CFG_IRQ_DIRECT ? "direct (physical CPU interface)" : "mediated (list registers)");
	if (p->arch.accepts_foreign_spi_deactivation)
		fprintf(f, "| Accepted risk | `direct-delivery-risk = \"%s\"`: see Accepted risks |\n",
			ARM64_RISK_FOREIGN_SPI);
	fprintf(f, "| Stage-2 table pages | %u |\n", p->s2_pages);
}

void be_report_irqc(FILE *f, const struct bh_system *sys)
{
	const struct bh_gic *g = &sys->board.arch.gic;
	const struct bh_range *gr[] = { &g->dist, &g->redist, &g->cpu, &g->hyp, &g->vcpu };

	fprintf(f, "| `%s` | GICv%u |", sys->board.irqc_path, g->version);
	for (unsigned k = 0, n = 0; k < 5; k++) {
		if (gr[k]->size == 0)
			continue;
		fprintf(f, "%s 0x%llx-0x%llx", n++ ? "," : "", ULL(gr[k]->base),
			ULL(gr[k]->base + (gr[k]->size - 1)));
	}
	fprintf(f, " | - | hypervisor (each partition sees a virtual one) |\n");
}

unsigned be_report_risks(FILE *f, const struct bh_system *sys)
{
	char spis[1024];
	unsigned n = 0;

	for (unsigned i = 0; i < sys->n_partitions; i++) {
		const struct bh_partition *p = &sys->partitions[i];

		if (!p->arch.accepts_foreign_spi_deactivation)
			continue;
		foreign_spis_text(sys, i, spis, sizeof(spis));
		fprintf(f, "- **%s** (`%s`), `direct-delivery-risk = \"%s\"`: with direct delivery its EOIs reach\n"
			   "  the physical GIC, so it can deactivate these SPIs of other partitions while they\n"
			   "  are active: %s. An SPI deactivated early is delivered again, or a level interrupt\n"
			   "  is lost to its handler (docs/interrupts.md, safety manual CFG-R10).\n",
			p->name, p->path, ARM64_RISK_FOREIGN_SPI, spis);
		n++;
	}
	return n;
}
