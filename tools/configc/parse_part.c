/* SPDX-License-Identifier: MIT */
/*
 * /partitions: one child per partition, in document order, which is also
 * the order of the generated tables and of automatic placement.
 */
#include <string.h>

#include <libfdt.h>

#include "backend.h"
#include "cfg.h"
#include "props.h"

static const char *const part_props[] = {
	"cpus", "program", "image", "initrd", "entry", "load-address", "fault-policy", "scrub-on-restart", "devices",
	"dtb-address", "bootargs", "#address-cells", "#size-cells", "service", "service-control",
	"console", "console-doorbell", "console-address", "console-interrupt", NULL
};
static const char *const mem_props[] = { "reg", "host-address", "access", NULL };

static bool name_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

/* Partition names reach C strings, make variable names and file names. */
static void parse_name(struct bh_ctx *c, struct bh_partition *p, const char *name)
{
	size_t len = strlen(name);
	bool ok = len >= 1 && len <= BHCC_NAME_MAX;

	for (size_t i = 0; ok && i < len; i++)
		ok = name_char_ok(name[i]);
	if (!ok) {
		diag_error(c->diag, p->path, NULL,
			   "partition name '%s' must be 1 to %d characters from a-z, 0-9, '_' and '-'",
			   name, BHCC_NAME_MAX);
		return;
	}
	if (strcmp(name, BHCC_HYP_NAME) == 0) {
		diag_error(c->diag, p->path, NULL,
			   "partition name '%s' is reserved: the hypervisor's console lines start with [%s]",
			   name, BHCC_HYP_NAME);
		return;
	}
	strcpy(p->name, name);
	for (size_t i = 0; i <= len; i++)
		p->sym[i] = name[i] == '-' ? '_' : name[i];
	for (unsigned i = 0; i < c->sys->n_partitions; i++) {
		const struct bh_partition *q = &c->sys->partitions[i];

		if (q->valid_name && strcmp(q->sym, p->sym) == 0) {
			diag_error(c->diag, p->path, NULL,
				   "partition name '%s' gives the same C symbol '%s' as %s",
				   name, p->sym, q->path);
			return;
		}
	}
	p->valid_name = true;
}

static void parse_cpus(struct bh_ctx *c, struct bh_partition *p, int node)
{
	struct bh_board *b = &c->sys->board;
	uint32_t ph[BHCC_MAX_CPUS];
	int off[BHCC_MAX_CPUS];
	char tpath[BHCC_PATH_MAX];
	unsigned n;
	unsigned pi = c->sys->n_partitions;

	if (prop_phandles(c, node, p->path, "cpus", true, ph, off, BHCC_MAX_CPUS, &n) != PROP_OK)
		return;
	for (unsigned i = 0; i < n; i++) {
		int core = off[i] < 0 ? -1 : board_cpu_at(b, off[i]);
		struct bh_cpu *cpu;

		if (off[i] < 0) {
			diag_error(c->diag, p->path, "cpus", "phandle 0x%x does not refer to any node",
				   ph[i]);
			continue;
		}
		if (core < 0) {
			diag_error(c->diag, p->path, "cpus", "%s is not a board cpu (/board/cpus/cpu@...)",
				   node_path(c, off[i], tpath));
			continue;
		}
		cpu = &b->cpus[core];
		if (cpu->owner == (int)pi) {
			diag_error(c->diag, p->path, "cpus", "%s is listed twice", cpu->path);
			continue;
		}
		if (cpu->owner != BHCC_OWNER_NONE) {
			diag_error(c->diag, p->path, "cpus", "core %d (%s) is also assigned to %s", core,
				   cpu->path, c->sys->partitions[cpu->owner].path);
			continue;
		}
		cpu->owner = (int)pi;
		cpu->vcpu = p->n_vcpus;
		p->vcpu_cpu[p->n_vcpus++] = (uint8_t)core;
	}
}

static bool program_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-';
}

/* Image paths end up in make variables and prerequisites, where blanks and specials break. */
static bool path_char_ok(char ch)
{
	return program_char_ok(ch) || ch == '.' || ch == '/' || ch == '+';
}

/* A file path make can handle into @out (@size bytes); false (reported) otherwise. */
static bool parse_path(struct bh_ctx *c, struct bh_partition *p, const char *prop, const char *path,
		       char *out, size_t size)
{
	for (const char *s = path; *s; s++)
		if (!path_char_ok(*s)) {
			diag_error(c->diag, p->path, prop,
				   "path '%s' has a character make cannot handle ('%c'); use letters, digits, '.', '_', '-', '+' and '/'",
				   path, *s);
			return false;
		}
	if (strlen(path) >= size) {
		diag_error(c->diag, p->path, prop, "path longer than %zu characters", size - 1);
		return false;
	}
	strcpy(out, path);
	return true;
}

