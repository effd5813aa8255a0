/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's log channel (core/log_ring.c, core/log.c) on the fake
 * system built with FAKE_SERVICE_PARTITION: beta is the service partition.
 * The test drains the channel as the service partition would, with the
 * partition runtime's ring attached where include/bulkhead/channel.h puts a
 * one-way direction's parts, so the layout is checked too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <bulkhead/channel.h>
#include <bulkhead/hypercall.h>
#include "bhrt_ring.h"
#include "console.h"
#include "core.h"
#include "cpu.h"
#include "fake_arch.h"
#include "fake_system.h"
#include "incident.h"
#include "log.h"
#include "log_ring.h"
#include "partition.h"

#define ALPHA_CPU cpu_get(0)
#define BETA0_CPU cpu_get(1)
#define BETA1_CPU cpu_get(2)

/* The log channel's capacity in 128-byte slots (28 KiB of sender pages less the control block). */
#define LOG_CAPACITY 128u

static struct rt_ring service;   /* the service partition's consumer side */

static int setup(void **state)
{
	(void)state;
	fake_system_boot();
	fake.console_len = 0;
	fake.console[0] = '\0';
	return 0;
}

static void start_cpu(void *arg)
{
	core_cpu_started(arg);
}

/* The next record: its length, or -1 when there is none. */
static int next_record(uint8_t *buf)
{
	size_t len = 0;
	enum rt_ring_status rc = rt_ring_recv(&service, buf, BH_CONSOLE_SLOT, &len);

	return (rc == RT_RING_OK) ? (int)len : -1;
}

/* Beta, the service partition, runs; the test attaches its consumer. */
static void service_attached(void);

static void service_running(void)
{

	fake.current = BETA0_CPU;
	assert_int_equal(fake_run(start_cpu, BETA0_CPU), FAKE_VCPU_ENTER);
	service_attached();
}

/* The service partition (re)attaches its consumer and drains what waited. */
static void service_attached(void)
{
	struct rt_ring_area area = {
		.consumer = fake_log_channel,
		.producer = fake_log_channel + BH_CHANNEL_PAGE,
		.slots = fake_log_channel + BH_CHANNEL_PAGE + BH_CHANNEL_SLOTS_OFFSET,
		.capacity = LOG_CAPACITY,
		.slot_size = BH_CONSOLE_SLOT,
	};

	assert_int_equal(rt_ring_attach_consumer(&service, &area), RT_RING_OK);
	/* What the hypervisor logged while starting it (its vCPU's start, at debug level). */
	while (rt_ring_pending(&service) != 0u) {
		assert_int_not_equal(next_record((uint8_t[BH_CONSOLE_SLOT]){ 0 }), -1);
	}
	/* ...and the doorbell those rang: taken, so the next record rings anew. */
	fake.current = BETA0_CPU;
	assert_int_equal(fake_take_kick(BETA0_CPU), FAKE_RETURNED);
	BETA0_CPU->arch.injected = 0u;
	fake.current = ALPHA_CPU;
}

static void expect_record(uint8_t source, uint8_t kind, const char *text)
{
	uint8_t rec[BH_CONSOLE_SLOT];
	int len = next_record(rec);

	assert_int_equal(len, 2 + (int)strlen(text));
	assert_int_equal(rec[0], source);
	assert_int_equal(rec[1], kind);
	assert_memory_equal(&rec[2], text, strlen(text));
}

static void expect_text(uint8_t source, const char *text)
{
	expect_record(source, BH_LOG_TEXT, text);
}

static void put(struct cpu *cpu, const char *s)
{
	for (; *s != '\0'; s++) {
		console_guest_putc(cpu, *s);
	}
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--) {
		v = (v << 8) | p[i];
	}
	return v;
}

/* Verifies: REQ-LOG-001~2, REQ-LOG-003 */
static void test_before_the_service_partition_starts_the_uart(void **state)
{
	(void)state;
	log_info("early %u", 1u);
	put(ALPHA_CPU, "hello\n");
	assert_string_equal(fake.console, "[bulkhead] early 1\r\n[alpha] hello\r\n");
	/* The boot wiped what the channel's memory held: an empty ring, no drops. */
	assert_int_equal(le64(fake_log_channel) & 0xffffffffu, 0);
	assert_int_equal(le64(fake_log_channel + BH_CHANNEL_PAGE), 0);
}

