/* SPDX-License-Identifier: MIT */
/*
 * The system register trap (arch/arm64/sysreg_trap.c) and the undefined
 * instruction exception it injects (arch/arm64/inject.c) on the trap fuzz
 * target's system (tests/fuzz/traps_system.h). Refusals are checked where
 * QEMU cannot show them: an instruction (op0 1) refused, as TIDCP traps the
 * implementation-defined ones on hardware, and the PSTATE and vector of the
 * exception from every mode the guest can trap in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "arm64.h"
#include "asm_defs.h"
#include "cpu.h"
#include "fake_arch.h"
#include "partition.h"
#include "sysreg.h"
#include "traps_system.h"
#include "traps_unit.h"

extern uint64_t host_sr_spsr_el2, host_sr_elr_el2, host_sr_vbar_el1, host_sr_sctlr_el1, host_sr_id_aa64mmfr1_el1;
extern uint64_t host_sr_esr_el1, host_sr_elr_el1, host_sr_spsr_el1;
extern uint64_t host_sr_s3_0_c0_c4_0, host_sr_s3_0_c0_c4_1, host_sr_s3_0_c0_c1_2, host_sr_s3_0_c0_c7_1;

#define PC 0x40000100u
#define VBAR 0x40080000u
#define READ 1u
#define RT 5u
#define SOURCE 0x5a5aul
#define SPSR_NRW (1ul << 4)
#define SPSR_PAN (1ul << 22)
#define SCTLR_SPAN (1ul << 23)
#define MMFR1_PAN (1ul << 20)

/* The cleans set/way emulation asks for (cache.c's loop is the hardware's: not on the host). */
static struct { uint64_t va, size; } cleans[4];
static unsigned n_cleans;

void arm64_clean_inval_range(uint64_t va, uint64_t size)
{
	assert_true(n_cleans < 4u);
	cleans[n_cleans].va = va;
	cleans[n_cleans].size = size;
	n_cleans++;
}

static int setup(void **state)
{
	(void)traps_unit_boot(state);
	n_cleans = 0;
	host_sr_elr_el2 = PC;
	host_sr_vbar_el1 = VBAR;
	host_sr_sctlr_el1 = 0;
	host_sr_id_aa64mmfr1_el1 = 0;
	host_sr_esr_el1 = host_sr_elr_el1 = host_sr_spsr_el1 = 0;
	return 0;
}

/* A trapped access by the vCPU on `core` with x5 holding `x5`; returns its frame. */
static struct guest_frame trap_on(uint32_t core, uint32_t iss, uint64_t spsr, uint64_t x5)
{
	struct guest_frame f;

	memset(&f, 0, sizeof(f));
	f.x[RT] = x5;
	host_sr_spsr_el2 = spsr;
	fake.current = cpu_get(core);
	arm64_sysreg_trap(cpu_get(core), &f, ((uint64_t)EC_SYSREG << ESR_EC_SHIFT) | ESR_IL | iss | (RT << 5));
	return f;
}

/* The same by alpha's vCPU (core 0). */
static struct guest_frame trap_value(uint32_t iss, uint64_t spsr, uint64_t x5)
{
	return trap_on(0u, iss, spsr, x5);
}

/* The same with x5 holding SOURCE. */
static struct guest_frame trap(uint32_t iss, uint64_t spsr)
{
	return trap_value(iss, spsr, SOURCE);
}

/* The guest was stepped over the access, and took nothing. */
static void assert_emulated(const struct guest_frame *f, uint64_t x5, uint64_t spsr)
{
	assert_int_equal(host_sr_elr_el2, PC + 4u);
	assert_int_equal(host_sr_spsr_el2, spsr);
	assert_int_equal(host_sr_esr_el1, 0);
	assert_int_equal(f->x[RT], x5);
}

/* The guest takes an undefined instruction at `vector`, as the cpu would raise it from `from`. */
static void assert_undefined(const struct guest_frame *f, uint64_t from, uint32_t vector, uint64_t pstate)
{
	assert_int_equal(host_sr_esr_el1, ESR_IL);            /* EC 0 (unknown), 32-bit, ISS 0 */
	assert_int_equal(host_sr_elr_el1, PC);                /* the refused instruction itself */
	assert_int_equal(host_sr_spsr_el1, from);
	assert_int_equal(host_sr_elr_el2, VBAR + vector);
	assert_int_equal(host_sr_spsr_el2, pstate);
	assert_int_equal(f->x[RT], SOURCE);                   /* a refused read writes nothing */
}

