/* SPDX-License-Identifier: MIT */
/*
 * The service partition (svc.h, docs/service.md): finds its console and log
 * channels and the partitions' names in its device tree, takes the UART and
 * runs the multiplexer: input, output, doorbells, and a bounded sleep when
 * there is nothing to do.
 */
#include <stdint.h>
#include <string.h>
#include <bulkhead/channel.h>
#include "bhrt.h"
#include "bhrt_channel.h"
#include "board.h"
#include "rt_stack.h"
#include "stack_budget.h"
#include "svc.h"
#include "uart.h"

/* The worst-case stack make cert-stack-service bounds is held to 75% of the budget; the
 * budget must be there (REQ-CRT-033). */
_Static_assert(SVC_STACK_BUDGET <= RT_STACK_SIZE, "the service's stack budget exceeds a vCPU's stack");

#define IDLE_US 50000u            /* longest sleep: a bound, not a poll period */
#define TX_PER_LOOP 256u
#define ALONE_CHECK_US 100000u    /* how often it asks whether the others have all stopped */

static struct svc_mux mux;
static struct rt_channel channels[SVC_SOURCES_MAX];
static uint32_t n_channels;
static uint32_t doorbell = UINT32_MAX;    /* the interrupt every console and the log ring here */
static uint32_t doorbell_seen;

/* /chosen bulkhead,partitions: the names, by partition id. False when the tree has none. */
static bool read_names(void)
{
	uint32_t len = 0u;
	const char *list = rt_fdt_property("chosen", "bulkhead,partitions", &len);
	uint32_t at = 0u;

	for (uint32_t id = 0u; (list != NULL) && (at < len) && (id < SVC_PARTITIONS_MAX); id++) {
		size_t l = svc_strnlen(&list[at], len - at);

		if ((at + l) < len) {
			(void)svc_name_partition(&mux, id, &list[at]);
		}
		at += (uint32_t)l + 1u;
	}
	return (list != NULL) && (len != 0u);
}

static void open_channels(void)
{
	uint32_t node = rt_fdt_next_compatible(0u, RT_CHANNEL_COMPATIBLE);

	for (; (node != 0u) && (n_channels < SVC_SOURCES_MAX); node = rt_fdt_next_compatible(node, RT_CHANNEL_COMPATIBLE)) {
		struct rt_channel_info info;
		struct rt_channel *ch = &channels[n_channels];

		if ((rt_channel_info_at(node, &info) != 0) || (info.kind == RT_CHANNEL_DATA)) {
			continue;   /* a data channel is a program's business; a malformed node, unusable */
		}
		if (rt_channel_open(ch, &info, BH_CONSOLE_SLOT, RT_RING_BACKPRESSURE) != RT_RING_OK) {
			(void)svc_printf(&mux, "channel %u (%s of %s) cannot be opened", (unsigned)info.id, info.label,
					 info.peer);
			continue;
		}
		bool log = (info.kind == RT_CHANNEL_LOG);
		struct svc_source *s = svc_add_source(&mux, log ? SVC_SOURCE_LOG : SVC_SOURCE_CONSOLE, info.peer_id,
						      info.id, &ch->rx, (!log && ch->can_send) ? &ch->tx : NULL);

		if (s != NULL) {
			if (!log) {
				(void)strncpy(s->name, info.peer, SVC_NAME_MAX - 1u);
				/* The peer of a console is the partition whose console it is. */
				if ((info.peer_id < SVC_PARTITIONS_MAX) && (mux.partitions[info.peer_id][0] == '\0')) {
					(void)svc_name_partition(&mux, info.peer_id, info.peer);
				}
			}
			doorbell = info.doorbell;
			n_channels++;
		}
	}
}

/* Rings each console whose input was sent, and each that waits for room we made (its "waiting" count moved). */
static void ring_doorbells(void)
{
	for (uint32_t i = 0u; i < mux.n_sources; i++) {
		struct svc_source *s = &mux.sources[i];
		struct rt_channel *ch = &channels[i];
		bool ring = s->notify;

		if (s->wake && (ch->peer_tx_waiting != NULL)) {
			uint32_t w = __atomic_load_n(ch->peer_tx_waiting, __ATOMIC_ACQUIRE);

			if (w != ch->served_tx) {
				ch->served_tx = w;
				ring = true;
			}
		}
		if (ring && (s->kind == SVC_SOURCE_CONSOLE)) {
			(void)rt_channel_notify(ch);
		}
		s->notify = false;
		s->wake = false;
	}
}

