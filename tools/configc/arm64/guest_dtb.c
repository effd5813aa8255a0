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
#define UART_CLOCK_PHANDLE 2
#define DISK_POOL_PHANDLE 3
#define UART_CLOCK_HZ 24000000u             /* what QEMU's and most boards' PL011 clocks run at */
#define DTB_FREE_SPACE 512                  /* room for a boot loader's /chosen edits */
#define GIC_SPI 0
#define IRQ_LEVEL_HIGH 4
#define IRQ_EDGE_RISING 1

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

/* The service partition serves disks: it gives the real device host addresses (no IOMMU between). */
static bool serves_disks(const struct bh_system *sys, const struct bh_partition *p)
{
	for (unsigned i = 0; p->service && i < sys->n_channels; i++)
		if (sys->channels[i].kind == CFG_CHANNEL_DISK)
			return true;
	return false;
}

/* Implements: REQ-LNX-003 */
static int add_memory(void *fdt, const struct bh_system *sys, const struct bh_partition *p)
{
	for (unsigned i = 0; i < p->n_ram; i++) {
		struct bh_range r = { p->regions[i].ipa, p->regions[i].size };

		TRY(node_at(fdt, "memory", r.base));
		TRY(fdt_property_string(fdt, "device_type", "memory"));
		TRY(prop_ranges(fdt, "reg", &r, 1));
		if (serves_disks(sys, p))
			TRY(fdt_property_u64(fdt, "bulkhead,host-address", p->regions[i].pa));
		TRY(fdt_end_node(fdt));
	}
	return 0;
}

/* Implements: REQ-LNX-001 */
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

/* Implements: REQ-LNX-001 */
static int add_psci(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";

	TRY(fdt_begin_node(fdt, "psci"));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(fdt_property_string(fdt, "method", "hvc"));
	return fdt_end_node(fdt);
}

/* Implements: REQ-LNX-001, REQ-LNX-003 */
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

/* Implements: REQ-LNX-001 */
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

/* An AMBA (PrimeCell) device: Linux's AMBA bus enables its apb_pclk before it reads the ID registers. */
/* Implements: REQ-LNX-006 */
static bool is_primecell(const struct bh_device *d)
{
	static const char want[] = "arm,primecell";

	for (size_t i = 0; i < d->compatible_len; i += strlen(d->compatible + i) + 1) {
		if (strcmp(d->compatible + i, want) == 0)
			return true;
	}
	return false;
}

/* The fixed clock of the emulated PL011 and of passed-through PrimeCells, when there is one. */
/* Implements: REQ-LNX-006 */
static int add_apb_pclk(void *fdt, const struct bh_system *sys, const struct bh_partition *p)
{
	bool needed = p->console == CFG_CONSOLE_PL011 && p->console_channel >= 0;

	for (unsigned i = 0; i < p->n_devices; i++)
		needed = needed || is_primecell(&sys->board.devices[p->devices[i]]);
	if (!needed)
		return 0;
	TRY(fdt_begin_node(fdt, "apb-pclk"));
	TRY(fdt_property_string(fdt, "compatible", "fixed-clock"));
	TRY(fdt_property_u32(fdt, "#clock-cells", 0));
	TRY(fdt_property_u32(fdt, "clock-frequency", UART_CLOCK_HZ));
	TRY(fdt_property_string(fdt, "clock-output-names", "clk24mhz"));
	TRY(fdt_property_u32(fdt, "phandle", UART_CLOCK_PHANDLE));
	return fdt_end_node(fdt);
}

/* Implements: REQ-LNX-003 */
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
	if (is_primecell(d)) {
		TRY(fdt_property_u32(fdt, "clocks", UART_CLOCK_PHANDLE));
		TRY(fdt_property_string(fdt, "clock-names", "apb_pclk"));
	}
	return fdt_end_node(fdt);
}

