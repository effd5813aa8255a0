/* SPDX-License-Identifier: MIT */
/*
 * On-target structural coverage (CONFIG_COVERAGE: test builds only, never
 * in a delivered image; core/build.mk leaves this file out otherwise).
 *
 * The hypervisor is compiled with gcc's freestanding gcov support
 * (--coverage -fprofile-info-section=gcov_info, arch/<arch>/build.mk): each
 * translation unit leaves a pointer to its gcov_info in the section
 * "gcov_info", which the linker brackets with __start_gcov_info and
 * __stop_gcov_info. Just before the board powers off, coverage_dump() has
 * libgcov's __gcov_info_to_gcda() turn each one into a .gcda stream and
 * prints it on the console, one record per line:
 *
 *   [bulkhead] gcov: F <path of the .gcda file, as the compiler named it>
 *   [bulkhead] gcov: D <up to 48 bytes in hex>
 *   [bulkhead] gcov: E <bytes> <FNV-1a 32-bit hash of the bytes, hex>
 *   [bulkhead] gcov: END <files>
 *
 * tools/cert/gcov_console.py turns those lines back into .gcda files (the
 * system-test harness does it after each QEMU run) and checks every hash.
 */
#include <gcov.h>
#include "arch.h"
#include "console.h"
#include "coverage.h"
#include "cfg.h"
#include "cpu.h"

#define COV_PREFIX "bulkhead"
#define COV_DATA_BYTES 48u
/* Long enough for "gcov: F " and a build path, and for "gcov: D " and 48 bytes in hex. */
#define COV_LINE_MAX 256u
#define FNV_OFFSET 0x811c9dc5u
#define FNV_PRIME 0x01000193u

extern const struct gcov_info *const __start_gcov_info[];
extern const struct gcov_info *const __stop_gcov_info[];

struct cov_stream {
	uint8_t data[COV_DATA_BYTES];
	uint32_t fill;       /* bytes waiting in data[] */
	uint32_t total;      /* bytes of the current file */
	uint32_t hash;       /* FNV-1a of the current file */
};

static uint32_t cov_dumping;

/* Implements: REQ-CRT-003 */
static size_t cov_append(char *line, size_t pos, const char *s)
{
	size_t n = pos;

	for (size_t i = 0u; (s[i] != '\0') && (n < COV_LINE_MAX); i++) {
		line[n] = s[i];
		n++;
	}
	return n;
}

/* Implements: REQ-CRT-003 */
static size_t cov_append_hex(char *line, size_t pos, uint32_t value, uint32_t digits)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = pos;

	for (uint32_t i = digits; (i > 0u) && (n < COV_LINE_MAX); i--) {
		line[n] = hex[(value >> ((i - 1u) * 4u)) & 0xfu];
		n++;
	}
	return n;
}

/* Implements: REQ-CRT-003 */
static size_t cov_append_dec(char *line, size_t pos, uint32_t value)
{
	char tmp[10];
	uint32_t v = value;
	uint32_t digits = 0u;
	size_t n = pos;

	do {
		tmp[digits] = (char)('0' + (char)(v % 10u));
		v /= 10u;
		digits++;
	} while ((v != 0u) && (digits < sizeof(tmp)));
	while ((digits > 0u) && (n < COV_LINE_MAX)) {
		digits--;
		line[n] = tmp[digits];
		n++;
	}
	return n;
}

/* Implements: REQ-CRT-003 */
static void cov_flush(struct cov_stream *s)
{
	char line[COV_LINE_MAX];
	size_t n = cov_append(line, 0u, "gcov: D ");

	for (uint32_t i = 0u; i < s->fill; i++) {
		n = cov_append_hex(line, n, s->data[i], 2u);
	}
	if (s->fill != 0u) {
		console_print_line_held(COV_PREFIX, line, n);
	}
	s->fill = 0u;
}

/* Implements: REQ-CRT-003 */
static void cov_filename(const char *name, void *arg)
{
	struct cov_stream *s = arg;
	char line[COV_LINE_MAX];
	size_t n = cov_append(line, 0u, "gcov: F ");

	/* A path longer than a line is cut; the decoder then reports it unknown. */
	n = cov_append(line, n, (name != NULL) ? name : "?");
	console_print_line_held(COV_PREFIX, line, n);
	s->fill = 0u;
	s->total = 0u;
	s->hash = FNV_OFFSET;
}

