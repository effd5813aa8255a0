/* SPDX-License-Identifier: MIT */
/*
 * The isolation oracle (bhcc_oracle.h). It shares no code with bhcc: the
 * tables are read back from the generated C source line by line, in the one
 * format emit_c.c writes, and facts that config.c does not carry (the
 * console's interrupts, an accepted direct-delivery risk) come from the blob.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "bhcc_oracle.h"
#include "vmsa.h"

#define MAX_PARTS 64
#define MAX_REGIONS 48
#define MAX_CHANNELS 64
#define MAX_IRQS 64
#define MAX_CORES 64
#define SYM_MAX 40
#define LIMIT_39 (UINT64_C(1) << 39)
#define EL2_POOL_MAX 4096u

struct o_range {
	uint64_t base, size;
};

struct o_region {
	uint64_t ipa, pa, size;
	unsigned access;
	bool ram, shared;
	int channel;    /* the channel it maps (check_channel_pages), else -1 */
};

/* A channel as config.c gives it: kind 0 data, 1 console, 2 log, 3 disk. */
struct o_chan {
	char name[SYM_MAX];
	uint64_t pa, size;
	unsigned kind, n_ends;
	bool one_way;
	struct {
		bool hyp;
		int partition;      /* -1: none (the log's hypervisor end) */
		uint64_t ipa;
		uint64_t mapped;    /* bytes of it the partition's regions map */
	} end[2];
};

/* A /shared-memory region of the blob: who may map it where, with which rights. */
struct o_shm {
	char path[128];
	uint64_t size, host;
	bool has_host;
	unsigned n;
	struct {
		char part[SYM_MAX];
		uint64_t ipa;
		unsigned access;
		bool seen;      /* config.c has this mapping */
	} m[MAX_PARTS];
};

struct o_part {
	char name[SYM_MAX];
	uint64_t entry;
	unsigned n_vcpus, n_regions, n_irqs;
	char vcpu_sym[SYM_MAX], region_sym[SYM_MAX], irq_sym[SYM_MAX];
	struct o_range image, dtb;
	bool direct;
	bool service;           /* the blob's partition node has `service` */
};

/* Arrays as config.c declares them, looked up by their symbol when the partition table names them. */
struct o_array {
	char sym[SYM_MAX];
	unsigned n;
	uint64_t v[MAX_CORES];
	struct o_region r[MAX_REGIONS];
};

struct o_sys {
	struct o_range hyp, console, dist, redist, cpu, hyp_if, vcpu;   /* hyp and gic: from the blob */
	unsigned gic, n_parts, n_cpus, n_arrays;
	struct o_part parts[MAX_PARTS];
	struct {
		uint64_t mpidr;
		int partition;
		unsigned vcpu;
	} cpus[MAX_CORES];
	struct o_array arrays[3 * MAX_PARTS];
	unsigned n_chans;
	struct o_chan chans[MAX_CHANNELS];
	unsigned el2_pages, s2_pages;           /* isolation.md */
	unsigned el2_pool, s2_pool;             /* system.mk: what the hypervisor's pools hold */
};

static char problem[512];

static const char *fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	va_end(ap);
	return problem;
}

static struct o_array *array(struct o_sys *s, const char *sym)
{
	for (unsigned i = 0; i < s->n_arrays; i++)
		if (strcmp(s->arrays[i].sym, sym) == 0)
			return &s->arrays[i];
	return NULL;
}

/* "{ 1, 2, 3 };" after the '=' of an array line. */
static unsigned numbers(const char *p, uint64_t *out, unsigned max)
{
	unsigned n = 0;

	p = strchr(p, '{');
	while (p && n < max) {
		char *end;
		uint64_t v;

		p++;
		while (*p == ' ')
			p++;
		if (*p < '0' || *p > '9')
			break;
		v = strtoull(p, &end, 0);
		out[n++] = v;
		p = strchr(end, ',');
	}
	return n;
}

static unsigned access_bits(const char *line)
{
	return (strstr(line, "CFG_ACCESS_R") ? 1u : 0u) | (strstr(line, "CFG_ACCESS_W") ? 2u : 0u) |
	       (strstr(line, "CFG_ACCESS_X") ? 4u : 0u);
}

static bool mmio_line(const char *line, const char *field, struct o_range *r)
{
	char pat[64];
	unsigned long long b, z;

	snprintf(pat, sizeof(pat), ".%s = { .base = 0x%%llx, .size = 0x%%llx },", field);
	if (sscanf(line, pat, &b, &z) != 2)
		return false;
	*r = (struct o_range){ b, z };
	return true;
}

/* One line of the partition table, inside "{ ... }," of partition @p. */
static void partition_field(struct o_part *p, const char *l)
{
	unsigned long long a, b, c;
	unsigned u;
	char sym[SYM_MAX];

	if (sscanf(l, ".name = \"%39[^\"]\",", p->name) == 1) {
	} else if (sscanf(l, ".n_vcpus = %u,", &u) == 1) {
		p->n_vcpus = u;
	} else if (sscanf(l, ".vcpu_cpu = %39[^,],", sym) == 1) {
		snprintf(p->vcpu_sym, sizeof(p->vcpu_sym), "%s", sym);
	} else if (sscanf(l, ".entry = 0x%llx,", &a) == 1) {
		p->entry = a;
	} else if (sscanf(l, ".image = { .pa = %*[^,], .size = 0x%llx, .ipa = 0x%llx },", &b, &c) == 2) {
		p->image = (struct o_range){ c, b };
	} else if (sscanf(l, ".boot_info = { .pa = %*[^,], .size = 0x%llx, .ipa = 0x%llx },", &b, &c) == 2) {
		p->dtb = (struct o_range){ c, b };
	} else if (sscanf(l, ".n_regions = %u,", &u) == 1) {
		p->n_regions = u;
	} else if (sscanf(l, ".regions = %39[^,],", sym) == 1) {
		snprintf(p->region_sym, sizeof(p->region_sym), "%s", sym);
	} else if (sscanf(l, ".n_irqs = %u,", &u) == 1) {
		p->n_irqs = u;
	} else if (sscanf(l, ".irqs = %39[^,],", sym) == 1) {
		snprintf(p->irq_sym, sizeof(p->irq_sym), "%s", sym);
	} else if (strstr(l, ".irq_delivery = CFG_IRQ_DIRECT")) {
		p->direct = true;
	}
}

