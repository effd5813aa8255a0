/*
 * Demo partition: says who it is, proves its memory view by writing and
 * reading back a pattern over all of its free RAM, starts its other vCPUs,
 * prints a few heartbeats and stops itself.
 */
#include <stdint.h>
#include <stdio.h>
#include "bhrt.h"

#define HEARTBEATS 5
#define HEARTBEAT_US 20000u

static volatile uint32_t secondaries_done;

/* Every 64-bit word gets a value derived from its own address. */
static uint64_t memory_test(uint64_t *start, uint64_t *end)
{
	uint64_t errors = 0;

	for (uint64_t *p = start; p < end; p++) {
		*p = (uint64_t)(uintptr_t)p ^ 0x5a5a5a5aa5a5a5a5ull;
	}
	for (uint64_t *p = start; p < end; p++) {
		if (*p != ((uint64_t)(uintptr_t)p ^ 0x5a5a5a5aa5a5a5a5ull)) {
			errors++;
		}
	}
	return errors;
}

static void secondary(uint64_t vcpu)
{
	rt_printf("vCPU %u online\n", (unsigned)vcpu);
	for (int i = 1; i <= HEARTBEATS; i++) {
		rt_delay_us(HEARTBEAT_US);
		rt_printf("vCPU %u heartbeat %d\n", (unsigned)vcpu, i);
	}
	__atomic_fetch_add(&secondaries_done, 1u, __ATOMIC_RELEASE);
}

int main(void)
{
	struct rt_info info = rt_partition_info();
	uintptr_t ram = (uintptr_t)__ram_start;
	uintptr_t ram_end = (uintptr_t)__ram_end;
	uintptr_t free = (uintptr_t)__free_start;
	uintptr_t free_end = (uintptr_t)__free_end;

	printf("hello: partition %u, vCPU %u of %u, restart %u\n", (unsigned)info.partition,
	       (unsigned)info.vcpu, (unsigned)info.n_vcpus, (unsigned)info.restarts);
	printf("RAM 0x%08lx-0x%08lx (%lu KiB)\n", (unsigned long)ram, (unsigned long)(ram_end - 1),
	       (unsigned long)((ram_end - ram) >> 10));

	uint64_t errors = memory_test((uint64_t *)free, (uint64_t *)free_end);
	printf("memory test 0x%08lx-0x%08lx: %s (%lu errors)\n", (unsigned long)free,
	       (unsigned long)(free_end - 1), errors == 0 ? "passed" : "FAILED", (unsigned long)errors);

	uint32_t started = 0;
	for (uint32_t v = 1; v < info.n_vcpus; v++) {
		int r = rt_cpu_on(v, secondary, v);
		printf("CPU_ON vCPU %u: %d\n", (unsigned)v, r);
		started += (r == 0) ? 1u : 0u;
	}
	for (int i = 1; i <= HEARTBEATS; i++) {
		rt_delay_us(HEARTBEAT_US);
		printf("heartbeat %d\n", i);
	}
	while (__atomic_load_n(&secondaries_done, __ATOMIC_ACQUIRE) < started) {
		rt_delay_us(1000u);
	}
	printf("done\n");
	return 0;
}
