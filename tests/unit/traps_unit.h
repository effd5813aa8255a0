/* SPDX-License-Identifier: MIT */
/*
 * What the unit tests on the trap fuzz target's system (tests/fuzz/traps_system.h)
 * share: a fresh boot per test, and the distributor access a trap makes.
 */
#ifndef TESTS_UNIT_TRAPS_UNIT_H
#define TESTS_UNIT_TRAPS_UNIT_H

#include <stdbool.h>
#include <stdint.h>

/**
 * Boots the system afresh with an empty console, two seconds of the counter after the
 * last boot: incidents are counted since the process started, so each test's first is
 * logged. A cmocka setup (returns 0).
 */
int traps_unit_boot(void **state);

/** An access of the vCPU on @core to its distributor frame, as the trap path makes it: the value. */
uint64_t traps_dist(uint32_t core, uint32_t offset, bool write, uint32_t size, uint64_t value);

#endif
