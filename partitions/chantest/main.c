/* SPDX-License-Identifier: MIT */
/*
 * Channel test partition (tests/system/test_channels.py). Three partitions
 * run it around one one-way channel, id 0, "pipe" from `sender` to
 * `receiver`; bootargs say where the channel is (chan=), its id (id=) and
 * the role:
 *   role=0 sender: writes a pattern into its pages (the sender's, after the
 *          receiver's page), publishes a flag, rings the receiver's doorbell
 *          and waits, bounded, for the receiver's acknowledgement in the
 *          receiver's page and for the doorbell it rings back;
 *   role=1 receiver: waits for the flag and its doorbell, checks the
 *          pattern, acknowledges in its own page, rings back, then writes
 *          into the sender's page, which stage 2 maps read-only for it: its
 *          life ends with a stage-2 fault;
 *   role=2 outsider: no end of the channel; rings it and channels that do
 *          not exist, and reports what it got and its call incidents.
 * Every wait is bounded. The runtime maps the channel as device memory
 * (outside the program's RAM): accesses are aligned 64-bit words.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <bulkhead/hypercall.h>
#include "bhrt.h"
#include "bhrt_gic.h"

#define PAGE_WORDS 512u
#define SENDER_PAGE PAGE_WORDS     /* word index of the sender's first page */
#define FLAG SENDER_PAGE           /* in the sender's control block */
#define PATTERN (SENDER_PAGE + 8u)
#define WORDS 256u
#define ACK 0u                     /* in the receiver's page */
#define MAGIC UINT64_C(0x5049504500000001)
#define ACK_MAGIC UINT64_C(0x41434b0000000002)
#define WAIT_S 10u

static volatile uint32_t rung;

static void on_doorbell(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	rung++;
}

static uint64_t pattern(uint32_t i)
{
	return ((uint64_t)i + 1u) * UINT64_C(0x9e3779b97f4a7c15);
}

static bool wait_word(const volatile uint64_t *w, uint64_t magic)
{
	uint64_t deadline = rt_counter() + WAIT_S * rt_counter_hz();

	while (__atomic_load_n(w, __ATOMIC_ACQUIRE) != magic) {
		if (rt_counter() > deadline)
			return false;
		rt_delay_us(100);
	}
	return true;
}

static bool wait_rung(void)
{
	uint64_t deadline = rt_counter() + WAIT_S * rt_counter_hz();

	while (rung == 0u && rt_counter() <= deadline)
		rt_delay_us(100);
	return rung != 0u;
}

static int64_t ring(uint64_t id)
{
	return rt_hvc(BH_HC_DOORBELL, id, 0, 0).x0;
}

/*
 * The receiver starts on its own core at its own pace: until it runs, its
 * doorbell is refused (DENIED, docs/channels.md), so ring again, bounded.
 */
static int64_t ring_once_running(uint64_t id)
{
	uint64_t deadline = rt_counter() + WAIT_S * rt_counter_hz();
	int64_t rc = ring(id);

	while (rc == BH_ERR_DENIED && rt_counter() <= deadline) {
		rt_delay_us(100);
		rc = ring(id);
	}
	return rc;
}

static void listen(uint32_t doorbell)
{
	rt_gic_init();
	rt_irq_set_handler(doorbell, on_doorbell, NULL);
	rt_gic_enable(doorbell);
	rt_irq_unmask();
}

static int sender(volatile uint64_t *ch, uint64_t id, uint32_t doorbell)
{
	listen(doorbell);
	for (uint32_t i = 0; i < WORDS; i++)
		ch[PATTERN + i] = pattern(i);
	__atomic_store_n(&ch[FLAG], MAGIC, __ATOMIC_RELEASE);
	printf("wrote %u words, doorbell: %ld\n", WORDS, (long)ring_once_running(id));
	if (!wait_word(&ch[ACK], ACK_MAGIC) || !wait_rung()) {
		printf("timeout: no acknowledgement\n");
		return 1;
	}
	printf("acknowledged, doorbell taken\n");
	return 0;
}

static int receiver(volatile uint64_t *ch, uint64_t id, uint32_t doorbell)
{
	uint32_t bad = 0;

	listen(doorbell);
	if (!wait_word(&ch[FLAG], MAGIC) || !wait_rung()) {
		printf("timeout: no data or no doorbell\n");
		return 1;
	}
	for (uint32_t i = 0; i < WORDS; i++)
		bad += ch[PATTERN + i] != pattern(i);
	printf("doorbell taken, %u mismatches\n", bad);
	__atomic_store_n(&ch[ACK], ACK_MAGIC, __ATOMIC_RELEASE);
	printf("acknowledged, doorbell: %ld\n", (long)ring(id));
	printf("writing to the sender's page\n");
	fflush(stdout);
	ch[FLAG] = 0;
	printf("the write went through\n");
	return 0;
}

static int outsider(uint64_t id)
{
	printf("doorbell of channel %lu: %ld\n", (unsigned long)id, (long)ring(id));
	printf("doorbell of channel 200: %ld\n", (long)ring(200));
	printf("doorbell of channel 2^32: %ld\n", (long)ring(UINT64_C(1) << 32));
	printf("call incidents: %lu\n", (unsigned long)rt_hvc(BH_HC_INCIDENTS, BH_INCIDENT_CALL, 0, 0).x1);
	return 0;
}

int main(void)
{
	volatile uint64_t *ch = (volatile uint64_t *)(uintptr_t)rt_bootarg("chan", 0);
	uint64_t id = rt_bootarg("id", 0);
	uint64_t role = rt_bootarg("role", 99);
	uint32_t doorbell = (uint32_t)rt_bootarg("doorbell", 0);
	int rc;

	printf("channel %lu at 0x%lx, role %lu\n", (unsigned long)id, (unsigned long)(uintptr_t)ch,
	       (unsigned long)role);
	if (role == 2)
		rc = outsider(id);
	else if (ch == NULL || role > 1 || doorbell == 0)
		rc = (printf("bootargs need chan=, doorbell= and role=0..2\n"), 1);
	else
		rc = role == 0 ? sender(ch, id, doorbell) : receiver(ch, id, doorbell);
	printf("done\n");
	return rc;
}
