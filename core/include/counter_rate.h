/* SPDX-License-Identifier: MIT */
/*
 * The counter's rate in a partition's boot information: an OS that cannot
 * measure it (x86 Linux without a PIT) reads the figure the hypervisor
 * calibrated at its own boot, written at each start of the partition.
 */
#ifndef BULKHEAD_COUNTER_RATE_H
#define BULKHEAD_COUNTER_RATE_H

#include "partition.h"

/**
 * Writes arch_counter_hz() / 1000 in decimal over the room of
 * CFG_COUNTER_KHZ_DIGITS spaces at cfg->counter_khz of the `size`-byte
 * boot information `b` (left-aligned, the rest spaces); true when written
 * or none asked for, false when the room is not there or the rate has more
 * digits than it holds (left alone).
 */
bool counter_rate_fill(const struct partition *p, uint8_t *b, uint64_t size);

#endif
