/* SPDX-License-Identifier: MIT */
/*
 * The partition hooks of a back end whose partitions have no properties,
 * guest windows or cross-partition checks of their architecture: x86's
 * (tools/configc/x86/backend.mk) and the null back end of the front end's
 * tests (tests/unit/configc_front.mk) link this one copy.
 */
#include "backend.h"

const char *const be_partition_props[] = { NULL };

void be_parse_partition(struct bh_ctx *c, struct bh_partition *p, int node)
{
	(void)c;
	(void)p;
	(void)node;
}

unsigned be_guest_windows(const struct bh_system *sys, const struct bh_partition *p, struct be_window *out)
{
	(void)sys;
	(void)p;
	(void)out;
	return 0;
}

void be_validate_partitions(struct bh_ctx *c)
{
	(void)c;
}
