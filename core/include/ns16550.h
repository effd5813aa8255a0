/* SPDX-License-Identifier: MIT */
/*
 * The NS16550 UART's registers as the hypervisor's console drivers use them
 * (polled transmit only). Register i is at base + (i << reg_shift) in MMIO
 * (arch/arm64/ns16550.c) or at port base + i in port I/O (x86, next).
 */
#ifndef BULKHEAD_NS16550_H
#define BULKHEAD_NS16550_H

#define NS16550_THR 0u              /* transmit holding register (write) */
#define NS16550_LSR 5u              /* line status register (read) */
#define NS16550_LSR_THRE 0x20u      /* the holding register is empty */

/*
 * A UART that never empties its holding register is broken; the console
 * drops the character after this many polls rather than hang the core (and
 * every core waiting for the console lock) forever.
 */
#define NS16550_POLLS 1000000u

#endif /* BULKHEAD_NS16550_H */