extern uint64_t host_sr_icc_pmr_el1, host_sr_icc_ctlr_el1, host_sr_icc_rpr_el1;

#define ICC_PMR SYSREG_ISS(3, 0, 4, 6, 0)
#define ICC_RPR SYSREG_ISS(3, 0, 12, 11, 3)
#define ICC_CTLR SYSREG_ISS(3, 0, 12, 12, 4)
#define ICC_ASGI1R SYSREG_ISS(3, 0, 12, 11, 6)
#define ICC_SGI0R SYSREG_ISS(3, 0, 12, 11, 7)
#define ICC_DIR SYSREG_ISS(3, 0, 12, 11, 1)
#define GAMMA_CORE 3u

/* Gamma's trapped read of `iss`: the physical register's `value`, left as it was. */
static void direct_read(uint32_t iss, uint64_t *reg, uint64_t value)
{
	*reg = value;
	host_sr_elr_el2 = PC;
	struct guest_frame f = trap_on(GAMMA_CORE, iss | READ, 0x5u, SOURCE);
	assert_emulated(&f, value, 0x5u);
	assert_true(*reg == value);
}

/* Gamma's trapped write of `value` to `iss`: emulated, the physical register then `want`. */
static void direct_write(uint32_t iss, uint64_t *reg, uint64_t value, uint64_t want)
{
	host_sr_elr_el2 = PC;
	struct guest_frame f = trap_on(GAMMA_CORE, iss, 0x5u, value);
	assert_emulated(&f, value, 0x5u);
	assert_true(*reg == want);
}

/* A direct-delivery vCPU (gamma's) traps its CPU interface's shared registers
 * (ICH_HCR_EL2.TC): it reads the physical ones as they are, and its writes keep
 * the hypervisor's kick above its priority mask and its own bits of the
 * control register only; it deactivates only the interrupts it owns. A read
 * of a write-only register, or a write of a read-only one, is refused as the
 * hardware would refuse it. */
/* Verifies: REQ-IRQ-003, REQ-IRQ-012 */
static void test_direct_cpu_interface_registers_read_and_written_within_limits(void **state)
{
	(void)state;
	direct_read(ICC_PMR, &host_sr_icc_pmr_el1, 0x80u);
	direct_write(ICC_PMR, &host_sr_icc_pmr_el1, 0x105u, 0x10u);     /* RES0 bits, then below the kick */
	direct_write(ICC_PMR, &host_sr_icc_pmr_el1, 0xa0u, 0xa0u);
	direct_read(ICC_CTLR, &host_sr_icc_ctlr_el1, 0x400u);
	/* EOImode set, CBPR clear, the rest not its own. */
	direct_write(ICC_CTLR, &host_sr_icc_ctlr_el1, 0xfffcu | 0x2u, 0x402u);
	direct_read(ICC_RPR, &host_sr_icc_rpr_el1, 0x60u);
	struct guest_frame f;

	/* Deactivation (EOImode 1): of its own interrupt (SPI 60) on the physical interface; of
	 * another's (beta's SPI 70, the kick) refused, nothing deactivated. */
	extern uint64_t host_sr_icc_dir_el1;
	host_sr_icc_dir_el1 = 0u;
	host_sr_elr_el2 = PC;
	f = trap_on(GAMMA_CORE, ICC_DIR, 0x5u, 60u);
	assert_emulated(&f, 60u, 0x5u);
	assert_int_equal(host_sr_icc_dir_el1, 60u);
	host_sr_icc_dir_el1 = 0u;
	for (unsigned i = 0; i < 2; i++) {
		host_sr_elr_el2 = PC;
		f = trap_on(GAMMA_CORE, ICC_DIR, 0x5u, (i == 0) ? 70u : 15u);
		assert_emulated(&f, (i == 0) ? 70u : 15u, 0x5u);
		assert_int_equal(host_sr_icc_dir_el1, 0u);
	}
	assert_non_null(strstr(fake.console, "deactivation of an interrupt it does not own refused"));

	static const uint32_t refused[] = { ICC_RPR, ICC_ASGI1R | READ, ICC_SGI0R | READ, ICC_DIR | READ };
	for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		setup(NULL);
		host_sr_icc_rpr_el1 = 0x60u;
		f = trap_on(GAMMA_CORE, refused[i], 0x5u, SOURCE);
		assert_undefined(&f, 0x5u, 0x200u, SPSR_EL1H_DAIF);
		assert_int_equal(host_sr_icc_rpr_el1, 0x60u);
	}
}

