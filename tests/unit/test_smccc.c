/* SPDX-License-Identifier: MIT */
/*
 * The SMC Calling Convention's dispatch (arch/arm64/smccc.c) on the trap fuzz
 * target's system (tests/fuzz/traps_system.h), as beta's vCPU 0 (core 1)
 * calls: an immediate other than 0 and a yielding call are refused whatever
 * the function; each owner goes to its handler (the architecture's calls
 * here, PSCI, Bulkhead's table) or is refused; a trapped SMC is stepped over.
 * Every refusal is a call incident, logged with what was refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/psci.h>
#include "arm64.h"
#include "cpu.h"
#include "fake_arch.h"
#include "incident.h"
#include "partition.h"
#include "sysreg.h"
#include "traps_system.h"
#include "traps_unit.h"

extern uint64_t host_sr_tpidr_el2, host_sr_elr_el2;

#define BETA 1u
#define PC 0x50000100u
#define SMCCC_VERSION 0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u
#define SMCCC_ARCH_WORKAROUND_1 0x80008000u

static struct guest_frame frame;
/* Incidents are counted since the process started (traps_unit.h): each test counts from here. */
static uint64_t refused_before;

static int setup(void **state)
{
	(void)traps_unit_boot(state);
	partition_get(BETA)->state = PARTITION_RUNNING;
	host_sr_tpidr_el2 = (uintptr_t)cpu_get(1);
	host_sr_elr_el2 = PC;
	fake.current = cpu_get(1);
	refused_before = incident_count(partition_get(BETA), BH_INCIDENT_CALL);
	return 0;
}

/* Beta's call incidents in this test. */
static uint64_t calls_refused(void)
{
	return incident_count(partition_get(BETA), BH_INCIDENT_CALL) - refused_before;
}

static uint64_t esr_of(uint32_t ec, uint32_t imm)
{
	return ((uint64_t)ec << ESR_EC_SHIFT) | ESR_IL | imm;
}

static void frame_of(uint64_t fid, uint64_t x1)
{
	memset(&frame, 0, sizeof(frame));
	frame.x[0] = fid;
	frame.x[1] = x1;
}

/* HVC #imm from beta's vCPU 0: x0 afterwards. */
static int64_t hvc(uint32_t imm, uint64_t fid, uint64_t x1)
{
	frame_of(fid, x1);
	arm64_trap_hvc(cpu_get(1), &frame, esr_of(EC_HVC64, imm));
	return (int64_t)frame.x[0];
}

/* SMC #imm, trapped. */
static int64_t smc(uint32_t imm, uint64_t fid, uint64_t x1)
{
	frame_of(fid, x1);
	arm64_trap_smc(cpu_get(1), &frame, esr_of(EC_SMC64, imm));
	return (int64_t)frame.x[0];
}

/* The same HVC #imm through the vector's own entry (vectors.S). */
static int64_t hvc_from_vector(uint32_t imm, uint64_t fid, uint64_t x1)
{
	frame_of(fid, x1);
	arm64_guest_hvc(&frame, esr_of(EC_HVC64, imm));
	return (int64_t)frame.x[0];
}

/* A call with a non-zero immediate is refused through either conduit, a served function
 * included, and logged with the immediate; a trapped SMC is stepped over, a refused one too. */
/* Verifies: REQ-HC-002, REQ-TRP-003 */
static void test_a_nonzero_immediate_is_refused(void **state)
{
	(void)state;
	assert_int_equal(hvc(1u, BH_HC_VERSION, 0), BH_ERR_NOT_SUPPORTED);
	assert_int_equal(hvc_from_vector(0x8000u, BH_HC_VERSION, 0), BH_ERR_NOT_SUPPORTED);
	assert_int_equal(smc(0xffffu, PSCI_VERSION, 0), BH_ERR_NOT_SUPPORTED);
	assert_int_equal(host_sr_elr_el2, PC + 4u);
	assert_int_equal(smc(0x8000u, PSCI_VERSION, 0), BH_ERR_NOT_SUPPORTED);
	assert_int_equal(host_sr_elr_el2, PC + 8u);
	assert_int_equal(calls_refused(), 4u);
	assert_non_null(strstr(fake.console, "HVC #0x1 (function 0xc6000000) refused"));
	assert_int_equal(smc(0u, PSCI_VERSION, 0), 0x10001);
	assert_int_equal(host_sr_elr_el2, PC + 12u);
	assert_int_equal(hvc(0u, PSCI_VERSION, 0), 0x10001);
	assert_int_equal(host_sr_elr_el2, PC + 12u);
	assert_int_equal(calls_refused(), 4u);
}

