/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own stage-1 map (arch/arm64/mmu.c, arm64_early_init) for
 * a fixed system, read back with a walker that shares no code with the
 * table builder: write-xor-execute over the image, partition RAM writable
 * and never executable, the devices the hypervisor drives as device memory,
 * and nothing else mapped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "arch.h"
#include "arm64.h"
#include "cfg.h"
#include "vmsa.h"

/* Image layout, as tests/unit/mmu.mk defines the linker symbols. */
#define IMAGE_START 0x40200000ull
#define TEXT_END 0x40208000ull
#define RODATA_END 0x40216000ull
#define IMAGE_END 0x40280000ull

#define ALPHA_PA 0x41000000ull
#define ALPHA_SIZE 0x01000000ull
#define BETA_PA 0x42000000ull
#define BETA_SIZE 0x00200000ull
#define BETA_RO_PA 0x42400000ull
#define BETA_RO_SIZE 0x00010000ull
#define PASSTHROUGH_PA 0x0a000000ull     /* a device a partition owns: not the hypervisor's */
#define LOG_PA 0x43000000ull             /* a channel the hypervisor is an end of */
#define LOG_SIZE 0x8000ull
#define DATA_CHANNEL_PA 0x43100000ull    /* a channel between partitions: not the hypervisor's */
#define UART_PA 0x09000000ull
#define GICD_PA 0x08000000ull
#define GICR_PA 0x080a0000ull
#define GICR_SIZE 0x00f60000ull

extern pte_t el2_root[PT_ENTRIES];

static const struct cfg_region alpha_regions[] = {
	{ .ipa = 0x40000000u, .pa = ALPHA_PA, .size = ALPHA_SIZE, .access = CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X,
	  .kind = CFG_REGION_RAM },
	{ .ipa = 0x09000000u, .pa = PASSTHROUGH_PA, .size = 0x1000u, .access = CFG_ACCESS_R | CFG_ACCESS_W,
	  .kind = CFG_REGION_DEVICE },
};
static const struct cfg_region beta_regions[] = {
	{ .ipa = 0x40000000u, .pa = BETA_PA, .size = BETA_SIZE, .access = CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X,
	  .kind = CFG_REGION_RAM },
	{ .ipa = 0x50000000u, .pa = BETA_RO_PA, .size = BETA_RO_SIZE, .access = CFG_ACCESS_R,
	  .kind = CFG_REGION_RAM },
};
static const struct cfg_partition parts[] = {
	{ .name = "alpha", .n_regions = 2, .regions = alpha_regions },
	{ .name = "beta", .n_regions = 2, .regions = beta_regions },
};

static const struct cfg_channel channels[] = {
	{ .name = "data", .pa = DATA_CHANNEL_PA, .size = 0x4000u, .kind = CFG_CHANNEL_DATA,
	  .end = { { .kind = CFG_END_PARTITION, .partition = 0 }, { .kind = CFG_END_PARTITION, .partition = 1 } } },
	{ .name = "log", .pa = LOG_PA, .size = LOG_SIZE, .kind = CFG_CHANNEL_LOG, .one_way = 1,
	  .end = { { .kind = CFG_END_HYPERVISOR, .partition = CFG_NO_PARTITION }, { .kind = CFG_END_PARTITION, .partition = 1 } } },
};

const struct cfg_system cfg_system = {
	.console = { .base = UART_PA, .size = 0x1000u, .reg_shift = 0, .reg_io_width = 1 },
	.arch = { .gic = { .dist = { GICD_PA, 0x10000u }, .redist = { GICR_PA, GICR_SIZE } } },
	.n_partitions = 2,
	.partitions = parts,
	.n_channels = 2,
	.channels = channels,
};

/* The MMU is off while the map is built: nothing to invalidate on the host. */
void arm64_inval_range(uint64_t va, uint64_t size)
{
	(void)va;
	(void)size;
}

/* The map fits its pool: nothing may be printed (the console is not there yet). */
void arch_console_putc(char c)
{
	fail_msg("EL2 map failure reported: %c", c);
}

struct walk {
	bool valid;
	uint64_t out;
	uint64_t attrs;
};

static struct walk walk(uint64_t va)
{
	const pte_t *table = el2_root;

	for (unsigned level = 1; level <= 3; level++) {
		unsigned shift = 39 - 9 * level;
		pte_t d = table[(va >> shift) & 0x1ff];

		if ((d & 1) == 0) {
			return (struct walk){ false, 0, 0 };
		}
		if ((level == 3) || ((d & 2) == 0)) {
			if ((level == 3) && ((d & 2) == 0)) {
				return (struct walk){ false, 0, 0 };
			}
			uint64_t mask = (1ull << shift) - 1;
			return (struct walk){ true, (d & 0x0000fffffffff000ull & ~mask) | (va & mask), d & ~0x0000fffffffff003ull };
		}
		table = (const pte_t *)(uintptr_t)(d & 0x0000fffffffff000ull);
	}
	return (struct walk){ false, 0, 0 };
}