/* A direct vCPU's group 0 SGI (ICC_SGI0R_EL1: group 0 is the hypervisor's) is refused, counted
 * and logged with what it wrote; the guest steps over it. */
/* Verifies: REQ-IRQ-003, REQ-TRP-009 */
static void test_group_0_sgi_is_refused_and_logged(void **state)
{
	(void)state;
	struct guest_frame f = trap_on(GAMMA_CORE, ICC_SGI0R, 0x5u, (3UL << 24) | 1u);

	assert_emulated(&f, (3UL << 24) | 1u, 0x5u);
	assert_non_null(strstr(fake.console, "group 0 SGI refused (offset 0x0, value 0x3000001)"));
}

/* Verifies: REQ-TRP-004, REQ-TRP-009 */
static void test_refused_read_write_and_instruction_logged_by_their_names(void **state)
{
	(void)state;
	/* PMCR_EL0 read, from EL1h with IRQs unmasked: at the current EL's SPx vector, all masked. */
	struct guest_frame f = trap(SYSREG_ISS(3, 3, 9, 12, 0) | READ, 0x5u);

	assert_undefined(&f, 0x5u, 0x200u, SPSR_EL1H_DAIF);
	assert_non_null(strstr(fake.console, "'alpha' vCPU 0, register incident "));
	assert_non_null(strstr(fake.console, " not logged since the last): MRS S3_3_C9_C12_0 undefined, PC 0x40000100"));
	setup(NULL);
	f = trap(SYSREG_ISS(3, 0, 0, 4, 0), 0x5u);     /* an ID register written */
	assert_undefined(&f, 0x5u, 0x200u, SPSR_EL1H_DAIF);
	assert_non_null(strstr(fake.console, "): MSR S3_0_C0_C4_0 undefined, PC 0x40000100"));
	setup(NULL);
	/* An implementation-defined instruction (op0 1, CRn 15), as TIDCP traps it on hardware. */
	f = trap(SYSREG_ISS(1, 2, 15, 3, 4), 0x5u);
	assert_undefined(&f, 0x5u, 0x200u, SPSR_EL1H_DAIF);
	assert_non_null(strstr(fake.console, "): SYS S1_2_C15_C3_4 undefined, PC 0x40000100"));
}

/* Verifies: REQ-TRP-004 */
static void test_undefined_taken_at_the_vector_of_the_mode_it_came_from(void **state)
{
	(void)state;
	static const struct { uint64_t from; uint32_t vector; } modes[] = {
		{ 0x3c5u, 0x200u },            /* EL1h, masked: the same mask */
		{ 0x004u, 0x000u },            /* EL1t: current EL, SP0 */
		{ 0x000u, 0x400u },            /* EL0 (AArch64): lower EL */
		{ 0x010u | 0x3u, 0x600u },     /* AArch32 (nRW): lower EL, AArch32 */
		{ 0xf0000005u, 0x200u },       /* flags are the guest's, not the handler's */
	};

	for (unsigned i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		setup(NULL);
		struct guest_frame f = trap(SYSREG_ISS(3, 3, 9, 12, 0) | READ, modes[i].from);

		assert_undefined(&f, modes[i].from, modes[i].vector, SPSR_EL1H_DAIF);
	}
}

