/* SPDX-License-Identifier: MIT */
/*
 * The x86 back end's outputs: its variables in system.mk, the `arch`
 * members of config.c (arch/x86/include/cfg_arch.h), its lines in the
 * isolation report, and the console it has a driver for.
 */
#include "backend.h"
#include "cfg.h"
#include "pci.h"

#define ULL(x) ((unsigned long long)(x))

/* arch/x86/uart.c: a 16550 at I/O ports. */
const struct be_console be_consoles[] = {
	{ "ns16550a", BH_CONSOLE_NS16550, "ns16550" },
	{ NULL, BH_CONSOLE_NONE, NULL },
};
const char *const be_console_names = "\"ns16550a\" (under /board/isa)";

const char *const be_cpu_id_title = "x2APIC id";
const char *const be_irq_note = "Local APIC vectors are per core; a partition's GSI (ISA pins 1, 3-15) is its own I/O APIC pin, which it programs through the mediated I/O APIC.";
const char *const be_irq_title = "GSI";

void be_emit_mk(FILE *f, const struct bh_system *sys)
{
	fprintf(f, "BH_CONSOLE := ns16550\n");
	fprintf(f, "BH_S2_POOL_PAGES := %u\n", sys->s2_pages);
	if (sys->board.arch.iommu_path[0] && sys->board.arch.iommu_vtd)
		fprintf(f, "# The board's VT-d unit: scripts/qemu.py adds -device intel-iommu.\nBH_X86_IOMMU := intel\n");
	else if (sys->board.arch.iommu_path[0])
		fprintf(f, "# The board's AMD IOMMU: scripts/qemu.py adds -device amd-iommu.\nBH_X86_IOMMU := amd\n");
}

void be_emit_c_system(FILE *f, const struct bh_system *sys)
{
	const struct bh_arch_board *a = &sys->board.arch;

	fprintf(f, "\t.arch = {\n\t\t.ioapic = { .mmio = { .base = 0x%llx, .size = 0x%llx }, .gsi_base = 0, .pins = %u },\n",
		ULL(a->ioapic.base), ULL(a->ioapic.size), a->has_ioapic ? a->ioapic_pins : 0u);
	if (a->iommu_path[0])
		fprintf(f, "\t\t.iommu = { .base = 0x%llx, .size = 0x%llx },\n\t\t.iommu_kind = %s,\n", ULL(a->iommu.base),
			ULL(a->iommu.size), a->iommu_vtd ? "CFG_X86_IOMMU_VTD" : "CFG_X86_IOMMU_AMD");
	fprintf(f, "\t},\n");
}

void be_emit_c_cpu(FILE *f, const struct bh_cpu *cpu)
{
	fprintf(f, ".arch = { .apic_id = %u }", cpu->arch.apic_id);
}

void be_emit_c_partition(FILE *f, const struct bh_partition *p)
{
	const struct bh_arch_partition *a = &p->arch;

	fprintf(f, "\t\t.arch = { .n_port_ranges = %u", a->n_port_ranges);
	for (unsigned i = 0; i < a->n_port_ranges; i++)
		fprintf(f, "%s { .base = 0x%x, .count = 0x%x }", i ? "," : ", .port_ranges = {",
			a->port_ranges[i].base, a->port_ranges[i].count);
	fprintf(f, "%s", a->n_port_ranges ? " }" : "");
	x86_pci_emit_c(f, a);
	fprintf(f, " },\n");
}

const char *be_cpu_id_text(const struct bh_cpu *cpu, char *buf, size_t len)
{
	snprintf(buf, len, "%u", cpu->arch.apic_id);
	return buf;
}

void be_report_board(FILE *f, const struct bh_system *sys)
{
	fprintf(f, "| Interrupt controller | I/O APIC at 0x%llx (mediated: each partition programs only its own pins); x2APIC |\n",
		ULL(sys->board.arch.ioapic.base));
}

void be_report_pools(FILE *f, const struct bh_system *sys)
{
	fprintf(f, "| Nested page tables | %u pool pages (the pool has exactly these) |\n", sys->s2_pages);
}

void be_report_partition(FILE *f, const struct bh_partition *p)
{
	const struct bh_arch_partition *a = &p->arch;

	fprintf(f, "| I/O ports | ");
	if (!a->n_port_ranges)
		fprintf(f, "none (every port traps and is refused)");
	for (unsigned i = 0; i < a->n_port_ranges; i++)
		fprintf(f, "%s0x%x-0x%x", i ? ", " : "", a->port_ranges[i].base,
			a->port_ranges[i].base + a->port_ranges[i].count - 1u);
	fprintf(f, " |\n");
	x86_pci_report(f, a);
	fprintf(f, "| Nested page-table pages | %u |\n", p->s2_pages);
}

void be_report_irqc(FILE *f, const struct bh_system *sys)
{
	const struct bh_range *r = &sys->board.arch.ioapic;

	fprintf(f, "| `%s` | I/O APIC | 0x%llx-0x%llx | - | hypervisor |\n", sys->board.irqc_path, ULL(r->base),
		ULL(r->base + (r->size - 1)));
}

unsigned be_report_risks(FILE *f, const struct bh_system *sys)
{
	(void)f;
	(void)sys;
	return 0;
}
