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
 * line it is), byte 1 a BH_LOG_* record kind, then the kind's body. A
 * text line (at most BH_LOG_LINE_MAX bytes) longer than a slot's payload
 * (118 bytes) comes as BH_LOG_TEXT_MORE records and a last BH_LOG_TEXT one,
 * published together, which the service partition prints as the one line
 * they are: a line cut in two would leave its second half without the
 * partition and the event its first half names. The log's ring is lossy: the hypervisor never waits
 * for the service partition; what it had no room for is counted in the
 * ring's dropped word. It rings the service partition's doorbell after each
 * record it publishes.
 */
#define BH_LOG_SOURCE_HYPERVISOR 0xffu
#define BH_LOG_TEXT              0u   /* body: one line of text, no newline */
#define BH_LOG_FAULT             1u   /* body: a partition's fault (source: that partition), below */
#define BH_LOG_STOPPED           2u   /* body: a partition stopped (source: that partition), below */
#define BH_LOG_TEXT_MORE         3u   /* body: part of a line; the source's next text record continues it */
/** Longest text line of the log (the hypervisor's format buffer). */
#define BH_LOG_LINE_MAX          256u

/*
 * A BH_LOG_FAULT record: the hypervisor stops or restarts a partition after
 * a fault and leaves the formatting to the service partition (a formatted
 * line costs the fault path thousands of instructions). Offsets in the
 * payload; 64-bit fields little-endian. The service partition prints it as
 * the hypervisor would: "fault: partition '<name>' vCPU <v> (core <c>):
 * <kind name>[ at IPA 0x<addr>], PC 0x<pc>, ESR 0x<syndrome>; stop|restart".
 */
#define BH_LOG_FAULT_VCPU        2u   /* u8: the vCPU that faulted */
#define BH_LOG_FAULT_CORE        3u   /* u8: its physical core */
#define BH_LOG_FAULT_KIND        4u   /* u8: BH_FAULT_* */
#define BH_LOG_FAULT_FLAGS       5u   /* u8: BH_LOG_FAULT_ADDR_VALID | BH_LOG_FAULT_RESTART */
#define BH_LOG_FAULT_ADDR        8u   /* u64: the faulting guest-physical address, when ADDR_VALID */
#define BH_LOG_FAULT_PC          16u  /* u64: the guest's program counter */
#define BH_LOG_FAULT_SYNDROME    24u  /* u64: the syndrome (arm64: ESR_EL2) */
#define BH_LOG_FAULT_SIZE        32u  /* payload bytes of the record */
#define BH_LOG_FAULT_ADDR_VALID  0x1u
#define BH_LOG_FAULT_RESTART     0x2u /* the fault policy restarts the partition; otherwise it stops */

/*
 * A BH_LOG_STOPPED record: the partition has stopped (by a fault, SYSTEM_OFF
 * or its last vCPU's CPU_OFF), with its incident counters since boot
 * (BH_INCIDENT_*, include/bulkhead/hypercall.h), each a little-endian u64
 * at BH_LOG_STOPPED_INCIDENTS + 8 * kind; bytes 2 to 7 are zero (reserved).
 * The service partition prints
 * "partition '<name>' stopped" and, when a counter is not zero,
 * "partition '<name>' incidents since boot: call <n>, register <n>,
 * interrupt <n>, console <n>, fault <n>, interference <n>".
 */
#define BH_LOG_STOPPED_INCIDENTS 8u
#define BH_LOG_STOPPED_SIZE      (BH_LOG_STOPPED_INCIDENTS + (8u * 6u))

/* Fault kinds (BH_LOG_FAULT_KIND), named by BH_FAULT_NAMES in this order. */
#define BH_FAULT_DATA_READ       0u
#define BH_FAULT_DATA_WRITE      1u
#define BH_FAULT_INSTRUCTION     2u
#define BH_FAULT_UNHANDLED_TRAP  3u
#define BH_FAULT_SERROR          4u
#define BH_FAULT_KINDS           5u
#define BH_FAULT_NAMES { "stage-2 data abort (read)", "stage-2 data abort (write)", \
			 "stage-2 instruction abort", "unhandled trap", "SError" }

#endif /* BULKHEAD_CHANNEL_H */
