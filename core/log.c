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
#include "cpu.h"
#include "incident.h"
#include "lib.h"
#include "log_ring.h"
#include "partition.h"

/* Independent of the guests' CONFIG_CONSOLE_LINE_MAX: a fault report must fit whole. */
#define LOG_LINE_MAX BH_LOG_LINE_MAX

_Static_assert(BH_LOG_STOPPED_SIZE == (BH_LOG_STOPPED_INCIDENTS + (8u * BH_INCIDENT_KINDS)),
	       "a stop record holds every incident counter");

/* Implements: REQ-CON-001 */
static const char *source_name(uint32_t source)
{
	const struct partition *p = partition_get(source);

	return (p != NULL) ? p->cfg->name : "bulkhead";
}

/* Implements: REQ-LOG-001~2, REQ-LOG-003 */
void log_line(uint32_t source, const char *s, size_t len)
{
	size_t n = (len > LOG_LINE_MAX) ? LOG_LINE_MAX : len;

	if (!log_ring_put_text(source, s, n)) {
		console_print_line(source_name(source), s, n);
	}
}

/* Implements: REQ-CON-001, REQ-CON-005 */
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

/* Implements: REQ-CON-001, REQ-CON-005 */
void log_text(int level, const char *s, size_t len)
{
	if (level <= CONFIG_LOG_LEVEL) {
		log_line(BH_LOG_SOURCE_HYPERVISOR, s, len);
	}
}

static size_t format(char line[LOG_LINE_MAX], const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Implements: REQ-CON-005 */
static size_t format(char line[LOG_LINE_MAX], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	size_t len = fmt_vformat(line, LOG_LINE_MAX, fmt, ap);
	va_end(ap);
	return len;
}

/*
 * Records with 64-bit fields are built as words, in place: every field is
 * at its natural alignment (channel.h), and both the hypervisor's
 * architectures are little-endian, the byte order channel.h gives.
 */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "log records are little-endian");

/* Word 0 of a record: source, kind and the four bytes after them. */
/* Implements: REQ-LOG-004 */
static uint64_t record_head(uint32_t source, uint32_t kind, uint64_t bytes_2_to_5)
{
	return ((uint64_t)source & 0xffu) | ((uint64_t)kind << 8) | (bytes_2_to_5 << 16);
}

/* Byte `i` (0..7) of a record's word. */
/* Implements: REQ-LOG-004 */
static uint32_t byte_of(uint64_t w, uint32_t i)
{
	uint32_t shift = 8u * i;

	return (uint32_t)((w >> shift) & 0xffu);
}

/* Implements: REQ-LOG-003, REQ-LOG-004 */
static void print_fault(const uint64_t *rec)
{
	static const char *const names[BH_FAULT_KINDS] = BH_FAULT_NAMES;
	char line[LOG_LINE_MAX];
	size_t len;
	uint32_t flags = byte_of(rec[0], BH_LOG_FAULT_FLAGS);
	const char *name = source_name(byte_of(rec[0], 0u));
	const char *what = names[byte_of(rec[0], BH_LOG_FAULT_KIND) % BH_FAULT_KINDS];
	const char *action = ((flags & BH_LOG_FAULT_RESTART) != 0u) ? "restart" : "stop";

	if ((flags & BH_LOG_FAULT_ADDR_VALID) != 0u) {
		len = format(line, "fault: partition '%s' vCPU %u (core %u): %s at IPA 0x%lx, PC 0x%lx, ESR 0x%lx; %s",
			     name, byte_of(rec[0], BH_LOG_FAULT_VCPU), byte_of(rec[0], BH_LOG_FAULT_CORE), what,
			     rec[BH_LOG_FAULT_ADDR / 8u], rec[BH_LOG_FAULT_PC / 8u], rec[BH_LOG_FAULT_SYNDROME / 8u], action);
	} else {
		len = format(line, "fault: partition '%s' vCPU %u (core %u): %s, PC 0x%lx, ESR 0x%lx; %s",
			     name, byte_of(rec[0], BH_LOG_FAULT_VCPU), byte_of(rec[0], BH_LOG_FAULT_CORE), what,
			     rec[BH_LOG_FAULT_PC / 8u], rec[BH_LOG_FAULT_SYNDROME / 8u], action);
	}
	console_print_line("bulkhead", line, len);
}

/* Implements: REQ-LOG-003, REQ-LOG-004 */
static void print_stopped(const uint64_t *rec)
{
	const uint64_t *c = &rec[BH_LOG_STOPPED_INCIDENTS / 8u];
	const char *name = source_name(byte_of(rec[0], 0u));
	char line[LOG_LINE_MAX];
	size_t len = format(line, "partition '%s' stopped", name);

	console_print_line("bulkhead", line, len);
	if ((c[0] | c[1] | c[2] | c[3] | c[4] | c[5]) != 0u) {
		len = format(line, "partition '%s' incidents since boot: call %lu, register %lu, interrupt %lu, "
			     "console %lu, fault %lu, interference %lu", name, c[BH_INCIDENT_CALL],
			     c[BH_INCIDENT_REGISTER], c[BH_INCIDENT_INTERRUPT], c[BH_INCIDENT_CONSOLE],
			     c[BH_INCIDENT_FAULT], c[BH_INCIDENT_INTERFERENCE]);
		console_print_line("bulkhead", line, len);
	}
}

