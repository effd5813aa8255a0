/* SPDX-License-Identifier: MIT */
/*
 * The fault benchmark's partitions (`make bench`, "stage-2 fault to
 * partition stopped"; tests/bench/configs/bench-fault*.dts). Partition 0
 * makes one store to a guest-physical address nothing maps, at the
 * instruction labelled `faultbench_store`, where the measuring plugin starts
 * counting; the hypervisor stops it (fault policy "stop"). Every other
 * partition running this program only stays alive (it waits for
 * interrupts forever), so that stopping partition 0 is not the end of the
 * system: the benchmark ends the run once the plugin has seen the stop.
 */
#include <stdint.h>
#include <stdio.h>
#include "bhrt.h"

/* Below the first RAM and device the benchmark systems give a partition: unmapped. */
#define UNMAPPED_IPA 0x70000000u

static void store_to_nothing(void)
{
	__asm__ volatile(".global faultbench_store\n"
			 "faultbench_store:\n\t"
			 "str xzr, [%0]"
			 :
			 : "r"((uintptr_t)UNMAPPED_IPA)
			 : "memory");
}

int main(void)
{
	struct rt_info info = rt_partition_info();

	if (info.partition != 0u) {
		for (;;) {
			__asm__ volatile("wfi");
		}
	}
	printf("faultbench: a store to 0x%x\n", UNMAPPED_IPA);
	store_to_nothing();
	printf("faultbench: the store was NOT stopped\n");
	return 1;
}
