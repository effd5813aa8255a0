/* SPDX-License-Identifier: MIT */
/*
 * A minimal, bounded reader of the device tree the hypervisor passes in x0:
 * enough for a partition to read its root and /chosen properties.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "bhrt.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
/* FDT_END (9) and anything unknown end the walk. */

/** A walk over the structure block; offsets are from the start of the blob. */
struct fdt_walk {
	const uint8_t *fdt;
	uint64_t pos;            /* the next token */
	uint64_t end;            /* end of the structure block */
	uint64_t strings;        /* the strings block */
	uint64_t strings_size;
	int depth;
	bool in_node;            /* inside the node asked for */
	bool stop;               /* found, or the blob is malformed */
};

/* Implements: REQ-CHN-031 */
static size_t bounded_strlen(const char *s, size_t max)
{
	size_t n = 0;

	while ((n < max) && (s[n] != '\0')) {
		n++;
	}
	return n;
}

static uint32_t be32(const uint8_t *fdt, uint64_t off)
{
	return ((uint32_t)fdt[off] << 24) | ((uint32_t)fdt[off + 1u] << 16) | ((uint32_t)fdt[off + 2u] << 8) |
	       (uint32_t)fdt[off + 3u];
}

static const uint8_t *fdt_blob(void)
{
	return (const uint8_t *)(uintptr_t)rt_dtb();
}

uint32_t rt_fdt_size(void)
{
	const uint8_t *fdt = fdt_blob();
	uint32_t size = 0u;

	if ((fdt != NULL) && (be32(fdt, 0u) == FDT_MAGIC)) {
		size = be32(fdt, 4u);
	}
	return size;
}

/* FDT_BEGIN_NODE: enters a node. Depth 1 is the root (empty name); "" asks for the root itself. */
/* Implements: REQ-CHN-031 */
static void walk_begin_node(struct fdt_walk *w, const char *node)
{
	const char *n = (const char *)&w->fdt[w->pos];
	size_t l = bounded_strlen(n, (size_t)(w->end - w->pos));

	w->depth++;
	if (node[0] == '\0') {
		w->in_node = (w->depth == 1);
	} else {
		w->in_node = (w->depth == 2) && (strcmp(n, node) == 0);
	}
	w->pos += ((uint64_t)l + 4u) & ~(uint64_t)3u;
}

/* FDT_PROP: the value when it is the property asked for, else NULL. */
/* Implements: REQ-CHN-031 */
static const void *walk_prop(struct fdt_walk *w, const char *name, uint32_t *len)
{
	const void *found = NULL;

	if ((w->pos + 8u) > w->end) {
		w->stop = true;
	} else {
		uint32_t plen = be32(w->fdt, w->pos);
		uint32_t nameoff = be32(w->fdt, w->pos + 4u);

		w->pos += 8u;
		if (((uint64_t)plen > (w->end - w->pos)) || ((uint64_t)nameoff >= w->strings_size)) {
			w->stop = true;
		} else if (w->in_node && (strcmp((const char *)&w->fdt[w->strings + nameoff], name) == 0)) {
			*len = plen;
			found = &w->fdt[w->pos];
			w->stop = true;
		} else {
			w->pos += ((uint64_t)plen + 3u) & ~(uint64_t)3u;
		}
	}
	return found;
}

/* Implements: REQ-CHN-031 */
static const void *walk(struct fdt_walk *w, const char *node, const char *name, uint32_t *len)
{
	const void *found = NULL;

	while (!w->stop && ((w->pos + 4u) <= w->end)) {
		uint32_t token = be32(w->fdt, w->pos);

		w->pos += 4u;
		if (token == FDT_BEGIN_NODE) {
			walk_begin_node(w, node);
		} else if (token == FDT_END_NODE) {
			w->depth--;
			w->in_node = (node[0] == '\0') && (w->depth == 1);
		} else if (token == FDT_PROP) {
			found = walk_prop(w, name, len);
		} else if (token != FDT_NOP) {
			w->stop = true;
		} else {
			/* FDT_NOP: nothing to do */
		}
	}
	return found;
}

const void *rt_fdt_property(const char *node, const char *name, uint32_t *len)
{
	const uint8_t *fdt = fdt_blob();
	uint32_t size = rt_fdt_size();
	const void *found = NULL;

	if (size != 0u) {
		uint32_t off_struct = be32(fdt, 8u);
		uint32_t off_strings = be32(fdt, 12u);
		uint32_t size_struct = be32(fdt, 36u);

		if ((off_struct < size) && (size_struct <= (size - off_struct)) && (off_strings < size)) {
			struct fdt_walk w = { fdt, off_struct, (uint64_t)off_struct + size_struct, off_strings,
					      (uint64_t)size - off_strings, 0, false, false };
			found = walk(&w, node, name, len);
		}
	}
	return found;
}

