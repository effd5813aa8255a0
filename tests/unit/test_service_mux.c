/* SPDX-License-Identifier: MIT */
/*
 * The service partition's multiplexer on the host (partitions/service/):
 * real rings (partitions/runtime/ring.c) in memory laid out as a channel
 * direction, the test acting as the partitions (producers) and as the UART
 * (it drains the output queue). The prompt's hypervisor calls are answered
 * by this file from a small table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <bulkhead/channel.h>
#include <bulkhead/hypercall.h>
#include "svc.h"

#define CONSOLES 4u
#define RING_BYTES 4096u

/* What the partition side of one console channel holds. */
struct chan {
	uint8_t out_mem[RING_BYTES] __attribute__((aligned(64)));   /* partition -> service */
	uint8_t in_mem[RING_BYTES] __attribute__((aligned(64)));    /* service -> partition */
	struct rt_ring out_p, out_c;   /* producer (partition), consumer (service) */
	struct rt_ring in_p, in_c;     /* producer (service), consumer (partition) */
};

static struct chan chans[CONSOLES + 1u];   /* the last: the log */
static struct svc_mux mux;
static char uart[1u << 22];                /* everything the UART got */
static size_t uart_len;

/* The hypervisor, as the prompt sees it. */
static struct svc_status statuses[3];
static uint32_t controls[8][2];
static uint32_t n_controls;
static int control_answer;

int svc_hv_status(uint32_t partition, struct svc_status *st)
{
	if (partition >= 3u) {
		return BH_ERR_INVALID_PARAM;
	}
	*st = statuses[partition];
	return 0;
}

int svc_hv_control(uint32_t partition, uint32_t action)
{
	if (n_controls < 8u) {
		controls[n_controls][0] = partition;
		controls[n_controls][1] = action;
		n_controls++;
	}
	return control_answer;
}

static void ring_pair(uint8_t *mem, struct rt_ring *p, struct rt_ring *c, enum rt_ring_mode mode)
{
	struct rt_ring_area area;

	memset(mem, 0, RING_BYTES);
	assert_int_equal(rt_ring_area_in(mem, RING_BYTES, BH_CONSOLE_SLOT, &area), RT_RING_OK);
	assert_int_equal(rt_ring_attach_producer(p, &area, mode), RT_RING_OK);
	assert_int_equal(rt_ring_attach_consumer(c, &area), RT_RING_OK);
}

static const char *const names[] = { "alpha", "beta", "gamma", "delta" };

static int setup(void **state)
{
	(void)state;
	svc_init(&mux, 2u, false);
	assert_true(svc_name_partition(&mux, 0, "alpha"));
	assert_true(svc_name_partition(&mux, 1, "beta"));
	assert_true(svc_name_partition(&mux, 2, "service"));
	for (uint32_t i = 0; i < CONSOLES; i++) {
		ring_pair(chans[i].out_mem, &chans[i].out_p, &chans[i].out_c, RT_RING_BACKPRESSURE);
		ring_pair(chans[i].in_mem, &chans[i].in_p, &chans[i].in_c, RT_RING_BACKPRESSURE);
		/* Partitions 3 and 4 are not named in /chosen: their consoles get a fallback name. */
		struct svc_source *s = svc_add_source(&mux, SVC_SOURCE_CONSOLE, (i < 2u) ? i : (i + 1u), 10u + i,
						      &chans[i].out_c, &chans[i].in_p);
		assert_non_null(s);
		if (i >= 2u) {
			strcpy(s->name, names[i]);
		}
	}
	ring_pair(chans[CONSOLES].out_mem, &chans[CONSOLES].out_p, &chans[CONSOLES].out_c, RT_RING_LOSSY);
	assert_non_null(svc_add_source(&mux, SVC_SOURCE_LOG, 0, 9u, &chans[CONSOLES].out_c, NULL));
	uart_len = 0;
	uart[0] = '\0';
	n_controls = 0;
	control_answer = 0;
	memset(statuses, 0, sizeof(statuses));
	return 0;
}