/* PSTATE.PAN on entry: set where the cpu has PAN and SCTLR_EL1.SPAN is clear, else kept. */
/* Verifies: REQ-TRP-004 */
static void test_undefined_sets_pan_as_the_cpu_would(void **state)
{
	(void)state;
	struct guest_frame f;

	host_sr_id_aa64mmfr1_el1 = MMFR1_PAN;
	f = trap(SYSREG_ISS(3, 3, 9, 12, 0) | READ, 0x5u);
	assert_undefined(&f, 0x5u, 0x200u, SPSR_EL1H_DAIF | SPSR_PAN);
	setup(NULL);
	host_sr_id_aa64mmfr1_el1 = MMFR1_PAN;
	host_sr_sctlr_el1 = SCTLR_SPAN;
	f = trap(SYSREG_ISS(3, 3, 9, 12, 0) | READ, 0x5u);
	assert_undefined(&f, 0x5u, 0x200u, SPSR_EL1H_DAIF);
	setup(NULL);
	host_sr_id_aa64mmfr1_el1 = MMFR1_PAN;
	host_sr_sctlr_el1 = SCTLR_SPAN;
	f = trap(SYSREG_ISS(3, 3, 9, 12, 0) | READ, 0x5u | SPSR_PAN);
	assert_undefined(&f, 0x5u | SPSR_PAN, 0x200u, SPSR_EL1H_DAIF | SPSR_PAN);
	setup(NULL);
	/* Without PAN on the cpu, SPAN means nothing: PAN as it was. */
	f = trap(SYSREG_ISS(3, 3, 9, 12, 0) | READ, 0x5u);
	assert_undefined(&f, 0x5u, 0x200u, SPSR_EL1H_DAIF);
}

/* Verifies: REQ-TRP-005 */
static void test_id_registers_read_by_their_own_encoding_with_features_hidden(void **state)
{
	(void)state;
	struct guest_frame f;

	host_sr_s3_0_c0_c4_0 = UINT64_MAX;
	host_sr_s3_0_c0_c4_1 = 0x0123456789abcdefu;
	host_sr_s3_0_c0_c1_2 = UINT64_MAX;
	host_sr_s3_0_c0_c7_1 = UINT64_MAX;
	f = trap(SYSREG_ISS(3, 0, 0, 4, 0) | READ, 0x5u);         /* ID_AA64PFR0: SVE, MPAM, AMU */
	assert_emulated(&f, UINT64_MAX & ~(0xful << 32) & ~(0xful << 40) & ~(0xful << 44), 0x5u);
	host_sr_elr_el2 = PC;
	f = trap(SYSREG_ISS(3, 0, 0, 4, 1) | READ, 0x5u);         /* ID_AA64PFR1: MTE, MPAM_frac, SME */
	assert_emulated(&f, 0x0123456789abcdefu & ~(0xful << 8) & ~(0xful << 16) & ~(0xful << 24), 0x5u);
	host_sr_elr_el2 = PC;
	f = trap(SYSREG_ISS(3, 0, 0, 1, 2) | READ, 0x5u);         /* ID_DFR0: PerfMon */
	assert_emulated(&f, UINT64_MAX & ~(0xful << 24), 0x5u);
	host_sr_elr_el2 = PC;
	f = trap(SYSREG_ISS(3, 0, 0, 7, 1) | READ, 0x5u);         /* ID_AA64MMFR1: LO */
	assert_emulated(&f, UINT64_MAX & ~(0xful << 16), 0x5u);
	host_sr_elr_el2 = PC;
	f = trap(SYSREG_ISS(3, 0, 0, 7, 3) | READ, 0x5u);         /* unallocated: zero */
	assert_emulated(&f, 0, 0x5u);
	assert_int_equal(fake.console_len, 0);
}

extern uint64_t host_sr_s3_0_c0_c1_0, host_sr_s3_0_c0_c1_1, host_sr_s3_0_c0_c1_3, host_sr_s3_0_c0_c1_4,
	host_sr_s3_0_c0_c1_5, host_sr_s3_0_c0_c1_6, host_sr_s3_0_c0_c1_7, host_sr_s3_0_c0_c2_0, host_sr_s3_0_c0_c2_1,
	host_sr_s3_0_c0_c2_2, host_sr_s3_0_c0_c2_3, host_sr_s3_0_c0_c2_4, host_sr_s3_0_c0_c2_5, host_sr_s3_0_c0_c2_6,
	host_sr_s3_0_c0_c3_0, host_sr_s3_0_c0_c3_1, host_sr_s3_0_c0_c3_2, host_sr_s3_0_c0_c5_0, host_sr_s3_0_c0_c5_1,
	host_sr_s3_0_c0_c5_4, host_sr_s3_0_c0_c5_5, host_sr_s3_0_c0_c6_0, host_sr_s3_0_c0_c6_1, host_sr_s3_0_c0_c7_0,
	host_sr_s3_0_c0_c7_2;

