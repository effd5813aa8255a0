/* SPDX-License-Identifier: MIT */
/* /hypervisor@X: the region the hypervisor keeps for itself and its console. */
#include <string.h>

#include <libfdt.h>

#include "backend.h"
#include "props.h"

static const char *const hyp_props[] = { "reg", "console", NULL };

static void parse_console(struct bh_ctx *c, int node, const char *path)
{
	struct bh_hyp *h = &c->sys->hyp;
	char tpath[BHCC_PATH_MAX];
	struct bh_device *d;
	uint32_t ph;
	int target, idx;

	if (prop_u32(c, node, path, "console", true, &ph) != PROP_OK)
		return;
	target = fdt_node_offset_by_phandle(c->fdt, ph);
	if (target < 0) {
		diag_error(c->diag, path, "console", "phandle 0x%x does not refer to any node", ph);
		return;
	}
	idx = board_device_at(&c->sys->board, target);
	if (idx < 0) {
		diag_error(c->diag, path, "console", "%s is not a board device",
			   node_path(c, target, tpath));
		return;
	}
	d = &c->sys->board.devices[idx];
	if (!d->valid)
		return;   /* its own errors are reported; the hypervisor must not use it */
	for (const struct be_console *k = be_consoles; k->compatible && !h->console_kind; k++)
		if (fdt_stringlist_contains(d->compatible, (int)d->compatible_len, k->compatible))
			h->console_kind = k->kind;
	if (!h->console_kind) {
		diag_error(c->diag, path, "console", "%s is not a supported console (compatible %s)",
			   d->path, be_console_names);
		return;
	}
	/* Only the 16550 driver reads the register layout: anywhere else it would be ignored. */
	if (h->console_kind != BH_CONSOLE_NS16550 && (d->has_reg_shift || d->has_reg_io_width)) {
		diag_error(c->diag, path, "console",
			   "%s has %s, which only a \"ns16550a\" console's driver reads; remove it", d->path,
			   d->has_reg_shift ? "reg-shift" : "reg-io-width");
		return;
	}
	h->console = idx;
	d->owner = BHCC_OWNER_HYP;
}

void parse_hypervisor(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	struct bh_hyp *h = &c->sys->hyp;
	unsigned n;

	h->console = -1;
	node_path(c, node, h->path);
	props_whitelist(c, node, h->path, hyp_props);
	node_no_children(c, node, h->path);
	if (ac && sc &&
	    prop_reg(c, node, h->path, "reg", true, ac, sc, &h->reg, 1, &n) == PROP_OK) {
		node_check_unit_address(c, node, h->path, h->reg.base);
		h->valid = true;
	}
	parse_console(c, node, h->path);
}
