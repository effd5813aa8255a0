/* SPDX-License-Identifier: MIT */
/*
 * Partition runtime, the x86_64 part: vCPUs, power, time (the start-up both
 * architectures share is partitions/runtime/start.c). vCPU
 * control goes through the same PSCI function ids as on arm64 (the
 * hypercall ABI is shared, arch/x86/README.md), only the instruction
 * differs (rt_hvc: VMMCALL).
 */
#include <bulkhead/hypercall.h>
#include <bulkhead/psci.h>
#include <stdlib.h>
#include "bhrt.h"
#include "bhrt_start.h"
#include "bhrt_x86.h"

#define CPUID_HYPERVISOR_LEAF BH_X86_CPUID_BASE
#define CPUID_TSC_KHZ_LEAF BH_X86_CPUID_TSC_KHZ   /* EAX: the TSC frequency in kHz */
#define ACPI_PM1A_CNT 0x604u             /* QEMU pc and q35 */
#define ACPI_SLP_EN_S5 0x2000u
#define PIT_HZ 1193182u
#define PIT_CALIBRATE_DIV 100u           /* 10 ms */
#define PIT_GATE_PORT 0x61u
#define PIT_MODE_PORT 0x43u
#define PIT_CH2_PORT 0x42u
#define PIT_CH2_ONESHOT 0xb0u            /* channel 2, lobyte/hibyte, mode 0 */
#define PIT_OUT2 0x20u
#define PIT_SPIN_MAX 100000000u


static _Noreturn void halt_forever(void)
{
	for (;;) {
		__asm__ volatile("cli\n\thlt");
	}
}

int rt_cpu_on(uint32_t vcpu, void (*fn)(uint64_t), uint64_t arg)
{
	if (rt_native()) {
		return PSCI_RET_NOT_SUPPORTED;
	}
	rt_secondary_set(vcpu, fn, arg);
	return (int)rt_hvc(PSCI_CPU_ON_64, vcpu, (uint64_t)(uintptr_t)rt_secondary_entry, vcpu).x0;
}

_Noreturn void rt_cpu_off(void)
{
	if (!rt_native()) {
		(void)rt_hvc(PSCI_CPU_OFF, 0, 0, 0);
	}
	halt_forever();
}

int rt_affinity_info(uint32_t vcpu)
{
	if (rt_native()) {
		return (vcpu == 0u) ? 0 : PSCI_RET_INVALID_PARAMETERS;
	}
	return (int)rt_hvc(PSCI_AFFINITY_INFO_64, vcpu, 0, 0).x0;
}

_Noreturn void rt_system_off(void)
{
	if (rt_native()) {
		x86_outw((uint16_t)ACPI_PM1A_CNT, (uint16_t)ACPI_SLP_EN_S5);
	} else {
		(void)rt_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	}
	halt_forever();
}

_Noreturn void rt_system_reset(void)
{
	if (!rt_native()) {
		(void)rt_hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
	}
	halt_forever();
}

uint64_t rt_counter(void)
{
	return x86_rdtsc();
}

/* The TSC's rate against PIT channel 2 counting 10 ms (natively, where no hypervisor says it). */
static uint64_t tsc_hz_from_pit(void)
{
	uint8_t gate = x86_inb((uint16_t)PIT_GATE_PORT);
	uint32_t count = PIT_HZ / PIT_CALIBRATE_DIV;

	x86_outb((uint16_t)PIT_GATE_PORT, (uint8_t)((gate & ~0x02u) | 0x01u));
	x86_outb((uint16_t)PIT_MODE_PORT, (uint8_t)PIT_CH2_ONESHOT);
	x86_outb((uint16_t)PIT_CH2_PORT, (uint8_t)(count & 0xffu));
	x86_outb((uint16_t)PIT_CH2_PORT, (uint8_t)(count >> 8));
	uint64_t start = x86_rdtsc();
	for (uint32_t i = 0u; (i < PIT_SPIN_MAX) && ((x86_inb((uint16_t)PIT_GATE_PORT) & PIT_OUT2) == 0u); i++) {
	}
	uint64_t ticks = x86_rdtsc() - start;

	x86_outb((uint16_t)PIT_GATE_PORT, gate);
	uint64_t rate = 1u;

	if (ticks != 0u) {
		rate = ticks * PIT_CALIBRATE_DIV;
	}
	return rate;
}

uint64_t rt_counter_hz(void)
{
	static uint64_t hz;

	if (hz == 0u) {
		uint64_t khz = 0u;

		if (!rt_native() && (x86_cpuid(CPUID_HYPERVISOR_LEAF).eax >= CPUID_TSC_KHZ_LEAF)) {
			khz = x86_cpuid(CPUID_TSC_KHZ_LEAF).eax;
		}
		if (khz != 0u) {
			hz = khz * 1000u;
		} else {
			hz = tsc_hz_from_pit();
		}
	}
	return hz;
}

void rt_delay_us(uint64_t us)
{
	uint64_t end = rt_counter() + (us * rt_counter_hz()) / 1000000u;

	while (rt_counter() < end) {
		__asm__ volatile("pause");
	}
}

