/* SPDX-License-Identifier: MIT */
/*
 * Doorbells (bhrt_channel.h) need the partition's interrupt controller
 * (the local APIC), which the x86 runtime does not drive yet: no doorbell
 * can be enabled, so a channel end with a doorbell does not open
 * (rt_channel_open says RT_RING_INVALID) and a channel without one polls.
 */
#include <stdbool.h>
#include <stdint.h>

#include "bhrt.h"
#include "bhrt_channel.h"

int rt_doorbell_enable(uint32_t intid)
{
	(void)intid;
	return -1;
}

uint32_t rt_doorbell_count(uint32_t intid)
{
	(void)intid;
	return 0u;
}

bool rt_doorbell_wait(uint32_t intid, uint32_t *seen, uint64_t deadline)
{
	(void)intid;
	(void)seen;
	(void)deadline;
	return false;
}
