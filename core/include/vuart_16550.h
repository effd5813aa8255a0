/* SPDX-License-Identifier: MIT */
/*
 * The emulated 16550: a partition whose console is "ns16550" (an x86 OS,
 * say Linux with its built-in 8250 driver: earlycon=uart8250,io,0x3f8
 * console=ttyS0) sees an 8250-compatible UART with FIFOs (a 16550A) at its
 * console I/O ports; the hypervisor emulates its registers (an emulated
 * device of the port space, emul.h) and moves the bytes over the
 * partition's console channel as the emulated PL011 does (vuart_chan.h).
 * Its interrupt is the partition's interrupt line `console.irq`, raised on
 * each rising edge of the 16550's interrupt output gated by MCR OUT2, as on
 * a PC, where the architecture says the line goes now (arch_line_target;
 * docs/emulated-uart.md).
 */
#ifndef BULKHEAD_VUART_16550_H
#define BULKHEAD_VUART_16550_H

#include "types.h"

struct partition;

/** Ports of the UART's registers. */
#define VUART_16550_PORTS 8u

/**
 * Sets up partition `p`'s emulated 16550 when its console is one: registers
 * its ports as an emulated device (EMUL_PIO) and attaches the hypervisor's
 * end of its console channel. Once, on the boot cpu, from partitions_init();
 * an inconsistent configuration is a table bug (panic).
 */
void vuart_16550_init(struct partition *p);

/** Partition `p` (re)starts: its UART is at its reset values, what was buffered is gone. */
void vuart_16550_reset(struct partition *p);

#endif /* BULKHEAD_VUART_16550_H */
