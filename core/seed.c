/* SPDX-License-Identifier: MIT */
/*
 * Per-boot seeds in a partition's device tree (see seed.h).
 */
#include "seed.h"
#include "arch.h"
#include "cfg.h"
#include "partition.h"

#define FDT_PROP 3u
#define FDT_NOP 4u
#define PROP_HEADER 12u        /* token, value length, name offset */
#define KASLR_SEED_SIZE 8u

/* Implements: REQ-LNX-007 */
static uint32_t be32_at(const uint8_t *b)
{
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | (uint32_t)b[3];
}

/* Implements: REQ-LNX-007 */
static void put_be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* Whether a property of `len` value bytes starts at `off` of the `size`-byte tree. */
/* Implements: REQ-LNX-007 */
static bool placeholder_at(const uint8_t *dt, uint64_t size, uint32_t off, uint32_t len)
{
	return (off != 0u) && ((off % 4u) == 0u) && (size >= PROP_HEADER) && (off <= (size - PROP_HEADER - len)) &&
	       (be32_at(&dt[off]) == FDT_PROP) && (be32_at(&dt[off + 4u]) == len);
}

/* The property's value from the entropy source, 8 bytes at a time; false when it has none. */
/* Implements: REQ-LNX-007 */
static bool fill(uint8_t *value, uint32_t len)
{
	for (uint32_t i = 0u; i < len; i += 8u) {
		uint64_t word = 0u;

		if (!arch_entropy(&word)) {
			return false;
		}
		for (uint32_t b = 0u; b < 8u; b++) {
			value[i + b] = (uint8_t)(word & 0xffu);
			word >>= 8u;
		}
	}
	return true;
}

/* The whole property (header and value, padded to 4) becomes FDT_NOP tokens, which parsers skip. */
/* Implements: REQ-LNX-007 */
static void nop_out(uint8_t *dt, uint32_t off, uint32_t len)
{
	uint32_t words = (PROP_HEADER + len + 3u) / 4u;

	for (uint32_t w = 0u; w < words; w++) {
		put_be32(&dt[off + (4u * w)], FDT_NOP);
	}
}

/* Implements: REQ-LNX-007 */
enum seed_result seeds_fill(const struct partition *p, uint8_t *dt, uint64_t size)
{
	uint32_t kaslr = p->cfg->kaslr_seed;
	uint32_t rng = p->cfg->rng_seed;
	bool filled;

	if ((kaslr == 0u) && (rng == 0u)) {
		return SEED_NONE;
	}
	if (!placeholder_at(dt, size, kaslr, KASLR_SEED_SIZE) || !placeholder_at(dt, size, rng, CFG_RNG_SEED_SIZE)) {
		return SEED_BAD_TABLE;
	}
	filled = fill(&dt[kaslr + PROP_HEADER], KASLR_SEED_SIZE) && fill(&dt[rng + PROP_HEADER], CFG_RNG_SEED_SIZE);
	if (!filled) {
		/* A seed the guest would trust but anyone could predict is worse than none. */
		nop_out(dt, kaslr, KASLR_SEED_SIZE);
		nop_out(dt, rng, CFG_RNG_SEED_SIZE);
		return SEED_REMOVED;
	}
	return SEED_FILLED;
}