/* Verifies: REQ-LOG-001~2 */
static void test_lines_go_to_the_service_partition_and_ring_its_doorbell(void **state)
{
	(void)state;
	service_running();
	fake.console_len = 0;
	fake.console[0] = '\0';
	unsigned kicks = fake.kicks[1];

	log_info("core %u: %s", 3u, "up");
	put(ALPHA_CPU, "from alpha\n");
	assert_string_equal(fake.console, "");
	expect_text(BH_LOG_SOURCE_HYPERVISOR, "core 3: up");
	expect_text(0, "from alpha");
	assert_int_equal(next_record((uint8_t[BH_CONSOLE_SLOT]){ 0 }), -1);
	/* The doorbell: a raise posted to beta's vCPU 0 (cpu 1), merged while it waits. */
	assert_int_equal(fake.kicks[1], kicks + 1);
	fake.current = BETA0_CPU;
	assert_int_equal(fake_take_kick(BETA0_CPU), FAKE_RETURNED);
	assert_true((BETA0_CPU->arch.injected & (1u << LOG_DOORBELL_VIRQ)) != 0u);
}

/* A long line's parts are BH_LOG_TEXT_MORE records, the last a BH_LOG_TEXT: the service partition
 * joins them into the one line, so no part is a line without the start that says whose it is. */
/* Verifies: REQ-LOG-001~2 */
static void test_a_long_line_comes_as_several_records(void **state)
{
	(void)state;
	char line[201];

	service_running();
	for (size_t i = 0; i < 200; i++) {
		line[i] = (char)('a' + (i % 26));
	}
	line[200] = '\0';
	log_info("%s", line);
	char first[119];
	memcpy(first, line, 118);
	first[118] = '\0';
	expect_record(BH_LOG_SOURCE_HYPERVISOR, BH_LOG_TEXT_MORE, first);
	expect_text(BH_LOG_SOURCE_HYPERVISOR, line + 118);
	assert_string_equal(fake.console, "");
}

static void fault_alpha(void *arg)
{
	static const struct fault f = { BH_FAULT_DATA_WRITE, 0x40001234u, 0x93c08046u, 0x48000010u, true };

	(void)arg;
	health_fault(ALPHA_CPU, &f);
}

/* Verifies: REQ-LOG-004 */
static void test_a_fault_is_a_record_the_service_partition_formats(void **state)
{
	(void)state;
	uint8_t rec[BH_CONSOLE_SLOT];

	service_running();
	fake.console_len = 0;
	fake.console[0] = '\0';
	assert_int_equal(fake_run(fault_alpha, NULL), FAKE_STOP);
	assert_int_equal(next_record(rec), BH_LOG_FAULT_SIZE);
	assert_int_equal(rec[0], 0);          /* alpha */
	assert_int_equal(rec[1], BH_LOG_FAULT);
	assert_int_equal(rec[BH_LOG_FAULT_VCPU], 0);
	assert_int_equal(rec[BH_LOG_FAULT_CORE], 0);
	assert_int_equal(rec[BH_LOG_FAULT_KIND], BH_FAULT_DATA_WRITE);
	assert_int_equal(rec[BH_LOG_FAULT_FLAGS], BH_LOG_FAULT_ADDR_VALID);   /* alpha's policy: stop */
	assert_int_equal(le64(&rec[BH_LOG_FAULT_ADDR]), 0x48000010u);
	assert_int_equal(le64(&rec[BH_LOG_FAULT_PC]), 0x40001234u);
	assert_int_equal(le64(&rec[BH_LOG_FAULT_SYNDROME]), 0x93c08046u);
	/* The stop, with alpha's counters: one fault. */
	assert_int_equal(next_record(rec), BH_LOG_STOPPED_SIZE);
	assert_int_equal(rec[0], 0);
	assert_int_equal(rec[1], BH_LOG_STOPPED);
	for (uint32_t i = 2u; i < BH_LOG_STOPPED_INCIDENTS; i++) {
		assert_int_equal(rec[i], 0);   /* reserved */
	}
	for (uint32_t k = 0; k < BH_INCIDENT_KINDS; k++) {
		assert_int_equal(le64(&rec[BH_LOG_STOPPED_INCIDENTS + 8u * k]), (k == BH_INCIDENT_FAULT) ? 1u : 0u);
	}
	assert_int_equal(next_record(rec), -1);
	/* Nothing formatted on the UART: the service partition prints it. */
	assert_string_equal(fake.console, "");
}

