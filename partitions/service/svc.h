/* SPDX-License-Identifier: MIT */
/*
 * The service partition (docs/service.md): the only writer of the board's
 * UART once it runs. It multiplexes every console channel and the
 * hypervisor's log channel into whole lines "[source] text", sends typed
 * input to the one partition that has the focus (CTRL-a three times cycles
 * it through its own prompt and every console) and offers a prompt that
 * lists the partitions and stops or restarts those it may control.
 *
 * Everything is bounded: fixed-size buffers, at most SVC_RECORDS_PER_TURN
 * records of each source per turn and nothing taken from a ring that the
 * output queue has no room for, so a chatty or hostile partition slows only
 * itself. The code in this header is independent of the hardware (the
 * UART driver and the calls to the hypervisor are main.c's, pl011.c's and
 * hv.c's) and is tested on the host (tests/unit/test_service_mux.c).
 * Formats use %lu for 64-bit values: the partitions' newlib has no long
 * long in printf.
 */
#ifndef SVC_H
#define SVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bhrt_ring.h"

#define SVC_SOURCES_MAX 16u       /* console channels and the log */
#define SVC_PARTITIONS_MAX 16u    /* partition names the prompt and the log know */
#define SVC_NAME_MAX 32u          /* a name, its NUL included (channel names: <= 31 characters) */
#define SVC_LINE_MAX 160u         /* a longer console line is printed in pieces of this length */
#define SVC_LOG_LINE_MAX 256u     /* a log line joined from its records: BH_LOG_LINE_MAX (bulkhead/channel.h) */
#define SVC_RECORD_MAX 128u       /* biggest record taken from a ring */
#define SVC_RECORDS_PER_TURN 4u   /* records of one source per turn */
#define SVC_TX_SIZE 16384u        /* the output queue (a power of two) */
#define SVC_INPUT_MAX 64u         /* a prompt command line */
#define SVC_CTRL_A 0x01u          /* three in a row move the focus */
#define SVC_FOCUS_PRESSES 3u
#define SVC_NO_PARTITION 0xffu    /* the hypervisor's log: no partition */
#define SVC_PROMPT "bulkhead> "

/** Where a source's records come from. */
enum svc_source_kind {
	SVC_SOURCE_CONSOLE = 0,    /* a partition's console: bytes, lines end with '\n' */
	SVC_SOURCE_LOG = 1,        /* the hypervisor's log: one record per line (bulkhead/channel.h) */
};

/** One source of output (and, for a console, a destination of input). */
struct svc_source {
	enum svc_source_kind kind;
	char name[SVC_NAME_MAX];   /* the prefix of its lines */
	uint32_t partition;        /* the partition whose console it is (SVC_NO_PARTITION: the log) */
	uint32_t channel;          /* its channel id (BH_HC_DOORBELL's argument) */
	struct rt_ring *out;       /* records to print: this partition is the consumer */
	struct rt_ring *in;        /* console: typed input, this partition the producer; or NULL */
	uint8_t rec[SVC_RECORD_MAX];   /* the record being printed */
	uint32_t rec_len;
	uint32_t rec_pos;
	char line[SVC_LINE_MAX];   /* console: the unfinished line */
	uint32_t line_len;
	char joined[SVC_LOG_LINE_MAX];   /* log: the parts of a line so far (BH_LOG_TEXT_MORE) */
	uint32_t joined_len;
	uint32_t joined_source;    /* their source byte */
	uint32_t joined_dropped;   /* the producer's drop count when they came */
	uint32_t dropped_seen;     /* the producer's drop count already reported */
	uint32_t corrupt_seen;     /* the ring's corruption count already reported */
	uint32_t corrupt_next;     /* report corruption again when it reaches this count */
	uint32_t input_dropped;    /* typed bytes it had no room for */
	uint32_t input_dropped_seen;
	bool notify;               /* input was sent: its doorbell is to be rung */
	bool wake;                 /* room was made in its output ring: it may wait for that */
};

/** The output queue to the UART. */
struct svc_tx {
	char buf[SVC_TX_SIZE];
	uint32_t head;             /* bytes queued (free-running) */
	uint32_t tail;             /* bytes sent (free-running) */
};

/** A partition as BH_HC_PARTITION_STATUS reports it. */
struct svc_status {
	uint32_t state;            /* BH_PARTITION_* */
	uint32_t vcpus;
	bool controllable;
	uint32_t cores;            /* mask */
	uint64_t restarts;
	uint64_t faults;
};

/** The whole multiplexer; one instance, in the service partition's memory. */
struct svc_mux {
	struct svc_source sources[SVC_SOURCES_MAX];
	uint32_t n_sources;
	uint32_t first;            /* the source whose turn comes first next time (round robin) */
	char partitions[SVC_PARTITIONS_MAX][SVC_NAME_MAX];   /* names by partition id */
	uint32_t n_partitions;
	uint32_t self;             /* this partition's id */
	bool color;                /* ANSI colour per source (a terminal) */
	struct svc_tx tx;
	uint32_t focus;            /* 0: the prompt; i > 0: sources[focus_source[i - 1]] */
	uint32_t focus_source[SVC_SOURCES_MAX];   /* the sources that take input, in order */
	uint32_t n_focus;
	uint32_t ctrl_a;           /* CTRL-a pressed in a row */
	char input[SVC_INPUT_MAX]; /* the prompt's command line */
	uint32_t input_len;
	bool prompt_open;          /* the prompt's line is on the terminal, unfinished */
	uint8_t pending[SVC_RECORD_MAX - 8u];   /* typed input for the focused partition, not yet sent */
	uint32_t pending_len;
};

