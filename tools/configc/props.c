/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "props.h"

/* Appends "/" and node name @s to @buf (@used of @len bytes taken), cutting a
 * long name short ("..."), the unit address kept when it is short itself. */
static size_t append_name(char *buf, size_t used, size_t len, const char *s)
{
	enum { KEEP = 40 };
	const char *at = strchr(s, '@');
	size_t base = at ? (size_t)(at - s) : strlen(s);
	const char *unit = at && strlen(at) <= KEEP ? at : "";
	int w = strlen(s) <= KEEP ? snprintf(buf + used, len - used, "/%s", s)
				  : snprintf(buf + used, len - used, "/%.*s...%s",
					     (int)(base < KEEP ? base : KEEP), s, unit);

	return (w < 0 || (size_t)w >= len - used) ? len - 1 : used + (size_t)w;
}

/*
 * A path too long for @buf is written with each long component cut short, so
 * that a message still shows where the node is.
 */
static void short_path(const struct bh_ctx *c, int node, char *buf)
{
	int depth = fdt_node_depth(c->fdt, node);
	size_t used = 0;

	snprintf(buf, BHCC_PATH_MAX, "/");
	for (int d = 1; d <= depth && used < BHCC_PATH_MAX - 1; d++) {
		int at = fdt_supernode_atdepth_offset(c->fdt, node, d, NULL);

		used = append_name(buf, used, BHCC_PATH_MAX, at < 0 ? "?" : node_name(c, at));
	}
}

const char *node_path(const struct bh_ctx *c, int node, char *buf)
{
	if (fdt_get_path(c->fdt, node, buf, BHCC_PATH_MAX) != 0)
		short_path(c, node, buf);
	return buf;
}

void nodes_check_paths(struct bh_ctx *c)
{
	/* len[d]: path length of the current node at depth d; a path of depth d is
	 * at least 2 * d characters long, so deeper ones never fit. */
	enum { DEPTH_MAX = BHCC_PATH_MAX / 2 + 1 };
	size_t len[DEPTH_MAX + 1] = { 0 };
	char path[BHCC_PATH_MAX];
	int depth = 0, cut = -1;

	for (int node = fdt_next_node(c->fdt, 0, &depth); node >= 0 && depth > 0;
	     node = fdt_next_node(c->fdt, node, &depth)) {
		size_t here;

		if (cut >= 0 && depth > cut)
			continue;   /* below a node already reported */
		cut = -1;
		here = depth > DEPTH_MAX ? BHCC_PATH_MAX
					 : len[depth - 1] + 1 + strlen(node_name(c, node));
		if (here < BHCC_PATH_MAX) {
			len[depth] = here;
			continue;
		}
		cut = depth;
		diag_error(c->diag, node_path(c, node, path), NULL,
			   "node path longer than %d characters (the node name has %zu); shorten the name",
			   BHCC_PATH_MAX - 1, strlen(node_name(c, node)));
	}
}

const char *node_name(const struct bh_ctx *c, int node)
{
	const char *name = fdt_get_name(c->fdt, node, NULL);

	return name ? name : "";
}

bool node_is(const struct bh_ctx *c, int node, const char *base)
{
	const char *name = node_name(c, node);
	size_t n = strlen(base);

	return strncmp(name, base, n) == 0 && (name[n] == '\0' || name[n] == '@');
}

static bool listed(const char *name, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(name, *allowed) == 0)
			return true;
	return false;
}

void node_no_children(struct bh_ctx *c, int node, const char *path)
{
	int child;

	fdt_for_each_subnode(child, c->fdt, node)
		diag_error(c->diag, path, NULL, "unknown node '%s'", node_name(c, child));
}

void props_whitelist2(struct bh_ctx *c, int node, const char *path, const char *const *allowed,
		      const char *const *more)
{
	int prop;

	fdt_for_each_property_offset(prop, c->fdt, node) {
		const char *name;

		if (!fdt_getprop_by_offset(c->fdt, prop, &name, NULL))
			continue;
		/* dtc adds these wherever a label is referenced. */
		if (strcmp(name, "phandle") == 0 || strcmp(name, "linux,phandle") == 0)
			continue;
		if (!listed(name, allowed) && !(more && listed(name, more)))
			diag_error(c->diag, path, NULL, "unknown property '%s'", name);
	}
}

