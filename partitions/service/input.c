/* SPDX-License-Identifier: MIT */
/*
 * Typed input (svc.h): CTRL-a pressed SVC_FOCUS_PRESSES times in a row moves
 * the focus to the next of: the prompt, then every partition with a console
 * that takes input; the new focus is announced. Fewer CTRL-a followed by
 * another key reach the focus as typed. Input for a partition goes into its
 * console channel, one record per loop; the prompt edits a command line.
 */
#include <string.h>
#include "svc.h"

const char *svc_focus_name(const struct svc_mux *m)
{
	if ((m->focus == 0u) || (m->focus > m->n_focus)) {
		return "bulkhead";
	}
	return m->sources[m->focus_source[m->focus - 1u]].name;
}

static struct svc_source *focused(struct svc_mux *m)
{
	return ((m->focus == 0u) || (m->focus > m->n_focus)) ? NULL : &m->sources[m->focus_source[m->focus - 1u]];
}

/* Implements: REQ-SVC-005 */
static void move_focus(struct svc_mux *m)
{
	svc_input_flush(m);
	m->focus = (m->focus >= m->n_focus) ? 0u : (m->focus + 1u);
	(void)svc_printf(m, "input now goes to %s (CTRL-a three times: next)", svc_focus_name(m));
	svc_prompt_show(m);
}

/* The prompt's line editing: printable characters, backspace, Enter. */
static void prompt_byte(struct svc_mux *m, uint8_t c)
{
	if ((c == (uint8_t)'\r') || (c == (uint8_t)'\n')) {
		char line[SVC_INPUT_MAX + 1u];

		(void)memcpy(line, m->input, m->input_len);
		line[m->input_len] = '\0';
		m->input_len = 0u;
		svc_prompt_end(m);
		svc_command(m, line);
		svc_prompt_show(m);
	} else if ((c == 0x7fu) || (c == 0x08u)) {
		if (m->input_len > 0u) {
			m->input_len--;
			svc_echo(m, "\b \b", 3u);
		}
	} else if ((c >= (uint8_t)' ') && (c <= (uint8_t)'~') && (m->input_len < (SVC_INPUT_MAX - 1u))) {
		char ch = (char)c;

		m->input[m->input_len] = ch;
		m->input_len++;
		svc_echo(m, &ch, 1u);
	} else {
		/* other control characters, or the line is full: ignored */
	}
}

/* A byte for whoever has the focus. */
/* Implements: REQ-SVC-005 */
static void deliver(struct svc_mux *m, uint8_t c)
{
	struct svc_source *s = focused(m);

	if (s == NULL) {
		prompt_byte(m, c);
	} else {
		if (m->pending_len == sizeof(m->pending)) {
			svc_input_flush(m);
		}
		if (m->pending_len < sizeof(m->pending)) {
			m->pending[m->pending_len] = c;
			m->pending_len++;
		} else {
			s->input_dropped++;
		}
	}
}

/* Implements: REQ-SVC-005 */
void svc_input(struct svc_mux *m, const uint8_t *bytes, uint32_t len)
{
	for (uint32_t i = 0u; i < len; i++) {
		if (bytes[i] == (uint8_t)SVC_CTRL_A) {
			m->ctrl_a++;
			if (m->ctrl_a == SVC_FOCUS_PRESSES) {
				m->ctrl_a = 0u;
				move_focus(m);
			}
		} else {
			for (uint32_t k = 0u; k < m->ctrl_a; k++) {
				deliver(m, (uint8_t)SVC_CTRL_A);
			}
			m->ctrl_a = 0u;
			deliver(m, bytes[i]);
		}
	}
}

void svc_input_flush(struct svc_mux *m)
{
	struct svc_source *s = focused(m);

	if ((m->pending_len != 0u) && (s != NULL)) {
		enum rt_ring_status st = rt_ring_send(s->in, m->pending, m->pending_len);

		if (st == RT_RING_OK) {
			s->notify = true;
		} else {
			/* Its input ring is full (it does not read) or corrupt: counted, reported. */
			s->input_dropped += m->pending_len;
		}
	}
	m->pending_len = 0u;
}
