/* SPDX-License-Identifier: MIT */
/*
 * The service partition on arm64 (board.h): the PL011, Cadence or i.MX UART the
 * device tree shows, and a sleep on WFI bounded by the virtual timer.
 */
#include <stddef.h>
#include <stdint.h>
#include "bhrt.h"
#include "bhrt_gic.h"
#include "../board.h"

/* The board's UART when the device tree does not show it (QEMU virt). */
#define UART_BASE_DEFAULT 0x09000000u
#define UART_IRQ_DEFAULT 33u
#define UART_DRIVERS 3u

/* Driver `i` in the order the device tree is searched (the first is QEMU virt's); NULL past them. */
static const struct svc_uart_driver *uart_driver(uint32_t i)
{
	const struct svc_uart_driver *d = NULL;

	if (i == 0u) {
		d = &svc_pl011;
	} else if (i == 1u) {
		d = &svc_cadence_uart;
	} else if (i == 2u) {
		d = &svc_imx_uart;
	} else {
		/* past the drivers */
	}
	return d;
}

/* The UART node of the device tree (`reg`, `interrupts` = <0 spi 4>) and its driver: the first
 * UART a driver knows, or the board's default (QEMU virt's PL011). */
/* Implements: REQ-BRD-003 */
const struct svc_uart_driver *svc_board_uart(uint64_t *base, uint32_t *irq)
{
	const struct svc_uart_driver *drv = uart_driver(0u);
	uint32_t node = 0u;
	uint64_t size = 0u;
	uint32_t len = 0u;
	const uint8_t *ints;

	for (uint32_t i = 0u; (i < UART_DRIVERS) && (node == 0u); i++) {
		const struct svc_uart_driver *d = uart_driver(i);

		node = (d != NULL) ? rt_fdt_next_compatible(0u, d->compatible) : 0u;
		drv = (node != 0u) ? d : drv;
	}
	ints = (node != 0u) ? rt_fdt_node_property(node, "interrupts", &len) : NULL;
	*base = UART_BASE_DEFAULT;
	*irq = UART_IRQ_DEFAULT;
	if ((node != 0u) && rt_fdt_node_reg(node, base, &size) && (ints != NULL) && (len >= 8u)) {
		*irq = (((uint32_t)ints[4] << 24) | ((uint32_t)ints[5] << 16) | ((uint32_t)ints[6] << 8) | ints[7]) + 32u;
	}
	return drv;
}

static void timer_expired(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	rt_timer_stop(RT_TIMER_VIRT);
}

void svc_board_init(void)
{
	(void)rt_irq_set_handler(RT_IRQ_VTIMER, timer_expired, NULL);
	rt_gic_set_priority(RT_IRQ_VTIMER, RT_GIC_PRIORITY_DEFAULT);
	rt_gic_enable(RT_IRQ_VTIMER);
}

/* WFI until an interrupt or the virtual timer (its handler stops it); IRQs masked from the check to
 * the WFI: a pending interrupt ends WFI all the same and is taken once they are unmasked. */
void svc_board_sleep(uint64_t us, bool (*quiet)(void))
{
	rt_irq_mask();
	if ((quiet == NULL) || quiet()) {
		rt_timer_start_at(RT_TIMER_VIRT, rt_counter() + ((rt_counter_hz() * us) / 1000000u));
		rt_wfi();
		rt_timer_stop(RT_TIMER_VIRT);
	}
	rt_irq_unmask();
}
