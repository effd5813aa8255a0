/* SPDX-License-Identifier: MIT */
/*
 * The service partition on x86 (board.h): the 16550 its description shows
 * (I/O ports and a GSI, tools/configc/x86/guest_desc.c), and a sleep. An
 * x86 partition has no timer of its own yet (arch/x86/README.md), so the
 * sleep waits with interrupts on for any vector to be taken (a doorbell,
 * the UART's) or the counter to pass the bound, without halting: a HLT
 * could outlast the bound.
 */
#include <stddef.h>
#include <stdint.h>
#include "bhrt.h"
#include "bhrt_x86.h"
#include "../board.h"

/* QEMU q35's COM1 when the description does not show a UART. */
#define UART_PORT_DEFAULT 0x3f8u
#define UART_GSI_DEFAULT 4u

/* The description's 16550: `reg` = <0 first-port 0 ports> with `bulkhead,io-ports`, `interrupts` = <GSI>. */
/* Implements: REQ-XARCH-018 */
const struct svc_uart_driver *svc_board_uart(uint64_t *base, uint32_t *irq)
{
	uint32_t node = rt_fdt_next_compatible(0u, svc_ns16550_ports.compatible);
	uint64_t size = 0u;
	uint32_t len = 0u;
	uint32_t gsi = UART_GSI_DEFAULT;

	*base = UART_PORT_DEFAULT;
	*irq = UART_GSI_DEFAULT;
	if ((node != 0u) && (rt_fdt_node_property(node, "bulkhead,io-ports", &len) != NULL) &&
	    rt_fdt_node_reg(node, base, &size) && rt_fdt_node_u32(node, "interrupts", &gsi)) {
		*irq = gsi;
	}
	return &svc_ns16550_ports;
}

void svc_board_init(void)
{
	/* nothing: the sleep needs no timer interrupt */
}

void svc_board_sleep(uint64_t us, bool (*quiet)(void))
{
	__asm__ volatile("cli" : : : "memory");
	if ((quiet == NULL) || quiet()) {
		uint32_t seen = __atomic_load_n(&rt_x86_irq_total, __ATOMIC_ACQUIRE);
		uint64_t deadline = rt_counter() + ((rt_counter_hz() * us) / 1000000u);

		/* What arrived since the check is taken at STI and ends the wait at once. */
		__asm__ volatile("sti" : : : "memory");
		while ((__atomic_load_n(&rt_x86_irq_total, __ATOMIC_ACQUIRE) == seen) && (rt_counter() < deadline)) {
			__asm__ volatile("pause");
		}
	}
	__asm__ volatile("sti" : : : "memory");
}
