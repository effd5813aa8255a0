/* SPDX-License-Identifier: MIT */
/*
 * The device tree an OS guest boots with: only what the partition owns,
 * at the addresses it sees. Interrupts use the standard 3-cell GIC binding
 * so that unmodified kernels can read it.
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "backend.h"
#include "cfg.h"

#define GIC_PHANDLE 1
#define DTB_FREE_SPACE 512                  /* room for a boot loader's /chosen edits */
#define GIC_SPI 0
#define IRQ_LEVEL_HIGH 4

#define TRY(x)                          \
	do {                            \
		int err_ = (x);         \
		if (err_ < 0)           \
			return err_;    \
	} while (0)

static int prop_ranges(void *fdt, const char *name, const struct bh_range *r, unsigned n)
{
	fdt32_t cells[4 * BHCC_MAX_DEV_REGS];

	for (unsigned i = 0; i < n; i++) {
		cells[4 * i + 0] = cpu_to_fdt32((uint32_t)(r[i].base >> 32));
		cells[4 * i + 1] = cpu_to_fdt32((uint32_t)r[i].base);
		cells[4 * i + 2] = cpu_to_fdt32((uint32_t)(r[i].size >> 32));
		cells[4 * i + 3] = cpu_to_fdt32((uint32_t)r[i].size);
	}
	return fdt_property(fdt, name, cells, (int)(n * 4 * sizeof(fdt32_t)));
}

static int node_at(void *fdt, const char *base, uint64_t addr)
{
	char name[64];

	snprintf(name, sizeof(name), "%s@%llx", base, (unsigned long long)addr);
	return fdt_begin_node(fdt, name);
}

static int add_memory(void *fdt, const struct bh_partition *p)
{
	for (unsigned i = 0; i < p->n_ram; i++) {
		struct bh_range r = { p->regions[i].ipa, p->regions[i].size };

		TRY(node_at(fdt, "memory", r.base));
		TRY(fdt_property_string(fdt, "device_type", "memory"));
		TRY(prop_ranges(fdt, "reg", &r, 1));
		TRY(fdt_end_node(fdt));
	}
	return 0;
}

