/* SPDX-License-Identifier: MIT */
/*
 * Calls to the platform firmware's PSCI (SMC conduit: the hypervisor runs at
 * EL2, so firmware is always one SMC away) and the power hooks built on them.
 */
#include <bulkhead/psci.h>
#include "arch.h"
#include "arm64.h"
#include "coverage.h"
#include "cpu.h"
#include "gic.h"
#include "sysreg.h"

/* Implements: infrastructure */
int64_t arm64_firmware_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
			   "x16", "x17", "memory");
	return (int64_t)x0;
}

/* Implements: REQ-CPU-002 */
enum core_status arch_cpu_start(uint32_t cpu)
{
	return psci_to_status(arm64_firmware_call(PSCI_CPU_ON_64, arm64_cpu_mpidr(cpu),
						  (uint64_t)(uintptr_t)arm64_secondary_entry, cpu));
}

/* Implements: REQ-CPU-003, REQ-TRP-002, REQ-FSF-005 */
enum cpu_power arch_cpu_power_state(uint32_t cpu)
{
	return psci_to_power(arm64_firmware_call(PSCI_AFFINITY_INFO_64, arm64_cpu_mpidr(cpu), 0u, 0u));
}

/* Implements: REQ-CPU-008 */
static NORETURN void park(void)
{
	for (;;) {
		wfi();
	}
}

/* Implements: REQ-TRP-002, REQ-CPU-006 */
NORETURN void arch_cpu_stop(void)
{
	gic_cpu_off();
	(void)arm64_firmware_call(PSCI_CPU_OFF, 0u, 0u, 0u);
	/* Firmware refused: stay parked with interrupts masked, forever. */
	park();
}

/* Implements: REQ-FSF-001, REQ-FSF-006 */
NORETURN void arch_system_off(void)
{
	/* A coverage build's counters (CONFIG_COVERAGE) leave here, at the last
	 * point before the firmware ends everything: every path to the power-off
	 * (a panic included) is counted up to this call. */
	coverage_dump();
	/* GCOVR_EXCL_START: runs after the dump, which cannot count it; the board powering off shows the call ran */
	(void)arm64_firmware_call(PSCI_SYSTEM_OFF, 0u, 0u, 0u);
	/* Reached only if the firmware's SYSTEM_OFF returns, which QEMU's never does. */
	park();
	/* GCOVR_EXCL_STOP: the end of the two lines after the dump */
}

/* Implements: infrastructure */
void arch_cpu_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}

/* Implements: REQ-TRP-010, REQ-CPU-012 */
void arch_cpu_kick(uint32_t cpu)
{
	/* The request written before this call must be visible when the SGI lands. */
	dsb_ish();
	gic_send_ipi(cpu_get(cpu));
}