static void region_field(struct o_region *r, const char *l)
{
	unsigned long long v;

	if (sscanf(l, ".ipa = 0x%llx,", &v) == 1)
		r->ipa = v;
	else if (sscanf(l, ".pa = 0x%llx,", &v) == 1)
		r->pa = v;
	else if (sscanf(l, ".size = 0x%llx,", &v) == 1)
		r->size = v;
	else if (strncmp(l, ".access = ", 10) == 0)
		r->access = access_bits(l);
	else if (strncmp(l, ".kind = ", 8) == 0) {
		r->ram = strstr(l, "CFG_REGION_RAM") != NULL;
		r->shared = strstr(l, "CFG_REGION_SHARED") != NULL;
	}
}

static void system_field(struct o_sys *s, const char *l)
{
	unsigned long long b, z;

	if (sscanf(l, ".console = { .base = 0x%llx, .size = 0x%llx, .reg_shift = %*u, .reg_io_width = %*u },", &b,
		   &z) == 2) {
		s->console = (struct o_range){ b, z };
		return;
	}
	if (mmio_line(l, "dist", &s->dist) ||
	    mmio_line(l, "redist", &s->redist) || mmio_line(l, "cpu", &s->cpu) ||
	    mmio_line(l, "hyp", &s->hyp_if))
		return;
	mmio_line(l, "vcpu", &s->vcpu);
}

static void core_line(struct o_sys *s, const char *l)
{
	unsigned long long mpidr;
	unsigned part, vcpu;
	unsigned n = s->n_cpus;

	if (n == MAX_CORES)
		return;
	if (sscanf(l, "{ .partition = %u, .vcpu = %u, .arch = { .mpidr = 0x%llx } },", &part, &vcpu, &mpidr) == 3) {
		s->cpus[n].partition = (int)part;
	} else if (sscanf(l, "{ .partition = CFG_NO_PARTITION, .vcpu = %u, .arch = { .mpidr = 0x%llx } },", &vcpu,
			  &mpidr) == 2) {
		s->cpus[n].partition = -1;
	} else {
		return;
	}
	s->cpus[n].mpidr = mpidr;
	s->cpus[n].vcpu = vcpu;
	s->n_cpus++;
}

static int channel_partition(const char *v)
{
	return strcmp(v, "CFG_NO_PARTITION") == 0 ? -1 : (int)strtol(v, NULL, 0);
}

/* One line of a channel entry of bh_channels. */
static const char *channel_field(struct o_chan *c, const char *l)
{
	char kind[SYM_MAX], part[SYM_MAX], bell[SYM_MAX];
	unsigned long long v;
	unsigned u;

	if (strncmp(l, "{ .kind = ", 10) == 0) {
		if (c->n_ends == 2 || sscanf(l, "{ .kind = %39[^,], .partition = %39[^,], .vcpu = %u, .doorbell = %39[^,], "
					      ".ipa = 0x%llx },", kind, part, &u, bell, &v) != 5)
			return fail("config.c: channel %s: a third or malformed end", c->name);
		c->end[c->n_ends].hyp = strcmp(kind, "CFG_END_HYPERVISOR") == 0;
		c->end[c->n_ends].partition = channel_partition(part);
		c->end[c->n_ends].ipa = v;
		c->n_ends++;
	} else if (sscanf(l, ".name = \"%39[^\"]\",", c->name) == 1) {
	} else if (sscanf(l, ".pa = 0x%llx,", &v) == 1) {
		c->pa = v;
	} else if (sscanf(l, ".size = 0x%llx,", &v) == 1) {
		c->size = v;
	} else if (sscanf(l, ".one_way = %u,", &u) == 1) {
		c->one_way = u != 0;
	} else if (strncmp(l, ".kind = ", 8) == 0) {
		c->kind = strstr(l, "CFG_CHANNEL_DISK") ? 3u : strstr(l, "CFG_CHANNEL_LOG") ? 2u
			  : strstr(l, "CFG_CHANNEL_CONSOLE") ? 1u : 0u;
	}
	return NULL;
}

enum section { NONE, REGIONS, PARTITIONS, CORES, SYSTEM, CHANNELS };

static const char *parse_config(struct o_sys *s, FILE *f)
{
	char line[1024], sym[SYM_MAX];
	enum section sec = NONE;
	struct o_array *arr = NULL;
	struct o_region *reg = NULL;
	struct o_part *part = NULL;
	struct o_chan *chan = NULL;
	const char *e;

	while (fgets(line, sizeof(line), f)) {
		const char *l = line;

		while (*l == '\t')
			l++;
		if (strncmp(l, "/*", 2) == 0)
			continue;
		if (s->n_arrays < sizeof(s->arrays) / sizeof(s->arrays[0]) &&
		    (sscanf(l, "static const uint8_t %39[^[][] =", sym) == 1 ||
		     sscanf(l, "static const uint32_t %39[^[][] =", sym) == 1)) {
			struct o_array *a = &s->arrays[s->n_arrays++];

			snprintf(a->sym, sizeof(a->sym), "%s", sym);
			a->n = numbers(strchr(l, '='), a->v, MAX_CORES);
		} else if (s->n_arrays < sizeof(s->arrays) / sizeof(s->arrays[0]) &&
			   sscanf(l, "static const struct cfg_region %39[^[][] = {", sym) == 1) {
			arr = &s->arrays[s->n_arrays++];
			snprintf(arr->sym, sizeof(arr->sym), "%s", sym);
			sec = REGIONS;
		} else if (strncmp(l, "static const struct cfg_partition bh_partitions[] = {", 52) == 0) {
			sec = PARTITIONS;
		} else if (strncmp(l, "static const struct cfg_cpu bh_cpus[] = {", 41) == 0) {
			sec = CORES;
		} else if (strncmp(l, "static const struct cfg_channel bh_channels[] = {", 49) == 0) {
			sec = CHANNELS;
		} else if (sec == CHANNELS && strncmp(l, "{ /*", 4) == 0) {
			if (s->n_chans == MAX_CHANNELS)
				return fail("config.c: more than %d channels", MAX_CHANNELS);
			chan = &s->chans[s->n_chans++];
			memset(chan, 0, sizeof(*chan));
		} else if (sec == CHANNELS && chan && (e = channel_field(chan, l)) != NULL) {
			return e;
		} else if (strncmp(l, "const struct cfg_system cfg_system = {", 37) == 0) {
			sec = SYSTEM;
		} else if (strncmp(l, "};", 2) == 0 && line[0] == '}') {
			sec = NONE;
		} else if (sec == REGIONS && l[0] == '{') {
			if (arr->n == MAX_REGIONS)
				return fail("config.c: more than %d regions in %s", MAX_REGIONS, arr->sym);
			reg = &arr->r[arr->n++];
			memset(reg, 0, sizeof(*reg));
			reg->channel = -1;
		} else if (sec == REGIONS && reg && l[0] == '.') {
			region_field(reg, l);
		} else if (sec == PARTITIONS && l[0] == '{') {
			if (s->n_parts == MAX_PARTS)
				return fail("config.c: more than %d partitions", MAX_PARTS);
			part = &s->parts[s->n_parts++];
			memset(part, 0, sizeof(*part));
		} else if (sec == PARTITIONS && part && l[0] == '.') {
			partition_field(part, l);
		} else if (sec == CORES) {
			core_line(s, l);
		} else if (sec == SYSTEM && l[0] == '.') {
			system_field(s, l);
		}
	}
	return NULL;
}

