/* SPDX-License-Identifier: MIT */
/*
 * NXP i.MX UART (fsl,imx6q-uart: the i.MX6 to i.MX8M family's UART1..4)
 * registers, as the i.MX 8M Plus Applications Processor Reference Manual
 * (IMX8MPRM, "Universal Asynchronous Receiver/Transmitter") names them: one
 * list for the hypervisor's console driver, the service partition's driver
 * and their tests.
 */
#ifndef BULKHEAD_HW_IMX_UART_H
#define BULKHEAD_HW_IMX_UART_H

/* Register offsets. */
#define IMX_UART_URXD       0x00u   /* Receiver: data in bits 7:0 */
#define IMX_UART_UTXD       0x40u   /* Transmitter */
#define IMX_UART_UCR1       0x80u   /* Control 1 */
#define IMX_UART_UCR2       0x84u   /* Control 2 */
#define IMX_UART_UCR3       0x88u   /* Control 3 */
#define IMX_UART_UCR4       0x8cu   /* Control 4 */
#define IMX_UART_UFCR       0x90u   /* FIFO control */
#define IMX_UART_USR1       0x94u   /* Status 1 */
#define IMX_UART_USR2       0x98u   /* Status 2 */
#define IMX_UART_UTS        0xb4u   /* Test (FIFO full and empty flags) */

/* URXD. */
#define IMX_UART_URXD_DATA     0xffu
#define IMX_UART_URXD_ERR      0x4000u  /* a framing, parity, overrun or break error */
#define IMX_UART_URXD_CHARRDY  0x8000u

/* UCR1. */
#define IMX_UART_UCR1_UARTEN   0x0001u
#define IMX_UART_UCR1_RRDYEN   0x0200u  /* receiver ready interrupt (RX FIFO at RXTL) */
#define IMX_UART_UCR1_TRDYEN   0x2000u  /* transmitter ready interrupt */
#define IMX_UART_UCR1_IDEN     0x1000u  /* idle interrupt */
#define IMX_UART_UCR1_RTSDEN   0x0020u
#define IMX_UART_UCR1_TXMPTYEN 0x0040u

/* UCR2: SRST is active low (0 resets the UART). */
#define IMX_UART_UCR2_SRST     0x0001u
#define IMX_UART_UCR2_RXEN     0x0002u
#define IMX_UART_UCR2_TXEN     0x0004u
#define IMX_UART_UCR2_ATEN     0x0008u  /* aging timer: RX FIFO not empty and idle for 8 characters */

/* UCR3: the i.MX6 and later need RXDMUXSEL set for the receiver to see the pin. */
#define IMX_UART_UCR3_RXDMUXSEL 0x0004u

/* UCR4. */
#define IMX_UART_UCR4_DREN     0x0001u  /* receive data ready interrupt */
#define IMX_UART_UCR4_OREN     0x0002u  /* receiver overrun interrupt */
#define IMX_UART_UCR4_TCEN     0x0008u  /* transmit complete interrupt */

/* UFCR: RXTL (receiver trigger level) bits 5:0; RFDIV 9:7 and TXTL 15:10 are the firmware's. */
#define IMX_UART_UFCR_RXTL     0x003fu

/* USR1 (write 1 to clear its event bits). */
#define IMX_UART_USR1_AGTIM    0x0100u  /* aging timer */
#define IMX_UART_USR1_RRDY     0x0200u
#define IMX_UART_USR1_TRDY     0x2000u

/* USR2. */
#define IMX_UART_USR2_RDR      0x0001u  /* receive data ready */
#define IMX_UART_USR2_ORE      0x0002u  /* overrun (write 1 to clear) */
#define IMX_UART_USR2_TXDC     0x0008u  /* transmission complete */
#define IMX_UART_USR2_TXFE     0x4000u  /* transmit FIFO empty */

/* UTS. */
#define IMX_UART_UTS_TXFULL    0x0010u
#define IMX_UART_UTS_RXEMPTY   0x0020u

#endif /* BULKHEAD_HW_IMX_UART_H */
