/*
 * GENDIR/config.c: the constant tables of core/include/cfg.h. Every field
 * is written with a designated initializer, so a field added to cfg.h and
 * not generated here shows up in review rather than as a silent zero.
 */
#include "bhcc.h"
#include "cfg.h"

#define ULL(x) ((unsigned long long)(x))

static const char *access_expr(uint8_t a)
{
	static const char *const expr[] = {
		"0", "CFG_ACCESS_R", "CFG_ACCESS_W", "CFG_ACCESS_R | CFG_ACCESS_W", "CFG_ACCESS_X",
		"CFG_ACCESS_R | CFG_ACCESS_X", "CFG_ACCESS_W | CFG_ACCESS_X",
		"CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X",
	};

	return expr[a & 7];
}

static void mmio(FILE *f, const char *field, struct bh_range r, const char *indent)
{
	fprintf(f, "%s.%s = { .base = 0x%llx, .size = 0x%llx },\n", indent, field, ULL(r.base),
		ULL(r.size));
}

/* Node names may contain '*', which must not end the comment early. */
static void comment(FILE *f, const char *prefix, const char *text, const char *suffix)
{
	fputs(prefix, f);
	for (; *text; text++)
		fputc(*text == '*' ? '_' : *text, f);
	fputs(suffix, f);
}

static void partition_arrays(FILE *f, const struct bh_partition *p)
{
	comment(f, "/* ", p->path, " */\n");
	fprintf(f, "extern const uint8_t bh_image_%s[];\n", p->sym);
	if (p->has_dtb)
		fprintf(f, "extern const uint8_t bh_dtb_%s[];\n", p->sym);
	fprintf(f, "static const uint8_t bh_%s_vcpu_cpu[] = {", p->sym);
	for (unsigned i = 0; i < p->n_vcpus; i++)
		fprintf(f, "%s %u", i ? "," : "", p->vcpu_cpu[i]);
	fprintf(f, " };\n");
	fprintf(f, "static const struct cfg_region bh_%s_regions[] = {\n", p->sym);
	for (unsigned i = 0; i < p->n_regions; i++) {
		const struct bh_region *r = &p->regions[i];

		comment(f, "\t{ /* ", r->path, " */\n");
		fprintf(f, "\t\t.ipa = 0x%llx,\n\t\t.pa = 0x%llx,\n\t\t.size = 0x%llx,\n", ULL(r->ipa),
			ULL(r->pa), ULL(r->size));
		fprintf(f, "\t\t.access = %s,\n", access_expr(r->access));
		fprintf(f, "\t\t.kind = %s,\n\t},\n",
			r->kind == CFG_REGION_RAM ? "CFG_REGION_RAM" : "CFG_REGION_DEVICE");
	}
	fprintf(f, "};\n");
	if (p->n_irqs) {
		fprintf(f, "static const uint32_t bh_%s_irqs[] = {", p->sym);
		for (unsigned i = 0; i < p->n_irqs; i++)
			fprintf(f, "%s %u", i ? "," : "", p->irqs[i]);
		fprintf(f, " };\n");
	}
	fprintf(f, "\n");
}