static int add_cpus(void *fdt, const struct bh_partition *p)
{
	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", 1));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned i = 0; i < p->n_vcpus; i++) {
		TRY(node_at(fdt, "cpu", i));
		TRY(fdt_property_string(fdt, "device_type", "cpu"));
		TRY(fdt_property_string(fdt, "compatible", "arm,armv8"));
		TRY(fdt_property_u32(fdt, "reg", i));
		TRY(fdt_property_string(fdt, "enable-method", "psci"));
		TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int add_psci(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";

	TRY(fdt_begin_node(fdt, "psci"));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(fdt_property_string(fdt, "method", "hvc"));
	return fdt_end_node(fdt);
}

static int add_gic(void *fdt, const struct bh_gic *g, const struct bh_partition *p)
{
	struct bh_range r[2] = { g->dist };

	TRY(node_at(fdt, "interrupt-controller", g->dist.base));
	if (g->version == 3) {
		r[1] = (struct bh_range){ g->redist.base, ARM64_GICR_FRAME_SIZE * p->n_vcpus };
		TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	} else {
		r[1] = (struct bh_range){ g->cpu.base, ARM64_GICV2_CPUIF_SIZE };
		TRY(fdt_property_string(fdt, "compatible", "arm,cortex-a15-gic"));
	}
	TRY(prop_ranges(fdt, "reg", r, 2));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
	/* No interrupt-map below it; dtc and Linux expect the property on a provider. */
	TRY(fdt_property_u32(fdt, "#address-cells", 0));
	TRY(fdt_property_u32(fdt, "phandle", GIC_PHANDLE));
	return fdt_end_node(fdt);
}

static int add_timer(void *fdt)
{
	/* Secure, non-secure, virtual and hypervisor timer PPIs, as on every Armv8 board. */
	static const uint32_t ppis[] = { 13, 14, 11, 10 };
	fdt32_t cells[12];

	for (unsigned i = 0; i < 4; i++) {
		cells[3 * i + 0] = cpu_to_fdt32(1);
		cells[3 * i + 1] = cpu_to_fdt32(ppis[i]);
		cells[3 * i + 2] = cpu_to_fdt32(0xf08);
	}
	TRY(fdt_begin_node(fdt, "timer"));
	TRY(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	TRY(fdt_property(fdt, "interrupts", cells, sizeof(cells)));
	return fdt_end_node(fdt);
}

static int add_device(void *fdt, const struct bh_device *d)
{
	fdt32_t cells[3 * BHCC_MAX_DEV_IRQS];

	TRY(fdt_begin_node(fdt, d->name));
	TRY(fdt_property(fdt, "compatible", d->compatible, (int)d->compatible_len));
	TRY(prop_ranges(fdt, "reg", d->regs, d->n_regs));
	if (d->n_irqs) {
		for (unsigned i = 0; i < d->n_irqs; i++) {
			cells[3 * i + 0] = cpu_to_fdt32(GIC_SPI);
			cells[3 * i + 1] = cpu_to_fdt32(d->irqs[i] - ARM64_FIRST_SPI);
			cells[3 * i + 2] = cpu_to_fdt32(IRQ_LEVEL_HIGH);
		}
		TRY(fdt_property(fdt, "interrupts", cells, (int)(d->n_irqs * 3 * sizeof(fdt32_t))));
	}
	if (d->has_reg_shift)
		TRY(fdt_property_u32(fdt, "reg-shift", d->reg_shift));
	if (d->has_reg_io_width)
		TRY(fdt_property_u32(fdt, "reg-io-width", d->reg_io_width));
	return fdt_end_node(fdt);
}

/* Shared memory is not RAM the guest may allocate from: a node of its own, read-only when it is. */
static int add_shared(void *fdt, const struct bh_system *sys, const struct bh_partition *p)
{
	for (unsigned i = 0; i < p->n_regions; i++) {
		const struct bh_region *r = &p->regions[i];
		struct bh_range reg = { r->ipa, r->size };

		if (r->kind != CFG_REGION_SHARED)
			continue;
		TRY(node_at(fdt, "shared-memory", r->ipa));
		TRY(fdt_property_string(fdt, "compatible", "bulkhead,shared-memory"));
		TRY(prop_ranges(fdt, "reg", &reg, 1));
		TRY(fdt_property_string(fdt, "label", sys->shared[r->shared].name));
		if ((r->access & CFG_ACCESS_W) == 0)
			TRY(fdt_property(fdt, "read-only", NULL, 0));
		TRY(fdt_end_node(fdt));
	}
	return 0;
}

int be_guest_desc_build(const struct bh_system *sys, const struct bh_partition *p, void *buf, int bufsize)
{
	void *fdt = buf;
	int size;

	TRY(fdt_create(fdt, bufsize));
	TRY(fdt_finish_reservemap(fdt));
	TRY(fdt_begin_node(fdt, ""));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(fdt_property_string(fdt, "compatible", "bulkhead,partition"));
	TRY(fdt_property_string(fdt, "model", p->name));
	TRY(fdt_property_u32(fdt, "interrupt-parent", GIC_PHANDLE));
	TRY(fdt_begin_node(fdt, "chosen"));
	if (p->has_bootargs)
		TRY(fdt_property_string(fdt, "bootargs", p->bootargs));
	TRY(fdt_end_node(fdt));
	TRY(add_memory(fdt, p));
	TRY(add_cpus(fdt, p));
	TRY(add_psci(fdt));
	TRY(add_gic(fdt, &sys->board.arch.gic, p));
	TRY(add_timer(fdt));
	for (unsigned i = 0; i < p->n_devices; i++)
		TRY(add_device(fdt, &sys->board.devices[p->devices[i]]));
	TRY(add_shared(fdt, sys, p));
	TRY(fdt_end_node(fdt));
	TRY(fdt_finish(fdt));
	size = (int)fdt_totalsize(fdt) + DTB_FREE_SPACE;
	if (size > bufsize)
		return -FDT_ERR_NOSPACE;
	TRY(fdt_open_into(fdt, fdt, size));
	return size;
}

/* The guest device tree has these at its root; a passed-through device must not clash. */
void be_check_guest_desc(struct bh_ctx *c, const struct bh_partition *p)
{
	static const char *const reserved[] = { "chosen", "cpus", "psci", "timer" };

	for (unsigned k = 0; k < p->n_devices; k++) {
		const struct bh_device *d = &c->sys->board.devices[p->devices[k]];
		const char *at = strchr(d->name, '@');
		size_t base = at ? (size_t)(at - d->name) : strlen(d->name);
		bool clash = (base == 6 && strncmp(d->name, "memory", 6) == 0) ||
			     (base == 13 && strncmp(d->name, "shared-memory", 13) == 0) ||
			     strncmp(d->name, "interrupt-controller@", 21) == 0;

		for (unsigned i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
			clash = clash || strcmp(d->name, reserved[i]) == 0;
		if (clash)
			diag_error(c->diag, p->path, "devices",
				   "node name '%s' of %s clashes with a node of the generated guest device tree; rename the board node",
				   d->name, d->path);
	}
}