/* Nothing waits anywhere (asked after telling every producer that we are about to sleep). */
static bool all_quiet(void)
{
	bool quiet = !svc_uart_rx_pending() && (mux.tx.head == mux.tx.tail);

	for (uint32_t i = 0u; quiet && (i < n_channels); i++) {
		uint32_t *w = channels[i].rx_waiting;

		if (w != NULL) {
			__atomic_store_n(w, __atomic_load_n(w, __ATOMIC_RELAXED) + 1u, __ATOMIC_RELEASE);
		}
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (uint32_t i = 0u; quiet && (i < n_channels); i++) {
		quiet = (rt_ring_pending(&channels[i].rx) == 0u) && (mux.sources[i].rec_pos >= mux.sources[i].rec_len);
	}
	return quiet && !svc_disk_busy() && ((doorbell == UINT32_MAX) || (rt_doorbell_count(doorbell) == doorbell_seen));
}

/* Prints what is queued, however long the UART takes (the others have stopped: nobody waits). */
static void drain(void)
{
	while (mux.tx.head != mux.tx.tail) {
		uint32_t len = 0u;
		const char *out = svc_tx_peek(&mux.tx, &len);

		svc_tx_done(&mux.tx, svc_uart_write(out, len));
	}
}

/*
 * Unless bootargs say stay=1: once every other partition has stopped for
 * good and everything they printed is out, the service partition stops too,
 * so that the board powers off as it does without one.
 */
/* Implements: REQ-SVC-007 */
static void stop_when_alone(uint64_t *next_check)
{
	uint64_t now = rt_counter();

	if (now < *next_check) {
		return;
	}
	*next_check = now + ((rt_counter_hz() * ALONE_CHECK_US) / 1000000u);
	if (svc_others_stopped(&mux) && (svc_poll(&mux) == 0u)) {
		(void)svc_printf(&mux, "every other partition has stopped: the service partition stops");
		drain();
		rt_system_off();
	}
}

/* Sleeps until an interrupt (a doorbell, typed input) or IDLE_US, when nothing waits. */
static void idle(void)
{
	svc_board_sleep(IDLE_US, all_quiet);
	if (doorbell != UINT32_MAX) {
		doorbell_seen = rt_doorbell_count(doorbell);
	}
}

int main(void)
{
	struct rt_info me = rt_partition_info();
	uint64_t uart_base;
	uint32_t uart_irq;
	const struct svc_uart_driver *uart;
	uint32_t overruns_seen = 0u;
	bool stay = rt_bootarg("stay", 0u) != 0u;
	uint64_t next_check = 0u;

	svc_init(&mux, me.partition, rt_bootarg("color", 0u) != 0u);
	bool named = read_names();
	uart = svc_board_uart(&uart_base, &uart_irq);
	open_channels();
	svc_disk_init(&mux);
	if (!named) {
		/* Asked until the hypervisor says "no such partition" (a refused call it counts). */
		svc_learn_partitions(&mux);
	}
	/* A console that filled its ring before this partition ran sleeps until rung: ring each once. */
	for (uint32_t i = 0u; i < n_channels; i++) {
		if (mux.sources[i].kind == SVC_SOURCE_CONSOLE) {
			(void)rt_channel_notify(&channels[i]);
		}
	}
	svc_board_init();
	if (svc_uart_init(uart, uart_base, uart_irq) != 0) {
		(void)rt_printf("service: the UART's interrupt %u cannot be taken; no input\n", (unsigned)uart_irq);
	}
	(void)svc_printf(&mux, "service partition: %u consoles and logs; CTRL-a three times moves the input focus",
			 (unsigned)mux.n_sources);
	svc_prompt_show(&mux);
	for (;;) {
		uint8_t in[64];
		uint32_t n = svc_uart_read(in, sizeof(in));

		svc_input(&mux, in, n);
		svc_input_flush(&mux);
		if ((svc_uart_overruns() != overruns_seen) &&
		    svc_printf(&mux, "%u typed bytes lost (typed faster than read)",
			       (unsigned)(svc_uart_overruns() - overruns_seen))) {
			overruns_seen = svc_uart_overruns();
		}
		(void)svc_poll(&mux);
		ring_doorbells();
		svc_disk_poll();
		/* Into the FIFO what it takes now, never waiting; the rest stays queued for the next loop. */
		uint32_t len = 0u;
		const char *out = svc_tx_peek(&mux.tx, &len);
		svc_tx_done(&mux.tx, svc_uart_write(out, (len < TX_PER_LOOP) ? len : TX_PER_LOOP));
		if (!stay) {
			stop_when_alone(&next_check);
		}
		idle();
	}
}