/* The ID registers a partition reads as the hardware has them, each from its own encoding. */
static const struct { uint32_t crm, op2; uint64_t *reg; } passed_through[] = {
	{ 1, 0, &host_sr_s3_0_c0_c1_0 },
	{ 1, 1, &host_sr_s3_0_c0_c1_1 },
	{ 1, 3, &host_sr_s3_0_c0_c1_3 },
	{ 1, 4, &host_sr_s3_0_c0_c1_4 },
	{ 1, 5, &host_sr_s3_0_c0_c1_5 },
	{ 1, 6, &host_sr_s3_0_c0_c1_6 },
	{ 1, 7, &host_sr_s3_0_c0_c1_7 },
	{ 2, 0, &host_sr_s3_0_c0_c2_0 },
	{ 2, 1, &host_sr_s3_0_c0_c2_1 },
	{ 2, 2, &host_sr_s3_0_c0_c2_2 },
	{ 2, 3, &host_sr_s3_0_c0_c2_3 },
	{ 2, 4, &host_sr_s3_0_c0_c2_4 },
	{ 2, 5, &host_sr_s3_0_c0_c2_5 },
	{ 2, 6, &host_sr_s3_0_c0_c2_6 },
	{ 3, 0, &host_sr_s3_0_c0_c3_0 },
	{ 3, 1, &host_sr_s3_0_c0_c3_1 },
	{ 3, 2, &host_sr_s3_0_c0_c3_2 },
	{ 5, 1, &host_sr_s3_0_c0_c5_1 },
	{ 5, 4, &host_sr_s3_0_c0_c5_4 },
	{ 5, 5, &host_sr_s3_0_c0_c5_5 },
	{ 6, 0, &host_sr_s3_0_c0_c6_0 },
	{ 6, 1, &host_sr_s3_0_c0_c6_1 },
	{ 7, 0, &host_sr_s3_0_c0_c7_0 },
	{ 7, 2, &host_sr_s3_0_c0_c7_2 },
};

/* Every ID register the partition may read as it is comes from its own encoding (a value
 * of its own each here); the debug features register hides trace, PMU, SPE, trace filter
 * and trace buffer; every unallocated encoding of the space reads zero. */
/* Verifies: REQ-TRP-005 */
static void test_every_id_register_from_its_own_encoding(void **state)
{
	(void)state;
	struct guest_frame f;
	const size_t n = sizeof(passed_through) / sizeof(passed_through[0]);

	for (size_t i = 0; i < n; i++) {
		*passed_through[i].reg = 0x5a00000000000000u | ((uint64_t)passed_through[i].crm << 8) | passed_through[i].op2;
	}
	for (size_t i = 0; i < n; i++) {
		host_sr_elr_el2 = PC;
		f = trap(SYSREG_ISS(3, 0, 0, passed_through[i].crm, passed_through[i].op2) | READ, 0x5u);
		assert_emulated(&f, *passed_through[i].reg, 0x5u);
	}
	host_sr_s3_0_c0_c5_0 = UINT64_MAX;
	host_sr_elr_el2 = PC;
	f = trap(SYSREG_ISS(3, 0, 0, 5, 0) | READ, 0x5u);          /* ID_AA64DFR0 */
	assert_emulated(&f, UINT64_MAX & ~(0xful << 4) & ~(0xful << 8) & ~(0xful << 32) & ~(0xful << 40) &
			    ~(0xful << 44), 0x5u);
	/* The unallocated ones: CRm 1..7, each op2 that is no register above. */
	static const uint8_t unallocated[][2] = { { 2, 7 }, { 3, 3 }, { 3, 7 }, { 4, 2 }, { 4, 7 }, { 5, 2 },
						  { 5, 3 }, { 5, 6 }, { 5, 7 }, { 6, 2 }, { 6, 7 }, { 7, 4 } };
	for (size_t i = 0; i < sizeof(unallocated) / sizeof(unallocated[0]); i++) {
		host_sr_elr_el2 = PC;
		f = trap(SYSREG_ISS(3, 0, 0, unallocated[i][0], unallocated[i][1]) | READ, 0x5u);
		assert_emulated(&f, 0, 0x5u);
	}
	assert_int_equal(fake.console_len, 0);
}

