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

static void put_raw(const char *s, size_t len)
{
	for (size_t i = 0u; i < len; i++) {
		if (s[i] == '\n') {
			arch_console_putc('\r');
		}
		arch_console_putc(s[i]);
	}
}

void console_print_line(const char *prefix, const char *s, size_t len)
{
	static struct spinlock console_lock = SPINLOCK_INIT;

	spin_lock(&console_lock);
	arch_console_putc('[');
	put_raw(prefix, strlen(prefix));
	put_raw("] ", 2u);
	put_raw(s, len);
	put_raw("\n", 1u);
	spin_unlock(&console_lock);
}

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