static void parse_program_image(struct bh_ctx *c, struct bh_partition *p, int node)
{
	const char *initrd = NULL;

	if (prop_string(c, node, p->path, "initrd", false, &initrd) == PROP_OK)
		p->has_initrd = parse_path(c, p, "initrd", initrd, p->initrd, sizeof(p->initrd));
	const char *prog = NULL, *image = NULL;
	int rp = prop_string(c, node, p->path, "program", false, &prog);
	int ri = prop_string(c, node, p->path, "image", false, &image);

	if (rp == PROP_ABSENT && ri == PROP_ABSENT) {
		diag_error(c->diag, p->path, NULL,
			   "missing required property 'program' or 'image' (exactly one)");
		return;
	}
	if (rp != PROP_ABSENT && ri != PROP_ABSENT) {
		diag_error(c->diag, p->path, NULL,
			   "has both 'program' and 'image'; give exactly one");
		return;
	}
	if (rp == PROP_OK) {
		bool ok = strlen(prog) < sizeof(p->program);

		for (const char *s = prog; ok && *s; s++)
			ok = program_char_ok(*s);
		if (!ok)
			diag_error(c->diag, p->path, "program",
				   "'%s' is not a program name (a folder of partitions/: letters, digits, '_' and '-')",
				   prog);
		else
			strcpy(p->program, prog);
	}
	if (ri == PROP_OK)
		parse_path(c, p, "image", image, p->image, sizeof(p->image));
}

static void parse_fault_policy(struct bh_ctx *c, struct bh_partition *p, int node)
{
	const char *fp;

	p->fault_policy = CFG_FAULT_STOP;
	if (prop_string(c, node, p->path, "fault-policy", false, &fp) != PROP_OK)
		return;
	if (strcmp(fp, "restart") == 0)
		p->fault_policy = CFG_FAULT_RESTART;
	else if (strcmp(fp, "stop") != 0)
		diag_error(c->diag, p->path, "fault-policy",
			   "unknown policy '%s' (expected \"stop\" or \"restart\")", fp);
}

static void parse_devices(struct bh_ctx *c, struct bh_partition *p, int node)
{
	uint32_t ph[BHCC_MAX_PART_DEVICES];
	int off[BHCC_MAX_PART_DEVICES];
	char tpath[BHCC_PATH_MAX];
	unsigned n;

	if (prop_phandles(c, node, p->path, "devices", false, ph, off, BHCC_MAX_PART_DEVICES,
			  &n) != PROP_OK)
		return;
	for (unsigned i = 0; i < n; i++) {
		int dev = off[i] < 0 ? -1 : board_device_at(&c->sys->board, off[i]);
		bool twice = false;

		if (off[i] < 0) {
			diag_error(c->diag, p->path, "devices",
				   "phandle 0x%x does not refer to any node", ph[i]);
			continue;
		}
		if (dev < 0) {
			diag_error(c->diag, p->path, "devices",
				   "%s is not a board device (memory, cpus and the interrupt controller cannot be assigned)",
				   node_path(c, off[i], tpath));
			continue;
		}
		for (unsigned j = 0; j < p->n_devices; j++)
			twice = twice || p->devices[j] == (unsigned)dev;
		if (twice) {
			diag_error(c->diag, p->path, "devices", "%s is listed twice",
				   c->sys->board.devices[dev].path);
			continue;
		}
		p->devices[p->n_devices++] = (unsigned)dev;
	}
}

