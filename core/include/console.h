/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console: whole lines only, never interleaved mid-line.
 * Partition lines carry a "[name] " prefix, the hypervisor's "[bulkhead] ".
 */
#ifndef BULKHEAD_CONSOLE_H
#define BULKHEAD_CONSOLE_H

#include <generated/autoconf.h>
#include "types.h"

/** A vCPU's line being assembled; printed whole at '\n' or when full. */
struct console_line {
	uint32_t len;
	char buf[CONFIG_CONSOLE_LINE_MAX];
};

struct cpu;

/** Appends a guest character to the vCPU's line; prints the line when complete. */
void console_guest_putc(struct cpu *cpu, char c);

/** Prints `len` bytes of `s` followed by a newline, atomically, with the prefix "[prefix] ". */
void console_print_line(const char *prefix, const char *s, size_t len);

/**
 * The same for the fail-safe path (panic): waits a bounded time (100 ms) for
 * a line in progress, then prints whether or not it got the console, so that
 * a dead core, or this core interrupted while it held the console, cannot
 * keep the board from powering off.
 */
void console_print_line_failsafe(const char *prefix, const char *s, size_t len);

#ifdef CONFIG_COVERAGE
/**
 * Takes the console for several lines on the fail-safe path (the coverage
 * dump at power-off, after a panic too): waits the same bounded time and
 * returns whether it got it; the lines go out either way, with
 * console_print_line_held(), and console_release() gives back what was taken.
 */
bool console_hold_failsafe(void);

/** Prints a line while console_hold_failsafe() holds (or gave up on) the console. */
void console_print_line_held(const char *prefix, const char *s, size_t len);

/** Releases the console if `held` (console_hold_failsafe()'s answer). */
void console_release(bool held);
#endif

#endif /* BULKHEAD_CONSOLE_H */
