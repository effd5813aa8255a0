/* SPDX-License-Identifier: MIT */
/*
 * Cadence UART (cdns,uart-r1p12: Zynq-7000 and Zynq UltraScale+ MPSoC UART0/1)
 * registers, as UG1085 (Zynq UltraScale+ TRM, "UART Controller") and its
 * register reference UG1087 name them: one list for the hypervisor's console
 * driver and the service partition's driver.
 */
#ifndef BULKHEAD_HW_CADENCE_UART_H
#define BULKHEAD_HW_CADENCE_UART_H

/* Register offsets. */
#define CDNS_UART_CR        0x00u   /* Control */
#define CDNS_UART_MR        0x04u   /* Mode */
#define CDNS_UART_IER       0x08u   /* Interrupt enable (write 1) */
#define CDNS_UART_IDR       0x0cu   /* Interrupt disable (write 1) */
#define CDNS_UART_IMR       0x10u   /* Interrupt mask (read: 1 = enabled) */
#define CDNS_UART_ISR       0x14u   /* Channel interrupt status (write 1 to clear) */
#define CDNS_UART_RXTOUT    0x1cu   /* Receiver timeout, in 4 bit periods (0: off) */
#define CDNS_UART_RXWM      0x20u   /* Receive FIFO trigger level */
#define CDNS_UART_SR        0x2cu   /* Channel status */
#define CDNS_UART_FIFO      0x30u   /* Transmit and receive FIFO */

/* Control register: each direction has an enable and a disable bit; disable wins. */
#define CDNS_UART_CR_RXRST  0x01u
#define CDNS_UART_CR_TXRST  0x02u
#define CDNS_UART_CR_RX_EN  0x04u
#define CDNS_UART_CR_RX_DIS 0x08u
#define CDNS_UART_CR_TX_EN  0x10u
#define CDNS_UART_CR_TX_DIS 0x20u

/* Channel status register. */
#define CDNS_UART_SR_RTRIG  0x01u   /* receive FIFO at or above RXWM */
#define CDNS_UART_SR_REMPTY 0x02u   /* receive FIFO empty */
#define CDNS_UART_SR_TEMPTY 0x08u   /* transmit FIFO empty */
#define CDNS_UART_SR_TFUL   0x10u   /* transmit FIFO full */

/* Interrupt bits (IER, IDR, IMR, ISR). */
#define CDNS_UART_INT_RTRIG   0x001u
#define CDNS_UART_INT_TIMEOUT 0x100u
#define CDNS_UART_INT_ALL     0x3fffu

#endif /* BULKHEAD_HW_CADENCE_UART_H */
