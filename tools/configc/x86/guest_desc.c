/* SPDX-License-Identifier: MIT */
/*
 * The description an x86 partition finds at ESI (its dtb-address): a
 * flattened device tree with what the partition runtime reads on every
 * architecture (/chosen's bootargs, shared memory, channels with their
 * doorbells), the partition's I/O-port devices (their ports, marked
 * bulkhead,io-ports, and their GSIs, the I/O APIC pins it owns), and for the
 * service partition every partition's name (/chosen/bulkhead,partitions).
 * The nodes are those of arm64's tree (tools/configc/arm64/guest_dtb.c)
 * without interrupt specifiers: a doorbell is a vector, in bulkhead,doorbell.
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "backend.h"
#include "cfg.h"
#include "linux_boot.h"

#define DTB_FREE_SPACE 512   /* room for /chosen edits, as on arm64 */
#define FIRST_VECTOR 32u     /* 0-31 are exceptions */

#define TRY(x)                          \
	do {                            \
		int err_ = (x);         \
		if (err_ < 0)           \
			return err_;    \
	} while (0)

static const char *const channel_kinds[] = { "data", "console", "log", "disk" };

static int begin_node_at(void *fdt, const char *base, uint64_t addr, uint64_t size)
{
	char name[64];
	fdt64_t reg[2] = { cpu_to_fdt64(addr), cpu_to_fdt64(size) };

	snprintf(name, sizeof(name), "%s@%llx", base, (unsigned long long)addr);
	TRY(fdt_begin_node(fdt, name));
	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

static int add_shared(void *fdt, const struct bh_system *sys, const struct bh_partition *p)
{
	for (unsigned i = 0; i < p->n_regions; i++) {
		const struct bh_region *r = &p->regions[i];

		if (r->shared < 0)
			continue;
		TRY(begin_node_at(fdt, "shared-memory", r->ipa, r->size));
		TRY(fdt_property_string(fdt, "compatible", "bulkhead,shared-memory"));
		TRY(fdt_property_string(fdt, "label", sys->shared[r->shared].name));
		if ((r->access & CFG_ACCESS_W) == 0)
			TRY(fdt_property(fdt, "read-only", NULL, 0));
		TRY(fdt_end_node(fdt));
	}
	return 0;
}

/* Implements: REQ-CHN-008 */
static int add_channel(void *fdt, const struct bh_system *sys, unsigned ci, unsigned end)
{
	const struct bh_channel *ch = &sys->channels[ci];
	const struct bh_chan_end *e = &ch->end[end];
	const struct bh_chan_end *peer = &ch->end[1u - end];

	TRY(begin_node_at(fdt, "channel", e->ipa, ch->size));
	TRY(fdt_property_string(fdt, "compatible", "bulkhead,channel"));
	TRY(fdt_property_string(fdt, "label", ch->kind == CFG_CHANNEL_DATA ? ch->name : channel_kinds[ch->kind]));
	TRY(fdt_property_u32(fdt, "bulkhead,channel-id", ci));
	TRY(fdt_property_u32(fdt, "bulkhead,end", end));
	TRY(fdt_property_string(fdt, "bulkhead,kind", channel_kinds[ch->kind]));
	if (ch->one_way)
		TRY(fdt_property(fdt, "bulkhead,one-way", NULL, 0));
	TRY(fdt_property_string(fdt, "bulkhead,peer",
				peer->partition >= 0 ? sys->partitions[peer->partition].name : BHCC_HYP_NAME));
	TRY(fdt_property_u32(fdt, "bulkhead,peer-id",
			     peer->partition >= 0 ? (uint32_t)peer->partition : CFG_NO_PARTITION));
	if (e->has_doorbell)
		TRY(fdt_property_u32(fdt, "bulkhead,doorbell", e->doorbell));
	return fdt_end_node(fdt);
}

static int add_channels(void *fdt, const struct bh_system *sys, const struct bh_partition *p)
{
	int pi = (int)(p - sys->partitions);

	for (unsigned i = 0; i < sys->n_channels; i++)
		for (unsigned k = 0; k < 2; k++)
			if (sys->channels[i].end[k].kind == CFG_END_PARTITION && sys->channels[i].end[k].partition == pi &&
			    sys->channels[i].end[k].valid)
				TRY(add_channel(fdt, sys, i, k));
	return 0;
}

/* A device of the partition at I/O ports: `reg` = <0 first-port 0 ports>, `interrupts` = <GSI>. */
/* Implements: REQ-XARCH-017 */
static int add_port_devices(void *fdt, const struct bh_system *sys, const struct bh_partition *p)
{
	for (unsigned k = 0; k < p->n_devices; k++) {
		const struct bh_device *d = &sys->board.devices[p->devices[k]];

		if (!d->ports || d->n_regs == 0)
			continue;
		TRY(begin_node_at(fdt, "io", d->regs[0].base, d->regs[0].size));
		TRY(fdt_property(fdt, "compatible", d->compatible, (int)d->compatible_len));
		TRY(fdt_property(fdt, "bulkhead,io-ports", NULL, 0));
		if (d->n_irqs)
			TRY(fdt_property_u32(fdt, "interrupts", d->irqs[0]));
		TRY(fdt_end_node(fdt));
	}
	return 0;
}

/* The service partition names every partition, by id, for its prompt and prefixes. */
/* Implements: REQ-XARCH-018 */
static int add_partition_names(void *fdt, const struct bh_system *sys)
{
	char names[BHCC_MAX_PARTITIONS * (BHCC_NAME_MAX + 1)];
	int len = 0;

	for (unsigned i = 0; i < sys->n_partitions; i++) {
		size_t n = strlen(sys->partitions[i].name) + 1;

		memcpy(names + len, sys->partitions[i].name, n);
		len += (int)n;
	}
	return fdt_property(fdt, "bulkhead,partitions", names, len);
}

int be_guest_desc_build(const struct bh_system *sys, const struct bh_partition *p, void *buf, int bufsize)
{
	void *fdt = buf;
	struct x86_bz bz;
	int size;

	if (!p->program[0] && x86_bz_read(p->image_file, &bz) && bz.has_hdrs)
		return x86_linux_blob(sys, p, &bz, buf, bufsize);

	TRY(fdt_create(fdt, bufsize));
	TRY(fdt_finish_reservemap(fdt));
	TRY(fdt_begin_node(fdt, ""));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(fdt_property_string(fdt, "compatible", "bulkhead,partition"));
	TRY(fdt_property_string(fdt, "model", p->name));
	TRY(fdt_begin_node(fdt, "chosen"));
	if (p->has_bootargs)
		TRY(fdt_property_string(fdt, "bootargs", p->bootargs));
	if (p->service)
		TRY(add_partition_names(fdt, sys));
	TRY(fdt_end_node(fdt));
	TRY(add_port_devices(fdt, sys, p));
	TRY(add_shared(fdt, sys, p));
	TRY(add_channels(fdt, sys, p));
	TRY(fdt_end_node(fdt));
	TRY(fdt_finish(fdt));
	size = (int)fdt_totalsize(fdt) + DTB_FREE_SPACE;
	if (size > bufsize)
		return -FDT_ERR_NOSPACE;
	TRY(fdt_open_into(fdt, fdt, size));
	return size;
}

/* Its device nodes are named io@<port>, channels channel@<address>: no clash is possible; a bzImage's own checks. */
void be_check_guest_desc(struct bh_ctx *c, struct bh_partition *p)
{
	x86_linux_check(c, p);
}

/* A doorbell is a vector the hypervisor raises in the vCPU (arch/x86/vintr.c): 32-255, an edge. */
bool be_doorbell_valid(struct bh_ctx *c, const struct bh_partition *p, const char *path, const char *prop,
		       uint32_t irq, bool level)
{
	(void)p;
	if (irq < FIRST_VECTOR || irq > 255u) {
		diag_error(c->diag, path, prop, "%u is not a vector x86 Bulkhead raises (32..255; 0-31 are exceptions)",
			   irq);
		return false;
	}
	if (level) {
		diag_error(c->diag, path, prop, "%u: an x86 doorbell is an edge (a raised vector), not level-triggered",
			   irq);
		return false;
	}
	return true;
}
