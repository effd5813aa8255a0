/* SPDX-License-Identifier: MIT */
/*
 * Typed reads of device tree properties. Each reader checks the length and
 * shape of the property and reports a malformed or missing one itself, so
 * the parsers only deal with meaning.
 */
#ifndef BHCC_PROPS_H
#define BHCC_PROPS_H

#include <stdbool.h>
#include <stdint.h>

#include "bhcc.h"

/* Every reader returns one of these. PROP_BAD means an error was reported. */
#define PROP_ABSENT 0
#define PROP_OK 1
#define PROP_BAD (-1)

/**
 * Writes the full path of @node into @buf (BHCC_PATH_MAX bytes) and returns
 * it; a path that does not fit is written with long names cut short ("...").
 */
const char *node_path(const struct bh_ctx *c, int node, char *buf);

/**
 * Reports every node whose full path does not fit BHCC_PATH_MAX; node_path()
 * gives such a node a shortened path, so that nothing else overflows.
 */
void nodes_check_paths(struct bh_ctx *c);

/** The node's name, unit address included. */
const char *node_name(const struct bh_ctx *c, int node);

/** True when the node's name before any '@' is @base. */
bool node_is(const struct bh_ctx *c, int node, const char *base);

/**
 * Reports each property of @node that is not in @allowed (NULL terminated).
 * dtc's phandle and linux,phandle are always allowed.
 */
void props_whitelist(struct bh_ctx *c, int node, const char *path, const char *const *allowed);

/** props_whitelist() with the names of two lists (@more may be NULL). */
void props_whitelist2(struct bh_ctx *c, int node, const char *path, const char *const *allowed,
		      const char *const *more);

/** Reports every subnode of @node: the binding allows none there. */
void node_no_children(struct bh_ctx *c, int node, const char *path);

/** Reports a missing required property. */
void prop_missing(struct bh_ctx *c, const char *path, const char *name);

/** One 32-bit cell. */
int prop_u32(struct bh_ctx *c, int node, const char *path, const char *name, bool required,
	     uint32_t *out);

/** A property with no value (like interrupt-controller). */
int prop_empty(struct bh_ctx *c, int node, const char *path, const char *name, bool required);

/** Exactly one non-empty string. */
int prop_string(struct bh_ctx *c, int node, const char *path, const char *name, bool required,
		const char **out);

/** A list of one or more non-empty strings; @len is the raw length in bytes. */
int prop_stringlist(struct bh_ctx *c, int node, const char *path, const char *name, bool required,
		    const char **out, int *len);

/** #address-cells or #size-cells with a value in [min, max]. */
int prop_ncells(struct bh_ctx *c, int node, const char *path, const char *name, bool required,
		unsigned min, unsigned max, unsigned *out);

/** One address of @ac cells. */
int prop_address(struct bh_ctx *c, int node, const char *path, const char *name, bool required,
		 unsigned ac, uint64_t *out);

/** One or more (address, size) pairs, at most @max of them. */
int prop_reg(struct bh_ctx *c, int node, const char *path, const char *name, bool required,
	     unsigned ac, unsigned sc, struct bh_range *out, unsigned max, unsigned *n);

/** One or more 32-bit cells, at most @max. */
int prop_u32_list(struct bh_ctx *c, int node, const char *path, const char *name, bool required,
		  uint32_t *out, unsigned max, unsigned *n);

/**
 * One or more phandles, at most @max. @offsets[i] is the node each refers to,
 * or a negative value when no node has that phandle (the caller reports it).
 */
int prop_phandles(struct bh_ctx *c, int node, const char *path, const char *name, bool required,
		  uint32_t *phandles, int *offsets, unsigned max, unsigned *n);

/** Checks that a unit address, if the node name has one, equals @base. */
/** Parses one child of a container node with the container's #address-cells and #size-cells. */
typedef void (*container_child_fn)(struct bh_ctx *c, int node, unsigned ac, unsigned sc);

/**
 * A container node (/channels, /shared-memory): only #address-cells and
 * #size-cells (1 or 2, required), then `each` for every child while
 * `*count` (which `each` advances) is below `max`; one more child is an
 * error naming `what`.
 */
void parse_container(struct bh_ctx *c, int node, const unsigned *count, unsigned max, const char *what,
		     container_child_fn each);

/** The #address-cells and #size-cells a container accepts (inclusive ranges). */
struct container_cells {
	unsigned ac_min, ac_max, sc_min, sc_max;
};

/** parse_container() with other cell counts than 1 or 2 (x86's /board/isa: 2 and 1). */
void parse_container_cells(struct bh_ctx *c, int node, const unsigned *count, unsigned max, const char *what,
			   const struct container_cells *cells, container_child_fn each);

void node_check_unit_address(struct bh_ctx *c, int node, const char *path, uint64_t base);

#endif /* BHCC_PROPS_H */