static void partition_entry(FILE *f, const struct bh_partition *p)
{
	uint64_t mask = 0;

	for (unsigned i = 0; i < p->n_vcpus; i++)
		mask |= UINT64_C(1) << p->vcpu_cpu[i];
	fprintf(f, "\t{\n\t\t.name = \"%s\",\n", p->name);
	fprintf(f, "\t\t.cpu_mask = 0x%llx,\n", ULL(mask));
	fprintf(f, "\t\t.n_vcpus = %u,\n\t\t.vcpu_cpu = bh_%s_vcpu_cpu,\n", p->n_vcpus, p->sym);
	fprintf(f, "\t\t.entry = 0x%llx,\n", ULL(p->entry));
	fprintf(f, "\t\t.image = { .data = bh_image_%s, .size = 0x%llx, .ipa = 0x%llx },\n", p->sym,
		ULL(p->image_size), ULL(p->load));
	if (p->has_dtb)
		fprintf(f, "\t\t.boot_info = { .data = bh_dtb_%s, .size = 0x%llx, .ipa = 0x%llx },\n",
			p->sym, ULL(p->dtb_size), ULL(p->dtb_ipa));
	else
		fprintf(f, "\t\t.boot_info = { .data = 0, .size = 0, .ipa = 0 },\n");
	fprintf(f, "\t\t.n_regions = %u,\n\t\t.regions = bh_%s_regions,\n", p->n_regions, p->sym);
	if (p->n_irqs)
		fprintf(f, "\t\t.n_irqs = %u,\n\t\t.irqs = bh_%s_irqs,\n", p->n_irqs, p->sym);
	else
		fprintf(f, "\t\t.n_irqs = 0,\n\t\t.irqs = 0,\n");
	fprintf(f, "\t\t.fault_policy = %s,\n",
		p->fault_policy == CFG_FAULT_RESTART ? "CFG_FAULT_RESTART" : "CFG_FAULT_STOP");
	fprintf(f, "\t\t.arch = { .irq_delivery = %s },\n\t},\n",
		p->irq_delivery == CFG_IRQ_DIRECT ? "CFG_IRQ_DIRECT" : "CFG_IRQ_MEDIATED");
}

static void cores(FILE *f, const struct bh_board *b)
{
	fprintf(f, "static const struct cfg_cpu bh_cpus[] = {\n");
	for (unsigned i = 0; i < b->n_cpus; i++) {
		const struct bh_cpu *c = &b->cpus[i];

		if (c->owner >= 0)
			fprintf(f, "\t{ .partition = %d, .vcpu = %u, ", c->owner, c->vcpu);
		else
			fprintf(f, "\t{ .partition = CFG_NO_PARTITION, .vcpu = 0, ");
		fprintf(f, ".arch = { .mpidr = 0x%llx } },", ULL(c->mpidr));
		fprintf(f, " /* core %u: ", i);
		comment(f, "", c->path, " */\n");
	}
	fprintf(f, "};\n\n");
}

static void system_table(FILE *f, const struct bh_system *sys)
{
	static const char *const console[] = {
		"CFG_CONSOLE_NONE", "CFG_CONSOLE_PL011", "CFG_CONSOLE_NS16550",
	};
	const struct bh_gic *g = &sys->board.gic;
	struct bh_range con = { 0, 0 };

	if (sys->hyp.console >= 0)
		con = sys->board.devices[sys->hyp.console].regs[0];
	fprintf(f, "const struct cfg_system cfg_system = {\n");
	mmio(f, "ram", board_ram_span(&sys->board), "\t");
	mmio(f, "hypervisor", sys->hyp.reg, "\t");
	fprintf(f, "\t.console_kind = %s,\n", console[sys->hyp.console_kind % 3]);
	mmio(f, "console", con, "\t");
	fprintf(f, "\t.n_cpus = %u,\n\t.cpus = bh_cpus,\n", sys->board.n_cpus);
	fprintf(f, "\t.n_partitions = %u,\n\t.partitions = bh_partitions,\n", sys->n_partitions);
	fprintf(f, "\t.arch = {\n\t\t.gic = {\n\t\t\t.version = %u,\n", g->version);
	mmio(f, "dist", g->dist, "\t\t\t");
	mmio(f, "redist", g->redist, "\t\t\t");
	mmio(f, "cpu", g->cpu, "\t\t\t");
	mmio(f, "hyp", g->hyp, "\t\t\t");
	mmio(f, "vcpu", g->vcpu, "\t\t\t");
	fprintf(f, "\t\t},\n\t},\n");
	fprintf(f, "};\n");
}

void emit_c(FILE *f, const struct bh_system *sys, const struct bhcc_options *opt)
{
	fprintf(f, "/* Generated by bhcc from %s. Do not edit. */\n", opt->source);
	fprintf(f, "#include \"cfg.h\"\n\n");
	for (unsigned i = 0; i < sys->n_partitions; i++)
		partition_arrays(f, &sys->partitions[i]);
	fprintf(f, "static const struct cfg_partition bh_partitions[] = {\n");
	for (unsigned i = 0; i < sys->n_partitions; i++)
		partition_entry(f, &sys->partitions[i]);
	fprintf(f, "};\n\n");
	cores(f, &sys->board);
	system_table(f, sys);
}
