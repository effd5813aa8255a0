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