uint64_t rt_bootarg(const char *key, uint64_t fallback)
{
	uint32_t len = 0u;
	const char *args = rt_fdt_property("chosen", "bootargs", &len);
	size_t klen = strlen(key);
	uint64_t value = fallback;
	bool searching = (args != NULL) && (len != 0u) && (args[len - 1u] == '\0');

	for (size_t i = 0u; searching && (args[i] != '\0'); i++) {
		if (((i == 0u) || (args[i - 1u] == ' ')) && (strncmp(&args[i], key, klen) == 0) &&
		    (args[i + klen] == '=')) {
			errno = 0;
			value = strtoull(&args[i + klen + 1u], NULL, 0);
			if (errno != 0) {
				value = fallback;   /* out of range: not a number this program can use */
			}
			searching = false;
		}
	}
	return value;
}

/*
 * Nodes directly under the root, found by `compatible`, and their
 * properties: what the channel and shared-memory code reads. Every offset
 * is checked against the structure block before it is read, so a malformed
 * blob ends a search instead of leading it astray. The walks never call the
 * C library: they also run before the MMU is on.
 */

/** The blocks of a checked blob (offsets from its start). */
struct fdt_blob {
	const uint8_t *fdt;
	uint64_t start;          /* the structure block */
	uint64_t end;
	uint64_t strings;        /* the strings block */
	uint64_t strings_size;
};

/** One token: its kind, where the next one starts, and for a node or property what it names. */
struct fdt_token {
	uint32_t kind;
	uint64_t next;
	const char *name;        /* FDT_BEGIN_NODE: node name; FDT_PROP: property name */
	size_t name_max;         /* FDT_PROP: bytes of the strings block from name on */
	const void *value;       /* FDT_PROP */
	uint32_t len;            /* FDT_PROP */
};

/* Implements: REQ-CHN-031 */
static bool blob_open(struct fdt_blob *b)
{
	uint32_t size = rt_fdt_size();
	bool ok = false;

	if (size != 0u) {
		uint32_t off_struct = be32(fdt_blob(), 8u);
		uint32_t off_strings = be32(fdt_blob(), 12u);
		uint32_t size_struct = be32(fdt_blob(), 36u);

		if ((off_struct < size) && (size_struct <= (size - off_struct)) && (off_strings < size)) {
			b->fdt = fdt_blob();
			b->start = off_struct;
			b->end = (uint64_t)off_struct + size_struct;
			b->strings = off_strings;
			b->strings_size = (uint64_t)size - off_strings;
			ok = true;
		}
	}
	return ok;
}

/* Equal strings, `a` read at most `max` bytes (it may be unterminated blob data). */
static bool name_equal(const char *a, const char *b, size_t max)
{
	size_t i = 0u;

	while ((i < max) && (a[i] == b[i]) && (b[i] != '\0')) {
		i++;
	}
	return (i < max) && (a[i] == b[i]);
}

static bool prop_token(const struct fdt_blob *b, uint64_t pos, struct fdt_token *t)
{
	uint32_t plen;
	uint32_t nameoff;

	if ((pos + 8u) > b->end) {
		return false;
	}
	plen = be32(b->fdt, pos);
	nameoff = be32(b->fdt, pos + 4u);
	if (((uint64_t)plen > (b->end - (pos + 8u))) || ((uint64_t)nameoff >= b->strings_size)) {
		return false;
	}
	t->name = (const char *)&b->fdt[b->strings + nameoff];
	t->name_max = (size_t)(b->strings_size - nameoff);
	t->value = &b->fdt[pos + 8u];
	t->len = plen;
	t->next = pos + 8u + (((uint64_t)plen + 3u) & ~(uint64_t)3u);
	return true;
}

/* Decodes the token at pos; false at FDT_END, an unknown token or a malformed one. */
static bool token_at(const struct fdt_blob *b, uint64_t pos, struct fdt_token *t)
{
	bool ok = true;

	if ((pos + 4u) > b->end) {
		return false;
	}
	t->kind = be32(b->fdt, pos);
	t->next = pos + 4u;
	if (t->kind == FDT_BEGIN_NODE) {
		size_t l = bounded_strlen((const char *)&b->fdt[pos + 4u], (size_t)(b->end - (pos + 4u)));

		t->name = (const char *)&b->fdt[pos + 4u];
		t->next += ((uint64_t)l + 4u) & ~(uint64_t)3u;
	} else if (t->kind == FDT_PROP) {
		ok = prop_token(b, pos + 4u, t);
	} else {
		ok = (t->kind == FDT_END_NODE) || (t->kind == FDT_NOP);
	}
	return ok;
}

