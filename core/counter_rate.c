/* SPDX-License-Identifier: MIT */
/*
 * The counter's rate in a partition's boot information (counter_rate.h).
 */
#include "counter_rate.h"
#include "arch.h"
#include "cfg.h"

/* Implements: REQ-LNX-017 */
bool counter_rate_fill(const struct partition *p, uint8_t *b, uint64_t size)
{
	uint32_t at = p->cfg->counter_khz;
	uint64_t khz = arch_counter_hz() / 1000u;
	uint8_t digits[CFG_COUNTER_KHZ_DIGITS];
	uint32_t n = 0u;
	bool room;

	if (at == 0u) {
		return true;
	}
	room = (size >= CFG_COUNTER_KHZ_DIGITS) && (at <= (size - CFG_COUNTER_KHZ_DIGITS));
	for (uint32_t i = 0u; room && (i < CFG_COUNTER_KHZ_DIGITS); i++) {
		room = b[at + i] == (uint8_t)' ';
	}
	if (!room) {
		return false;
	}
	do {
		digits[n] = (uint8_t)('0' + (khz % 10u));
		khz /= 10u;
		n++;
	} while ((khz != 0u) && (n < CFG_COUNTER_KHZ_DIGITS));
	if (khz != 0u) {
		/* More digits than the room holds: its low digits alone would be a wrong rate. */
		return false;
	}
	for (uint32_t i = 0u; i < n; i++) {
		b[at + i] = digits[n - 1u - i];
	}
	return true;
}