static const char *parse_report(struct o_sys *s, FILE *f)
{
	char line[1024];
	bool el2 = false, s2 = false;

	while (fgets(line, sizeof(line), f)) {
		el2 = el2 || sscanf(line, "| EL2 map tables | %u pool pages", &s->el2_pages) == 1;
		s2 = s2 || sscanf(line, "| Stage-2 tables | %u pool pages", &s->s2_pages) == 1;
	}
	return el2 && s2 ? NULL : fail("isolation.md: no EL2 map or stage-2 table count");
}

static const char *parse_system_mk(struct o_sys *s, FILE *f)
{
	char line[1024];
	bool el2 = false, s2 = false;

	while (fgets(line, sizeof(line), f)) {
		el2 = el2 || sscanf(line, "BH_EL2_POOL_PAGES := %u", &s->el2_pool) == 1;
		s2 = s2 || sscanf(line, "BH_S2_POOL_PAGES := %u", &s->s2_pool) == 1;
	}
	if (!el2 || !s2)
		return fail("system.mk: no BH_S2_POOL_PAGES or BH_EL2_POOL_PAGES");
	if (s->el2_pool != s->el2_pages || s->s2_pool != s->s2_pages)
		return fail("system.mk sizes the pools %u and %u pages, isolation.md counts %u and %u", s->s2_pool,
			    s->el2_pool, s->s2_pages, s->el2_pages);
	return NULL;
}

static bool overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return as && bs && a < b + bs && b < a + as;
}

static bool inside(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a >= b && as <= bs && a - b <= bs - as;
}

/* Resolves each partition's arrays and checks their shape. */
static const char *link_partitions(struct o_sys *s, struct o_array **regions, struct o_array **vcpus,
				   struct o_array **irqs)
{
	for (unsigned i = 0; i < s->n_parts; i++) {
		struct o_part *p = &s->parts[i];

		regions[i] = array(s, p->region_sym);
		vcpus[i] = array(s, p->vcpu_sym);
		irqs[i] = p->n_irqs ? array(s, p->irq_sym) : NULL;
		if (!regions[i] || regions[i]->n != p->n_regions || !vcpus[i] || vcpus[i]->n != p->n_vcpus ||
		    (p->n_irqs && (!irqs[i] || irqs[i]->n != p->n_irqs)))
			return fail("%s: arrays disagree with the counts in its table", p->name);
		if (!p->n_vcpus || !p->n_regions)
			return fail("%s: no vCPU or no region", p->name);
	}
	return NULL;
}

static const char *check_cores(const struct o_sys *s, struct o_array *const *vcpus)
{
	uint64_t seen = 0;

	for (unsigned i = 0; i < s->n_parts; i++) {
		const struct o_part *p = &s->parts[i];
		uint64_t mask = 0;

		for (unsigned v = 0; v < p->n_vcpus; v++) {
			uint64_t core = vcpus[i]->v[v];

			if (core >= s->n_cpus || (mask >> core) & 1)
				return fail("%s: vCPU %u on core %" PRIu64 ", missing or twice", p->name, v, core);
			mask |= UINT64_C(1) << core;
			if (s->cpus[core].partition != (int)i || s->cpus[core].vcpu != v)
				return fail("%s: core %" PRIu64 " does not say it runs vCPU %u of it", p->name, core, v);
		}
		if (mask & seen)
			return fail("%s: a core of core mask 0x%" PRIx64 " is shared", p->name, mask);
		seen |= mask;
	}
	for (unsigned c = 0; c < s->n_cpus; c++)
		if (s->cpus[c].partition >= (int)s->n_parts || (s->cpus[c].partition >= 0 && !((seen >> c) & 1)))
			return fail("core %u names a partition that does not list it", c);
	return NULL;
}

/* The hypervisor's own ranges that no partition may map. */
static const char *check_not_hypervisor(const struct o_sys *s, const char *who, const struct o_region *r)
{
	const struct o_range own[] = { s->hyp, s->console, s->dist, s->redist, s->cpu, s->hyp_if };

	for (unsigned k = 0; k < sizeof(own) / sizeof(own[0]); k++)
		if (overlap(r->pa, r->size, own[k].base, own[k].size))
			return fail("%s: host range 0x%" PRIx64 "+0x%" PRIx64 " is the hypervisor's", who, r->pa,
				    r->size);
	return NULL;
}

static bool gicv2_cpu_interface(const struct o_sys *s, const struct o_region *r)
{
	return s->gic == 2 && !r->ram && !r->shared && r->pa == s->vcpu.base && r->ipa == s->cpu.base &&
	       r->size == 0x2000;
}

/* The service partition takes the hypervisor's console UART over (only it may). */
static bool service_console(const struct o_sys *s, const struct o_part *p, const struct o_region *r)
{
	return p->service && !r->ram && !r->shared && s->console.size && inside(r->pa, r->size, s->console.base,
										  s->console.size);
}

static const char *check_region_alone(const struct o_sys *s, const struct o_part *p, const struct o_region *r)
{
	if (!r->size || (r->ipa | r->pa | r->size) & 0xfff || r->ipa + r->size > LIMIT_39 ||
	    r->ipa + r->size < r->ipa || r->pa + r->size < r->pa)
		return fail("%s: region 0x%" PRIx64 "+0x%" PRIx64 " unaligned, empty or beyond 2^39", p->name,
			    r->ipa, r->size);
	if (r->ram && r->pa + r->size > LIMIT_39)
		return fail("%s: RAM at 0x%" PRIx64 " outside the EL2 map", p->name, r->pa);
	if (!(r->access & 1))
		return fail("%s: region without read access", p->name);
	return gicv2_cpu_interface(s, r) || service_console(s, p, r) ? NULL : check_not_hypervisor(s, p->name, r);
}

