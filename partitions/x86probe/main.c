/* SPDX-License-Identifier: MIT */
/*
 * x86 isolation probe (configs/qemu-x86_64.dts): uses the I/O ports it was
 * given (COM2, polled), then tries the two things its description does not
 * allow, in this order:
 *   1. OUT to COM1 (0x3f8), the hypervisor's console: refused and counted,
 *      and the partition goes on;
 *   2. a store to guest-physical 64 MiB, where talker's RAM is in host
 *      memory but nothing is in its own map: a nested page fault, and its
 *      fault policy (stop) ends it.
 * "ESCAPED" on the console would mean an attempt got through. First it
 * prints what the Bulkhead CPUID leaves say (include/bulkhead/x86_cpuid.h)
 * and the counter frequency the runtime took from them.
 */
#include <stdint.h>
#include <stdio.h>
#include <bulkhead/x86_cpuid.h>
#include "bhrt.h"
#include "bhrt_x86.h"

#define COM1 0x3f8u
#define COM2 0x2f8u
#define UART_LSR 5u
#define UART_LSR_THRE 0x20u
#define VICTIM_ADDRESS 0x4000000u   /* talker's host-address in configs/qemu-x86_64.dts */

int main(void)
{
	static const char msg[] = "x86probe on COM2\r\n";
	struct rt_info me = rt_partition_info();
	uint8_t lsr = x86_inb((uint16_t)(COM2 + UART_LSR));

	printf("x86probe: CPUID 0x%x: max leaf 0x%x, TSC %u kHz; the runtime's counter %u kHz\n",
	       BH_X86_CPUID_BASE, (unsigned)x86_cpuid(BH_X86_CPUID_BASE).eax, (unsigned)x86_cpuid(BH_X86_CPUID_TSC_KHZ).eax,
	       (unsigned)(rt_counter_hz() / 1000u));
	printf("x86probe: partition %u, COM2 LSR 0x%02x\n", (unsigned)me.partition, (unsigned)lsr);
	for (const char *c = msg; *c != '\0'; c++) {
		while ((x86_inb((uint16_t)(COM2 + UART_LSR)) & UART_LSR_THRE) == 0u) {
		}
		x86_outb((uint16_t)COM2, (uint8_t)*c);
	}
	printf("x86probe: wrote %u bytes to COM2, now a write to COM1\n", (unsigned)(sizeof(msg) - 1u));
	x86_outb((uint16_t)COM1, (uint8_t)'X');
	printf("x86probe: COM1 write done, now a store into talker's memory at 0x%x\n", VICTIM_ADDRESS);
	*(volatile uint32_t *)(uintptr_t)VICTIM_ADDRESS = 0xdeadbeefu;
	printf("x86probe: ESCAPED: the store to 0x%x completed\n", VICTIM_ADDRESS);
	return 1;
}
