/* SPDX-License-Identifier: MIT */
/*
 * Partition runtime: start-up in C, vCPUs, console, time, exceptions.
 */
#include <bulkhead/hypercall.h>
#include <bulkhead/psci.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "bhrt.h"
#include "bhrt_gic.h"

#define MAX_VCPUS 64u

struct secondary {
	void (*fn)(uint64_t);
	uint64_t arg;
};

static uint64_t dtb_address;
static struct secondary secondaries[MAX_VCPUS];
static rt_exception_hook_t exception_hook;
static volatile uint32_t hooked_vector;

extern void rt_secondary_entry(void);
extern int main(void);
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

void rt_start(uint64_t dtb);
void rt_secondary_start(uint64_t vcpu);
uint64_t rt_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far, uint64_t entry_counter);

void rt_start(uint64_t dtb)
{
	dtb_address = dtb;
	(void)rt_map_shared_nodes();
	/* Constructors: newlib built for bare metal leaves this to the start-up code. */
	for (void (**ctor)(void) = __init_array_start; ctor < __init_array_end; ctor++) {
		(*ctor)();
	}
	exit(main());
}

void rt_secondary_start(uint64_t vcpu)
{
	struct secondary s = secondaries[vcpu % MAX_VCPUS];

	if (s.fn != NULL) {
		s.fn(s.arg);
	}
	rt_cpu_off();
}

uint64_t rt_dtb(void)
{
	return dtb_address;
}

struct rt_info rt_partition_info(void)
{
	if (rt_native()) {
		return rt_native_info();
	}
	struct rt_smccc_res r = rt_hvc(BH_HC_PARTITION_INFO, 0, 0, 0);

	return (struct rt_info){
		.partition = (uint32_t)r.x1,
		.vcpu = (uint32_t)r.x2,
		.n_vcpus = (uint32_t)(r.x2 >> 32),
		.restarts = (uint32_t)r.x3,
	};
}

int rt_printf(const char *fmt, ...)
{
	char buf[BH_CONSOLE_WRITE_MAX];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0) {
		return n;
	}
	size_t len = ((size_t)n < sizeof(buf)) ? (size_t)n : sizeof(buf) - 1u;
	(void)rt_console_write(buf, len);
	return n;
}

int rt_cpu_on(uint32_t vcpu, void (*fn)(uint64_t), uint64_t arg)
{
	if (vcpu < MAX_VCPUS) {
		secondaries[vcpu].fn = fn;
		secondaries[vcpu].arg = arg;
	}
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
