/* SPDX-License-Identifier: MIT */
/*
 * The PCI configuration filter (arch/x86/pci.c) on the host, against a
 * simulated mechanism #1 (tests/unit/x86_pci/x86.h): one edu function at
 * 00:03.0, BAR0 1 MiB, firmware's address elsewhere. The partition's
 * accesses go through the handler the filter registers for ports
 * 0xcf8-0xcff, as io_exit calls it; every corner of the protocol a hostile
 * partition can reach is here, each with what the hardware then holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cpu.h"
#include "emul.h"
#include "incident.h"
#include "partition.h"
#include "x86.h"

#define EDU_BDF 0x18u
#define BAR_SIZE 0x100000u
#define BAR_BASE 0xd0000000u
#define FIRMWARE_BAR 0xfea00000u
#define ENABLE 0x80000000u

/* ---- the simulated configuration space: edu at 00:03.0 ---- */
static uint32_t hw_address;
static uint32_t hw_command;
static uint32_t hw_bar0 = FIRMWARE_BAR;
static uint32_t hw_other_bar1;    /* a BAR the description does not place (0: none) */
static unsigned hw_writes_elsewhere;
static unsigned incidents;

static uint32_t hw_reg(uint32_t reg)
{
	switch (reg) {
	case 0x00: return 0x11e81234u;
	case 0x04: return 0x00100000u | hw_command;   /* a capability list, as edu's (MSI) */
	case 0x08: return 0x00ff0010u;
	case 0x10: return hw_bar0;
	case 0x14: return hw_other_bar1;
	case 0x34: return 0x40u;
	case 0x3c: return 0x0000010bu;                /* pin A, line 11 */
	case 0x40: return 0x00005005u;                /* the MSI capability */
	default: return 0u;
	}
}

void outl(uint16_t port, uint32_t v)
{
	if (port == 0xcf8u) {
		hw_address = v;
		return;
	}
	assert_int_equal(port, 0xcfcu);
	if (((hw_address >> 8) & 0xffffu) != EDU_BDF) {
		hw_writes_elsewhere++;
		return;
	}
	switch (hw_address & 0xfcu) {
	case 0x04: hw_command = v & 0xffffu; break;
	case 0x10: hw_bar0 = (v & ~(BAR_SIZE - 1u)); break;
	case 0x14: hw_other_bar1 = hw_other_bar1 ? (v & ~0xfffu) : 0u; break;
	default: hw_writes_elsewhere++; break;
	}
}

uint32_t inl(uint16_t port)
{
	assert_int_equal(port, 0xcfcu);
	if (((hw_address >> 8) & 0xffffu) != EDU_BDF)
		return 0xffffffffu;
	return hw_reg(hw_address & 0xfcu);
}

/* ---- what pci.c links against ---- */
static bool iommu;            /* the board's IOMMU translates (amdvi.c) */
static unsigned iommu_assigned;

void x86_iommu_assign(struct partition *p, uint32_t bdf)
{
	(void)p;
	assert_int_equal(bdf, EDU_BDF);
	iommu_assigned++;
}

bool x86_iommu_active(void)
{
	return iommu;
}

void x86_iommu_poll(void)
{
	/* the filter's decisions do not depend on the IOMMU's fault records */
}

void arch_cpu_relax(void)
{
}

bool incident(const struct cpu *cpu, uint32_t kind, struct incident_line *line)
{
	(void)cpu;
	(void)line;
	assert_int_equal(kind, BH_INCIDENT_REGISTER);
	incidents++;
	return false;
}