/* ICC_SGI1R_EL1 is write-only: a write is emulated (the guest stepped over it, nothing
 * injected), a read is refused as the hardware refuses it. */
/* Verifies: REQ-IRQ-003, REQ-TRP-004 */
static void test_sgi1r_write_is_emulated_and_a_read_refused(void **state)
{
	(void)state;
	struct guest_frame f = trap_on(1u, SYSREG_ISS(3, 0, 12, 11, 5), 0x5u, (2UL << 24) | 2u);  /* SGI 2 to vCPU 1 */

	assert_emulated(&f, (2UL << 24) | 2u, 0x5u);
	setup(NULL);
	f = trap_on(1u, SYSREG_ISS(3, 0, 12, 11, 5) | READ, 0x5u, SOURCE);
	assert_undefined(&f, 0x5u, 0x200u, SPSR_EL1H_DAIF);
}

/* Verifies: REQ-TRP-007 */
static void test_actlr_reads_zero_and_a_write_keeps_its_source(void **state)
{
	(void)state;
	struct guest_frame f = trap(SYSREG_ISS(3, 0, 1, 0, 1) | READ, 0x5u);

	assert_emulated(&f, 0, 0x5u);
	host_sr_elr_el2 = PC;
	f = trap(SYSREG_ISS(3, 0, 1, 0, 1), 0x5u);
	assert_emulated(&f, SOURCE, 0x5u);
	assert_int_equal(fake.console_len, 0);
}

/* Verifies: REQ-TRP-006 */
static void test_set_way_cleans_the_partitions_ram_once_per_sweep(void **state)
{
	(void)state;
	(void)trap_value(SYSREG_ISS(1, 0, 7, 14, 2), 0x5u, 0u);     /* DC CISW, set/way 0 of level 1 */
	assert_int_equal(n_cleans, 1);
	assert_ptr_equal((void *)(uintptr_t)cleans[0].va, traps_ram(0));
	assert_int_equal(cleans[0].size, TRAPS_RAM_SIZE);
	assert_int_equal(host_sr_elr_el2, PC + 4u);
	/* Level 2's set/way 0 (level field, bits 3..1) cleans too; any other set or way does not. */
	(void)trap_value(SYSREG_ISS(1, 0, 7, 6, 2), 0x5u, 0x2u);    /* DC ISW */
	assert_int_equal(n_cleans, 2);
	(void)trap_value(SYSREG_ISS(1, 0, 7, 10, 2), 0x5u, 0x40u);  /* DC CSW */
	(void)trap_value(SYSREG_ISS(1, 0, 7, 10, 2), 0x5u, 0x1u);
	assert_int_equal(n_cleans, 2);
	assert_int_equal(host_sr_elr_el2, PC + 16u);
	assert_int_equal(fake.console_len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_refused_read_write_and_instruction_logged_by_their_names, setup),
		cmocka_unit_test_setup(test_undefined_taken_at_the_vector_of_the_mode_it_came_from, setup),
		cmocka_unit_test_setup(test_undefined_sets_pan_as_the_cpu_would, setup),
		cmocka_unit_test_setup(test_id_registers_read_by_their_own_encoding_with_features_hidden, setup),
		cmocka_unit_test_setup(test_actlr_reads_zero_and_a_write_keeps_its_source, setup),
		cmocka_unit_test_setup(test_set_way_cleans_the_partitions_ram_once_per_sweep, setup),
		cmocka_unit_test_setup(test_direct_cpu_interface_registers_read_and_written_within_limits, setup),
		cmocka_unit_test_setup(test_every_id_register_from_its_own_encoding, setup),
		cmocka_unit_test_setup(test_sgi1r_write_is_emulated_and_a_read_refused, setup),
		cmocka_unit_test_setup(test_group_0_sgi_is_refused_and_logged, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
