/* SPDX-License-Identifier: MIT */
/*
 * GENDIR/config.c: the constant tables of core/include/cfg.h. Every field
 * is written with a designated initializer, so a field added to cfg.h and
 * not generated here shows up in review rather than as a silent zero.
 */
#include "backend.h"
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
			r->kind == CFG_REGION_RAM      ? "CFG_REGION_RAM"
			: r->kind == CFG_REGION_SHARED ? "CFG_REGION_SHARED"
						       : "CFG_REGION_DEVICE");
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

static const char *const console_kinds[] = { "CFG_CONSOLE_NONE", "CFG_CONSOLE_CHANNEL", "CFG_CONSOLE_PL011",
					     "CFG_CONSOLE_NS16550" };

static void disk_entry(FILE *f, const struct bh_system *sys, const struct bh_partition *p)
{
	const struct bh_disk_client *k;

	if (p->disk < 0 || sys->disks[p->disk].clients[p->disk_client].channel < 0) {
		fprintf(f, "\t\t.disk = { .present = 0, .window = 0, .channel = 0, .irq = 0, .ipa = 0, .sectors = 0 },\n");
		return;
	}
	k = &sys->disks[p->disk].clients[p->disk_client];
	fprintf(f, "\t\t.disk = { .present = 1, .window = %d, .channel = %d, .irq = %u, .ipa = 0x%llx, .sectors = 0x%llx },\n",
		k->mode == BH_DISK_WINDOW ? 1 : 0, k->channel, k->irq, ULL(k->address), ULL(k->sectors));
}

static void partition_entry(FILE *f, const struct bh_system *sys, const struct bh_partition *p)
{
	fprintf(f, "\t{\n\t\t.name = \"%s\",\n", p->name);
	fprintf(f, "\t\t.n_vcpus = %u,\n\t\t.vcpu_cpu = bh_%s_vcpu_cpu,\n", p->n_vcpus, p->sym);
	fprintf(f, "\t\t.entry = 0x%llx,\n", ULL(p->entry));
	fprintf(f, "\t\t.image = { .pa = 0x%llx, .size = 0x%llx, .ipa = 0x%llx, .placed_tag = 0x%llx },\n",
		ULL(p->image_slot_pa), ULL(p->image_size), ULL(p->load), ULL(p->placed_tag));
	if (p->has_dtb)
		fprintf(f, "\t\t.boot_info = { .pa = 0x%llx, .size = 0x%llx, .ipa = 0x%llx },\n",
			ULL(p->dtb_slot_pa), ULL(p->dtb_size), ULL(p->dtb_ipa));
	else
		fprintf(f, "\t\t.boot_info = { .pa = 0, .size = 0, .ipa = 0 },\n");
	fprintf(f, "\t\t.kaslr_seed = 0x%x,\n\t\t.rng_seed = 0x%x,\n", p->has_dtb ? p->kaslr_seed : 0u,
		p->has_dtb ? p->rng_seed : 0u);
	fprintf(f, "\t\t.counter_khz = 0x%x,\n", p->has_dtb ? p->counter_khz : 0u);
	fprintf(f, "\t\t.initrd = { .pa = 0x%llx, .size = 0x%llx, .ipa = 0x%llx },\n",
		ULL(p->has_initrd ? p->initrd_slot_pa : 0), ULL(p->has_initrd ? p->initrd_size : 0),
		ULL(p->has_initrd ? p->initrd_ipa : 0));
	fprintf(f, "\t\t.n_regions = %u,\n\t\t.regions = bh_%s_regions,\n", p->n_regions, p->sym);
	if (p->n_irqs)
		fprintf(f, "\t\t.n_irqs = %u,\n\t\t.irqs = bh_%s_irqs,\n", p->n_irqs, p->sym);
	else
		fprintf(f, "\t\t.n_irqs = 0,\n\t\t.irqs = 0,\n");
	fprintf(f, "\t\t.fault_policy = %s,\n",
		p->fault_policy == CFG_FAULT_RESTART ? "CFG_FAULT_RESTART" : "CFG_FAULT_STOP");
	fprintf(f, "\t\t.scrub_on_restart = %d,\n", p->scrub_on_restart ? 1 : 0);
	be_emit_c_partition(f, p);
	/* No binding names peers to notify yet. */
	fprintf(f, "\t\t.n_restart_notify = 0,\n\t\t.restart_notify = 0,\n");
	fprintf(f, "\t\t.console = { .kind = %s, .channel = %d, .irq = %u, .ipa = 0x%llx },\n",
		console_kinds[p->console], p->console_channel >= 0 ? p->console_channel : 0,
		console_emulated(p) ? p->console_irq : 0u, ULL(console_emulated(p) ? p->console_address : 0u));
	fprintf(f, "\t\t.service_control = %d,\n", p->service_control ? 1 : 0);
	disk_entry(f, sys, p);
	fprintf(f, "\t},\n");
}

