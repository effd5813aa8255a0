/* SPDX-License-Identifier: MIT */
/* Formatting shared by the messages and the generated files. */
#include <string.h>
#include <unistd.h>

#include "bhcc.h"
#include "cfg.h"
#include "range.h"

const char *format_size(char *buf, size_t len, uint64_t size)
{
	static const char *const units[] = { "GiB", "MiB", "KiB" };
	static const unsigned shifts[] = { 30, 20, 10 };

	for (unsigned i = 0; i < 3; i++) {
		uint64_t unit = UINT64_C(1) << shifts[i];

		if (size >= unit && size % unit == 0) {
			snprintf(buf, len, "%llu %s", (unsigned long long)(size >> shifts[i]), units[i]);
			return buf;
		}
	}
	snprintf(buf, len, "%llu bytes", (unsigned long long)size);
	return buf;
}

const char *access_str(uint8_t access)
{
	static const char *const names[] = { "-", "r", "w", "rw", "x", "rx", "wx", "rwx" };

	return names[access & 7];
}

int partition_ram_at(const struct bh_partition *p, uint64_t addr)
{
	for (unsigned i = 0; i < p->n_ram; i++)
		if (p->regions[i].valid && range_contains(p->regions[i].ipa, p->regions[i].size, addr))
			return (int)i;
	return -1;
}

struct bh_range board_ram_span(const struct bh_board *b)
{
	uint64_t lo = UINT64_MAX, hi = 0;

	for (unsigned i = 0; i < b->n_ram; i++) {
		uint64_t last = range_last(b->ram[i].base, b->ram[i].size);

		lo = b->ram[i].base < lo ? b->ram[i].base : lo;
		hi = last > hi ? last : hi;
	}
	return b->n_ram ? (struct bh_range){ lo, hi - lo + 1 } : (struct bh_range){ 0, 0 };
}

bool absolute_path(const char *path, char *out, size_t len)
{
	char cwd[BHCC_FILE_MAX];
	int n;

	if (path[0] == '/') {
		n = snprintf(out, len, "%s", path);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return false;
		n = strcmp(path, ".") == 0 ? snprintf(out, len, "%s", cwd)
					   : snprintf(out, len, "%s/%s", cwd, path);
	}
	return n >= 0 && (size_t)n < len;
}

int partition_named(const struct bh_system *s, const char *name)
{
	for (unsigned i = 0; i < s->n_partitions; i++)
		if (s->partitions[i].valid_name && strcmp(s->partitions[i].name, name) == 0)
			return (int)i;
	return -1;
}