static void stop_beta(void *arg)
{
	(void)arg;
	partition_shutdown(BETA0_CPU, false);
}

/* Verifies: REQ-LOG-002, REQ-LOG-005 */
static void test_a_full_ring_drops_and_counts_never_waits(void **state)
{
	(void)state;
	service_running();
	fake.console_len = 0;
	fake.console[0] = '\0';
	for (uint32_t i = 0; i < LOG_CAPACITY + 5u; i++) {
		log_info("line %u", i);
	}
	assert_string_equal(fake.console, "");
	assert_int_equal(rt_ring_pending(&service), LOG_CAPACITY);
	assert_int_equal(rt_ring_dropped(&service), 5);
	expect_text(BH_LOG_SOURCE_HYPERVISOR, "line 0");
	/* Room again: the next line goes in after the ones kept. */
	log_info("later");
	for (uint32_t i = 1; i < LOG_CAPACITY; i++) {
		char text[16];
		snprintf(text, sizeof(text), "line %u", i);
		expect_text(BH_LOG_SOURCE_HYPERVISOR, text);
	}
	expect_text(BH_LOG_SOURCE_HYPERVISOR, "later");
	/* Once the service partition has stopped for good, the hypervisor reports the drops itself. */
	fake.current = BETA0_CPU;
	assert_int_equal(fake_run(stop_beta, NULL), FAKE_STOP);
	assert_non_null(strstr(fake.console, "[bulkhead] log: 5 lines dropped since boot while the log channel was full\r\n"));
}

/* Verifies: REQ-LOG-002 */
static void test_a_garbage_index_from_the_service_partition_is_never_used(void **state)
{
	(void)state;
	struct rt_ring_area area = {
		.consumer = fake_log_channel,
		.producer = fake_log_channel + BH_CHANNEL_PAGE,
		.slots = fake_log_channel + BH_CHANNEL_PAGE + BH_CHANNEL_SLOTS_OFFSET,
		.capacity = LOG_CAPACITY,
		.slot_size = BH_CONSOLE_SLOT,
	};
	uint8_t before[BH_CHANNEL_PAGE];

	service_running();
	log_info("one");
	/* The service partition writes an impossible tail into its own page. */
	memcpy(&fake_log_channel[0], &(uint32_t){ 0xdeadbeefu }, 4);
	memcpy(before, fake_log_channel, sizeof(before));
	log_info("two");
	log_info("three");
	/* Its page is untouched (only it writes there) and the lines still reached the ring. */
	assert_memory_equal(before, fake_log_channel, sizeof(before));
	assert_string_equal(fake.console, "");
	assert_int_equal(rt_ring_attach_consumer(&service, &area), RT_RING_OK);
	expect_text(BH_LOG_SOURCE_HYPERVISOR, "two");
	expect_text(BH_LOG_SOURCE_HYPERVISOR, "three");
}

static void fault_beta(void *arg)
{
	static const struct fault f = { BH_FAULT_UNHANDLED_TRAP, 0x80000100u, 0x2000000u, 0, false };

	(void)arg;
	health_fault(BETA0_CPU, &f);
}