static uint64_t cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

/* Partition RAM lies in one of the board's RAM ranges (config.c has only their span). */
static bool in_board_ram(const void *fdt, uint64_t base, uint64_t size)
{
	int board = fdt_path_offset(fdt, "/board"), node, len;
	const fdt32_t *ac = board < 0 ? NULL : fdt_getprop(fdt, board, "#address-cells", &len);
	const fdt32_t *sc = board < 0 ? NULL : fdt_getprop(fdt, board, "#size-cells", NULL);
	int a, z;

	if (!ac || !sc)
		return false;
	a = (int)fdt32_to_cpu(*ac);
	z = (int)fdt32_to_cpu(*sc);
	fdt_for_each_subnode(node, fdt, board) {
		const fdt32_t *reg;

		if (strncmp(fdt_get_name(fdt, node, NULL), "memory", 6) != 0 ||
		    !(reg = fdt_getprop(fdt, node, "reg", &len)) || a < 1 || a > 2 || z < 1 || z > 2)
			continue;
		for (int i = 0; i + (a + z) * 4 <= len; i += (a + z) * 4)
			if (inside(base, size, cells(reg + i / 4, a), cells(reg + i / 4 + a, z)))
				return true;
	}
	return false;
}

static int blob_partition(const void *fdt, const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/partitions/%s", name);
	return fdt_path_offset(fdt, path);
}

/* The partition's `console` as the blob writes it ("" when none). */
static const char *blob_console(const void *fdt, const char *name)
{
	int node = blob_partition(fdt, name), len;
	const char *v = node < 0 ? NULL : fdt_getprop(fdt, node, "console", &len);

	return v && len > 0 && v[len - 1] == '\0' ? v : "";
}

/* The hypervisor region (root cells) and the GIC's version, from the blob. */
static void blob_system(const void *fdt, struct o_sys *s)
{
	const fdt32_t *ac = fdt_getprop(fdt, 0, "#address-cells", NULL);
	const fdt32_t *sc = fdt_getprop(fdt, 0, "#size-cells", NULL);
	int board = fdt_path_offset(fdt, "/board"), node, len;

	fdt_for_each_subnode(node, fdt, 0) {
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
		int a = ac ? (int)fdt32_to_cpu(*ac) : 0, z = sc ? (int)fdt32_to_cpu(*sc) : 0;

		if (strncmp(fdt_get_name(fdt, node, NULL), "hypervisor", 10) == 0 && reg && a >= 1 && a <= 2 &&
		    z >= 1 && z <= 2 && len >= (a + z) * 4)
			s->hyp = (struct o_range){ cells(reg, a), cells(reg + a, z) };
	}
	for (unsigned i = 0; i < s->n_parts; i++) {
		int part = blob_partition(fdt, s->parts[i].name);

		s->parts[i].service = part >= 0 && fdt_getprop(fdt, part, "service", NULL) != NULL;
	}
	fdt_for_each_subnode(node, fdt, board) {
		const char *compat = fdt_getprop(fdt, node, "compatible", &len);

		if (!compat || len <= 0)
			continue;
		if (fdt_stringlist_contains(compat, len, "arm,gic-v3"))
			s->gic = 3;
		else if (fdt_stringlist_contains(compat, len, "arm,gic-400") ||
			 fdt_stringlist_contains(compat, len, "arm,cortex-a15-gic"))
			s->gic = 2;
	}
}

static bool blob_cells(const void *fdt, int node, const char *name, int n, uint64_t *out);

/* The blob's /disks client named @client, and its mode; -1 when there is none. */
static int blob_disk_client(const void *fdt, const char *client, const char **mode, int *cells_a)
{
	int top = fdt_path_offset(fdt, "/disks"), disk, node, len;
	const fdt32_t *ac = top < 0 ? NULL : fdt_getprop(fdt, top, "#address-cells", NULL);

	*cells_a = ac ? (int)fdt32_to_cpu(*ac) : 0;
	if (top < 0)
		return -1;
	fdt_for_each_subnode(disk, fdt, top) {
		fdt_for_each_subnode(node, fdt, disk) {
			if (strcmp(fdt_get_name(fdt, node, NULL), client) == 0) {
				*mode = fdt_getprop(fdt, node, "mode", &len);
				return node;
			}
		}
	}
	return -1;
}

/* The guest address of the first RAM region in @regions (config.c lists RAM first, in document order). */
static uint64_t first_ram(const struct o_array *regions)
{
	for (unsigned j = 0; j < regions->n; j++)
		if (regions->r[j].ram)
			return regions->r[j].ipa;
	return 0;
}

/*
 * @a, a shared region of the service partition @i, maps RAM region @b of
 * partition @q exactly as the blob's /disks grants a trusted-service client:
 * same host range and size, never executable, at service-address plus @b's
 * offset from @q's first RAM region.
 */
static bool lent_ram(const struct o_sys *s, const void *fdt, unsigned i, const struct o_region *a, unsigned q,
		     const struct o_region *b, const struct o_array *qregions)
{
	const char *mode = NULL;
	int ca = 0;
	int node;
	uint64_t sa;

	if (!s->parts[i].service || i == q || !a->shared || a->channel >= 0 || !b->ram || a->pa != b->pa ||
	    a->size != b->size || (a->access & 4))
		return false;
	node = blob_disk_client(fdt, s->parts[q].name, &mode, &ca);
	if (node < 0 || !mode || strcmp(mode, "trusted-service") != 0 || ca < 1 || ca > 2 ||
	    !blob_cells(fdt, node, "service-address", ca, &sa))
		return false;
	return a->ipa == sa + (b->ipa - first_ram(qregions));
}

