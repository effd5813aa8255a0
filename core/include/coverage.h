/* SPDX-License-Identifier: MIT */
/*
 * On-target structural coverage (CONFIG_COVERAGE, test builds only):
 * core/coverage.c prints the gcov counters on the console just before the
 * board powers off. Without CONFIG_COVERAGE the hook is empty.
 */
#ifndef BULKHEAD_COVERAGE_H
#define BULKHEAD_COVERAGE_H

#include <generated/autoconf.h>

#ifdef CONFIG_COVERAGE
/** Prints every gcov counter on the console. Called once, just before the board powers off. */
void coverage_dump(void);
#else
static inline void coverage_dump(void)
{
}
#endif

#endif /* BULKHEAD_COVERAGE_H */