/* Shared memory is not RAM the guest may allocate from: a node of its own, read-only when it is. */
static int add_shared(void *fdt, const struct bh_system *sys, const struct bh_partition *p)
{
	for (unsigned i = 0; i < p->n_regions; i++) {
		const struct bh_region *r = &p->regions[i];
		struct bh_range reg = { r->ipa, r->size };

		if (r->shared < 0)
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

static const char *const channel_kinds[] = { "data", "console", "log", "disk" };

/* The name and id of what sits at the other end, as the partition at @end sees it. */
static void peer_of(const struct bh_system *sys, const struct bh_channel *ch, unsigned end, const char **name,
		    uint32_t *id)
{
	const struct bh_chan_end *peer = &ch->end[1u - end];

	/* An emulated UART's hypervisor end speaks for its partition. */
	if (peer->partition >= 0) {
		*name = sys->partitions[peer->partition].name;
		*id = (uint32_t)peer->partition;
	} else {
		*name = BHCC_HYP_NAME;
		*id = CFG_NO_PARTITION;
	}
}

static void cells_u64(fdt32_t *cells, uint64_t v)
{
	cells[0] = cpu_to_fdt32((uint32_t)(v >> 32));
	cells[1] = cpu_to_fdt32((uint32_t)v);
}

/*
 * What the service partition needs to serve client @p (docs/disk.md): its
 * slice, and where the client's addresses are in the service partition's
 * space: bulkhead,client-ranges = <client-address service-address size>...
 * (2 cells each): the window, or in trusted-service mode the client's RAM.
 */
static int add_disk_service_props(void *fdt, const struct bh_system *sys, const struct bh_partition *p)
{
	const struct bh_disk_client *k = &sys->disks[p->disk].clients[p->disk_client];
	const struct bh_partition *svc = &sys->partitions[sys->service];
	fdt32_t cells[6 * BHCC_MAX_REGIONS];
	unsigned n = 0;

	TRY(fdt_property_string(fdt, "bulkhead,disk", sys->disks[p->disk].name));
	TRY(fdt_property_u64(fdt, "bulkhead,lba", k->lba));
	TRY(fdt_property_u64(fdt, "bulkhead,sectors", k->sectors));
	TRY(fdt_property_string(fdt, "bulkhead,mode", k->mode == BH_DISK_WINDOW ? "window" : "trusted-service"));
	if (k->mode == BH_DISK_WINDOW) {
		cells_u64(&cells[0], k->client_window);
		cells_u64(&cells[2], k->service_window);
		cells_u64(&cells[4], sys->shared[k->window].size);
		n = 1;
	} else {
		for (unsigned i = 0; i < svc->n_regions && n < BHCC_MAX_REGIONS; i++) {
			const struct bh_region *r = &svc->regions[i];

			if (!r->lent || r->lent_from != (int)(p - sys->partitions))
				continue;
			cells_u64(&cells[6 * n], p->regions[r->lent_region].ipa);
			cells_u64(&cells[6 * n + 2], r->ipa);
			cells_u64(&cells[6 * n + 4], r->size);
			n++;
		}
	}
	return fdt_property(fdt, "bulkhead,client-ranges", cells, (int)(n * 6 * sizeof(fdt32_t)));
}

/* A disk client's virtio-mmio device (the hypervisor emulates it); in window mode, where buffers must be. */
static int add_disk(void *fdt, const struct bh_system *sys, const struct bh_partition *p)
{
	const struct bh_disk_client *k = &sys->disks[p->disk].clients[p->disk_client];
	struct bh_range reg = { k->address, 0x1000 };
	fdt32_t irq[3] = { cpu_to_fdt32(GIC_SPI), cpu_to_fdt32(k->irq - ARM64_FIRST_SPI), cpu_to_fdt32(IRQ_EDGE_RISING) };

	TRY(node_at(fdt, "virtio_mmio", k->address));
	TRY(fdt_property_string(fdt, "compatible", "virtio,mmio"));
	TRY(prop_ranges(fdt, "reg", &reg, 1));
	if (k->irq >= ARM64_FIRST_SPI)
		TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	TRY(fdt_property_u32(fdt, "bulkhead,interrupt", k->irq));
	if (k->mode == BH_DISK_WINDOW) {
		struct bh_range w = { k->client_window, sys->shared[k->window].size };

		TRY(prop_ranges(fdt, "bulkhead,window", &w, 1));
		TRY(fdt_property_u32(fdt, "memory-region", DISK_POOL_PHANDLE));
	}
	return fdt_end_node(fdt);
}

/*
 * Window mode: the window is also a restricted DMA pool, the device's
 * memory-region, so that a Linux built with CONFIG_DMA_RESTRICTED_POOL
 * bounces its virtio buffers there (it negotiates VIRTIO_F_ACCESS_PLATFORM,
 * which the device insists on).
 */
static int add_disk_pool(void *fdt, const struct bh_system *sys, const struct bh_partition *p)
{
	const struct bh_disk_client *k = &sys->disks[p->disk].clients[p->disk_client];
	struct bh_range w = { k->client_window, sys->shared[k->window].size };

	TRY(fdt_begin_node(fdt, "reserved-memory"));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(fdt_property(fdt, "ranges", NULL, 0));
	TRY(node_at(fdt, "restricted-dma", w.base));
	TRY(fdt_property_string(fdt, "compatible", "restricted-dma-pool"));
	TRY(prop_ranges(fdt, "reg", &w, 1));
	TRY(fdt_property_u32(fdt, "phandle", DISK_POOL_PHANDLE));
	TRY(fdt_end_node(fdt));
	return fdt_end_node(fdt);
}

/* Implements: REQ-CHN-008 */
static int add_channel_node(void *fdt, const struct bh_system *sys, unsigned ci, unsigned end)
{
	const struct bh_channel *ch = &sys->channels[ci];
	const struct bh_chan_end *e = &ch->end[end];
	struct bh_range reg = { e->ipa, ch->size };
	const char *peer;
	uint32_t peer_id;

	peer_of(sys, ch, end, &peer, &peer_id);
	TRY(node_at(fdt, "channel", e->ipa));
	TRY(fdt_property_string(fdt, "compatible", "bulkhead,channel"));
	TRY(prop_ranges(fdt, "reg", &reg, 1));
	TRY(fdt_property_string(fdt, "label", ch->kind == CFG_CHANNEL_DATA ? ch->name : channel_kinds[ch->kind]));
	TRY(fdt_property_u32(fdt, "bulkhead,channel-id", ci));
	TRY(fdt_property_u32(fdt, "bulkhead,end", end));
	TRY(fdt_property_string(fdt, "bulkhead,kind", channel_kinds[ch->kind]));
	if (ch->one_way)
		TRY(fdt_property(fdt, "bulkhead,one-way", NULL, 0));
	TRY(fdt_property_string(fdt, "bulkhead,peer", peer));
	TRY(fdt_property_u32(fdt, "bulkhead,peer-id", peer_id));
	if (ch->kind == CFG_CHANNEL_DISK && end == 1)
		TRY(add_disk_service_props(fdt, sys, &sys->partitions[ch->end[0].partition]));
	if (e->has_doorbell) {
		TRY(fdt_property_u32(fdt, "bulkhead,doorbell", e->doorbell));
		if (e->doorbell >= ARM64_FIRST_SPI) {
			fdt32_t cells[3] = { cpu_to_fdt32(GIC_SPI), cpu_to_fdt32(e->doorbell - ARM64_FIRST_SPI),
					     cpu_to_fdt32(IRQ_EDGE_RISING) };

			TRY(fdt_property(fdt, "interrupts", cells, sizeof(cells)));
		}
	}
	return fdt_end_node(fdt);
}

/* Every channel end this partition is, in channel order. */
/* Implements: REQ-CHN-008 */
static int add_channels(void *fdt, const struct bh_system *sys, const struct bh_partition *p)
{
	int pi = (int)(p - sys->partitions);

	for (unsigned i = 0; i < sys->n_channels; i++)
		for (unsigned k = 0; k < 2; k++)
			if (sys->channels[i].end[k].kind == CFG_END_PARTITION && sys->channels[i].end[k].partition == pi &&
			    sys->channels[i].end[k].valid)
				TRY(add_channel_node(fdt, sys, i, k));
	return 0;
}

/* The emulated PL011: what Linux's amba-pl011 driver and earlycon look for. */
/* Implements: REQ-LNX-002, REQ-LNX-006 */
static int add_uart(void *fdt, const struct bh_partition *p)
{
	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	struct bh_range reg = { p->console_address, 0x1000 };
	fdt32_t irq[3] = { cpu_to_fdt32(GIC_SPI), cpu_to_fdt32(p->console_irq - ARM64_FIRST_SPI),
			   cpu_to_fdt32(IRQ_LEVEL_HIGH) };
	fdt32_t clocks[2] = { cpu_to_fdt32(UART_CLOCK_PHANDLE), cpu_to_fdt32(UART_CLOCK_PHANDLE) };

	TRY(node_at(fdt, "serial", p->console_address));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(prop_ranges(fdt, "reg", &reg, 1));
	TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	TRY(fdt_property(fdt, "clocks", clocks, sizeof(clocks)));
	TRY(fdt_property(fdt, "clock-names", clock_names, sizeof(clock_names)));
	return fdt_end_node(fdt);
}

/* The service partition names every partition, by id, for its prompt and prefixes. */
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

/* Zeros the hypervisor replaces with fresh entropy at every boot, or removes (core/seed.c). */
static int add_seed_placeholders(void *fdt)
{
	static const uint8_t zeros[CFG_RNG_SEED_SIZE];

	TRY(fdt_property(fdt, "kaslr-seed", zeros, 8));
	return fdt_property(fdt, "rng-seed", zeros, CFG_RNG_SEED_SIZE);
}

/* Implements: REQ-LNX-002 */
static int add_chosen(void *fdt, const struct bh_system *sys, const struct bh_partition *p)
{
	char path[64];

	TRY(fdt_begin_node(fdt, "chosen"));
	if (p->has_bootargs)
		TRY(fdt_property_string(fdt, "bootargs", p->bootargs));
	if (p->has_initrd) {
		TRY(fdt_property_u64(fdt, "linux,initrd-start", p->initrd_ipa));
		TRY(fdt_property_u64(fdt, "linux,initrd-end", p->initrd_ipa + p->initrd_size));
	}
	if (p->console == CFG_CONSOLE_PL011) {
		snprintf(path, sizeof(path), "/serial@%llx", (unsigned long long)p->console_address);
		TRY(fdt_property_string(fdt, "stdout-path", path));
	}
	if (p->service)
		TRY(add_partition_names(fdt, sys));
	TRY(add_seed_placeholders(fdt));
	return fdt_end_node(fdt);
}

/* Implements: REQ-LNX-001 */
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
	TRY(add_chosen(fdt, sys, p));
	TRY(add_memory(fdt, sys, p));
	TRY(add_cpus(fdt, p));
	TRY(add_psci(fdt));
	TRY(add_gic(fdt, &sys->board.arch.gic, p));
	TRY(add_timer(fdt));
	TRY(add_apb_pclk(fdt, sys, p));
	for (unsigned i = 0; i < p->n_devices; i++)
		TRY(add_device(fdt, &sys->board.devices[p->devices[i]]));
	TRY(add_shared(fdt, sys, p));
	TRY(add_channels(fdt, sys, p));
	if (p->console == CFG_CONSOLE_PL011 && p->console_channel >= 0)
		TRY(add_uart(fdt, p));
	if (p->disk >= 0 && sys->disks[p->disk].clients[p->disk_client].channel >= 0) {
		if (sys->disks[p->disk].clients[p->disk_client].mode == BH_DISK_WINDOW)
			TRY(add_disk_pool(fdt, sys, p));
		TRY(add_disk(fdt, sys, p));
	}
	TRY(fdt_end_node(fdt));
	TRY(fdt_finish(fdt));
	size = (int)fdt_totalsize(fdt) + DTB_FREE_SPACE;
	if (size > bufsize)
		return -FDT_ERR_NOSPACE;
	TRY(fdt_open_into(fdt, fdt, size));
	return size;
}

/* The guest device tree has these at its root; a passed-through device must not clash. */
void be_check_guest_desc(struct bh_ctx *c, struct bh_partition *p)
{
	static const char *const reserved[] = { "chosen", "cpus", "psci", "timer", "apb-pclk", "reserved-memory" };
	char uart[64];

	for (unsigned k = 0; k < p->n_devices; k++) {
		const struct bh_device *d = &c->sys->board.devices[p->devices[k]];
		const char *at = strchr(d->name, '@');
		size_t base = at ? (size_t)(at - d->name) : strlen(d->name);
		bool clash = (base == 6 && strncmp(d->name, "memory", 6) == 0) ||
			     (base == 13 && strncmp(d->name, "shared-memory", 13) == 0) ||
			     (base == 7 && strncmp(d->name, "channel", 7) == 0) ||
			     strncmp(d->name, "interrupt-controller@", 21) == 0;

		for (unsigned i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
			clash = clash || strcmp(d->name, reserved[i]) == 0;
		snprintf(uart, sizeof(uart), "serial@%llx", (unsigned long long)p->console_address);
		clash = clash || (p->console == CFG_CONSOLE_PL011 && strcmp(d->name, uart) == 0);
		if (clash)
			diag_error(c->diag, p->path, "devices",
				   "node name '%s' of %s clashes with a node of the generated guest device tree; rename the board node",
				   d->name, d->path);
	}
}