/* A yielding call (W0 bit 31 clear) is refused whatever its owner. */
/* Verifies: REQ-HC-002 */
static void test_a_yielding_call_is_refused(void **state)
{
	(void)state;
	assert_int_equal(hvc(0u, BH_HC_VERSION & ~BH_SMCCC_FAST, 0), BH_ERR_NOT_SUPPORTED);
	assert_int_equal(smc(0u, PSCI_VERSION & ~BH_SMCCC_FAST, 0), BH_ERR_NOT_SUPPORTED);
	assert_int_equal(calls_refused(), 2u);
	assert_non_null(strstr(fake.console, "yielding function 0x46000000"));
}

/* The architecture's calls: SMCCC 1.1, which ARCH_FEATURES confirms; the firmware workarounds
 * are answered as not implemented (a question, not a refusal); any other is refused. */
/* Verifies: REQ-HC-005, REQ-LNX-005 */
static void test_the_architecture_calls(void **state)
{
	(void)state;
	assert_int_equal(hvc(0u, SMCCC_VERSION, 0), 0x10001);
	assert_int_equal(hvc(0u, SMCCC_ARCH_FEATURES, SMCCC_VERSION), 0);
	assert_int_equal(hvc(0u, SMCCC_ARCH_FEATURES, SMCCC_VERSION | (UINT64_C(1) << 32)), 0);
	assert_int_equal(hvc(0u, SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1), BH_ERR_NOT_SUPPORTED);
	assert_int_equal(calls_refused(), 0u);
	assert_int_equal(hvc(0u, SMCCC_ARCH_WORKAROUND_1, 0), BH_ERR_NOT_SUPPORTED);
	assert_int_equal(calls_refused(), 1u);
}

/* Each owner to its handler: PSCI and Bulkhead's table through either conduit and either
 * calling convention's width; the owners without a handler (SiP, OEM, standard secure
 * services other than PSCI, trusted OSes) are refused. */
/* Verifies: REQ-HC-001, REQ-HC-002 */
static void test_each_owner_to_its_handler(void **state)
{
	(void)state;
	static const uint32_t unowned[] = { 0xc2000000u, 0xc3000000u, 0x85000000u, 0xc7000000u, 0xf2000000u, 0xbf000000u };

	assert_int_equal(hvc(0u, BH_HC_VERSION, 0), BH_OK);
	assert_int_equal(frame.x[1], (BH_ABI_MAJOR << 16) | BH_ABI_MINOR);
	assert_int_equal(hvc_from_vector(0u, BH_HC_VERSION, 0), BH_OK);
	assert_int_equal(frame.x[1], (BH_ABI_MAJOR << 16) | BH_ABI_MINOR);
	assert_int_equal(smc(0u, BH_HC_VERSION, 0), BH_OK);
	assert_int_equal(hvc_from_vector(0u, PSCI_VERSION, 0), 0x10001);
	assert_int_equal(hvc_from_vector(0u, SMCCC_VERSION, 0), 0x10001);
	assert_int_equal(calls_refused(), 0u);
	for (size_t i = 0; i < sizeof(unowned) / sizeof(unowned[0]); i++) {
		assert_int_equal(hvc(0u, unowned[i], 0), BH_ERR_NOT_SUPPORTED);
		assert_int_equal(hvc_from_vector(0u, unowned[i], 0), BH_ERR_NOT_SUPPORTED);
		assert_int_equal(smc(0u, unowned[i], 0), BH_ERR_NOT_SUPPORTED);
	}
	assert_int_equal(calls_refused(), 18u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_a_nonzero_immediate_is_refused, setup),
		cmocka_unit_test_setup(test_a_yielding_call_is_refused, setup),
		cmocka_unit_test_setup(test_the_architecture_calls, setup),
		cmocka_unit_test_setup(test_each_owner_to_its_handler, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