/* output.c: lines into the output queue */

/** Length of `s`, reading at most `max` bytes (C11 has no strnlen). */
size_t svc_strnlen(const char *s, size_t max);

/** Bytes free in the output queue. */
uint32_t svc_tx_room(const struct svc_tx *tx);
/** Takes up to `cap` queued bytes into buf (for the UART); returns how many. */
uint32_t svc_tx_take(struct svc_tx *tx, char *buf, uint32_t cap);
/** The oldest queued bytes, contiguous (*len of them; 0: none), left queued until svc_tx_done(). */
const char *svc_tx_peek(const struct svc_tx *tx, uint32_t *len);
/** The first `n` bytes svc_tx_peek() showed were sent. */
void svc_tx_done(struct svc_tx *tx, uint32_t n);
/** Bytes the longest line of a source named `name` takes in the queue (prefix, colour, newline). */
uint32_t svc_line_cost(void);
/**
 * Queues "[name] text\n" (text neutralised: control characters become '?',
 * carriage returns vanish), coloured for partition `partition` when colour
 * is on. False, and nothing queued, when the queue has no room.
 */
bool svc_print_line(struct svc_mux *m, const char *name, uint32_t partition, const char *text, uint32_t len);
/** svc_print_line() of a formatted line of source `name`. */
bool svc_print_line_f(struct svc_mux *m, const char *name, uint32_t partition, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/** Echoes the prompt's typing (bytes as they are; the prompt shown again first when it was ended). */
void svc_echo(struct svc_mux *m, const char *s, uint32_t len);
/** Ends the prompt's line (Enter): what follows is output until the prompt is shown again. */
void svc_prompt_end(struct svc_mux *m);
/** Shows the prompt when it has the focus and is not on the terminal. */
void svc_prompt_show(struct svc_mux *m);
/** svc_print_line() of a formatted line of the service partition itself. */
bool svc_printf(struct svc_mux *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* sources.c: the sources */

/** Sets the multiplexer up empty: no sources, focus on the prompt. */
void svc_init(struct svc_mux *m, uint32_t self, bool color);
/** Names partition `id` (the prompt and the log's records use the names). False when out of range. */
bool svc_name_partition(struct svc_mux *m, uint32_t id, const char *name);
/**
 * Adds a source. `out` must be attached as a consumer, `in` (or NULL) as a
 * producer. Returns the source, or NULL when SVC_SOURCES_MAX are in use.
 */
struct svc_source *svc_add_source(struct svc_mux *m, enum svc_source_kind kind, uint32_t partition, uint32_t channel,
				  struct rt_ring *out, struct rt_ring *in);
/**
 * One turn over every source: at most SVC_RECORDS_PER_TURN records of each,
 * and none the output queue has no room for. Reports each source's new
 * drops and ring corruption. Returns the records taken.
 */
uint32_t svc_poll(struct svc_mux *m);

/* input.c: typed input, focus, prompt */

/** Handles bytes typed on the UART: focus sequence, input to the focused partition or the prompt. */
void svc_input(struct svc_mux *m, const uint8_t *bytes, uint32_t len);
/** Sends the typed input collected for the focused partition (one record); call once per loop. */
void svc_input_flush(struct svc_mux *m);
/** The name of who has the focus ("bulkhead" for the prompt). */
const char *svc_focus_name(const struct svc_mux *m);

/* prompt.c */

/** Runs one command line of the prompt ("help", "list", "stop <p>", "restart <p>"). */
void svc_command(struct svc_mux *m, const char *line);

/**
 * Counts the partitions the hypervisor answers for (ids from 0 until it
 * says there is no such partition), so that the prompt lists and waits for
 * every one, even those the device tree did not name.
 */
void svc_learn_partitions(struct svc_mux *m);
/** Every partition but this one has stopped for good (BH_PARTITION_STOPPED); false when there is none. */
bool svc_others_stopped(const struct svc_mux *m);

/* What the prompt asks of the hypervisor (hv.c on the target; the unit test's own on the host). */

/** BH_HC_PARTITION_STATUS: 0 and *st, or a BH_ERR_* code. */
int svc_hv_status(uint32_t partition, struct svc_status *st);
/** BH_HC_PARTITION_CONTROL: 0 or a BH_ERR_* code. */
int svc_hv_control(uint32_t partition, uint32_t action);

/* The shared disk (disk.c, docs/disk.md): found in the device tree, served each turn. */
void svc_disk_init(struct svc_mux *mux);
void svc_disk_poll(void);
bool svc_disk_busy(void);

#endif /* SVC_H */