/* Verifies: REQ-LOG-003 */
static void test_the_service_partitions_own_fault_and_stop_go_to_the_uart(void **state)
{
	(void)state;
	service_running();
	fake.console_len = 0;
	fake.console[0] = '\0';
	/* Beta restarts after a fault: its own fault is printed, what follows waits for it. */
	fake.current = BETA0_CPU;
	assert_int_equal(fake_run(fault_beta, NULL), FAKE_VCPU_ENTER);
	assert_string_equal(fake.console, "[bulkhead] fault: partition 'beta' vCPU 0 (core 1): unhandled trap, "
			    "PC 0x80000100, ESR 0x2000000; restart\r\n");
	expect_text(BH_LOG_SOURCE_HYPERVISOR, "partition 'beta' restarting (restart 1)");
	/* Back and then stopped for good: from then on the hypervisor prints. */
	service_attached();
	fake.console_len = 0;
	fake.console[0] = '\0';
	fake.current = BETA0_CPU;
	assert_int_equal(fake_run(stop_beta, NULL), FAKE_STOP);
	log_info("after");
	assert_non_null(strstr(fake.console, "[bulkhead] partition 'beta' stopped\r\n"));
	assert_non_null(strstr(fake.console, "[bulkhead] after\r\n"));
}

static void register_incident_then_stop_beta(void *arg)
{
	(void)arg;
	incident_log(BETA0_CPU, BH_INCIDENT_REGISTER, "register %u refused", 7u);
	partition_shutdown(BETA0_CPU, false);
}

/* The stop's incident summary is printed whenever any count is not zero, a register incident alone
 * included (each kind has its place in the record). */
/* Verifies: REQ-LOG-003 */
static void test_a_stop_reports_a_lone_register_incident(void **state)
{
	(void)state;
	service_running();
	fake.console_len = 0;
	fake.console[0] = '\0';
	fake.current = BETA0_CPU;
	assert_int_equal(fake_run(register_incident_then_stop_beta, NULL), FAKE_STOP);
	assert_non_null(strstr(fake.console, "[bulkhead] partition 'beta' stopped\r\n"));
	assert_non_null(strstr(fake.console, "[bulkhead] partition 'beta' incidents since boot: call 0, register 1, "
				      "interrupt 0, console 0, fault 0, interference 0\r\n"));
}

/* The lines the hypervisor formats itself (log.c's format(): the count, the
 * fault with its IPA, PC and syndrome, the stop, the incident counts) come out
 * with every conversion they use. */
/* Verifies: REQ-LOG-005, REQ-CON-005 */
static void test_what_the_service_partition_left_is_printed_when_it_stops(void **state)
{
	(void)state;
	service_running();
	fake.console_len = 0;
	fake.console[0] = '\0';
	log_info("waiting %u", 1u);
	put(ALPHA_CPU, "alpha's line\n");
	put(ALPHA_CPU, "\n");   /* an empty line: a record of its header alone */
	assert_int_equal(fake_run(fault_alpha, NULL), FAKE_STOP);
	/* The service partition took the first line only, then stopped for good. */
	expect_text(BH_LOG_SOURCE_HYPERVISOR, "waiting 1");
	fake.current = BETA0_CPU;
	/* Every partition has stopped now: the board powers off. */
	assert_int_equal(fake_run(stop_beta, NULL), FAKE_SYSTEM_OFF);
	assert_string_equal(fake.console,
			    "[bulkhead] log: 4 lines the service partition had not printed:\r\n"
			    "[alpha] alpha's line\r\n"
			    "[alpha] \r\n"
			    "[bulkhead] fault: partition 'alpha' vCPU 0 (core 0): stage-2 data abort (write) at IPA "
			    "0x48000010, PC 0x40001234, ESR 0x93c08046; stop\r\n"
			    "[bulkhead] partition 'alpha' stopped\r\n"
			    "[bulkhead] partition 'alpha' incidents since boot: call 0, register 0, interrupt 0, "
			    "console 0, fault 1, interference 0\r\n"
			    "[bulkhead] partition 'beta' stopped\r\n"
			    "[bulkhead] all partitions stopped\r\n");
}

/* Records the service partition left in the channel are memory it shares: one whose kind and length
 * do not agree (an unknown kind at a fault record's length, a fault record cut short, a stop record
 * at a fault record's length) is skipped as unknown, never formatted from what bytes it holds. */
