/* SPDX-License-Identifier: MIT */
/*
 * A partition's part in the service partition's world: `service` (it is
 * the service partition), `console` and its `console-*` properties (how it
 * prints and reads), `service-control` (the service partition may stop and
 * restart it). Checked against each other and against the system by
 * channels_generate(), once every partition is known.
 */
#include <string.h>

#include "cfg.h"
#include "props.h"

void parse_partition_console(struct bh_ctx *c, struct bh_partition *p, int node, unsigned ac)
{
	const char *kind;
	int r;

	p->console_channel = -1;
	p->disk = -1;   /* disks_generate() makes it a client */
	p->service = prop_empty(c, node, p->path, "service", false) == PROP_OK;
	p->service_control = prop_empty(c, node, p->path, "service-control", false) == PROP_OK;
	p->has_console_doorbell =
		prop_u32(c, node, p->path, "console-doorbell", false, &p->console_doorbell) == PROP_OK;
	p->has_console_irq = prop_u32(c, node, p->path, "console-interrupt", false, &p->console_irq) == PROP_OK;
	p->has_console_address =
		ac && prop_address(c, node, p->path, "console-address", false, ac, &p->console_address) == PROP_OK;
	p->console = CFG_CONSOLE_NONE;
	r = prop_string(c, node, p->path, "console", false, &kind);
	if (r != PROP_OK)
		return;
	if (strcmp(kind, "channel") == 0)
		p->console = CFG_CONSOLE_CHANNEL;
	else if (strcmp(kind, "pl011") == 0)
		p->console = CFG_CONSOLE_PL011;
	else if (strcmp(kind, "ns16550") == 0)
		p->console = CFG_CONSOLE_NS16550;
	else
		diag_error(c->diag, p->path, "console",
			   "unknown console '%s' (expected \"channel\", \"pl011\" or \"ns16550\")", kind);
}