void log_printf(int level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

static jmp_buf panicked;

void panic(const char *fmt, ...)
{
	(void)fmt;
	longjmp(panicked, 1);
}

/* ---- the partition ---- */
static struct cfg_partition cfg;
static struct partition part;
static struct cpu vcpu;

static void assign(uint32_t n_bars, uint32_t size)
{
	memset(&cfg, 0, sizeof(cfg));
	memset(&part, 0, sizeof(part));
	cfg.name = "edu-owner";
	cfg.arch.n_pci = 1;
	cfg.arch.pci[0] = (struct cfg_pci_function){ .bdf = EDU_BDF, .n_bars = n_bars,
						     .bars = { { 0, BAR_BASE, size } } };
	part.cfg = &cfg;
	vcpu.partition = &part;
	hw_command = 0x7u;   /* firmware left it decoding and mastering */
	hw_bar0 = FIRMWARE_BAR;
	hw_other_bar1 = 0u;
	hw_writes_elsewhere = 0;
	incidents = 0;
	iommu = false;
	iommu_assigned = 0;
}

static int setup(void **state)
{
	(void)state;
	assign(1, BAR_SIZE);
	x86_pci_partition_init(&part);
	x86_pci_partition_reset(&part);
	hw_writes_elsewhere = 0;   /* the boot's sizing of BARs 2-5, which edu does not have */
	return 0;
}

/* One guest access to port 0xcf8 + `offset`; returns whether the filter took it. */
static bool guest(uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	const struct emul_region *r = emul_find(&part.emul[EMUL_PIO], 0xcf8u + offset);

	assert_non_null(r);
	return r->handler(&vcpu, r->context, 0xcf8u + offset - r->base, write, size, value);
}

static uint32_t cfg_read(uint32_t bdf, uint32_t reg)
{
	uint64_t v = ENABLE | (bdf << 8) | reg;

	assert_true(guest(0, true, 4, &v));
	assert_true(guest(4, false, 4, &v));
	return (uint32_t)v;
}

static void cfg_write(uint32_t bdf, uint32_t reg, uint32_t value)
{
	uint64_t v = ENABLE | (bdf << 8) | reg;

	assert_true(guest(0, true, 4, &v));
	v = value;
	assert_true(guest(4, true, 4, &v));
}

/* Verifies: REQ-DEV-002 */
static void test_boot_places_bar_and_turns_decoding_off(void **state)
{
	(void)state;
	assert_int_equal(hw_bar0, BAR_BASE);
	assert_int_equal(hw_command, 0u);
	assert_int_equal(part.emul[EMUL_PIO].n, 1);
	assert_int_equal(iommu_assigned, 1);   /* its DMA goes to the IOMMU, where the board has one */
	hw_command = 0x2u;   /* the partition enabled it; a restart puts it back */
	hw_bar0 = FIRMWARE_BAR;
	part.arch.pci_sizing[0] = 1u;
	x86_pci_partition_reset(&part);
	assert_int_equal(hw_bar0, BAR_BASE);
	assert_int_equal(hw_command, 0u);
	assert_int_equal(part.arch.pci_sizing[0], 0u);
}

/* Verifies: REQ-DEV-002 */
static void test_function_not_the_descriptions_refuses_the_boot(void **state)
{
	(void)state;
	assign(1, 2 * BAR_SIZE);               /* the description's size is not the BAR's */
	if (setjmp(panicked) == 0) {
		x86_pci_partition_init(&part);
		fail_msg("a BAR of another size booted");
	}
	assign(1, BAR_SIZE);
	hw_other_bar1 = 0xfe000000u;           /* BAR1 decodes and nobody placed it */
	if (setjmp(panicked) == 0) {
		x86_pci_partition_init(&part);
		fail_msg("an unplaced BAR booted");
	}
	assign(1, BAR_SIZE);
	cfg.arch.pci[0].bdf = 0x20u;           /* nothing at 00:04.0 */
	if (setjmp(panicked) == 0) {
		x86_pci_partition_init(&part);
		fail_msg("a missing function booted");
	}
}

/* Verifies: REQ-DEV-003~2 */
static void test_bar_reads_sizes_and_never_moves(void **state)
{
	(void)state;
	assert_int_equal(cfg_read(EDU_BDF, 0x10), BAR_BASE);
	cfg_write(EDU_BDF, 0x10, 0xffffffffu);
	assert_int_equal(cfg_read(EDU_BDF, 0x10), ~(BAR_SIZE - 1u));
	assert_int_equal(hw_bar0, BAR_BASE);
	cfg_write(EDU_BDF, 0x10, BAR_BASE);    /* the driver restores it: no incident */
	assert_int_equal(cfg_read(EDU_BDF, 0x10), BAR_BASE);
	assert_int_equal(incidents, 0);
	cfg_write(EDU_BDF, 0x10, 0x00400000u); /* a move over RAM */
	assert_int_equal(cfg_read(EDU_BDF, 0x10), BAR_BASE);
	assert_int_equal(hw_bar0, BAR_BASE);
	assert_int_equal(incidents, 1);
	cfg_write(EDU_BDF, 0x14, 0xffffffffu); /* a BAR it was not given: reads 0 */
	assert_int_equal(cfg_read(EDU_BDF, 0x14), 0u);
	assert_int_equal(incidents, 2);
}

/* Verifies: REQ-DEV-003~2 */
static void test_command_keeps_memory_and_intx_disable_only(void **state)
{
	uint64_t v = ENABLE | (EDU_BDF << 8) | 0x04u;

	(void)state;
	cfg_write(EDU_BDF, 0x04, 0x0407u);     /* INTx disable, bus master, memory, I/O */
	assert_int_equal(hw_command, 0x0402u);
	assert_int_equal(incidents, 1);
	assert_int_equal(cfg_read(EDU_BDF, 0x04) & 0x00100000u, 0u);   /* no capability list */
	/* a byte write of the command's low byte through 0xcfc, leaving the high byte */
	assert_true(guest(0, true, 4, &v));
	v = 0x02u;
	assert_true(guest(4, true, 1, &v));
	assert_int_equal(hw_command, 0x0402u);
	assert_int_equal(incidents, 1);
	v = 0x04u;                              /* bus master alone, by a byte */
	assert_true(guest(4, true, 1, &v));
	assert_int_equal(hw_command, 0x0400u);
	assert_int_equal(incidents, 2);
	iommu = true;                           /* the IOMMU translates its DMA: it may master the bus */
	cfg_write(EDU_BDF, 0x04, 0x0006u);
	assert_int_equal(hw_command, 0x0006u);
	assert_int_equal(incidents, 2);
	cfg_write(EDU_BDF, 0x04, 0x0007u);      /* I/O space still not */
	assert_int_equal(hw_command, 0x0006u);
	assert_int_equal(incidents, 3);
}

/* Verifies: REQ-DEV-003~2 */
static void test_hidden_registers_and_other_functions(void **state)
{
	(void)state;
	assert_int_equal(cfg_read(EDU_BDF, 0x00), 0x11e81234u);
	assert_int_equal(cfg_read(EDU_BDF, 0x34), 0u);
	assert_int_equal(cfg_read(EDU_BDF, 0x40), 0u);
	assert_int_equal(cfg_read(EDU_BDF, 0x30), 0u);
	assert_int_equal(cfg_read(EDU_BDF, 0x3c), 0x000000ffu);
	cfg_write(EDU_BDF, 0x40, 0xffffffffu);
	cfg_write(EDU_BDF, 0x30, 0xffffffffu);
	assert_int_equal(incidents, 2);
	assert_int_equal(cfg_read(0u, 0x00), 0xffffffffu);          /* the host bridge */
	assert_int_equal(cfg_read(EDU_BDF | 1u, 0x00), 0xffffffffu); /* 00:03.1 */
	cfg_write(0xf8u, 0x04, 0u);                                  /* the LPC bridge */
	assert_int_equal(incidents, 3);
	assert_int_equal(hw_writes_elsewhere, 0);
	/* the enable bit clear: no function at all */
	uint64_t v = (EDU_BDF << 8);
	assert_true(guest(0, true, 4, &v));
	assert_true(guest(4, false, 4, &v));
	assert_int_equal(v, 0xffffffffu);
}

/* Verifies: REQ-DEV-003~2 */
static void test_odd_sizes_and_offsets_are_refused(void **state)
{
	uint64_t v = ENABLE | (EDU_BDF << 8);

	(void)state;
	assert_true(guest(0, true, 4, &v));
	v = 0x06u;
	assert_false(guest(1, true, 1, &v));   /* 0xcf9: the reset control */
	assert_false(guest(0, false, 2, &v));  /* a word of 0xcf8 */
	assert_false(guest(5, false, 4, &v));  /* four bytes at 0xcfd */
	assert_false(guest(5, false, 2, &v));  /* a word at 0xcfd */
	assert_false(guest(4, false, 3, &v));  /* no such size */
	assert_true(guest(6, false, 2, &v));   /* the id's high half */
	assert_int_equal(v, 0x11e8u);
	assert_true(guest(7, false, 1, &v));
	assert_int_equal(v, 0x11u);
	v = 0;
	assert_true(guest(0, false, 4, &v));   /* the address reads back, reserved bits clear */
	assert_int_equal(v, ENABLE | (EDU_BDF << 8));
	v = 0xffffffffu;
	assert_true(guest(0, true, 4, &v));
	v = 0;
	assert_true(guest(0, false, 4, &v));
	assert_int_equal(v, 0x80fffffcu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_boot_places_bar_and_turns_decoding_off, setup),
		cmocka_unit_test(test_function_not_the_descriptions_refuses_the_boot),
		cmocka_unit_test_setup(test_bar_reads_sizes_and_never_moves, setup),
		cmocka_unit_test_setup(test_command_keeps_memory_and_intx_disable_only, setup),
		cmocka_unit_test_setup(test_hidden_registers_and_other_functions, setup),
		cmocka_unit_test_setup(test_odd_sizes_and_offsets_are_refused, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
