/* SPDX-License-Identifier: MIT */
/*
 * Console: serialises whole lines from every core onto the one device.
 */
#include "console.h"
#include "lib.h"
#include "log.h"
#include "log_ring.h"
#include "arch.h"
#include "cpu.h"
#include "partition.h"
#include "spinlock.h"

/* Implements: REQ-CON-001 */
static void put_raw(const char *s, size_t len)
{
	for (size_t i = 0u; i < len; i++) {
		if (s[i] == '\n') {
			arch_console_putc('\r');
		}
		arch_console_putc(s[i]);
	}
}

/*
 * How long the fail-safe path waits for a line in progress, as a fraction of
 * a second: 100 ms, five times a 200-character line at 115200 baud.
 */
#define FAILSAFE_WAIT_DIVISOR 10u

static struct spinlock console_lock = SPINLOCK_INIT;

/* Implements: REQ-CON-001, REQ-CON-006 */
static void put_line(const char *prefix, const char *s, size_t len)
{
	arch_console_putc('[');
	put_raw(prefix, strlen(prefix));
	put_raw("] ", 2u);
	put_raw(s, len);
	put_raw("\n", 1u);
}

/* Implements: REQ-CON-001 */
void console_print_line(const char *prefix, const char *s, size_t len)
{
	spin_lock(&console_lock);
	put_line(prefix, s, len);
	spin_unlock(&console_lock);
}

/* Implements: REQ-FSF-006 */
static bool hold_failsafe(void)
{
	uint64_t deadline = arch_counter() + (arch_counter_hz() / FAILSAFE_WAIT_DIVISOR);
	bool locked = spin_trylock(&console_lock);

	while (!locked && (arch_counter() < deadline)) {
		arch_cpu_relax();
		locked = spin_trylock(&console_lock);
	}
	return locked;
}

/* Implements: REQ-FSF-006 */
void console_print_line_failsafe(const char *prefix, const char *s, size_t len)
{
	bool locked = hold_failsafe();

	/* Not taken: its holder is dead or is this core, interrupted inside a line. A
	 * report mixed into that line beats a board left on and silent. */
	put_line(prefix, s, len);
	if (locked) {
		spin_unlock(&console_lock);
	}
}

#ifdef CONFIG_COVERAGE
/* The coverage dump's hold of the console (coverage builds only: core/coverage.c). */

/* Implements: REQ-FSF-006 */
bool console_hold_failsafe(void)
{
	return hold_failsafe();
}

/* Implements: REQ-FSF-006 */
void console_release(bool held)
{
	if (held) {
		spin_unlock(&console_lock);
	}
}

/* Implements: REQ-FSF-006 */
void console_print_line_held(const char *prefix, const char *s, size_t len)
{
	put_line(prefix, s, len);
}
#endif

/* Implements: REQ-CON-001, REQ-CON-002, REQ-CON-004 */
void console_guest_putc(struct cpu *cpu, char c)
{
	struct console_line *l = &cpu->line;

	if (c == '\r') {
		return;
	}
	if (c != '\n') {
		/* Control characters could rewrite what other partitions printed. */
		bool printable = ((c >= ' ') && (c <= '~')) || (c == '\t');
		l->buf[l->len] = printable ? c : '?';
		l->len++;
	}
	if ((c == '\n') || (l->len == sizeof(l->buf))) {
		/* The service partition owns the UART: its own debug line goes there, not into the
		 * ring it may not drain (a stand-in service end, as the emulated UART's bench has). */
		if (log_ring_is_service(cpu->partition->id)) {
			console_print_line(cpu->partition->cfg->name, l->buf, l->len);
		} else {
			log_line(cpu->partition->id, l->buf, l->len);
		}
		l->len = 0u;
	}
}