/* The property `name` of the node whose FDT_BEGIN_NODE is at `node`, not of its children. */
static const void *node_property(const struct fdt_blob *b, uint64_t node, const char *name, uint32_t *len)
{
	struct fdt_token t;
	uint64_t pos = node;
	int depth = 0;

	while (token_at(b, pos, &t)) {
		if (t.kind == FDT_BEGIN_NODE) {
			depth++;
		} else if (t.kind == FDT_END_NODE) {
			depth--;
			if (depth <= 0) {
				break;
			}
		} else if ((t.kind == FDT_PROP) && (depth == 1) && name_equal(t.name, name, t.name_max)) {
			*len = t.len;
			return t.value;
		} else {
			/* a child's property, or FDT_NOP */
		}
		pos = t.next;
	}
	return NULL;
}

/* Whether a string-list property contains `want`. */
static bool list_contains(const char *list, uint32_t len, const char *want)
{
	uint32_t at = 0u;

	while (at < len) {
		uint32_t left = len - at;
		size_t l = bounded_strlen(&list[at], (size_t)left);

		if (name_equal(&list[at], want, (size_t)left)) {
			return true;
		}
		at += (uint32_t)l + 1u;
	}
	return false;
}

uint32_t rt_fdt_next_compatible(uint32_t after, const char *compatible)
{
	struct fdt_blob b;
	struct fdt_token t;
	uint64_t pos;
	int depth = 0;

	if (!blob_open(&b)) {
		return 0u;
	}
	pos = b.start;
	while (token_at(&b, pos, &t)) {
		if (t.kind == FDT_BEGIN_NODE) {
			depth++;
			if ((depth == 2) && (pos > after)) {
				uint32_t len = 0u;
				const char *c = node_property(&b, pos, "compatible", &len);

				if ((c != NULL) && list_contains(c, len, compatible)) {
					return (uint32_t)pos;
				}
			}
		} else if (t.kind == FDT_END_NODE) {
			depth--;
		} else {
			/* a property or FDT_NOP */
		}
		pos = t.next;
	}
	return 0u;
}

const void *rt_fdt_node_property(uint32_t node, const char *name, uint32_t *len)
{
	struct fdt_blob b;
	struct fdt_token t;

	if (!blob_open(&b) || (node < b.start) || !token_at(&b, node, &t) || (t.kind != FDT_BEGIN_NODE)) {
		return NULL;
	}
	return node_property(&b, node, name, len);
}

bool rt_fdt_node_string(uint32_t node, const char *name, const char **value)
{
	uint32_t len = 0u;
	const char *s = rt_fdt_node_property(node, name, &len);
	bool ok = (s != NULL) && (len != 0u) && (s[len - 1u] == '\0');

	if (ok) {
		*value = s;
	}
	return ok;
}

bool rt_fdt_node_u32(uint32_t node, const char *name, uint32_t *value)
{
	uint32_t len = 0u;
	const uint8_t *p = rt_fdt_node_property(node, name, &len);
	bool ok = (p != NULL) && (len == 4u);

	if (ok) {
		*value = be32(p, 0u);
	}
	return ok;
}

/* A property of 64-bit cells pairs, into out[0 .. max): how many, or 0 when absent, malformed or too long. */
static uint32_t u64s_of(const uint8_t *p, uint32_t len, uint64_t *out, uint32_t max)
{
	uint32_t n = len / 8u;

	if ((p == NULL) || (len == 0u) || ((len % 8u) != 0u) || (n > max)) {
		return 0u;
	}
	for (uint32_t i = 0u; i < n; i++) {
		out[i] = ((uint64_t)be32(p, 8u * i) << 32) | be32(p, (8u * i) + 4u);
	}
	return n;
}

uint32_t rt_fdt_node_u64s(uint32_t node, const char *name, uint64_t *out, uint32_t max)
{
	uint32_t len = 0u;
	const uint8_t *p = rt_fdt_node_property(node, name, &len);

	return u64s_of(p, len, out, max);
}

uint32_t rt_fdt_u64s(const char *node, const char *name, uint64_t *out, uint32_t max)
{
	uint32_t len = 0u;
	const uint8_t *p = rt_fdt_property(node, name, &len);

	return u64s_of(p, len, out, max);
}

bool rt_fdt_node_reg(uint32_t node, uint64_t *base, uint64_t *size)
{
	uint32_t len = 0u;
	const uint8_t *p = rt_fdt_node_property(node, "reg", &len);
	bool ok = (p != NULL) && (len == 16u);   /* the guest tree's root: 2 address and 2 size cells */

	if (ok) {
		*base = ((uint64_t)be32(p, 0u) << 32) | be32(p, 4u);
		*size = ((uint64_t)be32(p, 8u) << 32) | be32(p, 12u);
	}
	return ok;
}
