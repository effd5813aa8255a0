/* SPDX-License-Identifier: MIT */
/*
 * The 8250/16550A UART's registers as the National Semiconductor data sheet
 * (PC16550D) names them: one list for the hypervisor's emulated 16550, the
 * partitions that drive it and their tests. Offsets are register indices
 * (on a PC: port base + index).
 */
#ifndef BULKHEAD_HW_NS16550_H
#define BULKHEAD_HW_NS16550_H

#define UART16550_RBR   0u      /* read, DLAB 0: receive buffer */
#define UART16550_THR   0u      /* write, DLAB 0: transmit holding */
#define UART16550_DLL   0u      /* DLAB 1: divisor latch, low */
#define UART16550_IER   1u      /* DLAB 0: interrupt enable */
#define UART16550_DLM   1u      /* DLAB 1: divisor latch, high */
#define UART16550_IIR   2u      /* read: interrupt identification */
#define UART16550_FCR   2u      /* write: FIFO control */
#define UART16550_LCR   3u
#define UART16550_MCR   4u
#define UART16550_LSR   5u
#define UART16550_MSR   6u
#define UART16550_SCR   7u
#define UART16550_REGS  8u

#define UART16550_IER_RDI   0x01u   /* received data available */
#define UART16550_IER_THRI  0x02u   /* transmit holding register empty */
#define UART16550_IER_RLSI  0x04u   /* receiver line status */
#define UART16550_IER_MSI   0x08u   /* modem status */

#define UART16550_IIR_NO_INT    0x01u
#define UART16550_IIR_MSI       0x00u
#define UART16550_IIR_THRI      0x02u
#define UART16550_IIR_RDI       0x04u
#define UART16550_IIR_RLSI      0x06u
#define UART16550_IIR_FIFOS     0xc0u   /* FIFOs enabled (16550A) */

#define UART16550_FCR_ENABLE    0x01u
#define UART16550_FCR_CLEAR_RCVR 0x02u
#define UART16550_FCR_CLEAR_XMIT 0x04u

#define UART16550_LCR_DLAB  0x80u

#define UART16550_MCR_DTR   0x01u
#define UART16550_MCR_RTS   0x02u
#define UART16550_MCR_OUT1  0x04u
#define UART16550_MCR_OUT2  0x08u   /* on a PC: gates the interrupt line to the interrupt controller */
#define UART16550_MCR_LOOP  0x10u

#define UART16550_LSR_DR    0x01u
#define UART16550_LSR_THRE  0x20u
#define UART16550_LSR_TEMT  0x40u

#define UART16550_MSR_CTS   0x10u
#define UART16550_MSR_DSR   0x20u
#define UART16550_MSR_RI    0x40u
#define UART16550_MSR_DCD   0x80u

#endif /* BULKHEAD_HW_NS16550_H */