static void channel_end(FILE *f, const struct bh_chan_end *e)
{
	fprintf(f, "\t\t\t{ .kind = %s, ", e->kind == CFG_END_PARTITION ? "CFG_END_PARTITION" : "CFG_END_HYPERVISOR");
	if (e->partition >= 0)
		fprintf(f, ".partition = %d, ", e->partition);
	else
		fprintf(f, ".partition = CFG_NO_PARTITION, ");
	fprintf(f, ".vcpu = %u, ", e->vcpu);
	if (e->has_doorbell)
		fprintf(f, ".doorbell = %u, ", e->doorbell);
	else
		fprintf(f, ".doorbell = CFG_NO_DOORBELL, ");
	fprintf(f, ".ipa = 0x%llx },\n", ULL(e->kind == CFG_END_PARTITION ? e->ipa : 0u));
}

static void channels(FILE *f, const struct bh_system *sys)
{
	static const char *const kinds[] = { "CFG_CHANNEL_DATA", "CFG_CHANNEL_CONSOLE", "CFG_CHANNEL_LOG",
					     "CFG_CHANNEL_DISK" };

	if (!sys->n_channels)
		return;
	fprintf(f, "static const struct cfg_channel bh_channels[] = {\n");
	for (unsigned i = 0; i < sys->n_channels; i++) {
		const struct bh_channel *ch = &sys->channels[i];

		fprintf(f, "\t{ /* %u: ", i);
		comment(f, "", ch->path, " */\n");
		fprintf(f, "\t\t.name = \"%s\",\n\t\t.pa = 0x%llx,\n\t\t.size = 0x%llx,\n", ch->name, ULL(ch->pa),
			ULL(ch->size));
		fprintf(f, "\t\t.kind = %s,\n\t\t.one_way = %d,\n\t\t.end = {\n", kinds[ch->kind], ch->one_way ? 1 : 0);
		channel_end(f, &ch->end[0]);
		channel_end(f, &ch->end[1]);
		fprintf(f, "\t\t},\n\t},\n");
	}
	fprintf(f, "};\n\n");
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
		be_emit_c_cpu(f, c);
		fprintf(f, " },");
		fprintf(f, " /* core %u: ", i);
		comment(f, "", c->path, " */\n");
	}
	fprintf(f, "};\n\n");
}

static void system_table(FILE *f, const struct bh_system *sys)
{
	struct bh_range con = { 0, 0 };
	unsigned shift = 0, width = 1;

	if (sys->hyp.console >= 0) {
		const struct bh_device *d = &sys->board.devices[sys->hyp.console];

		con = d->regs[0];
		shift = d->reg_shift;
		width = d->reg_io_width;
	}
	fprintf(f, "const struct cfg_system cfg_system = {\n");
	fprintf(f, "\t.console = { .base = 0x%llx, .size = 0x%llx, .reg_shift = %u, .reg_io_width = %u },\n",
		ULL(con.base), ULL(con.size), shift, width);
	fprintf(f, "\t.n_cpus = %u,\n\t.cpus = bh_cpus,\n", sys->board.n_cpus);
	fprintf(f, "\t.n_partitions = %u,\n\t.partitions = bh_partitions,\n", sys->n_partitions);
	fprintf(f, "\t.store_pa = 0x%llx,\n\t.store_size = 0x%llx,\n", ULL(sys->store.base), ULL(sys->store.size));
	if (sys->service >= 0)
		fprintf(f, "\t.service = %d,\n\t.log_channel = %d,\n", sys->service, sys->log_channel);
	else
		fprintf(f, "\t.service = CFG_NO_PARTITION,\n\t.log_channel = 0,\n");
	if (sys->n_channels)
		fprintf(f, "\t.n_channels = %u,\n\t.channels = bh_channels,\n", sys->n_channels);
	else
		fprintf(f, "\t.n_channels = 0,\n\t.channels = 0,\n");
	be_emit_c_system(f, sys);
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
		partition_entry(f, sys, &sys->partitions[i]);
	fprintf(f, "};\n\n");
	channels(f, sys);
	cores(f, &sys->board);
	system_table(f, sys);
}