/* Implements: REQ-CRT-003 */
static void cov_data(const void *data, unsigned length, void *arg)
{
	struct cov_stream *s = arg;
	const uint8_t *bytes = data;

	for (unsigned i = 0u; i < length; i++) {
		s->data[s->fill] = bytes[i];
		s->fill++;
		s->total++;
		s->hash = (s->hash ^ bytes[i]) * FNV_PRIME;
		if (s->fill == COV_DATA_BYTES) {
			cov_flush(s);
		}
	}
}

/* Only value-profiling counters need memory, and --coverage makes none. */
/* Implements: REQ-CRT-003 */
static void *cov_allocate(unsigned length, void *arg)
{
	UNUSED(length);
	UNUSED(arg);
	return NULL;
}

/* Polls of the other cores' power before the dump goes ahead without them (a core that does not stop). */
#define COV_QUIESCE_POLLS 1000000u

/*
 * Stops every other core before the counters are read: after a panic the
 * partitions' cores still run and count, and a counter read half-way
 * through an update makes a .gcda that gcov rejects (a branch taken -1).
 * The caller's own core gets the request too, which it never reads. Bounded:
 * a core that does not stop is left running and the dump goes on.
 */
/* Implements: REQ-CRT-003 */
static void cov_quiesce(void)
{
	uint32_t on = cfg_system.n_cpus;

	for (uint32_t i = 0u; i < cfg_system.n_cpus; i++) {
		(void)__atomic_fetch_or(&cpu_get(i)->requests, CPU_REQ_STOP, __ATOMIC_RELEASE);
		arch_cpu_kick(i);
	}
	for (uint32_t polls = 0u; (on > 1u) && (polls < COV_QUIESCE_POLLS); polls++) {
		on = 0u;
		for (uint32_t i = 0u; i < cfg_system.n_cpus; i++) {
			on += (arch_cpu_power_state(i) != CPU_POWER_OFF) ? 1u : 0u;
		}
		arch_cpu_relax();
	}
}

/* Implements: REQ-CRT-003 */
void coverage_dump(void)
{
	struct cov_stream s = { { 0u }, 0u, 0u, FNV_OFFSET };
	char line[COV_LINE_MAX];
	uint32_t files = 0u;
	size_t n;
	bool held;

	/* Two cores may see the last partition stop at once: one dump only,
	 * and the board must stay on until it is complete. */
	if (__atomic_exchange_n(&cov_dumping, 1u, __ATOMIC_ACQ_REL) != 0u) {
		arch_cpu_stop();
	}
	cov_quiesce();
	/* The whole dump under the console, so no line of a core still printing splits it; but
	 * after a panic its holder may be dead (or this core): then it goes out after a bounded wait. */
	held = console_hold_failsafe();
	for (const struct gcov_info *const *info = __start_gcov_info; info < __stop_gcov_info; info++) {
		__gcov_info_to_gcda(*info, cov_filename, cov_data, cov_allocate, &s);
		cov_flush(&s);
		n = cov_append(line, 0u, "gcov: E ");
		n = cov_append_dec(line, n, s.total);
		n = cov_append(line, n, " ");
		n = cov_append_hex(line, n, s.hash, 8u);
		console_print_line_held(COV_PREFIX, line, n);
		files++;
	}
	n = cov_append(line, 0u, "gcov: END ");
	n = cov_append_dec(line, n, files);
	console_print_line_held(COV_PREFIX, line, n);
	console_release(held);
}

/*
 * libgcov's __gcov_info_to_gcda() object refers to these for value
 * profiling, which --coverage does not use; the merge function is only
 * named in each gcov_info. Defining them here keeps libgcov's hosted
 * objects (file I/O, mmap) out of the image.
 */
void __gcov_merge_add(void *counters, unsigned n_counters);
void *mmap(void *addr, size_t length, int prot, int flags, int fd, long offset);
NORETURN void abort(void);

/* Implements: REQ-CRT-003 */
void __gcov_merge_add(void *counters, unsigned n_counters)
{
	UNUSED(counters);
	UNUSED(n_counters);
}

/* Implements: REQ-CRT-003 */
void *mmap(void *addr, size_t length, int prot, int flags, int fd, long offset)
{
	UNUSED(addr);
	UNUSED(length);
	UNUSED(prot);
	UNUSED(flags);
	UNUSED(fd);
	UNUSED(offset);
	return (void *)(uintptr_t)-1;   /* MAP_FAILED */
}

/* Implements: REQ-CRT-003 */
NORETURN void abort(void)
{
	arch_system_off();
}
