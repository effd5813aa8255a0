/* SPDX-License-Identifier: MIT */
/*
 * The trap dispatch (arch/arm64/trap.c) on the trap fuzz target's system
 * (tests/fuzz/traps_system.h): which abort gives the partition's fault an
 * address, and which class of exception is a fault at all. Alpha (core 0)
 * stops on a fault: its log line says what the hypervisor knew.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "arm64.h"
#include "cpu.h"
#include "fake_arch.h"
#include "partition.h"
#include "sysreg.h"
#include "traps_system.h"
#include "traps_unit.h"

extern uint64_t host_sr_tpidr_el2, host_sr_hpfar_el2, host_sr_far_el2, host_sr_elr_el2, host_sr_esr_el2;

#define PC 0x40001234u
/* An IPA alpha has no memory or device at (its RAM is 0x40000000 on). */
#define IPA 0x38000010u

/* HVCs and SMCs are smccc.c's, not on this test's paths. */
void arm64_trap_hvc(struct cpu *cpu, struct guest_frame *f, uint64_t esr)
{
	(void)cpu;
	(void)f;
	fail_msg("HVC, ESR 0x%lx", (unsigned long)esr);
}

void arm64_trap_smc(struct cpu *cpu, struct guest_frame *f, uint64_t esr)
{
	(void)cpu;
	(void)f;
	fail_msg("SMC, ESR 0x%lx", (unsigned long)esr);
}

/* Set/way cache maintenance (sysreg_trap.c, cache.c's loop on hardware): not on this test's paths. */
void arm64_clean_inval_range(uint64_t va, uint64_t size)
{
	fail_msg("clean of 0x%lx, %lu bytes", (unsigned long)va, (unsigned long)size);
}

static int setup(void **state)
{
	(void)traps_unit_boot(state);
	host_sr_tpidr_el2 = (uintptr_t)cpu_get(0);
	fake.current = cpu_get(0);
	host_sr_hpfar_el2 = (IPA >> 12) << 4;
	host_sr_far_el2 = 0xffff000012345010u;   /* the guest's VA: only its page offset is the IPA's */
	host_sr_elr_el2 = PC;
	/* The traps system boots without loading anything: alpha runs as if it had been. */
	partition_get(0)->state = PARTITION_RUNNING;
	return 0;
}

static struct guest_frame frame;

static void take_sync(void *esr)
{
	arm64_guest_sync(&frame, *(const uint64_t *)esr);
}

/* Alpha's exception of syndrome `esr`: it stops, and its one fault line is returned. */
static const char *fault_line(uint64_t esr)
{
	memset(&frame, 0, sizeof(frame));
	fake.console_len = 0;
	fake.console[0] = '\0';
	assert_int_equal(fake_run(take_sync, &esr), FAKE_STOP);
	const char *line = strstr(fake.console, "fault: partition 'alpha' vCPU 0 (core 0): ");

	if (line == NULL) {
		fail_msg("console: %s", fake.console);
	}
	assert_null(strstr(line + 1, "fault: partition"));
	return line;
}

static uint64_t abort_esr(uint32_t ec, uint32_t fsc)
{
	return ((uint64_t)ec << ESR_EC_SHIFT) | ESR_IL | fsc;
}

/* Translation, access flag and permission faults (fault status 0x04-0x0f) give the IPA from
 * HPFAR_EL2 and FAR_EL2's page offset (a data abort says whether it was a write); any other
 * status (an external abort, a TLB conflict, an alignment fault) leaves HPFAR_EL2 unknown, and
 * the fault is reported without an address. */
/* Verifies: REQ-TRP-001 */
static void test_an_abort_has_an_address_only_when_hpfar_holds_it(void **state)
{
	(void)state;
	static const uint32_t with[] = { 0x04u, 0x07u, 0x0bu, 0x0fu };
	static const uint32_t without[] = { 0x00u, 0x03u, 0x10u, 0x21u, 0x30u };

	for (size_t i = 0; i < sizeof(with) / sizeof(with[0]); i++) {
		setup(NULL);
		assert_non_null(strstr(fault_line(abort_esr(EC_DABT_LOW, with[i])),
				       "data abort (read) at IPA 0x38000010, PC 0x40001234"));
		setup(NULL);
		assert_non_null(strstr(fault_line(abort_esr(EC_DABT_LOW, with[i]) | ISS_DABT_WNR),
				       "data abort (write) at IPA 0x38000010, PC 0x40001234"));
		setup(NULL);
		assert_non_null(strstr(fault_line(abort_esr(EC_IABT_LOW, with[i])), "at IPA 0x38000010, PC 0x40001234"));
	}
	for (size_t i = 0; i < sizeof(without) / sizeof(without[0]); i++) {
		setup(NULL);
		assert_null(strstr(fault_line(abort_esr(EC_DABT_LOW, without[i])), "IPA"));
		setup(NULL);
		assert_null(strstr(fault_line(abort_esr(EC_IABT_LOW, without[i])), "IPA"));
	}
}

