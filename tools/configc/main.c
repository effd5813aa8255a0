/* SPDX-License-Identifier: MIT */
/* bhcc: the Bulkhead config compiler. tools/configc/bhcc.h describes the stages. */
#include "bhcc.h"

int main(int argc, char **argv)
{
	struct bhcc_options opt;
	int r = bhcc_parse_args(argc, argv, &opt, stderr);

	if (r)
		return r == 2 ? 0 : r;
	return bhcc_run(&opt, stderr);
}