void props_whitelist(struct bh_ctx *c, int node, const char *path, const char *const *allowed)
{
	props_whitelist2(c, node, path, allowed, NULL);
}

void prop_missing(struct bh_ctx *c, const char *path, const char *name)
{
	diag_error(c->diag, path, name, "missing required property");
}

/* Fetches a property; reports it when required and absent. */
static const void *get(struct bh_ctx *c, int node, const char *path, const char *name,
		       bool required, int *len)
{
	const void *p = fdt_getprop(c->fdt, node, name, len);

	if (!p && required)
		prop_missing(c, path, name);
	return p;
}

static uint64_t read_cells(const fdt32_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

int prop_u32(struct bh_ctx *c, int node, const char *path, const char *name, bool required,
	     uint32_t *out)
{
	int len;
	const fdt32_t *p = get(c, node, path, name, required, &len);

	if (!p)
		return PROP_ABSENT;
	if (len != 4) {
		diag_error(c->diag, path, name, "expected one 32-bit cell, got %d bytes", len);
		return PROP_BAD;
	}
	*out = fdt32_to_cpu(*p);
	return PROP_OK;
}

int prop_empty(struct bh_ctx *c, int node, const char *path, const char *name, bool required)
{
	int len;

	if (!get(c, node, path, name, required, &len))
		return PROP_ABSENT;
	if (len != 0) {
		diag_error(c->diag, path, name, "expected an empty property, got %d bytes", len);
		return PROP_BAD;
	}
	return PROP_OK;
}

int prop_string(struct bh_ctx *c, int node, const char *path, const char *name, bool required,
		const char **out)
{
	int len;
	const char *p = get(c, node, path, name, required, &len);

	if (!p)
		return PROP_ABSENT;
	if (len < 1 || p[len - 1] != '\0' || (int)strlen(p) != len - 1) {
		diag_error(c->diag, path, name, "expected one string");
		return PROP_BAD;
	}
	if (len == 1) {
		diag_error(c->diag, path, name, "must not be empty");
		return PROP_BAD;
	}
	*out = p;
	return PROP_OK;
}

int prop_stringlist(struct bh_ctx *c, int node, const char *path, const char *name, bool required,
		    const char **out, int *len)
{
	const char *p = get(c, node, path, name, required, len);

	if (!p)
		return PROP_ABSENT;
	if (*len < 2 || p[*len - 1] != '\0') {
		diag_error(c->diag, path, name, "expected one or more strings");
		return PROP_BAD;
	}
	for (int i = 0; i < *len; i += (int)strlen(p + i) + 1) {
		if (p[i] == '\0') {
			diag_error(c->diag, path, name, "must not contain an empty string");
			return PROP_BAD;
		}
	}
	*out = p;
	return PROP_OK;
}

int prop_ncells(struct bh_ctx *c, int node, const char *path, const char *name, bool required,
		unsigned min, unsigned max, unsigned *out)
{
	uint32_t v;
	int r = prop_u32(c, node, path, name, required, &v);

	if (r != PROP_OK)
		return r;
	if (v < min || v > max) {
		if (min == max)
			diag_error(c->diag, path, name, "must be %u, got %u", min, v);
		else
			diag_error(c->diag, path, name, "must be %u or %u, got %u", min, max, v);
		return PROP_BAD;
	}
	*out = v;
	return PROP_OK;
}

int prop_address(struct bh_ctx *c, int node, const char *path, const char *name, bool required,
		 unsigned ac, uint64_t *out)
{
	int len;
	const fdt32_t *p = get(c, node, path, name, required, &len);

	if (!p)
		return PROP_ABSENT;
	if (len != (int)(4 * ac)) {
		diag_error(c->diag, path, name,
			   "expected one address of %u cells (#address-cells), got %d bytes", ac, len);
		return PROP_BAD;
	}
	*out = read_cells(p, ac);
	return PROP_OK;
}

int prop_reg(struct bh_ctx *c, int node, const char *path, const char *name, bool required,
	     unsigned ac, unsigned sc, struct bh_range *out, unsigned max, unsigned *n)
{
	int len;
	const fdt32_t *p = get(c, node, path, name, required, &len);
	int entry = (int)(4 * (ac + sc));

	if (!p)
		return PROP_ABSENT;
	if (len == 0 || len % entry != 0) {
		diag_error(c->diag, path, name,
			   "expected (address, size) pairs of %u+%u cells (#address-cells, #size-cells), got %d bytes",
			   ac, sc, len);
		return PROP_BAD;
	}
	if ((unsigned)(len / entry) > max) {
		if (max == 1)
			diag_error(c->diag, path, name, "expected one (address, size) pair, got %d",
				   len / entry);
		else
			diag_error(c->diag, path, name, "%d ranges, at most %u are supported here",
				   len / entry, max);
		return PROP_BAD;
	}
	*n = (unsigned)(len / entry);
	for (unsigned i = 0; i < *n; i++) {
		out[i].base = read_cells(p + i * (ac + sc), ac);
		out[i].size = read_cells(p + i * (ac + sc) + ac, sc);
	}
	return PROP_OK;
}

int prop_u32_list(struct bh_ctx *c, int node, const char *path, const char *name, bool required,
		  uint32_t *out, unsigned max, unsigned *n)
{
	int len;
	const fdt32_t *p = get(c, node, path, name, required, &len);

	if (!p)
		return PROP_ABSENT;
	if (len == 0 || len % 4 != 0) {
		diag_error(c->diag, path, name, "expected one or more 32-bit cells, got %d bytes", len);
		return PROP_BAD;
	}
	if ((unsigned)(len / 4) > max) {
		diag_error(c->diag, path, name, "%d entries, at most %u are supported here",
			   len / 4, max);
		return PROP_BAD;
	}
	*n = (unsigned)(len / 4);
	for (unsigned i = 0; i < *n; i++)
		out[i] = fdt32_to_cpu(p[i]);
	return PROP_OK;
}

int prop_phandles(struct bh_ctx *c, int node, const char *path, const char *name, bool required,
		  uint32_t *phandles, int *offsets, unsigned max, unsigned *n)
{
	int r = prop_u32_list(c, node, path, name, required, phandles, max, n);

	if (r != PROP_OK)
		return r;
	for (unsigned i = 0; i < *n; i++)
		offsets[i] = fdt_node_offset_by_phandle(c->fdt, phandles[i]);
	return PROP_OK;
}

void node_check_unit_address(struct bh_ctx *c, int node, const char *path, uint64_t base)
{
	const char *at = strchr(node_name(c, node), '@');
	unsigned long long v;
	char *end;

	if (!at)
		return;
	errno = 0;
	v = strtoull(at + 1, &end, 16);
	if (at[1] == '\0' || *end != '\0' || errno != 0 || !strchr("0123456789abcdefABCDEF", at[1])) {
		diag_error(c->diag, path, NULL, "unit address '%s' is not a hexadecimal number", at + 1);
		return;
	}
	if (v != base)
		diag_error(c->diag, path, NULL,
			   "unit address '%s' does not match the address in reg (0x%llx)",
			   at + 1, (unsigned long long)base);
}

void parse_container_cells(struct bh_ctx *c, int node, const unsigned *count, unsigned max, const char *what,
			   const struct container_cells *cells, container_child_fn each)
{
	static const char *const container_props[] = { "#address-cells", "#size-cells", NULL };
	char path[BHCC_PATH_MAX];
	unsigned ac = 0, sc = 0;
	int child;

	node_path(c, node, path);
	props_whitelist(c, node, path, container_props);
	prop_ncells(c, node, path, "#address-cells", true, cells->ac_min, cells->ac_max, &ac);
	prop_ncells(c, node, path, "#size-cells", true, cells->sc_min, cells->sc_max, &sc);
	fdt_for_each_subnode(child, c->fdt, node) {
		if (*count == max) {
			diag_error(c->diag, path, NULL, "more than %u %s", max, what);
			return;
		}
		each(c, child, ac, sc);
	}
}

void parse_container(struct bh_ctx *c, int node, const unsigned *count, unsigned max, const char *what,
		     container_child_fn each)
{
	static const struct container_cells one_or_two = { 1, 2, 1, 2 };

	parse_container_cells(c, node, count, max, what, &one_or_two, each);
}