static const char *check_memory(const struct o_sys *s, struct o_array *const *regions, const void *fdt)
{
	for (unsigned i = 0; i < s->n_parts; i++) {
		for (unsigned j = 0; j < regions[i]->n; j++) {
			const struct o_region *a = &regions[i]->r[j];
			const char *e = check_region_alone(s, &s->parts[i], a);

			if (e)
				return e;
			if ((a->ram || a->shared) && !in_board_ram(fdt, a->pa, a->size))
				return fail("%s: RAM at 0x%" PRIx64 " is not in a board RAM range", s->parts[i].name, a->pa);
			if (a->shared && (a->access & 4))
				return fail("%s: executable shared memory at 0x%" PRIx64, s->parts[i].name, a->ipa);
			for (unsigned k = 0; k < j; k++)
				if (overlap(a->ipa, a->size, regions[i]->r[k].ipa, regions[i]->r[k].size))
					return fail("%s: two regions at guest 0x%" PRIx64, s->parts[i].name, a->ipa);
			/* Host ranges: none shared, except that every GICv2 partition maps the banked GICV
			 * and the mappers of a shared-memory region map all of it (check_shared says which). */
			for (unsigned q = 0; q <= i; q++) {
				for (unsigned k = 0; k < (q == i ? j : regions[q]->n); k++) {
					const struct o_region *b = &regions[q]->r[k];
					bool one_shared = a->shared && b->shared && q != i &&
							  ((a->pa == b->pa && a->size == b->size) ||
							   (a->channel >= 0 && a->channel == b->channel));

					bool lent = lent_ram(s, fdt, i, a, q, b, regions[q]) ||
						    lent_ram(s, fdt, q, b, i, a, regions[i]);

					if (overlap(a->pa, a->size, b->pa, b->size) && !one_shared && !lent &&
					    !(gicv2_cpu_interface(s, a) && gicv2_cpu_interface(s, b)))
						return fail("%s and %s share host 0x%" PRIx64, s->parts[i].name,
							    s->parts[q].name, a->pa);
				}
			}
		}
	}
	return NULL;
}

/* The range [base, base + size) of guest memory lies in one RAM region with @need access. */
static bool in_ram(const struct o_array *regions, uint64_t base, uint64_t size, unsigned need)
{
	for (unsigned j = 0; j < regions->n; j++) {
		const struct o_region *r = &regions->r[j];

		if (r->ram && inside(base, size ? size : 1, r->ipa, r->size) && (r->access & need) == need)
			return true;
	}
	return false;
}

static const char *check_guest_view(const struct o_sys *s, struct o_array *const *regions)
{
	for (unsigned i = 0; i < s->n_parts; i++) {
		const struct o_part *p = &s->parts[i];
		const struct o_range vgic[] = {
			s->dist, s->gic == 3 ? (struct o_range){ s->redist.base, UINT64_C(0x20000) * p->n_vcpus }
					     : (struct o_range){ s->cpu.base, 0x2000 },
		};

		if (!in_ram(regions[i], p->entry, 4, 4) || !in_ram(regions[i], p->image.base, p->image.size, 2) ||
		    (p->dtb.size && !in_ram(regions[i], p->dtb.base, p->dtb.size, 2)) ||
		    (p->dtb.size && overlap(p->dtb.base, p->dtb.size, p->image.base, p->image.size)))
			return fail("%s: entry, image or device tree outside RAM it may use", p->name);
		for (unsigned j = 0; j < regions[i]->n; j++)
			for (unsigned k = 0; k < 2; k++)
				if ((regions[i]->r[j].ram || regions[i]->r[j].shared) &&
				    overlap(regions[i]->r[j].ipa, regions[i]->r[j].size, vgic[k].base, vgic[k].size))
					return fail("%s: RAM over the virtual GIC", p->name);
	}
	return NULL;
}

/* The /shared-memory regions the blob declares, with the cells of /shared-memory. */
static unsigned blob_shared(const void *fdt, struct o_shm *out, unsigned max)
{
	int top = fdt_path_offset(fdt, "/shared-memory"), node, child, len;
	const fdt32_t *ac = top < 0 ? NULL : fdt_getprop(fdt, top, "#address-cells", NULL);
	const fdt32_t *sc = top < 0 ? NULL : fdt_getprop(fdt, top, "#size-cells", NULL);
	int a = ac ? (int)fdt32_to_cpu(*ac) : 0, z = sc ? (int)fdt32_to_cpu(*sc) : 0;
	unsigned n = 0;

	if (top < 0 || a < 1 || a > 2 || z < 1 || z > 2)
		return 0;
	fdt_for_each_subnode(node, fdt, top) {
		struct o_shm *sh = &out[n];
		const fdt32_t *v;

		if (n == max)
			break;
		memset(sh, 0, sizeof(*sh));
		snprintf(sh->path, sizeof(sh->path), "/shared-memory/%s", fdt_get_name(fdt, node, NULL));
		if ((v = fdt_getprop(fdt, node, "size", &len)) && len == 4 * z)
			sh->size = cells(v, z);
		if ((v = fdt_getprop(fdt, node, "host-address", &len)) && len == 4 * a) {
			sh->host = cells(v, a);
			sh->has_host = true;
		}
		fdt_for_each_subnode(child, fdt, node) {
			const char *acc;

			if (sh->n == MAX_PARTS)
				break;
			snprintf(sh->m[sh->n].part, SYM_MAX, "%s", fdt_get_name(fdt, child, NULL));
			if ((v = fdt_getprop(fdt, child, "guest-address", &len)) && len == 4 * a)
				sh->m[sh->n].ipa = cells(v, a);
			acc = fdt_getprop(fdt, child, "access", &len);
			sh->m[sh->n].access = acc && len == 2 && strcmp(acc, "r") == 0	    ? 1u
					      : acc && len == 3 && strcmp(acc, "rw") == 0 ? 3u
											     : 0u;
			sh->n++;
		}
		n++;
	}
	return n;
}

/*
 * Sharing only as declared: each shared region of config.c is a mapping the
 * blob declares (partition, guest address, size, rights), every declared
 * mapping is there, and all mappings of one region are the same host range.
 */
static const char *check_shared(const struct o_sys *s, struct o_array *const *regions, const void *fdt)
{
	static struct o_shm shm[16];
	unsigned n = blob_shared(fdt, shm, 16);

	for (unsigned i = 0; i < s->n_parts; i++) {
		for (unsigned j = 0; j < regions[i]->n; j++) {
			const struct o_region *r = &regions[i]->r[j];
			bool declared = false;

			for (unsigned k = 0; r->shared && r->channel < 0 && k < n && !declared; k++) {
				for (unsigned m = 0; m < shm[k].n && !declared; m++) {
					if (strcmp(shm[k].m[m].part, s->parts[i].name) != 0 || shm[k].m[m].ipa != r->ipa ||
					    shm[k].size != r->size || shm[k].m[m].access != r->access || shm[k].m[m].seen)
						continue;
					shm[k].m[m].seen = declared = true;
					if (shm[k].has_host && shm[k].host != r->pa)
						return fail("%s: shared region %s at host 0x%" PRIx64 ", declared at 0x%" PRIx64,
							    s->parts[i].name, shm[k].path, r->pa, shm[k].host);
					shm[k].host = r->pa;
					shm[k].has_host = true;
				}
			}
			for (unsigned q = 0; r->shared && !declared && r->channel < 0 && q < s->n_parts; q++)
				for (unsigned k = 0; k < regions[q]->n && !declared; k++)
					declared = lent_ram(s, fdt, i, r, q, &regions[q]->r[k], regions[q]);
			if (r->shared && !declared && r->channel < 0)
				return fail("%s: shared region at guest 0x%" PRIx64 " (rights %u) that /shared-memory does not grant",
					    s->parts[i].name, r->ipa, r->access);
		}
	}
	for (unsigned k = 0; k < n; k++)
		for (unsigned m = 0; m < shm[k].n; m++)
			if (!shm[k].m[m].seen)
				return fail("%s: the mapping by '%s' is not in config.c", shm[k].path, shm[k].m[m].part);
	return NULL;
}

