/* SPDX-License-Identifier: MIT */
/*
 * Running without Bulkhead: the same program loaded by QEMU directly at EL1
 * (`-machine virt` without virtualization). Its HVCs then reach QEMU's
 * firmware PSCI, which answers PSCI (CPU_ON, SYSTEM_OFF, ...) and returns
 * NOT_SUPPORTED for everything else. The runtime asks once whether Bulkhead
 * is there (BH_HC_CALL_UID answers Bulkhead's UID) and otherwise prints
 * straight to the board's PL011 (polled) and derives who it is from the
 * hardware (MPIDR, PSCI AFFINITY_INFO).
 */
#include <bulkhead/hypercall.h>
#include <bulkhead/psci.h>
#include <stddef.h>
#include "bhrt.h"

#define NATIVE_UART 0x09000000UL    /* QEMU virt PL011 */
#define UART_DR 0x000u
#define UART_FR 0x018u
#define UART_FR_TXFF (1u << 5)
#define NATIVE_MAX_CPUS 64u

/* Implements: REQ-IRQ-051 */
bool rt_native(void)
{
	/* 0: not asked yet, 1: Bulkhead answered, 2: native. */
	static uint32_t mode;
	uint32_t m = __atomic_load_n(&mode, __ATOMIC_RELAXED);

	if (m == 0u) {
		struct rt_smccc_res r = rt_hvc(BH_HC_CALL_UID, 0, 0, 0);
		bool bulkhead = ((uint64_t)r.x0 == BH_UID_0) && (r.x1 == BH_UID_1) && (r.x2 == BH_UID_2) &&
				(r.x3 == BH_UID_3);
		m = bulkhead ? (uint32_t)1u : (uint32_t)2u;
		__atomic_store_n(&mode, m, __ATOMIC_RELAXED);
	}
	return m == 2u;
}

/* Implements: REQ-IRQ-051 */
static void uart_putc(char c)
{
	const volatile uint32_t *fr = (const volatile uint32_t *)(NATIVE_UART + UART_FR);
	volatile uint32_t *dr = (volatile uint32_t *)(NATIVE_UART + UART_DR);

	while ((*fr & UART_FR_TXFF) != 0u) {
	}
	*dr = (uint32_t)(unsigned char)c;
}

/* Implements: REQ-IRQ-051 */
long rt_console_write(const char *buf, size_t len)
{
	static uint32_t uart_lock;

	if (!rt_native()) {
		size_t n = (len > BH_CONSOLE_WRITE_MAX) ? BH_CONSOLE_WRITE_MAX : len;
		struct rt_smccc_res r = rt_hvc(BH_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)buf, n, 0);
		return (r.x0 == BH_OK) ? (long)r.x1 : (long)r.x0;
	}
	/* One writer at a time, so that lines of different vCPUs do not mix. */
	uint64_t daif;
	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #2" : "=r"(daif) : : "memory");
	while (__atomic_exchange_n(&uart_lock, 1u, __ATOMIC_ACQUIRE) != 0u) {
	}
	for (size_t i = 0u; i < len; i++) {
		if (buf[i] == '\n') {
			uart_putc('\r');
		}
		uart_putc(buf[i]);
	}
	__atomic_store_n(&uart_lock, 0u, __ATOMIC_RELEASE);
	__asm__ volatile("msr daif, %0" : : "r"(daif) : "memory");
	return (long)len;
}

/* Implements: REQ-IRQ-051 */
struct rt_info rt_native_info(void)
{
	uint64_t mpidr;
	uint32_t n = 0u;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	/* The cores that exist are those PSCI knows (Aff0 = index, as under Bulkhead). */
	while ((n < NATIVE_MAX_CPUS) && (rt_hvc(PSCI_AFFINITY_INFO_64, n, 0, 0).x0 >= 0)) {
		n++;
	}
	return (struct rt_info){
		.partition = 0u,
		.vcpu = (uint32_t)(mpidr & 0xffu),
		.n_vcpus = n,
		.restarts = 0u,
	};
}
