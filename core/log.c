/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor log lines and panic.
 */
#include "log.h"
#include "arch.h"
#include "console.h"

/* Independent of the guests' CONFIG_CONSOLE_LINE_MAX: a fault report must fit whole. */
#define LOG_LINE_MAX 256u

void log_printf(int level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	if (level > CONFIG_LOG_LEVEL) {
		return;
	}
	va_start(ap, fmt);
	size_t len = fmt_vformat(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_print_line("bulkhead", line, len);
}

NORETURN void panic(const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	size_t len = fmt_vformat(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_print_line("bulkhead", "PANIC (hypervisor internal error)", 33u);
	console_print_line("bulkhead", line, len);
	/* arch_system_off() dumps the coverage counters (CONFIG_COVERAGE) just before the firmware call. */
	arch_system_off();
}