/* --- channels ------------------------------------------------------------------ */

/*
 * Whether end @k may write byte @off of channel @c, from include/bulkhead/
 * channel.h's layout alone: a direction is the receiver's page, then the
 * sender's; a one-way channel is one direction from end 0, a two-way one two
 * halves, end 0's first.
 */
static bool end_may_write(const struct o_chan *c, unsigned k, uint64_t off)
{
	uint64_t half = c->one_way ? c->size : c->size / 2;
	unsigned sender = off >= half;
	uint64_t in_dir = off - (sender ? half : 0);

	return in_dir < 0x1000 ? k != sender : k == sender;
}

static bool channel_shape_ok(const struct o_chan *c)
{
	uint64_t unit = c->one_way ? 0x1000 : 0x2000;

	return c->n_ends == 2 && c->size >= 2 * unit && c->size % unit == 0 && (c->pa & 0xfff) == 0 &&
	       c->kind <= 3;
}

/* The channel end of partition @i whose guest range holds @r, or false. */
static bool find_end(struct o_sys *s, unsigned i, const struct o_region *r, unsigned *ci, unsigned *k)
{
	for (unsigned c = 0; c < s->n_chans; c++) {
		for (unsigned e = 0; e < 2; e++) {
			if (s->chans[c].end[e].hyp || s->chans[c].end[e].partition != (int)i ||
			    !inside(r->ipa, r->size, s->chans[c].end[e].ipa, s->chans[c].size))
				continue;
			*ci = c;
			*k = e;
			return true;
		}
	}
	return false;
}

/*
 * Each shared region inside a channel end of its partition maps that part of
 * the channel, page by page with exactly that end's rights; every partition
 * end is mapped whole. Marks the regions (o_region.channel) for the host
 * overlap check, which lets the ends of one channel share its host range.
 */
static const char *check_channel_pages(struct o_sys *s, struct o_array *const *regions)
{
	for (unsigned c = 0; c < s->n_chans; c++) {
		const struct o_chan *ch = &s->chans[c];

		if (!channel_shape_ok(ch))
			return fail("channel %s: size 0x%" PRIx64 " or ends break the layout", ch->name, ch->size);
		if (ch->end[0].hyp && ch->end[1].hyp)
			return fail("channel %s: the hypervisor at both ends", ch->name);
		if (ch->end[0].partition >= (int)s->n_parts || ch->end[1].partition >= (int)s->n_parts ||
		    (!ch->end[0].hyp && ch->end[0].partition == ch->end[1].partition))
			return fail("channel %s: an end names no partition, or one partition twice", ch->name);
	}
	for (unsigned i = 0; i < s->n_parts; i++) {
		for (unsigned j = 0; j < regions[i]->n; j++) {
			struct o_region *r = &regions[i]->r[j];
			unsigned ci, k;
			uint64_t off;

			if (!r->shared || !find_end(s, i, r, &ci, &k))
				continue;
			off = r->ipa - s->chans[ci].end[k].ipa;
			if (r->pa != s->chans[ci].pa + off)
				return fail("%s: channel %s's page at guest 0x%" PRIx64 " is not its host page", s->parts[i].name,
					    s->chans[ci].name, r->ipa);
			for (uint64_t o = off; o < off + r->size; o += 0x1000)
				if ((r->access & 2) != (end_may_write(&s->chans[ci], k, o) ? 2u : 0u) || (r->access & 4))
					return fail("%s: channel %s at offset 0x%" PRIx64 " with rights %u, not its end's",
						    s->parts[i].name, s->chans[ci].name, o, r->access);
			r->channel = (int)ci;
			s->chans[ci].end[k].mapped += r->size;
		}
	}
	for (unsigned c = 0; c < s->n_chans; c++)
		for (unsigned k = 0; k < 2; k++)
			if (!s->chans[c].end[k].hyp && s->chans[c].end[k].mapped != s->chans[c].size)
				return fail("channel %s: end %u maps 0x%" PRIx64 " of its 0x%" PRIx64 " bytes", s->chans[c].name, k,
					    s->chans[c].end[k].mapped, s->chans[c].size);
	return NULL;
}

/* A cells-long property of @node, or false. */
static bool blob_cells(const void *fdt, int node, const char *name, int n, uint64_t *out)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, name, &len);

	if (!v || n < 1 || n > 2 || len != 4 * n)
		return false;
	*out = cells(v, n);
	return true;
}

static const char *part_name(const struct o_sys *s, int i)
{
	return i >= 0 && i < (int)s->n_parts ? s->parts[i].name : "";
}

/* A /channels child against the config.c channel of the same name. */
static const char *check_declared(const struct o_sys *s, const void *fdt, int node, int a, int z, const struct o_chan *c)
{
	const char *from = fdt_getprop(fdt, node, "from", NULL);
	unsigned n = 0;
	uint64_t v;
	int child;

	if (c->kind != 0 || c->end[0].hyp || c->end[1].hyp)
		return fail("channel %s: declared, but config.c makes it no data channel between partitions", c->name);
	if (blob_cells(fdt, node, "size", z, &v) && v != c->size)
		return fail("channel %s: size 0x%" PRIx64 ", declared 0x%" PRIx64, c->name, c->size, v);
	if (blob_cells(fdt, node, "host-address", a, &v) && v != c->pa)
		return fail("channel %s: at host 0x%" PRIx64 ", declared at 0x%" PRIx64, c->name, c->pa, v);
	if ((from != NULL) != c->one_way || (from && strcmp(from, part_name(s, c->end[0].partition)) != 0))
		return fail("channel %s: direction is not the declared one", c->name);
	fdt_for_each_subnode(child, fdt, node) {
		const char *name = fdt_get_name(fdt, child, NULL);
		unsigned k = strcmp(name, part_name(s, c->end[0].partition)) == 0 ? 0u : 1u;

		if (strcmp(name, part_name(s, c->end[k].partition)) != 0)
			return fail("channel %s: end %s is not in config.c", c->name, name);
		if (blob_cells(fdt, child, "guest-address", a, &v) && v != c->end[k].ipa)
			return fail("channel %s: %s sees it at 0x%" PRIx64 ", declared 0x%" PRIx64, c->name, name,
				    c->end[k].ipa, v);
		n++;
	}
	return n == 2 ? NULL : fail("channel %s: %u endpoints declared", c->name, n);
}

