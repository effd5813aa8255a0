/* SPDX-License-Identifier: MIT */
/*
 * Console test partition: prints numbered lines through newlib's printf
 * (its console channel, when it has one) as fast as the channel takes them,
 * then, with bootargs "echo=1", answers every line typed to it with
 * "got '<line>'" until it reads "exit". With "hostile=1" it attacks its own
 * console channel instead: a mebibyte without a newline, garbage indices in
 * both of its rings, and a million doorbells, then stops.
 *
 * bootargs: lines=N (default 300), echo=1, hostile=1.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bulkhead/channel.h>
#include <bulkhead/hypercall.h>
#include "bhrt.h"
#include "bhrt_channel.h"

#define MEBIBYTE (1024u * 1024u)
#define DOORBELLS 1000000u
#define LINE_MAX_LEN 80u

static void talk(uint32_t lines)
{
	static const char pattern[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.,;:!?-+=_";
	struct rt_info me = rt_partition_info();

	printf("talker: partition %u, restart %u, %u lines\n", (unsigned)me.partition, (unsigned)me.restarts,
	       (unsigned)lines);
	for (uint32_t i = 0u; i < lines; i++) {
		/* Lines of different lengths, each ending in its own number again. */
		printf("line %u: %.*s %u\n", (unsigned)i, (int)((i * 7u) % (sizeof(pattern) - 1u)), pattern, (unsigned)i);
	}
	printf("done: %u lines\n", (unsigned)lines);
}

/* A line typed to this partition, ended by CR or LF; false at end of input. */
static int read_line(char *buf, size_t cap)
{
	size_t n = 0u;

	for (;;) {
		char c;

		if (read(0, &c, 1) != 1) {
			return -1;
		}
		if ((c == '\r') || (c == '\n')) {
			if (n != 0u) {
				break;
			}
		} else if (n < (cap - 1u)) {
			buf[n] = c;
			n++;
		} else {
			/* too long: the rest of the line is dropped */
		}
	}
	buf[n] = '\0';
	return (int)n;
}

static void echo(void)
{
	char line[LINE_MAX_LEN];

	printf("echo: type a line\n");
	fflush(stdout);
	while (read_line(line, sizeof(line)) >= 0) {
		printf("got '%s'\n", line);
		fflush(stdout);
		if (strcmp(line, "exit") == 0) {
			break;
		}
	}
}

static void attack(void)
{
	static char xs[1024];
	struct rt_channel_info info;

	printf("hostile: a mebibyte without a newline\n");
	memset(xs, 'x', sizeof(xs));
	for (uint32_t i = 0u; i < (MEBIBYTE / sizeof(xs)); i++) {
		fwrite(xs, 1, sizeof(xs), stdout);
	}
	printf("\nhostile: written\n");
	fflush(stdout);
	if (rt_channel_find("console", &info) != 0) {
		rt_printf("hostile: no console channel\n");
		return;
	}
	/* Its output direction's head (the sender's page), its input direction's tail (its receiver page). */
	volatile uint32_t *out_head = (volatile uint32_t *)(uintptr_t)(info.ipa + BH_CHANNEL_PAGE);
	volatile uint32_t *out_tail = (volatile uint32_t *)(uintptr_t)info.ipa;
	volatile uint32_t *in_tail = (volatile uint32_t *)(uintptr_t)(info.ipa + (info.size / 2u));
	/* What it printed is taken first (at most 5 s): the attack must not hide its own last lines. */
	uint64_t deadline = rt_counter() + (5u * rt_counter_hz());
	while ((*out_tail != *out_head) && (rt_counter() < deadline)) {
		rt_delay_us(1000u);
	}
	*out_head = *out_head + 0x40000000u;
	*in_tail = 0xdeadbeefu;
	for (uint32_t i = 0u; i < DOORBELLS; i++) {
		(void)rt_hvc(BH_HC_DOORBELL, info.id, 0u, 0u);
	}
	rt_printf("hostile: garbage indices written, %u doorbells rung\n", (unsigned)DOORBELLS);
}

int main(void)
{
	if (rt_bootarg("hostile", 0u) != 0u) {
		attack();
		return 0;
	}
	talk((uint32_t)rt_bootarg("lines", 300u));
	if (rt_bootarg("echo", 0u) != 0u) {
		echo();
	}
	fflush(stdout);
	return 0;
}
