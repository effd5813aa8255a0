/* SPDX-License-Identifier: MIT */
/*
 * A vCPU's (re)start (arch/arm64/vcpu.c) on the host: every EL1 register a
 * guest can see is at its architectural reset value when the vCPU enters,
 * whatever the cpu's previous life left there (on hardware or QEMU some are
 * RAZ/WI, so only here can each be left set), and the EL2 state of the
 * partition's vCPU is the partition's; a partition's virtual counter starts
 * at zero.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "arch.h"
#include "arm64.h"
#include "cpu.h"
#include "partition.h"
#include "sysreg.h"
#include "vgic.h"

/* The EL1 (and EL0) registers of the guest's view that a restart resets to zero. */
#define EL1_ZEROED(X) X(cpacr_el1) X(tcr_el1) X(ttbr0_el1) X(ttbr1_el1) X(mair_el1) X(amair_el1) \
	X(vbar_el1) X(contextidr_el1) X(tpidr_el1) X(tpidr_el0) X(tpidrro_el0) X(sp_el0) X(sp_el1) \
	X(elr_el1) X(spsr_el1) X(esr_el1) X(far_el1) X(afsr0_el1) X(afsr1_el1) X(par_el1) X(csselr_el1) \
	X(cntkctl_el1) X(cntv_ctl_el0) X(cntp_ctl_el0) X(mdscr_el1)
/* Defined here, not only by the code's first access (host_sysreg.h): a build whose code no longer
 * writes one still links, and fails. */
#define DEFINE(r) uint64_t host_sr_##r;
EL1_ZEROED(DEFINE)
uint64_t host_sr_sctlr_el1, host_sr_cntvoff_el2, host_sr_vmpidr_el2, host_sr_vttbr_el2, host_sr_hcr_el2,
	host_sr_cntpct_el0;

#define VTTBR UINT64_C(0x0005000040100000)
#define HCR UINT64_C(0x80000000a8f)

static struct partition part;
static struct cpu cpu;
static struct { const struct partition *vttbr_of, *reset, *init; const struct cpu *vcpu_reset; } seen;
static struct { const uint8_t *stack; uint64_t entry, arg; } entered;
static jmp_buf in_guest;

void vgic_partition_init(struct partition *p)
{
	seen.init = p;
}

void vgic_partition_reset(struct partition *p)
{
	seen.reset = p;
}

void vgic_vcpu_reset(struct cpu *c)
{
	seen.vcpu_reset = c;
}

uint64_t arm64_vttbr(const struct partition *p)
{
	seen.vttbr_of = p;
	return VTTBR;
}

void arm64_enter_vcpu(const uint8_t *stack_top, uint64_t entry, uint64_t arg)
{
	entered.stack = stack_top;
	entered.entry = entry;
	entered.arg = arg;
	longjmp(in_guest, 1);
}

static int setup(void **state)
{
	(void)state;
	memset(&seen, 0, sizeof(seen));
	memset(&entered, 0, sizeof(entered));
	memset(&part, 0, sizeof(part));
	memset(&cpu, 0, sizeof(cpu));
	cpu.index = 2u;
	cpu.vcpu = 1u;
	cpu.partition = &part;
	cpu.arch.hcr = HCR;
	return 0;
}

/* What a previous life (of this partition or another) left in every register. */
static void dirty(void)
{
#define DIRTY(r) host_sr_##r = UINT64_C(0xdead0000) | __LINE__;
	EL1_ZEROED(DIRTY)
	host_sr_sctlr_el1 = 0x30d0180du;   /* MMU and caches on */
	host_sr_cntvoff_el2 = host_sr_vmpidr_el2 = host_sr_vttbr_el2 = host_sr_hcr_el2 = ~UINT64_C(0);
}

/* The vCPU enters at the entry with its argument, on its cpu's own stack, with every EL1 register
 * at its reset value (SCTLR_EL1 with the MMU and caches off), its vGIC state reset, and the
 * partition's counter offset, stage 2 and trap configuration, and its vCPU number as MPIDR. */
/* Verifies: REQ-CPU-001, REQ-IRQ-009~2 */
static void test_a_vcpu_enters_from_the_reset_state(void **state)
{
	(void)state;
	part.arch.cntvoff = 12345u;
	dirty();
	if (setjmp(in_guest) == 0) {
		arch_vcpu_enter(&cpu, 0x40080000u, 77u);
	}
	assert_int_equal(entered.entry, 0x40080000u);
	assert_int_equal(entered.arg, 77u);
	assert_ptr_equal(entered.stack, &cpu_stacks[2][CONFIG_CPU_STACK_SIZE]);
#define ZERO(r) assert_true(host_sr_##r == 0u);
	EL1_ZEROED(ZERO)
	assert_true(host_sr_sctlr_el1 == SCTLR_EL1_RESET);
	assert_ptr_equal(seen.vcpu_reset, &cpu);
	assert_ptr_equal(seen.vttbr_of, &part);
	assert_true(host_sr_vttbr_el2 == VTTBR);
	assert_true(host_sr_hcr_el2 == HCR);
	assert_true(host_sr_cntvoff_el2 == 12345u);
	assert_true(host_sr_vmpidr_el2 == ((UINT64_C(1) << 31) | 1u));
}

/* A partition's (re)start resets its vGIC and takes the physical count as its counter's offset:
 * its virtual counter starts at zero. */
/* Verifies: REQ-IRQ-009~2 */
static void test_a_partition_restart_zeroes_its_virtual_counter(void **state)
{
	(void)state;
	host_sr_cntpct_el0 = 987654321u;
	arch_partition_reset(&part);
	assert_ptr_equal(seen.reset, &part);
	assert_true(part.arch.cntvoff == 987654321u);
	arch_partition_init(&part);
	assert_ptr_equal(seen.init, &part);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_a_vcpu_enters_from_the_reset_state, setup),
		cmocka_unit_test_setup(test_a_partition_restart_zeroes_its_virtual_counter, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
