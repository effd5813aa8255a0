/* SPDX-License-Identifier: MIT */
/*
 * The board's i.MX UART (fsl,imx6q-uart: i.MX8M UART1..4), passed through to
 * the service partition: output by polling the transmit FIFO (bounded bytes
 * per call, never a wait), input by the receive interrupt into the receive
 * ring (uart.c). The clock, baud rate and frame format are the boot
 * firmware's; this driver enables both directions and the receive
 * interrupts: the receiver-ready trigger at one byte, and the aging timer
 * for a byte that arrives while the handler drains the FIFO.
 */
#include <stddef.h>
#include <stdint.h>
#include "bhrt_gic.h"
#include "bhrt_mmio.h"
#include "../uart.h"
#include "hw/imx_uart.h"

#define RX_PER_INTERRUPT 64u      /* bytes read per interrupt at most (the FIFO holds 32) */
#define UCR1_IRQS (IMX_UART_UCR1_RRDYEN | IMX_UART_UCR1_TRDYEN | IMX_UART_UCR1_IDEN | \
		   IMX_UART_UCR1_RTSDEN | IMX_UART_UCR1_TXMPTYEN)
#define UCR4_IRQS (IMX_UART_UCR4_DREN | IMX_UART_UCR4_OREN | IMX_UART_UCR4_TCEN)

static uint64_t imx_base;

static uint32_t imx_rd(uint32_t off)
{
	return rt_mmio_read32(imx_base + off);
}

static void imx_wr(uint32_t off, uint32_t v)
{
	rt_mmio_write32(imx_base + off, v);
}

/* Implements: REQ-BRD-010 */
static void imx_on_rx(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	/* RRDY clears itself once the FIFO is below the trigger; the aging timer's bit and an
	 * overrun are events, cleared before the drain so that a byte arriving during it raises
	 * them again rather than being stranded (at worst one empty interrupt). */
	imx_wr(IMX_UART_USR1, IMX_UART_USR1_AGTIM);
	imx_wr(IMX_UART_USR2, IMX_UART_USR2_ORE);
	for (uint32_t i = 0u; (i < RX_PER_INTERRUPT) && ((imx_rd(IMX_UART_USR2) & IMX_UART_USR2_RDR) != 0u); i++) {
		uint32_t rx = imx_rd(IMX_UART_URXD);

		/* A character with a framing or parity error is noise on the line, not input. */
		if ((rx & IMX_UART_URXD_ERR) == 0u) {
			svc_uart_rx_put((uint8_t)(rx & IMX_UART_URXD_DATA));
		}
	}
	svc_uart_rx_publish();
}

/* Implements: REQ-BRD-010 */
static int imx_init(uint64_t uart_base, uint32_t irq)
{
	uint32_t ufcr;

	imx_base = uart_base;
	if ((rt_gic_version() == 0) && (rt_gic_init() < 0)) {
		return -1;
	}
	/* Quiet first: none of the firmware's interrupt enables survive, then the receiver's. */
	imx_wr(IMX_UART_UCR1, (imx_rd(IMX_UART_UCR1) & ~UCR1_IRQS) | IMX_UART_UCR1_UARTEN);
	imx_wr(IMX_UART_UCR4, imx_rd(IMX_UART_UCR4) & ~UCR4_IRQS);
	ufcr = imx_rd(IMX_UART_UFCR) & ~IMX_UART_UFCR_RXTL;
	imx_wr(IMX_UART_UFCR, ufcr | 1u);
	imx_wr(IMX_UART_UCR3, imx_rd(IMX_UART_UCR3) | IMX_UART_UCR3_RXDMUXSEL);
	imx_wr(IMX_UART_UCR2, imx_rd(IMX_UART_UCR2) | IMX_UART_UCR2_SRST | IMX_UART_UCR2_RXEN |
	       IMX_UART_UCR2_TXEN | IMX_UART_UCR2_ATEN);
	imx_wr(IMX_UART_USR1, IMX_UART_USR1_AGTIM);
	if (rt_irq_set_handler(irq, imx_on_rx, NULL) != 0) {
		return -1;
	}
	rt_gic_set_edge(irq, false);
	(void)rt_gic_route(irq, rt_mpidr());
	rt_gic_set_priority(irq, RT_GIC_PRIORITY_DEFAULT);
	rt_gic_enable(irq);
	imx_wr(IMX_UART_UCR1, imx_rd(IMX_UART_UCR1) | IMX_UART_UCR1_RRDYEN);
	rt_irq_unmask();
	return 0;
}

/* Implements: REQ-BRD-010 */
static uint32_t imx_write(const char *buf, uint32_t len)
{
	uint32_t n = 0u;

	while ((n < len) && ((imx_rd(IMX_UART_UTS) & IMX_UART_UTS_TXFULL) == 0u)) {
		imx_wr(IMX_UART_UTXD, (uint8_t)buf[n]);
		n++;
	}
	return n;
}

const struct svc_uart_driver svc_imx_uart = {
	.compatible = "fsl,imx6q-uart",
	.init = imx_init,
	.send = imx_write,
};