/* A word read of GICD_TYPER into x3 that faulted with status `fsc`. */
static uint64_t typer_read(uint32_t fsc)
{
	host_sr_hpfar_el2 = ((uint64_t)TRAPS_GICD >> 12) << 4;
	host_sr_far_el2 = 0x0004u;
	return abort_esr(EC_DABT_LOW, fsc) | ISS_DABT_ISV | (2UL << ISS_DABT_SAS_SHIFT) | (3UL << ISS_DABT_SRT_SHIFT);
}

/* Only a translation fault (the device is not mapped: status 0x04-0x07) at an emulated device is
 * an access to emulate: the read is answered and the instruction skipped. Any other abort there
 * (a permission fault, an access flag fault) is the partition's fault. */
/* Verifies: REQ-TRP-001, REQ-TRP-011 */
static void test_only_a_translation_fault_on_a_device_is_emulated(void **state)
{
	(void)state;
	uint64_t esr = typer_read(0x07u);

	memset(&frame, 0, sizeof(frame));
	fake.console_len = 0;
	fake.console[0] = '\0';
	assert_int_equal(fake_run(take_sync, &esr), FAKE_RETURNED);
	assert_int_equal(host_sr_elr_el2, PC + 4u);
	assert_int_not_equal(frame.x[3], 0u);                 /* GICD_TYPER: at least its line count */
	assert_null(strstr(fake.console, "fault"));
	for (uint32_t fsc = 0x08u; fsc <= 0x0fu; fsc++) {
		setup(NULL);
		esr = typer_read(fsc);
		assert_non_null(strstr(fault_line(esr), "at IPA 0x8000004, PC 0x40001234"));
	}
}

/* An exception class the table has no handler for is the partition's fault, with its syndrome. */
/* Verifies: REQ-TRP-001 */
static void test_an_unhandled_class_is_a_fault(void **state)
{
	(void)state;
	const char *line = fault_line(abort_esr(0x0eu, 0u));   /* illegal execution state */

	assert_non_null(strstr(line, "PC 0x40001234, ESR 0x3a000000"));
}

static void take_serror(void *arg)
{
	(void)arg;
	arm64_guest_serror(&frame);
}

/* An SError from the partition is its fault, with the syndrome ESR_EL2 holds and no address. */
/* Verifies: REQ-FSF-003 */
static void test_an_serror_is_the_partitions_fault(void **state)
{
	(void)state;
	host_sr_esr_el2 = 0xbe000000u;
	fake.console_len = 0;
	fake.console[0] = '\0';
	assert_int_equal(fake_run(take_serror, NULL), FAKE_STOP);
	assert_non_null(strstr(fake.console, "fault: partition 'alpha' vCPU 0 (core 0): SError, PC 0x40001234, "
				       "ESR 0xbe000000; stop"));
}

static void take_fiq(void *arg)
{
	(void)arg;
	arm64_guest_fiq(&frame);
}

/* A direct-delivery core's FIQ is the hypervisor's group-0 kick: it is acknowledged and the core's
 * requests are handled (here a stop: the core stops). */
/* Verifies: REQ-IRQ-008~2 */
static void test_a_direct_cores_fiq_handles_its_requests(void **state)
{
	(void)state;
	struct cpu *gamma = cpu_get(3);

	host_sr_tpidr_el2 = (uintptr_t)gamma;
	fake.current = gamma;
	partition_get(2)->state = PARTITION_RUNNING;
	gamma->requests = CPU_REQ_STOP;
	assert_int_equal(fake_run(take_fiq, NULL), FAKE_STOP);
	assert_int_equal(gamma->requests, 0u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_an_abort_has_an_address_only_when_hpfar_holds_it, setup),
		cmocka_unit_test_setup(test_only_a_translation_fault_on_a_device_is_emulated, setup),
		cmocka_unit_test_setup(test_an_unhandled_class_is_a_fault, setup),
		cmocka_unit_test_setup(test_an_serror_is_the_partitions_fault, setup),
		cmocka_unit_test_setup(test_a_direct_cores_fiq_handles_its_requests, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
