/* SPDX-License-Identifier: MIT */
/*
 * The emulated PL011: a partition whose console is "pl011" (an OS, say
 * Linux with its built-in amba-pl011 driver and earlycon) sees an ARM PL011
 * UART at its console address; the hypervisor emulates its registers (an
 * emulated device, emul.h) and moves the bytes over the partition's console
 * channel, whose hypervisor end it is (end 0): what the partition writes to
 * the data register goes out as console records to the service partition
 * (end 1), which prints it; what the service partition sends back (typed
 * input) is what the data register reads. The UART's interrupt is a virtual
 * interrupt of the partition (arm64: a virtual SPI), raised on each rising
 * edge of the PL011's interrupt line (docs/emulated-uart.md).
 */
#ifndef BULKHEAD_VUART_PL011_H
#define BULKHEAD_VUART_PL011_H

#include "status.h"
#include "types.h"

struct cpu;
struct partition;

/** Bytes of the UART's register frame. */
#define VUART_PL011_SIZE 0x1000u

/**
 * Sets up partition `p`'s emulated PL011 when its console is one: registers
 * its frame as an emulated device, attaches the hypervisor's end of its
 * console channel and binds it to the channel's doorbell (channel.h), so
 * that the service partition's doorbell (input arrived, output room freed)
 * reaches it. Once, on the boot cpu, from partitions_init(); an
 * inconsistent configuration is a table bug (panic).
 */
void vuart_pl011_init(struct partition *p);

/**
 * Partition `p` (re)starts: its UART is at its reset values; what it had
 * buffered of an unfinished record, either way, is gone. The channel's
 * rings stay as they are (the service partition did not restart).
 */
void vuart_pl011_reset(struct partition *p);

#endif /* BULKHEAD_VUART_PL011_H */