enum kind { UNMAPPED, CODE, READ_ONLY, DATA, DEVICE };

#define ATTR_INDEX(a) (((a) >> 2) & 7u)
#define READ_ONLY_BIT (1ull << 7)
#define XN_BIT (1ull << 54)

static enum kind kind_of(uint64_t va)
{
	struct walk w = walk(va);

	if (!w.valid) {
		return UNMAPPED;
	}
	assert_int_equal(w.out, va);                  /* identity map */
	assert_true((w.attrs & (1ull << 10)) != 0);   /* access flag set: no access-flag faults */
	if (ATTR_INDEX(w.attrs) == 1u) {
		assert_true((w.attrs & XN_BIT) != 0);
		return DEVICE;
	}
	assert_int_equal(ATTR_INDEX(w.attrs), 0u);    /* normal write-back memory */
	/* Write-xor-execute: no page is both writable and executable. */
	assert_true(((w.attrs & READ_ONLY_BIT) != 0) || ((w.attrs & XN_BIT) != 0));
	if ((w.attrs & XN_BIT) == 0) {
		return CODE;
	}
	return ((w.attrs & READ_ONLY_BIT) != 0) ? READ_ONLY : DATA;
}

static void assert_range(uint64_t base, uint64_t size, enum kind k)
{
	for (uint64_t va = base; va < base + size; va += 4096) {
		assert_int_equal(kind_of(va), k);
	}
}

static int setup(void **state)
{
	(void)state;
	memset(el2_root, 0xa5, sizeof(pte_t) * PT_ENTRIES);   /* the builder must clear it */
	arm64_early_init();
	return 0;
}

/* Verifies: REQ-MEM-007 */
static void test_image_is_write_xor_execute(void **state)
{
	(void)state;
	assert_range(IMAGE_START, TEXT_END - IMAGE_START, CODE);
	assert_range(TEXT_END, RODATA_END - TEXT_END, READ_ONLY);
	assert_range(RODATA_END, IMAGE_END - RODATA_END, DATA);
}

/* Verifies: REQ-MEM-007 */
static void test_partition_ram_writable_never_executable(void **state)
{
	(void)state;
	assert_range(ALPHA_PA, ALPHA_SIZE, DATA);
	assert_range(BETA_PA, BETA_SIZE, DATA);
	assert_range(BETA_RO_PA, BETA_RO_SIZE, DATA);
}

/* Verifies: REQ-CHN-010 */
static void test_channels_it_is_an_end_of(void **state)
{
	(void)state;
	assert_range(LOG_PA, LOG_SIZE, DATA);
	assert_range(DATA_CHANNEL_PA, 0x4000, UNMAPPED);
}

/* Verifies: REQ-MEM-007 */
static void test_only_its_own_devices(void **state)
{
	(void)state;
	assert_range(UART_PA, 0x1000, DEVICE);
	assert_range(GICD_PA, 0x10000, DEVICE);
	assert_range(GICR_PA, GICR_SIZE, DEVICE);
	/* A device passed through to a partition is not the hypervisor's to touch. */
	assert_range(PASSTHROUGH_PA, 0x1000, UNMAPPED);
}

/* Verifies: REQ-MEM-007 */
static void test_nothing_else_is_mapped(void **state)
{
	(void)state;
	const uint64_t mapped[][2] = {
		{ IMAGE_START, IMAGE_END - IMAGE_START }, { ALPHA_PA, ALPHA_SIZE }, { BETA_PA, BETA_SIZE },
		{ BETA_RO_PA, BETA_RO_SIZE }, { UART_PA, 0x1000 }, { GICD_PA, 0x10000 }, { GICR_PA, GICR_SIZE },
		{ LOG_PA, LOG_SIZE },
	};
	for (uint64_t va = 0; va < (4ull << 30); va += 4096) {
		bool inside = false;
		for (size_t i = 0; i < sizeof(mapped) / sizeof(mapped[0]); i++) {
			inside = inside || ((va >= mapped[i][0]) && (va < mapped[i][0] + mapped[i][1]));
		}
		if (!inside) {
			assert_int_equal(kind_of(va), UNMAPPED);
		}
	}
	/* Above 4 GiB, to the top of the 39-bit space: nothing. */
	for (uint64_t va = 4ull << 30; va < (1ull << 39); va += (1ull << 30) + 4096) {
		assert_int_equal(kind_of(va), UNMAPPED);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_image_is_write_xor_execute, setup),
		cmocka_unit_test_setup(test_partition_ram_writable_never_executable, setup),
		cmocka_unit_test_setup(test_channels_it_is_an_end_of, setup),
		cmocka_unit_test_setup(test_only_its_own_devices, setup),
		cmocka_unit_test_setup(test_nothing_else_is_mapped, setup),
	};
	return cmocka_run_group_tests_name("mmu", tests, NULL, NULL);
}
