/* SPDX-License-Identifier: MIT */
/*
 * Arm PrimeCell UART (PL011) registers, as its Technical Reference Manual
 * (DDI 0183) names them: one list for the hypervisor's console driver, its
 * emulated PL011, the service partition's driver and their tests.
 */
#ifndef BULKHEAD_HW_PL011_H
#define BULKHEAD_HW_PL011_H

/* Register offsets. */
#define PL011_DR        0x000u
#define PL011_FR        0x018u
#define PL011_IBRD      0x024u
#define PL011_FBRD      0x028u
#define PL011_LCRH      0x02cu
#define PL011_CR        0x030u
#define PL011_IFLS      0x034u
#define PL011_IMSC      0x038u
#define PL011_RIS       0x03cu
#define PL011_MIS       0x040u
#define PL011_ICR       0x044u
#define PL011_DMACR     0x048u
#define PL011_ID        0xfe0u      /* UARTPeriphID0..3, UARTPCellID0..3: 8 words */

/* Flag register. */
#define PL011_FR_RXFE   0x10u
#define PL011_FR_TXFF   0x20u
#define PL011_FR_RXFF   0x40u
#define PL011_FR_TXFE   0x80u

/* Control register. */
#define PL011_CR_UARTEN 0x001u
#define PL011_CR_TXE    0x100u
#define PL011_CR_RXE    0x200u

/* Interrupt bits (IMSC, RIS, MIS, ICR). */
#define PL011_INT_RX    0x10u
#define PL011_INT_TX    0x20u
#define PL011_INT_RT    0x40u
#define PL011_INT_ALL   0x7ffu

#endif /* BULKHEAD_HW_PL011_H */
