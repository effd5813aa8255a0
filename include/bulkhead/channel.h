/* SPDX-License-Identifier: MIT */
/*
 * Bulkhead guest ABI: how a channel's memory is laid out, and the record
 * formats of the channels the service partition serves (consoles, the
 * hypervisor's log). Shared by the hypervisor, the config compiler and the
 * partition runtime. Constants only.
 *
 * A channel (docs/channels.md) is `size` bytes both ends map. A one-way
 * channel is one direction; a two-way channel is two directions of
 * size / 2 bytes each, the first carrying end 0 -> end 1, the second
 * end 1 -> end 0. A direction is:
 *
 *   page 0          the receiver's page: the ring's consumer control block
 *                   at offset 0; only the receiver may write it
 *   pages 1..n-1    the sender's pages: the producer control block at
 *                   offset 0, the slots from offset BH_CHANNEL_SLOTS_OFFSET;
 *                   only the sender may write them
 *
 * Stage 2 enforces the "only": each end maps what it may not write read-only.
 * The ring protocol inside is partitions/runtime/include/bhrt_ring.h.
 */
#ifndef BULKHEAD_CHANNEL_H
#define BULKHEAD_CHANNEL_H

#define BH_CHANNEL_PAGE          4096u
/** Smallest direction: the receiver's page and one sender page. */
#define BH_CHANNEL_MIN_DIRECTION (2u * BH_CHANNEL_PAGE)
/** Where the slots start inside the sender's pages (after its control block). */
#define BH_CHANNEL_SLOTS_OFFSET  64u

/** Slot size of console and log rings: an 8-byte header and up to 120 bytes of a line. */
#define BH_CONSOLE_SLOT          128u
/** Bytes of a console or log channel (two directions of 8 KiB: output, then input). */
#define BH_CONSOLE_CHANNEL_SIZE  (4u * BH_CHANNEL_PAGE)
/** Bytes of the hypervisor's log channel (one way, hypervisor -> service partition). */
#define BH_LOG_CHANNEL_SIZE      (8u * BH_CHANNEL_PAGE)

/*
 * Console output records (partition -> service partition): the payload is
 * bytes the partition printed, in order; a record ends a line only when its
 * last byte is '\n'. Input records (service partition -> partition): bytes
 * typed while the partition had the focus.
 *
 * Log records (hypervisor -> service partition): payload byte 0 is the
 * source (BH_LOG_SOURCE_HYPERVISOR, or the partition id whose debug-console
 * line it is), byte 1 a BH_LOG_* record kind, then the kind's body.
 */
#define BH_LOG_SOURCE_HYPERVISOR 0xffu
#define BH_LOG_TEXT              0u   /* body: one line of text, no newline */

#endif /* BULKHEAD_CHANNEL_H */