/* Verifies: REQ-LOG-005 */
static void test_a_malformed_leftover_is_skipped(void **state)
{
	(void)state;
	uint64_t rec[BH_LOG_FAULT_SIZE / 8u];

	service_running();
	memset(rec, 0x5a, sizeof(rec));
	rec[0] = 0x7e00u;                                        /* alpha, kind 0x7e */
	assert_true(log_ring_put((const uint8_t *)rec, sizeof(rec)));
	rec[0] = (uint64_t)BH_LOG_FAULT << 8;
	assert_true(log_ring_put((const uint8_t *)rec, 16u));
	rec[0] = (uint64_t)BH_LOG_STOPPED << 8;
	assert_true(log_ring_put((const uint8_t *)rec, sizeof(rec)));
	fake.console_len = 0;
	fake.console[0] = '\0';
	fake.current = BETA0_CPU;
	fake_run(stop_beta, NULL);
	const char *skipped = "[bulkhead] log: a record of unknown kind skipped\r\n";
	const char *at = strstr(fake.console, "[bulkhead] log: 3 lines the service partition had not printed:\r\n");

	assert_non_null(at);
	for (uint32_t i = 0u; i < 3u; i++) {
		at = strchr(at, '\n') + 1;
		assert_true(strncmp(at, skipped, strlen(skipped)) == 0);
	}
	assert_null(strstr(fake.console, "fault:"));
}

static void do_panic(void *arg)
{
	(void)arg;
	panic("broken %d", 7);
}

/* Verifies: REQ-LOG-003 */
static void test_a_fail_safe_stop_writes_the_uart(void **state)
{
	(void)state;
	service_running();
	fake.console_len = 0;
	fake.console[0] = '\0';
	assert_int_equal(fake_run(do_panic, NULL), FAKE_SYSTEM_OFF);
	log_error("from another core");
	assert_string_equal(fake.console, "[bulkhead] PANIC (hypervisor internal error)\r\n[bulkhead] broken 7\r\n"
			    "[bulkhead] from another core\r\n");
	assert_int_equal(rt_ring_pending(&service), 0);
}

static void init_log_ring(void *arg)
{
	(void)arg;
	log_ring_init();
}

/* The log channel's size: one of exactly the smallest direction bhcc allows (a control page
 * and a page of slots) is taken, one byte less stops the board at boot, naming the channel. */
/* Verifies: REQ-LOG-001~2 */
static void test_the_smallest_log_channel_is_taken(void **state)
{
	(void)state;
	/* The fixture's channel table is writable memory behind the constant description. */
	struct cfg_channel *log = (struct cfg_channel *)&cfg_system.channels[cfg_system.log_channel];

	log->size = BH_CHANNEL_MIN_DIRECTION;
	assert_int_equal(fake_run(init_log_ring, NULL), FAKE_RETURNED);
	log->size = BH_CHANNEL_MIN_DIRECTION - 1u;
	fake.console_len = 0;
	fake.console[0] = '\0';
	assert_int_equal(fake_run(init_log_ring, NULL), FAKE_SYSTEM_OFF);
	assert_non_null(strstr(fake.console, "log channel 2: not a one-way channel from the hypervisor to the "
				"service partition"));
	log->size = BH_LOG_CHANNEL_SIZE;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_before_the_service_partition_starts_the_uart, setup),
		cmocka_unit_test_setup(test_lines_go_to_the_service_partition_and_ring_its_doorbell, setup),
		cmocka_unit_test_setup(test_a_long_line_comes_as_several_records, setup),
		cmocka_unit_test_setup(test_a_fault_is_a_record_the_service_partition_formats, setup),
		cmocka_unit_test_setup(test_a_full_ring_drops_and_counts_never_waits, setup),
		cmocka_unit_test_setup(test_a_garbage_index_from_the_service_partition_is_never_used, setup),
		cmocka_unit_test_setup(test_the_service_partitions_own_fault_and_stop_go_to_the_uart, setup),
		cmocka_unit_test_setup(test_a_stop_reports_a_lone_register_incident, setup),
		cmocka_unit_test_setup(test_what_the_service_partition_left_is_printed_when_it_stops, setup),
		cmocka_unit_test_setup(test_a_malformed_leftover_is_skipped, setup),
		cmocka_unit_test_setup(test_a_fail_safe_stop_writes_the_uart, setup),
		cmocka_unit_test_setup(test_the_smallest_log_channel_is_taken, setup),
	};
	return cmocka_run_group_tests_name("log_ring", tests, NULL, NULL);
}
