/* SPDX-License-Identifier: MIT */
/*
 * Partition runtime, the ARM64 part: vCPU power (PSCI through HVC), time,
 * exceptions; the start-up both architectures share is partitions/runtime/start.c.
 */
#include <bulkhead/hypercall.h>
#include <bulkhead/psci.h>
#include <stdlib.h>
#include "bhrt.h"
#include "bhrt_start.h"
#include "bhrt_gic.h"

static rt_exception_hook_t exception_hook;
static volatile uint32_t hooked_vector;

uint64_t rt_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far, uint64_t entry_counter);

int rt_cpu_on(uint32_t vcpu, void (*fn)(uint64_t), uint64_t arg)
{
	rt_secondary_set(vcpu, fn, arg);
	return (int)rt_hvc(PSCI_CPU_ON_64, vcpu, (uint64_t)(uintptr_t)rt_secondary_entry, vcpu).x0;
}

_Noreturn void rt_cpu_off(void)
{
	(void)rt_hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;) {
		__asm__ volatile("wfi");
	}
}

int rt_affinity_info(uint32_t vcpu)
{
	return (int)rt_hvc(PSCI_AFFINITY_INFO_64, vcpu, 0, 0).x0;
}

_Noreturn void rt_system_off(void)
{
	(void)rt_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;) {
		__asm__ volatile("wfi");
	}
}

_Noreturn void rt_system_reset(void)
{
	(void)rt_hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
	for (;;) {
		__asm__ volatile("wfi");
	}
}

uint64_t rt_counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	return v;
}

uint64_t rt_counter_hz(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

void rt_delay_us(uint64_t us)
{
	uint64_t end = rt_counter() + (us * rt_counter_hz()) / 1000000u;

	while (rt_counter() < end) {
	}
}

void rt_set_exception_hook(rt_exception_hook_t hook)
{
	exception_hook = hook;
}

uint32_t rt_exception_vector(void)
{
	return hooked_vector;
}

uint64_t rt_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far, uint64_t entry_counter)
{
	/* IRQ vectors (kinds 1, 5, 9, 13): the GIC driver's dispatch table. */
	if (((kind & 3u) == 1u) && rt_irq_dispatch(entry_counter)) {
		return 0u;
	}
	hooked_vector = (uint32_t)kind;
	if ((exception_hook != NULL) && exception_hook(esr, elr, far)) {
		return 1u;
	}
	/* newlib's small printf has no %ll: long is 64 bits here. */
	(void)rt_printf("unexpected exception (vector %u): ESR 0x%lx ELR 0x%lx FAR 0x%lx\n", (unsigned)kind,
		  (unsigned long)esr, (unsigned long)elr, (unsigned long)far);
	rt_system_off();
}
