/* SPDX-License-Identifier: MIT */
/*
 * Shared-memory test partition (tests/system/test_shared_memory.py). Three
 * partitions run it on one /shared-memory region; bootargs say where each
 * sees it (shm=<guest address>) and what it does (role=):
 *   role=0 ping (maps it "rw"): writes pattern A, raises flag A, waits for
 *          flag B and checks pattern B;
 *   role=1 pong ("rw"): waits for flag A, checks pattern A, writes pattern B,
 *          raises flag B;
 *   role=2 peek ("r"): waits for flag B, checks both patterns, then writes
 *          to the region, which must end its life with a stage-2 fault; its
 *          fault policy restarts it, and its second life checks that the
 *          region still holds what ping and pong wrote.
 * Every wait is bounded. The runtime maps the region Normal write-back
 * from its shared-memory node (as the peers map it); accesses are aligned
 * 64-bit words, and the flags are a store-release and a load-acquire.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "bhrt.h"

#define WORDS 512u
#define FLAG_A 0u                /* word indexes in the region */
#define FLAG_B 1u
#define PATTERN_A 16u
#define PATTERN_B (PATTERN_A + WORDS)
#define MAGIC_A UINT64_C(0x50494e4700000001)
#define MAGIC_B UINT64_C(0x504f4e4700000002)
#define WAIT_S 10u

static uint64_t pattern(uint64_t seed, uint32_t i)
{
	return (seed ^ (uint64_t)i) * UINT64_C(0x9e3779b97f4a7c15);
}

static void fill(volatile uint64_t *shm, uint32_t at, uint64_t seed)
{
	for (uint32_t i = 0; i < WORDS; i++)
		shm[at + i] = pattern(seed, i);
}

static uint32_t mismatches(const volatile uint64_t *shm, uint32_t at, uint64_t seed)
{
	uint32_t bad = 0;

	for (uint32_t i = 0; i < WORDS; i++)
		bad += shm[at + i] != pattern(seed, i);
	return bad;
}

static void raise_flag(volatile uint64_t *shm, uint32_t flag, uint64_t magic)
{
	__atomic_store_n(&shm[flag], magic, __ATOMIC_RELEASE);
}

static bool wait_flag(const volatile uint64_t *shm, uint32_t flag, uint64_t magic)
{
	uint64_t deadline = rt_counter() + WAIT_S * rt_counter_hz();

	while (__atomic_load_n(&shm[flag], __ATOMIC_ACQUIRE) != magic) {
		if (rt_counter() > deadline)
			return false;
		rt_delay_us(100);
	}
	return true;
}

int main(void)
{
	volatile uint64_t *shm = (volatile uint64_t *)(uintptr_t)rt_bootarg("shm", 0);
	uint64_t role = rt_bootarg("role", 99);

	printf("shared memory at 0x%lx, role %lu\n", (unsigned long)(uintptr_t)shm, (unsigned long)role);
	if (shm == NULL || role > 2) {
		printf("bootargs need shm= and role=0..2\n");
		return 1;
	}
	if (role == 0) {
		fill(shm, PATTERN_A, MAGIC_A);
		raise_flag(shm, FLAG_A, MAGIC_A);
		printf("wrote pattern A (%u words)\n", WORDS);
		if (!wait_flag(shm, FLAG_B, MAGIC_B)) {
			printf("timeout: no flag B\n");
			return 1;
		}
		printf("pattern B as pong wrote it: %u mismatches\n", mismatches(shm, PATTERN_B, MAGIC_B));
	} else if (role == 1) {
		if (!wait_flag(shm, FLAG_A, MAGIC_A)) {
			printf("timeout: no flag A\n");
			return 1;
		}
		printf("pattern A as ping wrote it: %u mismatches\n", mismatches(shm, PATTERN_A, MAGIC_A));
		fill(shm, PATTERN_B, MAGIC_B);
		raise_flag(shm, FLAG_B, MAGIC_B);
		printf("wrote pattern B (%u words)\n", WORDS);
	} else if (rt_partition_info().restarts > 0) {
		printf("after the fault: flag A %s, pattern A %u mismatches, pattern B %u mismatches\n",
		       shm[FLAG_A] == MAGIC_A ? "intact" : "CHANGED", mismatches(shm, PATTERN_A, MAGIC_A),
		       mismatches(shm, PATTERN_B, MAGIC_B));
	} else {
		if (!wait_flag(shm, FLAG_B, MAGIC_B)) {
			printf("timeout: no flag B\n");
			return 1;
		}
		printf("read only: pattern A %u mismatches, pattern B %u mismatches\n",
		       mismatches(shm, PATTERN_A, MAGIC_A), mismatches(shm, PATTERN_B, MAGIC_B));
		printf("writing to shared memory mapped read-only\n");
		fflush(stdout);
		shm[FLAG_A] = 0;
		printf("the write went through\n");
	}
	printf("done\n");
	return 0;
}