/* The UART takes everything queued. */
static void drain(void)
{
	uart_len += svc_tx_take(&mux.tx, &uart[uart_len], (uint32_t)(sizeof(uart) - 1u - uart_len));
	uart[uart_len] = '\0';
}

/* Loops of the service partition until nothing moves. */
static void settle(void)
{
	for (int i = 0; i < 100000; i++) {
		svc_input_flush(&mux);
		uint32_t taken = svc_poll(&mux);
		uint32_t queued = mux.tx.head - mux.tx.tail;
		drain();
		if ((taken == 0u) && (queued == 0u)) {
			return;
		}
	}
	fail_msg("the multiplexer never settled");
}

static void say(uint32_t console, const char *text)
{
	assert_int_equal(rt_ring_send(&chans[console].out_p, text, strlen(text)), RT_RING_OK);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle)) {
		n++;
	}
	return n;
}

/* Every line of the UART starts with "[" a known source "] ", or is the prompt's. */
static void assert_lines_whole(void)
{
	char *copy = strdup(uart);

	for (char *line = strtok(copy, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		if (strncmp(line, SVC_PROMPT, strlen(SVC_PROMPT)) == 0) {
			continue;
		}
		bool known = false;
		const char *all[] = { "alpha", "beta", "gamma", "delta", "bulkhead", "service" };
		for (size_t i = 0; i < 6; i++) {
			char prefix[40];
			snprintf(prefix, sizeof(prefix), "[%s] ", all[i]);
			known = known || (strncmp(line, prefix, strlen(prefix)) == 0);
		}
		if (!known) {
			fail_msg("line without a source: '%s'", line);
		}
	}
	free(copy);
}

/* Verifies: REQ-SVC-001 */
static void test_four_sources_lines_never_interleave(void **state)
{
	(void)state;
	/* Each console prints its lines in pieces of several records, all four at once. */
	for (int n = 0; n < 200; n++) {
		for (uint32_t c = 0; c < CONSOLES; c++) {
			char piece[64];
			snprintf(piece, sizeof(piece), "%s line %d ", names[c], n);
			while (rt_ring_send(&chans[c].out_p, piece, strlen(piece)) == RT_RING_BUSY) {
				svc_poll(&mux);
				drain();
			}
			while (rt_ring_send(&chans[c].out_p, "end\n", 4) == RT_RING_BUSY) {
				svc_poll(&mux);
				drain();
			}
		}
		if ((n % 7) == 0) {
			svc_poll(&mux);
			drain();
		}
	}
	settle();
	assert_lines_whole();
	for (uint32_t c = 0; c < CONSOLES; c++) {
		for (int n = 0; n < 200; n++) {
			char line[80];
			snprintf(line, sizeof(line), "[%s] %s line %d end\n", names[c], names[c], n);
			assert_int_equal(count(uart, line), 1);
		}
	}
	assert_null(strstr(uart, "dropped"));
}

/* Verifies: REQ-SVC-001 */
static void test_log_records_name_their_source(void **state)
{
	(void)state;
	uint8_t rec[64] = { BH_LOG_SOURCE_HYPERVISOR, BH_LOG_TEXT };
	memcpy(&rec[2], "partition 'beta' stopped", 24);
	assert_int_equal(rt_ring_send(&chans[CONSOLES].out_p, rec, 26), RT_RING_OK);
	rec[0] = 1;
	memcpy(&rec[2], "hello from the debug console", 28);
	assert_int_equal(rt_ring_send(&chans[CONSOLES].out_p, rec, 30), RT_RING_OK);
	rec[0] = 7;
	memcpy(&rec[2], "x", 1);
	assert_int_equal(rt_ring_send(&chans[CONSOLES].out_p, rec, 3), RT_RING_OK);
	rec[1] = 99;
	assert_int_equal(rt_ring_send(&chans[CONSOLES].out_p, rec, 3), RT_RING_OK);
	settle();
	assert_non_null(strstr(uart, "[bulkhead] partition 'beta' stopped\n"));
	assert_non_null(strstr(uart, "[beta] hello from the debug console\n"));
	assert_non_null(strstr(uart, "[partition 7] x\n"));
	assert_non_null(strstr(uart, "[service] log: record of unknown kind 99 (3 bytes) skipped\n"));
}

/* Sends `text` of `source` as the hypervisor does: parts of 118 bytes, all but the last BH_LOG_TEXT_MORE. */
static void send_log_line(uint8_t source, const char *text)
{
	uint8_t rec[120];
	size_t len = strlen(text);
	size_t done = 0;

	do {
		size_t n = (len - done > 118u) ? 118u : len - done;
		rec[0] = source;
		rec[1] = (done + n < len) ? BH_LOG_TEXT_MORE : BH_LOG_TEXT;
		memcpy(&rec[2], &text[done], n);
		assert_int_equal(rt_ring_send(&chans[CONSOLES].out_p, rec, n + 2u), RT_RING_OK);
		done += n;
	} while (done < len);
}

/* Verifies: REQ-SVC-001, REQ-LOG-001~2 */
static void test_a_log_line_longer_than_a_record_is_printed_whole(void **state)
{
	(void)state;
	const char *line = "partition 'beta' vCPU 0, interrupt incident 244 (243 not logged since the last): "
			   "routing of an interrupt it does not own refused (offset 0x6100, value 0x0)";
	char want[300];
	uint8_t part[20] = { 1, BH_LOG_TEXT_MORE, 'h', 'a', 'l', 'f' };
	char longest[SVC_LOG_LINE_MAX + 1];

	assert_true(strlen(line) > 118u);
	send_log_line(BH_LOG_SOURCE_HYPERVISOR, line);
	/* A part whose rest never came, then another source's line: the part is a line of its own. */
	assert_int_equal(rt_ring_send(&chans[CONSOLES].out_p, part, 6), RT_RING_OK);
	send_log_line(BH_LOG_SOURCE_HYPERVISOR, "after");
	memset(longest, 'x', SVC_LOG_LINE_MAX);
	longest[SVC_LOG_LINE_MAX] = '\0';
	send_log_line(0, longest);
	settle();
	snprintf(want, sizeof(want), "[bulkhead] %s\n", line);
	assert_non_null(strstr(uart, want));
	assert_non_null(strstr(uart, "[beta] half\n[bulkhead] after\n"));
	snprintf(want, sizeof(want), "[alpha] %s\n", longest);
	assert_non_null(strstr(uart, want));
}

#if defined(BH_LOG_FAULT) || defined(BH_LOG_STOPPED)
static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

#endif

#ifdef BH_LOG_STOPPED
/* Verifies: REQ-SVC-001 */
static void test_stop_records_printed_as_the_hypervisor_did(void **state)
{
	(void)state;
	uint8_t rec[BH_LOG_STOPPED_SIZE] = { 0 };

	rec[0] = 0;
	rec[1] = BH_LOG_STOPPED;
	assert_int_equal(rt_ring_send(&chans[CONSOLES].out_p, rec, sizeof(rec)), RT_RING_OK);
	rec[0] = 1;
	put64(&rec[BH_LOG_STOPPED_INCIDENTS + 8u * BH_INCIDENT_CALL], 3);
	put64(&rec[BH_LOG_STOPPED_INCIDENTS + 8u * BH_INCIDENT_INTERFERENCE], 7);
	assert_int_equal(rt_ring_send(&chans[CONSOLES].out_p, rec, sizeof(rec)), RT_RING_OK);
	settle();
	assert_non_null(strstr(uart, "[bulkhead] partition 'alpha' stopped\n[bulkhead] partition 'beta' stopped\n"
				     "[bulkhead] partition 'beta' incidents since boot: call 3, register 0, interrupt 0, "
				     "console 0, fault 0, interference 7\n"));
	assert_int_equal(count(uart, "incidents since boot"), 1);
}
#endif

#ifdef BH_LOG_FAULT
/* Verifies: REQ-SVC-001 */
static void test_fault_records_printed_as_the_hypervisor_did(void **state)
{
	(void)state;
	uint8_t rec[BH_LOG_FAULT_SIZE] = { 0 };

	rec[0] = 1;
	rec[1] = BH_LOG_FAULT;
	rec[BH_LOG_FAULT_VCPU] = 1;
	rec[BH_LOG_FAULT_CORE] = 2;
	rec[BH_LOG_FAULT_KIND] = BH_FAULT_DATA_WRITE;
	rec[BH_LOG_FAULT_FLAGS] = BH_LOG_FAULT_ADDR_VALID | BH_LOG_FAULT_RESTART;
	put64(&rec[BH_LOG_FAULT_ADDR], 0x48000000u);
	put64(&rec[BH_LOG_FAULT_PC], 0x40001234u);
	put64(&rec[BH_LOG_FAULT_SYNDROME], 0x93c08046u);
	assert_int_equal(rt_ring_send(&chans[CONSOLES].out_p, rec, sizeof(rec)), RT_RING_OK);
	rec[0] = 0;
	rec[BH_LOG_FAULT_KIND] = 77;
	rec[BH_LOG_FAULT_FLAGS] = 0;
	assert_int_equal(rt_ring_send(&chans[CONSOLES].out_p, rec, sizeof(rec)), RT_RING_OK);
	settle();
	assert_non_null(strstr(uart, "[bulkhead] fault: partition 'beta' vCPU 1 (core 2): stage-2 data abort (write) "
				     "at IPA 0x48000000, PC 0x40001234, ESR 0x93c08046; restart\n"));
	assert_non_null(strstr(uart, "[bulkhead] fault: partition 'alpha' vCPU 1 (core 2): fault of unknown kind, "
				     "PC 0x40001234, ESR 0x93c08046; stop\n"));
}
#endif

/* Verifies: REQ-SVC-002 */
static void test_control_characters_neutralised_and_colour_only_when_asked(void **state)
{
	(void)state;
	say(0, "red\x1b[31m\r\x07 tab\there\n");
	settle();
	assert_non_null(strstr(uart, "[alpha] red?[31m? tab\there\n"));
	assert_null(strchr(uart, '\x1b'));
	mux.color = true;
	say(1, "coloured\n");
	settle();
	assert_non_null(strstr(uart, "\x1b[1;33m[beta] coloured\x1b[0m\n"));
}

/* Verifies: REQ-SVC-003 */
static void test_long_line_split_and_a_megabyte_without_newline(void **state)
{
	(void)state;
	char chunk[120];
	memset(chunk, 'x', sizeof(chunk));
	size_t sent = 0;
	int other = 0;

	/* alpha writes 1 MiB without a newline while beta keeps printing lines. */
	while (sent < (1u << 20)) {
		if (rt_ring_send(&chans[0].out_p, chunk, sizeof(chunk)) == RT_RING_OK) {
			sent += sizeof(chunk);
		}
		if ((sent % (64u * 120u)) == 0u) {
			char line[32];
			snprintf(line, sizeof(line), "beta %d\n", other);
			if (rt_ring_send(&chans[1].out_p, line, strlen(line)) == RT_RING_OK) {
				other++;
			}
		}
		svc_poll(&mux);
		drain();
	}
	settle();
	assert_lines_whole();
	/* Nothing lost: pieces of SVC_LINE_MAX bytes, the rest kept for a newline still to come. */
	size_t pieces = count(uart, "[alpha] ");
	assert_int_equal(pieces, sent / SVC_LINE_MAX);
	assert_int_equal(mux.sources[0].line_len, sent % SVC_LINE_MAX);
	for (int i = 0; i < other; i++) {
		char line[32];
		snprintf(line, sizeof(line), "[beta] beta %d\n", i);
		assert_int_equal(count(uart, line), 1);
	}
	assert_true(other > 100);
}

/* Verifies: REQ-SVC-003 */
static void test_a_chatty_source_cannot_starve_another(void **state)
{
	(void)state;
	/* alpha's ring is full of lines; the UART takes little per loop. */
	while (rt_ring_send(&chans[0].out_p, "spam spam spam spam spam spam spam\n", 35) == RT_RING_OK) {
	}
	say(1, "quiet one\n");
	for (int loop = 0; loop < 2; loop++) {
		svc_poll(&mux);
		uart_len += svc_tx_take(&mux.tx, &uart[uart_len], 64);
		uart[uart_len] = '\0';
	}
	settle();
	char *quiet = strstr(uart, "[beta] quiet one\n");
	assert_non_null(quiet);
	/* At most a turn's worth of alpha before it. */
	*quiet = '\0';
	assert_true(count(uart, "[alpha] ") <= SVC_RECORDS_PER_TURN);
}

/* Verifies: REQ-SVC-003 */
static void test_garbage_indices_reported_others_unaffected(void **state)
{
	(void)state;
	say(0, "before\n");
	settle();
	/* alpha writes an impossible head into its producer block. */
	*chans[0].out_p.head = 0x7fffffffu;
	say(1, "beta goes on\n");
	for (int i = 0; i < 1000; i++) {
		svc_poll(&mux);
		drain();
	}
	assert_non_null(strstr(uart, "[beta] beta goes on\n"));
	assert_non_null(strstr(uart, "[service] alpha: ring corrupt (1 times)"));
	/* Reported at 1, 2, 4, ... 512 of its 1000 refusals: not once per loop. */
	assert_int_equal(count(uart, "alpha: ring corrupt"), 10);
	/* A record length beyond a slot: skipped, counted, the next one printed. */
	*chans[0].out_p.head = chans[0].out_c.next;
	chans[0].out_p.next = chans[0].out_c.next;
	say(2, "gamma too\n");
	settle();
	assert_non_null(strstr(uart, "[gamma] gamma too\n"));
}

/* Verifies: REQ-SVC-004 */
static void test_drops_of_a_lossy_producer_are_reported(void **state)
{
	(void)state;
	uint8_t rec[8] = { BH_LOG_SOURCE_HYPERVISOR, BH_LOG_TEXT, 'l', 'o', 'g' };
	uint32_t dropped = 0;

	for (int i = 0; i < 100; i++) {
		if (rt_ring_send(&chans[CONSOLES].out_p, rec, 5) == RT_RING_DROPPED) {
			dropped++;
		}
	}
	assert_true(dropped > 0);
	settle();
	char want[80];
	snprintf(want, sizeof(want), "[service] bulkhead: %u records dropped (%u in all)\n", dropped, dropped);
	assert_non_null(strstr(uart, want));
	assert_int_equal(count(uart, "[bulkhead] log\n"), 100 - dropped);
	settle();
	assert_int_equal(count(uart, "records dropped"), 1);
}

static void type(const char *s)
{
	svc_input(&mux, (const uint8_t *)s, (uint32_t)strlen(s));
	svc_input_flush(&mux);
	drain();
}

static size_t input_of(uint32_t console, char *buf, size_t cap)
{
	size_t total = 0, len = 0;

	while (rt_ring_recv(&chans[console].in_c, &buf[total], cap - total, &len) == RT_RING_OK) {
		total += len;
	}
	buf[total] = '\0';
	return total;
}

/* Verifies: REQ-SVC-005 */
static void test_focus_cycles_and_input_reaches_only_the_focus(void **state)
{
	(void)state;
	char got[256];

	assert_string_equal(svc_focus_name(&mux), "bulkhead");
	type("\x01\x01\x01");
	assert_string_equal(svc_focus_name(&mux), "alpha");
	assert_non_null(strstr(uart, "[service] input now goes to alpha (CTRL-a three times: next)\n"));
	type("hello alpha\r");
	assert_true(mux.sources[0].notify);
	assert_false(mux.sources[1].notify);
	assert_int_equal(input_of(0, got, sizeof(got)), 12);
	assert_string_equal(got, "hello alpha\r");
	for (uint32_t c = 1; c < CONSOLES; c++) {
		assert_int_equal(input_of(c, got, sizeof(got)), 0);
	}
	/* Two CTRL-a and a key: they reach the partition, the focus stays. */
	type("\x01\x01x");
	assert_int_equal(input_of(0, got, sizeof(got)), 3);
	assert_string_equal(got, "\x01\x01x");
	/* Round: beta, gamma, delta, the prompt, alpha again; each announced. */
	const char *order[] = { "beta", "gamma", "delta", "bulkhead", "alpha" };
	for (int i = 0; i < 5; i++) {
		char want[80];
		type("\x01\x01\x01");
		assert_string_equal(svc_focus_name(&mux), order[i]);
		snprintf(want, sizeof(want), "input now goes to %s ", order[i]);
		assert_non_null(strstr(uart, want));
	}
	type("\x01\x01\x01" "to beta");
	assert_int_equal(input_of(1, got, sizeof(got)), 7);
	assert_int_equal(input_of(0, got, sizeof(got)), 0);
}

/* Verifies: REQ-SVC-005 */
static void test_input_a_partition_does_not_read_is_counted(void **state)
{
	(void)state;
	char flood[100];

	memset(flood, 'k', sizeof(flood));
	type("\x01\x01\x01");
	for (int i = 0; i < 100; i++) {
		svc_input(&mux, (const uint8_t *)flood, sizeof(flood));
		svc_input_flush(&mux);
	}
	assert_true(mux.sources[0].input_dropped > 0);
	settle();
	assert_non_null(strstr(uart, "[service] alpha: "));
	assert_non_null(strstr(uart, "typed bytes dropped (it does not read its input)"));
}

/* Verifies: REQ-SVC-006 */
static void test_prompt_lists_and_controls(void **state)
{
	(void)state;
	statuses[0] = (struct svc_status){ BH_PARTITION_RUNNING, 1, true, 0x1, 2, 3 };
	statuses[1] = (struct svc_status){ BH_PARTITION_STOPPED, 2, false, 0x6, 0, 1 };
	statuses[2] = (struct svc_status){ BH_PARTITION_RUNNING, 1, false, 0x8, 0, 0 };
	type("list\r");
	assert_non_null(strstr(uart, SVC_PROMPT "list\n"));
	assert_non_null(strstr(uart, "[service] 0   alpha                running  0x1    2        3      yes\n"));
	assert_non_null(strstr(uart, "[service] 1   beta                 stopped  0x6    0        1      no\n"));
	assert_non_null(strstr(uart, "[service] 2   service              running  0x8    0        0      no\n"));
	type("stop alpha\r");
	assert_int_equal(n_controls, 1);
	assert_int_equal(controls[0][0], 0);
	assert_int_equal(controls[0][1], BH_CONTROL_STOP);
	assert_non_null(strstr(uart, "[service] stop alpha: requested\n"));
	control_answer = BH_ERR_DENIED;
	type("restart 1\r");
	assert_int_equal(controls[1][0], 1);
	assert_int_equal(controls[1][1], BH_CONTROL_RESTART);
	assert_non_null(strstr(uart, "[service] restart beta: refused"));
	type("restart nobody\r");
	assert_int_equal(n_controls, 2);
	assert_non_null(strstr(uart, "[service] restart: no partition 'nobody'"));
	type("frobnicate\r");
	assert_non_null(strstr(uart, "[service] unknown command 'frobnicate'"));
	/* Backspace edits the line. */
	type("lisx\x7ft\r");
	assert_int_equal(count(uart, "[service] 2   service"), 2);
}

/* Verifies: REQ-SVC-001 */
static void test_output_ends_the_prompt_line_first(void **state)
{
	(void)state;
	type("lis");
	say(0, "meanwhile\n");
	settle();
	/* The prompt's unfinished line is ended, the output printed, the prompt shown again. */
	assert_non_null(strstr(uart, SVC_PROMPT "lis\n[alpha] meanwhile\n" SVC_PROMPT "lis"));
}

/* Verifies: REQ-SVC-007 */
static void test_others_stopped_means_every_other_one(void **state)
{
	(void)state;
	statuses[0].state = BH_PARTITION_STOPPED;
	statuses[1].state = BH_PARTITION_RUNNING;
	statuses[2].state = BH_PARTITION_RUNNING;   /* the service partition itself: not asked about */
	assert_false(svc_others_stopped(&mux));
	statuses[1].state = BH_PARTITION_OFF;       /* loading for a restart: not stopped */
	assert_false(svc_others_stopped(&mux));
	statuses[1].state = BH_PARTITION_STOPPED;
	assert_true(svc_others_stopped(&mux));
	/* A partition the hypervisor does not answer for is not known to be stopped. */
	assert_true(svc_name_partition(&mux, 3, "late"));
	assert_false(svc_others_stopped(&mux));
}

/* Verifies: REQ-SVC-006 */
static void test_partitions_learnt_from_the_hypervisor(void **state)
{
	(void)state;
	struct svc_mux m;

	/* Nothing named (no /chosen list): the three the hypervisor answers for are listed all the same. */
	svc_init(&m, 2u, false);
	assert_int_equal(m.n_partitions, 3);
	m.n_partitions = 1;
	svc_learn_partitions(&m);
	assert_int_equal(m.n_partitions, 3);
	svc_command(&m, "list");
	uart_len = svc_tx_take(&m.tx, uart, sizeof(uart) - 1u);
	uart[uart_len] = '\0';
	assert_non_null(strstr(uart, "[service] 0                        off "));
	assert_non_null(strstr(uart, "[service] 2   service              off "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_four_sources_lines_never_interleave, setup),
		cmocka_unit_test_setup(test_log_records_name_their_source, setup),
		cmocka_unit_test_setup(test_a_log_line_longer_than_a_record_is_printed_whole, setup),
#ifdef BH_LOG_FAULT
		cmocka_unit_test_setup(test_fault_records_printed_as_the_hypervisor_did, setup),
#endif
#ifdef BH_LOG_STOPPED
		cmocka_unit_test_setup(test_stop_records_printed_as_the_hypervisor_did, setup),
#endif
		cmocka_unit_test_setup(test_control_characters_neutralised_and_colour_only_when_asked, setup),
		cmocka_unit_test_setup(test_long_line_split_and_a_megabyte_without_newline, setup),
		cmocka_unit_test_setup(test_a_chatty_source_cannot_starve_another, setup),
		cmocka_unit_test_setup(test_garbage_indices_reported_others_unaffected, setup),
		cmocka_unit_test_setup(test_drops_of_a_lossy_producer_are_reported, setup),
		cmocka_unit_test_setup(test_focus_cycles_and_input_reaches_only_the_focus, setup),
		cmocka_unit_test_setup(test_input_a_partition_does_not_read_is_counted, setup),
		cmocka_unit_test_setup(test_prompt_lists_and_controls, setup),
		cmocka_unit_test_setup(test_output_ends_the_prompt_line_first, setup),
		cmocka_unit_test_setup(test_others_stopped_means_every_other_one, setup),
		cmocka_unit_test_setup(test_partitions_learnt_from_the_hypervisor, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
