/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor event log: printf-style messages, one line each, filtered by
 * CONFIG_LOG_LEVEL, printed "[bulkhead] ..." by the service partition or,
 * without one, on the UART.
 */
#ifndef BULKHEAD_LOG_H
#define BULKHEAD_LOG_H

#include <generated/autoconf.h>
#include <stdarg.h>
#include "types.h"

#define LOG_ERROR 0
#define LOG_WARNING 1
#define LOG_INFO 2
#define LOG_DEBUG 3

/** Logs one line when `level` <= CONFIG_LOG_LEVEL. Formats: %s %c %d %u %x %lx %lu %ld %p %%. */
void log_printf(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Logs the constant line `s` (`len` bytes, no newline) when `level` <= CONFIG_LOG_LEVEL: no formatting. */
void log_text(int level, const char *s, size_t len);

#define log_error(...) log_printf(LOG_ERROR, __VA_ARGS__)
#define log_warning(...) log_printf(LOG_WARNING, __VA_ARGS__)
#define log_info(...) log_printf(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)

/**
 * One line of `len` bytes (no newline) from `source`: BH_LOG_SOURCE_HYPERVISOR
 * or the partition id whose debug-console line it is. It goes into the log
 * channel while the service partition runs (log_ring.h), to the UART
 * prefixed "[name] " otherwise.
 */
void log_line(uint32_t source, const char *s, size_t len);

struct cpu;
struct fault;

/**
 * Logs the fault `f` of the partition that `cpu` runs, which its policy
 * restarts (`restart`) or stops: as a compact record the service partition
 * formats, or formatted on the UART when the service partition does not
 * print the log now or the fault is its own.
 */
void log_fault(const struct cpu *cpu, const struct fault *f, bool restart);

struct partition;

/**
 * Logs that partition `p` has stopped, with its incident counters: as one
 * record the service partition formats, or as the lines "partition '<name>'
 * stopped" and (when a counter is not zero) "partition '<name>' incidents
 * since boot: ..." on the UART. Info level.
 */
void log_partition_stopped(const struct partition *p);

/**
 * When `p` is the service partition and stops for good: prints on the UART
 * the records it had left in the log channel and the drops since boot.
 * Called while it is still stopping, so that the board does not power off
 * (every partition stopped) before they are out.
 */
void log_service_leftovers(const struct partition *p);

/** Formats into buf (always terminated); returns the length written. */
size_t fmt_vformat(char *buf, size_t size, const char *fmt, va_list ap);

/** Stops the hypervisor after an internal error (never caused by a guest). */
NORETURN void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* BULKHEAD_LOG_H */
