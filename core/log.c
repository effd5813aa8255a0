/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor log lines and panic. A line goes to the service partition
 * through the log channel while it runs (log_ring.h), to the UART otherwise.
 */
#include <bulkhead/channel.h>
#include "log.h"
#include "arch.h"
#include "bhrt_ring.h"
#include "console.h"
#include "core.h"
#include "coverage.h"
#include "cpu.h"
#include "lib.h"
#include "log_ring.h"
#include "partition.h"

/* Independent of the guests' CONFIG_CONSOLE_LINE_MAX: a fault report must fit whole. */
#define LOG_LINE_MAX 256u
/* A log record's payload: source, kind, body. */
#define LOG_RECORD_MAX (BH_CONSOLE_SLOT - RT_RING_SLOT_HEADER)
#define LOG_TEXT_MAX (LOG_RECORD_MAX - 2u)

static const char *source_name(uint32_t source)
{
	const struct partition *p = partition_get(source);

	return (p != NULL) ? p->cfg->name : "bulkhead";
}

void log_line(uint32_t source, const char *s, size_t len)
{
	uint8_t rec[LOG_RECORD_MAX];
	size_t done = 0u;
	bool sent = true;

	rec[0] = (uint8_t)source;
	rec[1] = BH_LOG_TEXT;
	/* A line longer than a record goes as several lines, as a long console line does. */
	do {
		size_t n = ((len - done) < LOG_TEXT_MAX) ? (len - done) : LOG_TEXT_MAX;

		(void)memcpy(&rec[2], &s[done], n);
		sent = log_ring_put(rec, n + 2u);
		if (sent) {
			done += n;
		}
	} while (sent && (done < len));
	if (!sent) {
		console_print_line(source_name(source), &s[done], len - done);
	}
}

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
	log_line(BH_LOG_SOURCE_HYPERVISOR, line, len);
}

static size_t format(char line[LOG_LINE_MAX], const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static size_t format(char line[LOG_LINE_MAX], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	size_t len = fmt_vformat(line, LOG_LINE_MAX, fmt, ap);
	va_end(ap);
	return len;
}

static void put_le64(uint8_t *dst, uint64_t v)
{
	for (uint32_t i = 0u; i < 8u; i++) {
		dst[i] = (uint8_t)(v >> (8u * i));
	}
}

void log_fault(const struct cpu *cpu, const struct fault *f, bool restart)
{
	static const char *const names[BH_FAULT_KINDS] = BH_FAULT_NAMES;
	const struct partition *p = cpu->partition;
	const char *action = restart ? "restart" : "stop";
	const char *what = names[f->kind % BH_FAULT_KINDS];
	uint8_t rec[BH_LOG_FAULT_SIZE] = { 0u };
	char line[LOG_LINE_MAX];
	size_t len;

	/* The service partition's own fault is printed here: it will not be there to format it. */
	if (!log_ring_is_service(p->id)) {
		rec[0] = (uint8_t)p->id;
		rec[1] = BH_LOG_FAULT;
		rec[BH_LOG_FAULT_VCPU] = (uint8_t)cpu->vcpu;
		rec[BH_LOG_FAULT_CORE] = (uint8_t)cpu->index;
		rec[BH_LOG_FAULT_KIND] = (uint8_t)(f->kind % BH_FAULT_KINDS);
		rec[BH_LOG_FAULT_FLAGS] = (uint8_t)((f->addr_valid ? BH_LOG_FAULT_ADDR_VALID : 0u) |
						    (restart ? BH_LOG_FAULT_RESTART : 0u));
		put_le64(&rec[BH_LOG_FAULT_ADDR], f->addr_valid ? f->addr : 0u);
		put_le64(&rec[BH_LOG_FAULT_PC], f->pc);
		put_le64(&rec[BH_LOG_FAULT_SYNDROME], f->syndrome);
		if (log_ring_put(rec, sizeof(rec))) {
			return;
		}
	}
	if (f->addr_valid) {
		len = format(line, "fault: partition '%s' vCPU %u (core %u): %s at IPA 0x%lx, PC 0x%lx, ESR 0x%lx; %s",
			     p->cfg->name, cpu->vcpu, cpu->index, what, f->addr, f->pc, f->syndrome, action);
	} else {
		len = format(line, "fault: partition '%s' vCPU %u (core %u): %s, PC 0x%lx, ESR 0x%lx; %s",
			     p->cfg->name, cpu->vcpu, cpu->index, what, f->pc, f->syndrome, action);
	}
	if (log_ring_is_service(p->id)) {
		console_print_line("bulkhead", line, len);
	} else {
		log_line(BH_LOG_SOURCE_HYPERVISOR, line, len);
	}
}

NORETURN void panic(const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	/* Fail-safe: nothing waits for the service partition any more, every core writes the UART. */
	log_ring_failsafe();
	va_start(ap, fmt);
	size_t len = fmt_vformat(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_print_line("bulkhead", "PANIC (hypervisor internal error)", 33u);
	console_print_line("bulkhead", line, len);
	coverage_dump();
	arch_system_off();
}
