/* SPDX-License-Identifier: MIT */
/*
 * The arithmetic of the guests' local APIC timer (vtimer.c), pure so that
 * the host's unit tests check it (tests/unit/test_x86_vtimer.c). The
 * guest's timer counts at the TSC's rate divided by its divide
 * configuration, so a count converts to TSC ticks by a shift and needs no
 * clock of its own; the physical timer that wakes the core counts at the
 * bus clock, converted by a Q32 ratio calibrated at boot (lapic.c).
 */
#ifndef X86_VTIMER_CALC_H
#define X86_VTIMER_CALC_H

#include <stdbool.h>
#include <stdint.h>

#define VTIMER_DCR_BITS 0xbu             /* divide configuration: bits 0, 1 and 3 */
#define VTIMER_Q32_MAX (1ULL << 33)      /* a bus clock at most twice the TSC's */
#define VTIMER_TICKS_MAX 0xffffffffu
#define VTIMER_DELTA_MAX ((1ULL << 31) - 1u)  /* TSC ticks one physical arming covers at most */

/** log2 of the divisor a divide configuration selects (0 for divide by 1 .. 7 for 128). */
static inline uint32_t vtimer_divide_shift(uint32_t dcr)
{
	uint32_t code = ((dcr & 8u) >> 1) | (dcr & 3u);

	return (code + 1u) & 7u;
}

/** TSC ticks of one count-down from `initial` (no overflow: a 32-bit count shifted by at most 7). */
static inline uint64_t vtimer_period(uint32_t initial, uint32_t shift)
{
	return (uint64_t)initial << shift;
}

/**
 * The current count `now` TSC ticks after the count-down of `initial` began
 * at `start`: counting down, reloaded each period when `periodic`, 0 once
 * a one-shot count ran out.
 */
static inline uint32_t vtimer_current(uint32_t initial, uint32_t shift, uint64_t start, uint64_t now, bool periodic)
{
	uint64_t period = vtimer_period(initial, shift);
	uint64_t elapsed = 0u;

	if (now > start) {
		elapsed = now - start;
	}

	if (period == 0u) {
		return 0u;
	}
	if (periodic) {
		elapsed %= period;
	} else if (elapsed >= period) {
		return 0u;
	} else {
		/* counting */
	}
	return initial - (uint32_t)(elapsed >> shift);
}

/**
 * The next expiry of a periodic timer whose expiry `deadline` has passed at
 * `now`: the first later multiple of `period` on, so that periods a slow
 * host missed are skipped instead of delivered in a burst.
 */
static inline uint64_t vtimer_next_periodic(uint64_t deadline, uint64_t period, uint64_t now)
{
	uint64_t missed = (now > deadline) ? ((now - deadline) / period) : 0u;

	return deadline + ((missed + 1u) * period);
}

/**
 * The physical timer's initial count for `delta` TSC ticks, with `q32` bus
 * ticks per TSC tick in Q32, rounded up so that it does not interrupt
 * before the deadline: at least 1 (0 would stop it), and a delta
 * beyond VTIMER_DELTA_MAX armed for VTIMER_DELTA_MAX only (the interrupt
 * then finds the deadline ahead and arms again).
 */
static inline uint32_t vtimer_bus_ticks(uint64_t delta, uint64_t q32)
{
	uint64_t d = delta;
	uint64_t q = q32;

	if (d > VTIMER_DELTA_MAX) {
		d = VTIMER_DELTA_MAX;
	}
	if (q > VTIMER_Q32_MAX) {
		q = VTIMER_Q32_MAX;
	}
	uint64_t ticks = ((d * q) + 0xffffffffULL) >> 32;

	if (ticks == 0u) {
		return 1u;
	}
	return (ticks > VTIMER_TICKS_MAX) ? VTIMER_TICKS_MAX : (uint32_t)ticks;
}

#endif /* X86_VTIMER_CALC_H */
