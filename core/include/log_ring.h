/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's end of the log channel (include/bulkhead/channel.h):
 * a lossy producer of log records that the service partition drains and
 * prints. While the service partition runs it is the only writer of the
 * UART, so the hypervisor's log lines and partitions' debug-console lines
 * go here; before it first starts, once it has stopped, on a fail-safe stop
 * and on a system without one, the hypervisor writes the UART itself.
 */
#ifndef BULKHEAD_LOG_RING_H
#define BULKHEAD_LOG_RING_H

#include <bulkhead/channel.h>
#include "types.h"

/** Attaches the producer to the system's log channel, if it has one. Boot cpu, once, after partitions_init(). */
void log_ring_init(void);

/**
 * Publishes one record of `len` bytes (a BH_LOG_* record: source, kind,
 * body) and rings the service partition's doorbell. False when the log does
 * not go to the service partition now (see above) or the record does not fit
 * a slot: the caller writes the UART instead. True when the record is
 * published or counted as dropped (a full ring): the hypervisor never waits.
 */
bool log_ring_put(const uint8_t *rec, size_t len);

/**
 * Publishes one text line of `source` (at most BH_LOG_LINE_MAX bytes, no
 * newline): one BH_LOG_TEXT record, or, for a line longer than a record,
 * BH_LOG_TEXT_MORE records and a last BH_LOG_TEXT one that the service
 * partition joins into the one line. False as log_ring_put().
 */
bool log_ring_put_text(uint32_t source, const char *s, size_t len);

/**
 * The service partition has stopped for good: attaches to the ring as its
 * consumer, where it left off. Returns how many records wait (at most the
 * ring's capacity) and in *dropped how many the ring had no room for.
 */
uint32_t log_ring_leftovers(uint32_t *dropped);

/** After log_ring_leftovers(): takes the oldest record left (false: none). */
bool log_ring_leftover(uint64_t rec[BH_CONSOLE_SLOT / 8u], size_t *len);

/** Partition `id` is the service partition (whose own faults and lines must not wait for it). */
bool log_ring_is_service(uint32_t id);

/** From now on every log line goes to the UART: a fail-safe stop (panic) is under way. */
void log_ring_failsafe(void);

#endif /* BULKHEAD_LOG_RING_H */
