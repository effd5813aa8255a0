/* SPDX-License-Identifier: MIT */
/*
 * The root node. /board is parsed before the others whatever the document
 * order, because the hypervisor's console and the partitions refer to it;
 * /shared-memory and /channels after the partitions, whose names they use.
 */
#include <string.h>

#include <libfdt.h>

#include "props.h"

static const char *const root_props[] = {
	"compatible", "model", "#address-cells", "#size-cells", NULL
};

static void parse_root_props(struct bh_ctx *c, unsigned *ac, unsigned *sc)
{
	const char *compat, *model;
	int len;

	props_whitelist(c, 0, "/", root_props);
	if (prop_stringlist(c, 0, "/", "compatible", true, &compat, &len) == PROP_OK &&
	    strcmp(compat, "bulkhead,system") != 0)
		diag_error(c->diag, "/", "compatible", "must be \"bulkhead,system\", got \"%s\"", compat);
	if (prop_string(c, 0, "/", "model", false, &model) == PROP_OK) {
		if (strlen(model) >= sizeof(c->sys->model)) {
			diag_error(c->diag, "/", "model", "longer than %zu characters",
				   sizeof(c->sys->model) - 1);
		} else {
			strcpy(c->sys->model, model);
			c->sys->has_model = true;
		}
	}
	if (prop_ncells(c, 0, "/", "#address-cells", true, 1, 2, ac) != PROP_OK)
		*ac = 0;
	if (prop_ncells(c, 0, "/", "#size-cells", true, 1, 2, sc) != PROP_OK)
		*sc = 0;
}

void parse_system(struct bh_ctx *c)
{
	int board = -1, hyp = -1, parts = -1, shared = -1, channels = -1, disks = -1;
	unsigned ac, sc;
	int node;

	nodes_check_paths(c);
	parse_root_props(c, &ac, &sc);
	fdt_for_each_subnode(node, c->fdt, 0) {
		const char *name = node_name(c, node);
		char path[BHCC_PATH_MAX];

		if (strcmp(name, "board") == 0) {
			board = node;
		} else if (node_is(c, node, "hypervisor")) {
			if (hyp >= 0)
				diag_error(c->diag, node_path(c, node, path), NULL,
					   "a second hypervisor node; the system has exactly one (/%s)",
					   node_name(c, hyp));
			else
				hyp = node;
		} else if (strcmp(name, "partitions") == 0) {
			parts = node;
		} else if (strcmp(name, "shared-memory") == 0) {
			shared = node;
		} else if (strcmp(name, "channels") == 0) {
			channels = node;
		} else if (strcmp(name, "disks") == 0) {
			disks = node;
		} else if (strcmp(name, "__symbols__") != 0) {
			/* __symbols__ is what dtc -@ adds; everything else is the user's. */
			diag_error(c->diag, "/", NULL, "unknown node '%s'", name);
		}
	}
	if (board < 0)
		diag_error(c->diag, "/", NULL, "missing required node 'board'");
	else
		parse_board(c, board);
	if (hyp < 0)
		diag_error(c->diag, "/", NULL, "missing required node 'hypervisor@...'");
	else
		parse_hypervisor(c, hyp, ac, sc);
	if (parts < 0)
		diag_error(c->diag, "/", NULL, "missing required node 'partitions'");
	else
		parse_partitions(c, parts);
	/* After the partitions: its children name them. */
	if (shared >= 0)
		parse_shared(c, shared);
	if (channels >= 0)
		parse_channels(c, channels);
	if (disks >= 0)
		parse_disks(c, disks);
	channels_generate(c);
	disks_generate(c);
}
