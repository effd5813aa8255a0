/* SPDX-License-Identifier: MIT */
/*
 * The record the producer and consumer programs exchange over their
 * channel (labelled "samples"): a sequence number, its check value, and a
 * pattern derived from it that fills the rest of the record.
 */
#ifndef STREAM_H
#define STREAM_H

#include <stddef.h>
#include <stdint.h>

#define STREAM_CHANNEL "samples"
#define STREAM_SLOT_DEFAULT 64u       /* bytes per ring slot; both ends must agree (bootarg slot=) */
#define STREAM_COUNT_DEFAULT 100000u  /* messages (bootarg count=) */
#define STREAM_HEADER 16u
#define STREAM_MAX 8192u              /* largest record the programs handle */
#define STREAM_CHECK UINT64_C(0x5eb1e55ed5eb1e55)
#define STREAM_STALL_S 30u            /* a peer that lets nothing through for this long ends the run */
#define STREAM_WAIT_US 20000u         /* one bounded wait; retried until the stall limit */

/** The pattern byte at offset i of record seq (after the header). */
static inline uint8_t stream_byte(uint64_t seq, size_t i)
{
	return (uint8_t)((seq * 131u) + (i * 7u));
}

#endif
