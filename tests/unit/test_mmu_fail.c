/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's EL2 map (arch/arm64/mmu.c) when it cannot be built: bhcc
 * sizes its pool and refuses addresses beyond the map, so this happens only
 * with an image that disagrees with its tables; the boot core must then say
 * so on the console, before anything else works, and park. Built twice
 * (tests/unit/mmu.mk): a pool one page short (MMU_FAIL_POOL), and partition
 * RAM at 2^39 (MMU_FAIL_HIGH).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "arch.h"
#include "arm64.h"
#include "cfg.h"
#include "vmsa.h"

#ifdef MMU_FAIL_HIGH
#define RAM_PA 0x8000000000ull
#define EXPECTED "[bulkhead] EL2 map: cannot map 0x8000000000-0x80001fffff: not 4 KiB aligned or beyond the 39-bit map; parked\r\n"
#else
/* The image (a level-2 and a level-3 table), the UART (another level-2 table and a
 * level-3 one): the GIC distributor's level-3 table is one too many for 4 pages. */
#define RAM_PA 0x41000000ull
#define EXPECTED "[bulkhead] EL2 map: cannot map 0x8000000-0x800ffff: its table pool (4 pages) is exhausted; parked\r\n"
#endif

static const struct cfg_region regions[] = {
	{ .ipa = 0x40000000u, .pa = RAM_PA, .size = 0x200000u, .access = CFG_ACCESS_R | CFG_ACCESS_W,
	  .kind = CFG_REGION_RAM },
};
static const struct cfg_partition parts[] = {
	{ .name = "alpha", .n_regions = 1, .regions = regions },
};

const struct cfg_system cfg_system = {
	.console = { .base = 0x09000000u, .size = 0x1000u, .reg_shift = 0, .reg_io_width = 1 },
	.arch = { .gic = { .dist = { 0x08000000u, 0x10000u }, .redist = { 0x080a0000u, 0x00f60000u } } },
	.n_partitions = 1,
	.partitions = parts,
};

void arm64_inval_range(uint64_t va, uint64_t size)
{
	(void)va;
	(void)size;
}

static char console[512];
static size_t console_len;
static jmp_buf parked;

/* The line ends where the builder would park: come back to the test instead. */
void arch_console_putc(char c)
{
	if (console_len + 1u < sizeof(console)) {
		console[console_len++] = c;
	}
	if (c == '\n') {
		longjmp(parked, 1);
	}
}

/* A builder that parks without a word would spin here for ever. */
static void silent_park(int sig)
{
	(void)sig;
	static const char msg[] = "arm64_early_init() parked without printing a line\n";
	(void)write(2, msg, sizeof(msg) - 1u);
	_exit(1);
}

/* Verifies: REQ-MEM-009 */
static void test_failure_is_reported_before_parking(void **state)
{
	(void)state;
	signal(SIGALRM, silent_park);
	alarm(10);
	if (setjmp(parked) == 0) {
		arm64_early_init();
		fail_msg("the EL2 map was built: the test's configuration does not make it fail");
	}
	alarm(0);
	assert_string_equal(console, EXPECTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failure_is_reported_before_parking),
	};
	return cmocka_run_group_tests_name("mmu_fail", tests, NULL, NULL);
}