/* The console or log channel @c, against the partitions' console properties and `service`. */
static const char *check_generated(const struct o_sys *s, const void *fdt, const struct o_chan *c)
{
	int svc = c->end[1].partition;
	const char *con;

	if (c->end[1].hyp || svc < 0 || !s->parts[svc].service)
		return fail("channel %s: its end 1 is not the service partition", c->name);
	if (c->kind == 3) {
		const char *mode = NULL;
		int ca = 0;

		if (!c->end[0].hyp || c->end[0].partition < 0 || c->end[0].partition == svc || c->one_way ||
		    blob_disk_client(fdt, part_name(s, c->end[0].partition), &mode, &ca) < 0)
			return fail("channel %s: a disk channel no /disks client asked for", c->name);
		return NULL;
	}
	if (c->kind == 2)
		return c->end[0].hyp && c->end[0].partition < 0 && c->one_way ? NULL
			: fail("channel %s: the log is not one-way from the hypervisor", c->name);
	con = blob_console(fdt, part_name(s, c->end[0].partition));
	if (c->one_way || c->end[0].partition < 0 || c->end[0].partition == svc ||
	    strcmp(con, c->end[0].hyp ? "pl011" : "channel") != 0)
		return fail("channel %s: a console nobody asked for (console \"%s\")", c->name, con);
	return NULL;
}

/* Channels only as declared: /channels, one per `console`, and the log when there is a service partition. */
static const char *check_channels(const struct o_sys *s, const void *fdt)
{
	int top = fdt_path_offset(fdt, "/channels"), node;
	uint64_t a = 0, z = 0;
	unsigned declared = 0, data = 0, consoles = 0, logs = 0, disks = 0, asked = 0, services = 0, clients = 0;
	const char *e;

	if (top >= 0 && (!blob_cells(fdt, top, "#address-cells", 1, &a) || !blob_cells(fdt, top, "#size-cells", 1, &z)))
		return fail("/channels without its cells, accepted");
	for (node = top < 0 ? -1 : fdt_first_subnode(fdt, top); node >= 0; node = fdt_next_subnode(fdt, node)) {
		const char *name = fdt_get_name(fdt, node, NULL);
		const struct o_chan *c = NULL;

		for (unsigned i = 0; i < s->n_chans && !c; i++)
			c = strcmp(s->chans[i].name, name) == 0 && s->chans[i].kind == 0 ? &s->chans[i] : NULL;
		if (!c)
			return fail("/channels/%s is not in config.c", name);
		if ((e = check_declared(s, fdt, node, (int)a, (int)z, c)) != NULL)
			return e;
		declared++;
	}
	for (unsigned i = 0; i < s->n_chans; i++) {
		const struct o_chan *c = &s->chans[i];

		data += c->kind == 0;
		consoles += c->kind == 1;
		logs += c->kind == 2;
		disks += c->kind == 3;
		if (c->kind != 0 && (e = check_generated(s, fdt, c)) != NULL)
			return e;
	}
	for (unsigned i = 0; i < s->n_parts; i++) {
		asked += blob_console(fdt, s->parts[i].name)[0] != '\0';
		services += s->parts[i].service;
		if (!s->parts[i].service) {
			const char *mode = NULL;
			int ca = 0;

			clients += blob_disk_client(fdt, s->parts[i].name, &mode, &ca) >= 0;
		}
	}
	if (disks != clients || (disks && services != 1))
		return fail("config.c has %u disk channels; the blob has %u disk clients, %u service", disks, clients,
			    services);
	if (data != declared || consoles != asked || logs != (services ? 1u : 0u) || services > 1)
		return fail("config.c has %u data, %u console and %u log channels; the blob declares %u, asks %u, %u service",
			    data, consoles, logs, declared, asked, services);
	return NULL;
}

/* The console's interrupts and an accepted direct-delivery risk, from the blob. */
static unsigned console_irqs(const void *fdt, uint32_t *out, unsigned max)
{
	int node, len, n = 0;
	const fdt32_t *ph, *irq;

	fdt_for_each_subnode(node, fdt, 0)
		if (strncmp(fdt_get_name(fdt, node, NULL), "hypervisor", 10) == 0)
			break;
	if (node < 0 || !(ph = fdt_getprop(fdt, node, "console", &len)) || len != 4)
		return 0;
	node = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*ph));
	irq = node < 0 ? NULL : fdt_getprop(fdt, node, "interrupts", &len);
	for (; irq && n < len / 4 && (unsigned)n < max; n++)
		out[n] = fdt32_to_cpu(irq[n]);
	return (unsigned)n;
}

static bool accepts_spi_risk(const void *fdt, const char *name)
{
	char path[64];
	int node, len;
	const char *v;

	snprintf(path, sizeof(path), "/partitions/%s", name);
	node = fdt_path_offset(fdt, path);
	v = node < 0 ? NULL : fdt_getprop(fdt, node, "direct-delivery-risk", &len);
	return v && len == 25 && memcmp(v, "foreign-spi-deactivation", 25) == 0;
}