/* Prints a record on the UART as the service partition would; anything else is counted as unknown. */
/* Implements: REQ-LOG-005 */
static void print_record(const uint64_t *rec, size_t len)
{
	const char *bytes = (const char *)rec;
	uint32_t kind = byte_of(rec[0], 1u);

	/* A part of a longer line is printed as its own line here: the leftovers are few,
	 * and a part whose rest was dropped must still be seen. */
	if (((kind == BH_LOG_TEXT) || (kind == BH_LOG_TEXT_MORE)) && (len >= 2u)) {
		console_print_line(source_name(byte_of(rec[0], 0u)), &bytes[2], len - 2u);
	} else if ((kind == BH_LOG_FAULT) && (len == BH_LOG_FAULT_SIZE)) {
		print_fault(rec);
	} else if ((kind == BH_LOG_STOPPED) && (len == BH_LOG_STOPPED_SIZE)) {
		print_stopped(rec);
	} else {
		console_print_line("bulkhead", "log: a record of unknown kind skipped", 37u);
	}
}

/* Implements: REQ-TRP-001, REQ-LOG-004 */
void log_fault(const struct cpu *cpu, const struct fault *f, bool restart)
{
	const struct partition *p = cpu->partition;
	uint64_t rec[BH_LOG_FAULT_SIZE / 8u];
	uint64_t flags = (f->addr_valid ? BH_LOG_FAULT_ADDR_VALID : 0u) | (restart ? BH_LOG_FAULT_RESTART : 0u);

	rec[0] = record_head(p->id, BH_LOG_FAULT, ((uint64_t)cpu->vcpu & 0xffu) |
			     (((uint64_t)cpu->index & 0xffu) << 8) | (((uint64_t)f->kind % BH_FAULT_KINDS) << 16) |
			     (flags << 24));
	rec[BH_LOG_FAULT_ADDR / 8u] = f->addr_valid ? f->addr : 0u;
	rec[BH_LOG_FAULT_PC / 8u] = f->pc;
	rec[BH_LOG_FAULT_SYNDROME / 8u] = f->syndrome;
	/* The service partition's own fault is printed here: it will not be there to format it. */
	if (log_ring_is_service(p->id) || !log_ring_put((const uint8_t *)rec, sizeof(rec))) {
		print_fault(rec);
	}
}

/* Implements: REQ-LOG-005 */
void log_service_leftovers(const struct partition *p)
{
	uint64_t rec[BH_CONSOLE_SLOT / 8u];
	uint32_t dropped = 0u;
	uint32_t n = log_ring_is_service(p->id) ? log_ring_leftovers(&dropped) : 0u;
	size_t len;
	char line[LOG_LINE_MAX];

	if (n != 0u) {
		len = format(line, "log: %u lines the service partition had not printed:", n);
		console_print_line("bulkhead", line, len);
	}
	for (uint32_t i = 0u; (i < n) && log_ring_leftover(rec, &len); i++) {
		print_record(rec, len);
	}
	if (dropped != 0u) {
		len = format(line, "log: %u lines dropped since boot while the log channel was full", dropped);
		console_print_line("bulkhead", line, len);
	}
}

/* Implements: REQ-LOG-004 */
void log_partition_stopped(const struct partition *p)
{
	uint64_t rec[BH_LOG_STOPPED_SIZE / 8u];

	if (CONFIG_LOG_LEVEL < LOG_INFO) {
		return;
	}
	rec[0] = record_head(p->id, BH_LOG_STOPPED, 0u);
	for (uint32_t k = 0u; k < BH_INCIDENT_KINDS; k++) {
		rec[(BH_LOG_STOPPED_INCIDENTS / 8u) + k] = incident_count(p, k);
	}
	/* The service partition's own stop is printed here: nobody else would. */
	if (log_ring_is_service(p->id) || !log_ring_put((const uint8_t *)rec, sizeof(rec))) {
		print_stopped(rec);
	}
}

/* Implements: REQ-FSF-006 */
NORETURN void panic(const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	/* Fail-safe: nothing waits for the service partition any more, every core writes the UART. */
	log_ring_failsafe();
	va_start(ap, fmt);
	size_t len = fmt_vformat(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_print_line_failsafe("bulkhead", "PANIC (hypervisor internal error)", 33u);
	console_print_line_failsafe("bulkhead", line, len);
	/* arch_system_off() dumps the coverage counters (CONFIG_COVERAGE) just before the firmware call. */
	arch_system_off();
}
