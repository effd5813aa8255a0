/*
 * A minimal, bounded reader of the device tree the hypervisor passes in x0:
 * enough for a partition to read its root and /chosen properties.
 */
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
#define FDT_END 9u

static size_t bounded_strlen(const char *s, size_t max)
{
	size_t n = 0;

	while ((n < max) && (s[n] != '\0')) {
		n++;
	}
	return n;
}

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

uint32_t rt_fdt_size(void)
{
	const uint8_t *fdt = (const uint8_t *)(uintptr_t)rt_dtb();

	if ((fdt == NULL) || (be32(fdt) != FDT_MAGIC)) {
		return 0;
	}
	return be32(fdt + 4);
}

const void *rt_fdt_property(const char *node, const char *name, uint32_t *len)
{
	const uint8_t *fdt = (const uint8_t *)(uintptr_t)rt_dtb();
	uint32_t size = rt_fdt_size();

	if (size == 0) {
		return NULL;
	}
	uint32_t off_struct = be32(fdt + 8);
	uint32_t off_strings = be32(fdt + 12);
	uint32_t size_struct = be32(fdt + 36);
	if ((off_struct >= size) || (size_struct > size - off_struct) || (off_strings >= size)) {
		return NULL;
	}
	const uint8_t *p = fdt + off_struct;
	const uint8_t *end = p + size_struct;
	int depth = 0;
	bool in_node = false;

	while (p + 4 <= end) {
		uint32_t token = be32(p);
		p += 4;
		if (token == FDT_BEGIN_NODE) {
			const char *n = (const char *)p;
			size_t l = bounded_strlen(n, (size_t)(end - p));
			depth++;
			/* Depth 1 is the root (empty name); "" asks for the root itself. */
			in_node = (node[0] == '\0') ? (depth == 1) : ((depth == 2) && (strcmp(n, node) == 0));
			p += (l + 4u) & ~3u;
		} else if (token == FDT_END_NODE) {
			depth--;
			in_node = (node[0] == '\0') && (depth == 1);
		} else if (token == FDT_PROP) {
			if (p + 8 > end) {
				return NULL;
			}
			uint32_t plen = be32(p);
			uint32_t nameoff = be32(p + 4);
			p += 8;
			if ((plen > (uint32_t)(end - p)) || (nameoff >= size - off_strings)) {
				return NULL;
			}
			if (in_node && (strcmp((const char *)fdt + off_strings + nameoff, name) == 0)) {
				*len = plen;
				return p;
			}
			p += (plen + 3u) & ~3u;
		} else if (token == FDT_NOP) {
			continue;
		} else {
			break;
		}
	}
	return NULL;
}

uint64_t rt_bootarg(const char *key, uint64_t fallback)
{
	uint32_t len;
	const char *args = rt_fdt_property("chosen", "bootargs", &len);
	size_t klen = strlen(key);

	if ((args == NULL) || (len == 0) || (args[len - 1] != '\0')) {
		return fallback;
	}
	for (const char *s = args; *s != '\0'; s++) {
		if (((s == args) || (s[-1] == ' ')) && (strncmp(s, key, klen) == 0) && (s[klen] == '=')) {
			return strtoull(s + klen + 1, NULL, 0);
		}
	}
	return fallback;
}