static const char *check_irqs(const struct o_sys *s, struct o_array *const *irqs, const void *fdt)
{
	uint32_t con[64];
	unsigned n_con = console_irqs(fdt, con, 64), total = 0;
	int owner[1020];

	memset(owner, 0xff, sizeof(owner));
	for (unsigned i = 0; i < s->n_parts; i++) {
		for (unsigned k = 0; irqs[i] && k < irqs[i]->n; k++) {
			uint64_t irq = irqs[i]->v[k];

			if (irq < 32 || irq > 1019 || (k && irq <= irqs[i]->v[k - 1]) || owner[irq] >= 0)
				return fail("%s: interrupt %" PRIu64 " not an SPI, unsorted or shared", s->parts[i].name, irq);
			for (unsigned c = 0; c < n_con && !s->parts[i].service; c++)
				if (con[c] == irq)
					return fail("%s: owns the console's interrupt %" PRIu64, s->parts[i].name, irq);
			owner[irq] = (int)i;
			total++;
		}
	}
	for (unsigned i = 0; i < s->n_parts; i++) {
		unsigned own = irqs[i] ? irqs[i]->n : 0;

		if (s->parts[i].direct && (s->gic != 3 || (total > own && !accepts_spi_risk(fdt, s->parts[i].name))))
			return fail("%s: direct delivery beside others' SPIs without the accepted risk",
				    s->parts[i].name);
	}
	return NULL;
}

/* --- the hypervisor's own table builder --------------------------------------- */

static pte_t pool_pages[EL2_POOL_MAX][PT_ENTRIES] __attribute__((aligned(4096)));
static pte_t el2_root[PT_ENTRIES] __attribute__((aligned(4096)));

#define S2_ATTRS (PTE_AF | PTE_S2_AP_R)

static const char *check_stage2(const struct o_sys *s, struct o_array *const *regions)
{
	unsigned pool_size = s->s2_pool;
	struct pt_pool pool = { pool_pages, pool_size, 0 };

	if (pool_size > EL2_POOL_MAX)
		return NULL;
	for (unsigned i = 0; i < s->n_parts; i++) {
		pte_t *root = pt_alloc(&pool);

		if (!root)
			return fail("stage 2: no root page left for %s", s->parts[i].name);
		for (unsigned j = 0; j < regions[i]->n; j++) {
			const struct o_region *r = &regions[i]->r[j];
			int err = vmsa_map(&pool, root, r->ipa, r->pa, r->size, S2_ATTRS);

			if (err != PT_OK)
				return fail("stage 2 of %s: vmsa_map 0x%" PRIx64 "+0x%" PRIx64 " failed (%d) with %u of %u pages",
					    s->parts[i].name, r->ipa, r->size, err, pool.used, pool_size);
		}
	}
	if (pool.used != pool_size)
		return fail("stage 2: the builder took %u pages of the %u bhcc sized the pool to", pool.used, pool_size);
	return NULL;
}

static int el2_map(struct pt_pool *pool, uint64_t base, uint64_t end)
{
	return end > base ? vmsa_map(pool, el2_root, base, base, end - base, PTE_AF) : PT_OK;
}

/* arch/arm64/mmu.c's sequence, with the image's section ends in separate 2 MiB slots. */
static const char *check_el2(const struct o_sys *s, struct o_array *const *regions)
{
	struct pt_pool pool = { pool_pages, s->el2_pages, 0 };
	uint64_t link = s->hyp.base + 0x200000, end = s->hyp.base + s->hyp.size;
	uint64_t cut[4] = { link };
	const struct o_range dev[] = { s->console, s->dist, s->redist, s->cpu, s->hyp_if };
	int err = PT_OK;

	if (s->el2_pages > EL2_POOL_MAX)
		return fail("EL2 map: bhcc counted %u pages", s->el2_pages);
	for (unsigned k = 1; k < 4; k++) {
		uint64_t want = link + (k - 1) * 0x200000 + 0x1000;

		cut[k] = want < end ? want : end;
		cut[k] = cut[k] < cut[k - 1] ? cut[k - 1] : cut[k];
	}
	memset(el2_root, 0, sizeof(el2_root));
	for (unsigned k = 0; k < 3 && err == PT_OK; k++)
		err = el2_map(&pool, cut[k], cut[k + 1]);
	for (unsigned i = 0; i < s->n_parts && err == PT_OK; i++)
		for (unsigned j = 0; j < regions[i]->n && err == PT_OK; j++)
			if (regions[i]->r[j].ram)
				err = el2_map(&pool, regions[i]->r[j].pa, regions[i]->r[j].pa + regions[i]->r[j].size);
	for (unsigned c = 0; c < s->n_chans && err == PT_OK; c++)
		if (s->chans[c].end[0].hyp)
			err = el2_map(&pool, s->chans[c].pa, s->chans[c].pa + s->chans[c].size);
	for (unsigned k = 0; k < sizeof(dev) / sizeof(dev[0]) && err == PT_OK; k++)
		if (dev[k].size)
			err = el2_map(&pool, dev[k].base & ~UINT64_C(0xfff),
				      (dev[k].base + dev[k].size + 0xfff) & ~UINT64_C(0xfff));
	return err == PT_OK ? NULL
			    : fail("EL2 map: the builder failed (%d) with %u of the %u pages bhcc counted", err,
				   pool.used, s->el2_pages);
}

const char *bhcc_oracle_check(const char *gendir, const void *blob, size_t size)
{
	static struct o_sys s;
	struct o_array *regions[MAX_PARTS], *vcpus[MAX_PARTS], *irqs[MAX_PARTS];
	char path[1024];
	const char *e;
	FILE *f;

	(void)size;
	memset(&s, 0, sizeof(s));
	snprintf(path, sizeof(path), "%s/config.c", gendir);
	if (!(f = fopen(path, "r")))
		return fail("accepted, but no %s", path);
	e = parse_config(&s, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/isolation.md", gendir);
	if (!e && !(f = fopen(path, "r")))
		return fail("accepted, but no %s", path);
	if (!e) {
		e = parse_report(&s, f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/system.mk", gendir);
	if (!e && !(f = fopen(path, "r")))
		return fail("accepted, but no %s", path);
	if (!e) {
		e = parse_system_mk(&s, f);
		fclose(f);
	}
	if (!e)
		blob_system(blob, &s);
	if (!e && (!s.n_parts || !s.n_cpus || (s.gic != 2 && s.gic != 3) || !s.hyp.size))
		e = fail("config.c: no partition, core or GIC");
	if (!e)
		e = link_partitions(&s, regions, vcpus, irqs);
	if (!e)
		e = check_cores(&s, vcpus);
	if (!e)
		e = check_channel_pages(&s, regions);
	if (!e)
		e = check_channels(&s, blob);
	if (!e)
		e = check_memory(&s, regions, blob);
	if (!e)
		e = check_guest_view(&s, regions);
	if (!e)
		e = check_shared(&s, regions, blob);
	if (!e)
		e = check_irqs(&s, irqs, blob);
	if (!e)
		e = check_stage2(&s, regions);
	if (!e)
		e = check_el2(&s, regions);
	return e;
}
