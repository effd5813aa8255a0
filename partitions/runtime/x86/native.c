/* SPDX-License-Identifier: MIT */
/*
 * Running without Bulkhead: the same program loaded by QEMU directly as a
 * multiboot kernel (`qemu-system-x86_64 -kernel partition.elf32`). There
 * is no VMMCALL to make then (it would fault), so the runtime asks CPUID
 * once whether Bulkhead is there (leaf 0x40000000's signature, bhrt_arch.h)
 * and otherwise prints straight to COM1 (a 16550 at I/O port 0x3f8,
 * polled), powers off through the ACPI PM1a control port QEMU's pc and q35
 * machines have at 0x604, and knows one vCPU (its initial APIC id).
 */
#include <bulkhead/hypercall.h>
#include <stddef.h>
#include "bhrt.h"
#include "bhrt_x86.h"

#define NATIVE_COM1 0x3f8u
#define UART_THR 0u
#define UART_LSR 5u
#define UART_LSR_THRE 0x20u
#define CPUID_HYPERVISOR_LEAF BH_X86_CPUID_BASE
#define CPUID_FEATURES_ECX_HYPERVISOR ((uint32_t)1u << 31)

bool rt_native(void)
{
	/* 0: not asked yet, 1: Bulkhead answered, 2: native. */
	static uint32_t mode;
	uint32_t m = __atomic_load_n(&mode, __ATOMIC_RELAXED);

	if (m == 0u) {
		struct x86_cpuid f = x86_cpuid(1u);
		struct x86_cpuid h = x86_cpuid(CPUID_HYPERVISOR_LEAF);
		bool bulkhead = ((f.ecx & CPUID_FEATURES_ECX_HYPERVISOR) != 0u) && (h.ebx == RT_X86_SIGNATURE_EBX) &&
				(h.ecx == RT_X86_SIGNATURE_ECX) && (h.edx == RT_X86_SIGNATURE_EDX);
		m = bulkhead ? (uint32_t)1u : (uint32_t)2u;
		__atomic_store_n(&mode, m, __ATOMIC_RELAXED);
	}
	return m == 2u;
}

static void uart_putc(char c)
{
	while ((x86_inb((uint16_t)(NATIVE_COM1 + UART_LSR)) & UART_LSR_THRE) == 0u) {
	}
	x86_outb((uint16_t)(NATIVE_COM1 + UART_THR), (uint8_t)c);
}

long rt_console_write(const char *buf, size_t len)
{
	static uint32_t uart_lock;

	if (!rt_native()) {
		size_t n = (len > BH_CONSOLE_WRITE_MAX) ? BH_CONSOLE_WRITE_MAX : len;
		struct rt_smccc_res r = rt_hvc(BH_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)buf, n, 0);
		return (r.x0 == BH_OK) ? (long)r.x1 : (long)r.x0;
	}
	/* One writer at a time, so that lines of different vCPUs do not mix. */
	while (__atomic_exchange_n(&uart_lock, 1u, __ATOMIC_ACQUIRE) != 0u) {
	}
	for (size_t i = 0u; i < len; i++) {
		if (buf[i] == '\n') {
			uart_putc('\r');
		}
		uart_putc(buf[i]);
	}
	__atomic_store_n(&uart_lock, 0u, __ATOMIC_RELEASE);
	return (long)len;
}

struct rt_info rt_native_info(void)
{
	/* CPUID 1: EBX[31:24] is the initial APIC id. Other cores would need ACPI's MADT. */
	return (struct rt_info){
		.partition = 0u,
		.vcpu = x86_cpuid(1u).ebx >> 24,
		.n_vcpus = 1u,
		.restarts = 0u,
	};
}
