/* SPDX-License-Identifier: MIT */
/*
 * Memory the partition shares with others, as its device tree lists it
 * (channel and shared-memory nodes), mapped Normal write-back: the ring
 * protocol's barriers order Normal memory only, and both ends must use the
 * same attributes for the data to be coherent.
 */
#include <stdint.h>

#include "bhrt.h"
#include "bhrt_channel.h"

static uint32_t map_compatible(const char *compatible)
{
	uint32_t failed = 0u;

	for (uint32_t node = rt_fdt_next_compatible(0u, compatible); node != 0u;
	     node = rt_fdt_next_compatible(node, compatible)) {
		uint64_t base = 0u;
		uint64_t size = 0u;

		if (!rt_fdt_node_reg(node, &base, &size) || (rt_mmu_map_normal(base, size) != 0)) {
			(void)rt_printf("runtime: cannot map %s node at 0x%lx (0x%lx bytes) as memory\n", compatible,
				  (unsigned long)base, (unsigned long)size);
			failed++;
		}
	}
	return failed;
}

/* Implements: REQ-CHN-033 */
uint32_t rt_map_shared_nodes(void)
{
	return map_compatible(RT_CHANNEL_COMPATIBLE) + map_compatible("bulkhead,shared-memory");
}
