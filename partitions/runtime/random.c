/* SPDX-License-Identifier: MIT */
/*
 * Repeatable pseudo-random numbers for test programs (xorshift64): the same
 * seed gives the same sequence on any run, natively or as a partition. Not
 * for secrets. One sequence per program, not per vCPU.
 */
#include "bhrt.h"

static uint64_t random_state = 3u;

void rt_random_seed(uint64_t seed)
{
	/* Odd, so never the 0 that xorshift would stay at; distinct seeds stay distinct. */
	random_state = (seed << 1) | 1u;
}

uint64_t rt_random(void)
{
	uint64_t x = random_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	random_state = x;
	return x;
}
