/* SPDX-License-Identifier: MIT */
/*
 * The output queue and whole lines into it (svc.h). A line is queued whole
 * or not at all, so lines never mix; the prompt's unfinished line is ended
 * first and typed again after, so it never splits another source's line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "svc.h"

#define TX_MASK (SVC_TX_SIZE - 1u)
/* "\x1b[1;3Nm" and "\x1b[0m" */
#define COLOR_ON_MAX 8u
#define COLOR_OFF "\x1b" "[0m"
#define COLOR_OFF_LEN 4u

size_t svc_strnlen(const char *s, size_t max)
{
	size_t n = 0u;

	while ((n < max) && (s[n] != '\0')) {
		n++;
	}
	return n;
}

uint32_t svc_tx_room(const struct svc_tx *tx)
{
	return SVC_TX_SIZE - (tx->head - tx->tail);
}

uint32_t svc_tx_take(struct svc_tx *tx, char *buf, uint32_t cap)
{
	uint32_t n = 0u;

	while ((n < cap) && (tx->tail != tx->head)) {
		buf[n] = tx->buf[tx->tail & TX_MASK];
		tx->tail++;
		n++;
	}
	return n;
}

const char *svc_tx_peek(const struct svc_tx *tx, uint32_t *len)
{
	uint32_t queued = tx->head - tx->tail;
	uint32_t to_end = SVC_TX_SIZE - (tx->tail & TX_MASK);

	*len = (queued < to_end) ? queued : to_end;
	return &tx->buf[tx->tail & TX_MASK];
}

void svc_tx_done(struct svc_tx *tx, uint32_t n)
{
	uint32_t queued = tx->head - tx->tail;

	tx->tail += (n < queued) ? n : queued;
}

static void put(struct svc_tx *tx, char c)
{
	tx->buf[tx->head & TX_MASK] = c;
	tx->head++;
}

static void put_str(struct svc_tx *tx, const char *s, uint32_t len)
{
	for (uint32_t i = 0u; i < len; i++) {
		put(tx, s[i]);
	}
}

/* A partition's text, printable: control characters could rewrite what other sources printed. */
/* Implements: REQ-SVC-002 */
static void put_text(struct svc_tx *tx, const char *text, uint32_t len)
{
	for (uint32_t i = 0u; i < len; i++) {
		char c = text[i];

		if (c != '\r') {
			put(tx, (((c >= ' ') && (c <= '~')) || (c == '\t')) ? c : '?');
		}
	}
}

uint32_t svc_line_cost(void)
{
	/* colour, '[', name, "] ", text, colour off, '\n', and the prompt ended and typed again */
	return COLOR_ON_MAX + 1u + SVC_NAME_MAX + 2u + SVC_LOG_LINE_MAX + COLOR_OFF_LEN + 1u +
	       (1u + (uint32_t)sizeof(SVC_PROMPT) + SVC_INPUT_MAX);
}

/* One colour per partition id, the hypervisor's (and the service partition's) bold white. */
/* Implements: REQ-SVC-002 */
static void color_on(struct svc_tx *tx, uint32_t partition)
{
	static const char digits[6] = { '2', '3', '4', '5', '6', '1' };
	char seq[COLOR_ON_MAX] = { '\x1b', '[', '1', ';', '3', '7', 'm', '\0' };

	if (partition < SVC_PARTITIONS_MAX) {
		seq[5] = digits[partition % 6u];
	}
	put_str(tx, seq, 7u);
}

/* The prompt's line is open on the terminal: end it before a line of output. */
static void prompt_suspend(struct svc_mux *m)
{
	if (m->prompt_open) {
		put(&m->tx, '\n');
		m->prompt_open = false;
	}
}

/* The prompt has the focus: show it again with what was typed so far. */
static void prompt_resume(struct svc_mux *m)
{
	if ((m->focus == 0u) && !m->prompt_open) {
		put_str(&m->tx, SVC_PROMPT, (uint32_t)sizeof(SVC_PROMPT) - 1u);
		put_str(&m->tx, m->input, m->input_len);
		m->prompt_open = true;
	}
}

/* Implements: REQ-SVC-001 */
bool svc_print_line(struct svc_mux *m, const char *name, uint32_t partition, const char *text, uint32_t len)
{
	uint32_t n = (len < SVC_LOG_LINE_MAX) ? len : SVC_LOG_LINE_MAX;
	size_t name_len = svc_strnlen(name, SVC_NAME_MAX - 1u);

	if (svc_tx_room(&m->tx) < svc_line_cost()) {
		return false;
	}
	prompt_suspend(m);
	if (m->color) {
		color_on(&m->tx, partition);
	}
	put(&m->tx, '[');
	put_str(&m->tx, name, (uint32_t)name_len);
	put_str(&m->tx, "] ", 2u);
	put_text(&m->tx, text, n);
	if (m->color) {
		put_str(&m->tx, COLOR_OFF, COLOR_OFF_LEN);
	}
	put(&m->tx, '\n');
	if (m->input_len != 0u) {
		/* Only a line being typed comes back after output; an empty prompt
		 * would repeat between every two lines. */
		prompt_resume(m);
	}
	return true;
}

static bool print_va(struct svc_mux *m, const char *name, uint32_t partition, const char *fmt, va_list ap)
{
	char text[SVC_LINE_MAX];
	int n = vsnprintf(text, sizeof(text), fmt, ap);
	/* vsnprintf returns what the whole text would take: the line holds what fitted. */
	uint32_t len = (n > 0) ? (uint32_t)n : 0u;

	return svc_print_line(m, name, partition, text, (len < SVC_LINE_MAX) ? len : (SVC_LINE_MAX - 1u));
}

bool svc_printf(struct svc_mux *m, const char *fmt, ...)
{
	va_list ap;
	bool done;

	va_start(ap, fmt);
	done = print_va(m, m->partitions[m->self % SVC_PARTITIONS_MAX], m->self, fmt, ap);
	va_end(ap);
	return done;
}

bool svc_print_line_f(struct svc_mux *m, const char *name, uint32_t partition, const char *fmt, ...)
{
	va_list ap;
	bool done;

	va_start(ap, fmt);
	done = print_va(m, name, partition, fmt, ap);
	va_end(ap);
	return done;
}

void svc_prompt_end(struct svc_mux *m)
{
	if (svc_tx_room(&m->tx) != 0u) {
		prompt_suspend(m);
	}
}

void svc_prompt_show(struct svc_mux *m)
{
	if (svc_tx_room(&m->tx) >= ((uint32_t)sizeof(SVC_PROMPT) + SVC_INPUT_MAX)) {
		prompt_resume(m);
	}
}

void svc_echo(struct svc_mux *m, const char *s, uint32_t len)
{
	if (svc_tx_room(&m->tx) >= (len + (uint32_t)sizeof(SVC_PROMPT) + SVC_INPUT_MAX)) {
		if (!m->prompt_open) {
			prompt_resume(m);
		} else {
			put_str(&m->tx, s, len);
		}
	}
}
