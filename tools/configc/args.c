/* SPDX-License-Identifier: MIT */
/* The command line, kept apart from main() so that the unit tests can check it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bhcc.h"

static const char usage[] =
	"usage: bhcc --dtb FILE.dtb --source PATH.dts --out GENDIR --max-cores N\n"
	"            --max-partitions N\n"
	"            [--layout-only] [--images IMAGEDIR --srctree SRCDIR]\n"
	"Validates a Bulkhead system description and generates the hypervisor's tables.\n"
	"  --layout-only  pass 1: validate all but the images, write GENDIR/system.mk\n"
	"  otherwise      pass 2: also check the images, write config.c, load.list,\n"
	"                 isolation.md and one guest .dtb per partition with dtb-address\n";

static bool number(const char *s, unsigned min, unsigned max, unsigned *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v < min || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

int bhcc_parse_args(int argc, char **argv, struct bhcc_options *opt, FILE *err)
{
	static const struct {
		const char *name;
		unsigned min, max;
		size_t off;
	} nums[] = {
		{ "--max-cores", 1, BHCC_MAX_CPUS, offsetof(struct bhcc_options, max_cpus) },
		{ "--max-partitions", 1, BHCC_MAX_PARTITIONS,
		  offsetof(struct bhcc_options, max_partitions) },
	};
	const unsigned n_nums = sizeof(nums) / sizeof(nums[0]);
	bool have[2] = { false, false };

	memset(opt, 0, sizeof(*opt));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **str = NULL;
		bool done = false;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 2;
		}
		if (strcmp(a, "--layout-only") == 0) {
			opt->layout_only = true;
			continue;
		}
		if (strcmp(a, "--dtb") == 0)
			str = &opt->dtb;
		else if (strcmp(a, "--source") == 0)
			str = &opt->source;
		else if (strcmp(a, "--out") == 0)
			str = &opt->out;
		else if (strcmp(a, "--images") == 0)
			str = &opt->images;
		else if (strcmp(a, "--srctree") == 0)
			str = &opt->srctree;
		for (unsigned k = 0; k < n_nums && !str; k++)
			done = done || strcmp(a, nums[k].name) == 0;
		if ((str || done) && i + 1 >= argc) {
			fprintf(err, "bhcc: %s needs a value\n%s", a, usage);
			return 1;
		}
		done = false;
		if (str) {
			*str = argv[++i];
			continue;
		}
		for (unsigned k = 0; k < n_nums && !done; k++) {
			if (strcmp(a, nums[k].name) != 0)
				continue;
			if (!number(argv[++i], nums[k].min, nums[k].max,
				    (unsigned *)((char *)opt + nums[k].off))) {
				fprintf(err, "bhcc: %s: '%s' is not a number from %u to %u\n", a, argv[i],
					nums[k].min, nums[k].max);
				return 1;
			}
			have[k] = done = true;
		}
		if (!done) {
			fprintf(err, "bhcc: unknown argument '%s'\n%s", a, usage);
			return 1;
		}
	}
	if (!opt->dtb || !opt->out || !have[0] || !have[1]) {
		fprintf(err, "bhcc: --dtb, --out, --max-cores and --max-partitions are required\n%s", usage);
		return 1;
	}
	if (!opt->layout_only && (!opt->images || !opt->srctree)) {
		fprintf(err, "bhcc: pass 2 (without --layout-only) needs --images and --srctree\n%s", usage);
		return 1;
	}
	if (!opt->source)
		opt->source = opt->dtb;
	return 0;
}
