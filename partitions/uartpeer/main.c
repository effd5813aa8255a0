/* SPDX-License-Identifier: MIT */
/*
 * The service partition's end of one emulated UART's console channel, for
 * the emulated PL011's system test (tests/system/test_emulated_uart.py):
 * prints every console record it receives as "uart: <text>" on its debug
 * console, answers the first one with the input "ping\n", and stops after
 * the line that says "done". A stand-in for the service partition
 * (partitions/service), which does this for every console.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bhrt.h"
#include "bhrt_channel.h"
#include "bulkhead/channel.h"

#define WAIT_US 5000000u

int main(void)
{
	struct rt_channel_info info;
	struct rt_channel ch;
	char rec[BH_CONSOLE_SLOT];
	char line[BH_CONSOLE_SLOT * 2u];
	size_t used = 0;
	bool answered = false;

	if (rt_channel_find("console", &info) != 0 ||
	    rt_channel_open(&ch, &info, BH_CONSOLE_SLOT, RT_RING_BACKPRESSURE) != RT_RING_OK) {
		printf("uartpeer: no console channel\n");
		return 1;
	}
	printf("uartpeer: serving the UART of '%s'\n", info.peer);
	for (;;) {
		size_t len = 0;
		enum rt_ring_status rc = rt_channel_read(&ch, rec, sizeof(rec), &len, WAIT_US);

		if (rc == RT_RING_EMPTY) {
			printf("uartpeer: nothing for %u s\n", WAIT_US / 1000000u);
			return 1;
		}
		if (rc != RT_RING_OK) {
			printf("uartpeer: read failed (%d)\n", (int)rc);
			return 1;
		}
		/* Records are pieces of lines: print whole lines. */
		for (size_t i = 0; i < len; i++) {
			if (rec[i] != '\n' && used < sizeof(line) - 1u) {
				line[used++] = rec[i];
				continue;
			}
			line[used] = '\0';
			used = 0;
			printf("uart: %s\n", line);
			if (strstr(line, "pl011check: done") != NULL) {
				return 0;
			}
		}
		if (!answered) {
			answered = true;
			if (rt_channel_write(&ch, "ping\n", 5, WAIT_US) != RT_RING_OK || rt_channel_notify(&ch) != 0) {
				printf("uartpeer: could not send the input\n");
			}
		}
	}
}