static uint8_t parse_access(struct bh_ctx *c, int node, const char *path)
{
	static const char *const valid[] = { "r", "rw", "rx", "rwx" };
	static const uint8_t bits[] = {
		CFG_ACCESS_R,
		CFG_ACCESS_R | CFG_ACCESS_W,
		CFG_ACCESS_R | CFG_ACCESS_X,
		CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X,
	};
	const char *a;
	int r = prop_string(c, node, path, "access", false, &a);

	if (r == PROP_ABSENT)
		return CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X;
	if (r == PROP_BAD)
		return 0;
	for (unsigned i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		if (strcmp(a, valid[i]) == 0)
			return bits[i];
	diag_error(c->diag, path, "access",
		   "'%s' is not valid: r, w, x in that order, r required (\"r\", \"rw\", \"rx\" or \"rwx\")",
		   a);
	return 0;
}

static void parse_memory(struct bh_ctx *c, struct bh_partition *p, int node, unsigned ac,
			 unsigned sc)
{
	char path[BHCC_PATH_MAX];
	struct bh_region *r;
	struct bh_range reg;
	unsigned n;
	int host;

	node_path(c, node, path);
	props_whitelist(c, node, path, mem_props);
	node_no_children(c, node, path);
	if (p->n_regions == BHCC_MAX_REGIONS) {
		diag_error(c->diag, path, NULL, "more than %u memory regions in %s", BHCC_MAX_REGIONS,
			   p->path);
		return;
	}
	r = &p->regions[p->n_regions++];
	p->n_ram = p->n_regions;
	strcpy(r->path, path);
	r->kind = CFG_REGION_RAM;
	r->device = -1;
	r->shared = -1;
	r->channel = -1;
	r->offset = node;
	r->access = parse_access(c, node, path);
	r->valid = r->access != 0;
	if (!ac || !sc || prop_reg(c, node, path, "reg", true, ac, sc, &reg, 1, &n) != PROP_OK) {
		r->valid = false;
	} else {
		r->ipa = reg.base;
		r->size = reg.size;
		node_check_unit_address(c, node, path, reg.base);
	}
	host = ac ? prop_address(c, node, path, "host-address", false, ac, &r->pa) : PROP_BAD;
	r->has_host = host != PROP_ABSENT;
	if (host == PROP_BAD)
		r->valid = false;
}

static void parse_addresses(struct bh_ctx *c, struct bh_partition *p, int node, unsigned ac)
{
	const char *args;

	if (!ac)
		return;
	p->has_entry = prop_address(c, node, p->path, "entry", true, ac, &p->entry) == PROP_OK;
	p->load = p->entry;
	if (prop_address(c, node, p->path, "load-address", false, ac, &p->load) == PROP_OK)
		p->has_load = true;
	else
		p->load = p->entry;
	p->has_dtb = prop_address(c, node, p->path, "dtb-address", false, ac, &p->dtb_ipa) == PROP_OK;
	if (prop_string(c, node, p->path, "bootargs", false, &args) == PROP_OK) {
		if (strlen(args) >= sizeof(p->bootargs)) {
			diag_error(c->diag, p->path, "bootargs", "longer than %zu characters",
				   sizeof(p->bootargs) - 1);
		} else {
			strcpy(p->bootargs, args);
			p->has_bootargs = true;
		}
	}
}

static void parse_partition(struct bh_ctx *c, struct bh_partition *p, int node)
{
	unsigned ac = 0, sc = 0;
	bool has_memory = false;
	int child;

	node_path(c, node, p->path);
	p->offset = node;
	parse_name(c, p, node_name(c, node));
	props_whitelist2(c, node, p->path, part_props, be_partition_props);
	prop_ncells(c, node, p->path, "#address-cells", true, 1, 2, &ac);
	prop_ncells(c, node, p->path, "#size-cells", true, 1, 2, &sc);
	if (c->sys->board.cpus_valid)
		parse_cpus(c, p, node);
	parse_program_image(c, p, node);
	parse_addresses(c, p, node, ac);
	parse_fault_policy(c, p, node);
	p->scrub_on_restart = prop_empty(c, node, p->path, "scrub-on-restart", false) == PROP_OK;
	be_parse_partition(c, p, node);
	parse_partition_console(c, p, node, ac);
	parse_devices(c, p, node);
	fdt_for_each_subnode(child, c->fdt, node) {
		if (node_is(c, child, "memory")) {
			has_memory = true;
			parse_memory(c, p, child, ac, sc);
		} else {
			diag_error(c->diag, p->path, NULL, "unknown node '%s'", node_name(c, child));
		}
	}
	if (!has_memory)
		diag_error(c->diag, p->path, NULL, "missing required node 'memory@...'");
}

void parse_partitions(struct bh_ctx *c, int node)
{
	static const char *const none[] = { NULL };
	unsigned count = 0, limit;
	char path[BHCC_PATH_MAX];
	int child;

	node_path(c, node, path);
	props_whitelist(c, node, path, none);
	fdt_for_each_subnode(child, c->fdt, node) {
		count++;
		if (c->sys->n_partitions == BHCC_MAX_PARTITIONS)
			continue;
		parse_partition(c, &c->sys->partitions[c->sys->n_partitions], child);
		c->sys->n_partitions++;
	}
	limit = c->opt->max_partitions < BHCC_MAX_PARTITIONS ? c->opt->max_partitions
							       : BHCC_MAX_PARTITIONS;
	if (count == 0)
		diag_error(c->diag, path, NULL, "no partitions; the system needs at least one");
	else if (count > limit)
		diag_error(c->diag, path, NULL, "too many partitions: %u, CONFIG_MAX_PARTITIONS is %u",
			   count, limit);
}
