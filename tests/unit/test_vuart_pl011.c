/* SPDX-License-Identifier: MIT */
/*
 * The emulated PL011 (core/vuart_pl011.c) on the fake architecture: a
 * partition "os" whose console is an emulated PL011, and a service partition
 * at the other end of its console channel, played by this file with the
 * partition runtime's ring (partitions/runtime/ring.c) over the channel's
 * memory laid out as include/bulkhead/channel.h says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "bhrt_ring.h"
#include "bulkhead/channel.h"
#include "channel.h"
#include "core.h"
#include "cpu.h"
#include "emul.h"
#include "fake_arch.h"
#include "partition.h"
#include "vuart_pl011.h"
#include "hw/pl011.h"

#define UART_IPA 0x09100000u
#define UART_IRQ 7u          /* the fake architecture raises 0..31 */
#define SERVICE_DOORBELL 9u
#define OS 0u
#define SERVICE 1u

#define RECORD 120u          /* a console slot's payload */
#define SLOTS 16u            /* a console direction: (4096 - 64) / 128, as a power of two */

static uint8_t channel_mem[BH_CONSOLE_CHANNEL_SIZE] __attribute__((aligned(4096)));

static const uint8_t os_cpus[] = { 0 };
static const uint8_t service_cpus[] = { 1 };
static const struct cfg_partition partitions[] = {
	{
		.name = "os",
		.n_vcpus = 1,
		.vcpu_cpu = os_cpus,
		.fault_policy = CFG_FAULT_STOP,
		.console = { .kind = CFG_CONSOLE_PL011, .channel = 0, .irq = UART_IRQ, .ipa = UART_IPA },
	},
	{
		.name = "service",
		.n_vcpus = 1,
		.vcpu_cpu = service_cpus,
		.fault_policy = CFG_FAULT_STOP,
	},
};
static struct cfg_channel channels[1];
static const struct cfg_cpu cpus[] = {
	{ { 0x0 }, OS, 0 },
	{ { 0x1 }, SERVICE, 0 },
};
const struct cfg_system cfg_system = {
	.console = { .base = 0x09000000, .size = 0x1000, .reg_shift = 0, .reg_io_width = 1 },
	.n_cpus = 2,
	.cpus = cpus,
	.n_partitions = 2,
	.partitions = partitions,
	.service = SERVICE,
	.log_channel = 0xff,
	.n_channels = 1,
	.channels = channels,
};

/* The service partition's ends of the two rings. */
static struct rt_ring out;   /* consumer of what os writes */
static struct rt_ring in;    /* producer of what os reads */

static struct rt_ring_area direction(uint32_t half)
{
	uint8_t *receiver = channel_mem + (half * (BH_CONSOLE_CHANNEL_SIZE / 2u));

	return (struct rt_ring_area){ receiver + BH_CHANNEL_PAGE, receiver,
				      receiver + BH_CHANNEL_PAGE + BH_CHANNEL_SLOTS_OFFSET, SLOTS, BH_CONSOLE_SLOT };
}

static void boot(void *arg)
{
	(void)arg;
	core_boot(cpu_get(0));
}

static void start_cpu(void *arg)
{
	core_cpu_started(arg);
}

/* The trap path of a kick (tests/unit/fake_system.c's). */
static void handle(void *arg)
{
	fake_present_raised(arg);
	core_handle_requests(arg);
}

static int setup(void **state)
{
	(void)state;
	channels[0] = (struct cfg_channel){
		.name = "console-os", .pa = (uintptr_t)channel_mem, .size = BH_CONSOLE_CHANNEL_SIZE,
		.kind = CFG_CHANNEL_CONSOLE, .one_way = 0,
		.end = { { CFG_END_HYPERVISOR, OS, 0, CFG_NO_DOORBELL, 0 },
			 { CFG_END_PARTITION, SERVICE, 0, SERVICE_DOORBELL, 0x50000000u } },
	};
	memset(channel_mem, 0xa5, sizeof(channel_mem));   /* the hypervisor must not trust what was there */
	for (uint32_t i = 0; i < cfg_system.n_partitions; i++) {
		memset(partition_get(i), 0, sizeof(struct partition));
	}
	for (uint32_t i = 0; i < cfg_system.n_cpus; i++) {
		memset(cpu_get(i), 0, sizeof(struct cpu));
	}
	fake_reset();
	fake.power[0] = CPU_POWER_ON;
	fake.current = cpu_get(0);
	assert_int_equal(fake_run(boot, NULL), FAKE_VCPU_ENTER);
	/* The service partition runs on cpu 1. */
	fake.current = cpu_get(1);
	assert_int_equal(fake_run(start_cpu, cpu_get(1)), FAKE_VCPU_ENTER);
	fake.current = cpu_get(0);
	struct rt_ring_area o = direction(0u);
	struct rt_ring_area i = direction(1u);
	assert_int_equal(rt_ring_attach_consumer(&out, &o), RT_RING_OK);
	assert_int_equal(rt_ring_attach_producer(&in, &i, RT_RING_BACKPRESSURE), RT_RING_OK);
	return 0;
}

/* An access of os's vCPU to its UART, as the trap path makes it. */
static bool access(uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	struct partition *os = partition_get(OS);
	const struct emul_region *r = emul_find(&os->emul[EMUL_MMIO], UART_IPA + offset);

	assert_non_null(r);
	return r->handler(cpu_get(0), r->context, UART_IPA + offset - r->base, write, size, value);
}

static uint32_t rd(uint32_t offset)
{
	uint64_t v = 0xdeadu;

	assert_true(access(offset, false, 4, &v));
	return (uint32_t)v;
}

static void wr(uint32_t offset, uint32_t value)
{
	uint64_t v = value;

	assert_true(access(offset, true, 4, &v));
}

static void puts_uart(const char *s)
{
	for (; *s != '\0'; s++) {
		uint64_t v = (uint8_t)*s;
		assert_true(access(PL011_DR, true, 1, &v));   /* earlycon writes bytes */
	}
}

/* The next record os sent, or -1. */
static int take(char *buf)
{
	size_t len = 0;

	if (rt_ring_recv(&out, buf, RECORD, &len) != RT_RING_OK) {
		return -1;
	}
	buf[len] = '\0';
	return (int)len;
}

/* Whether the service partition's doorbell rang since the last look. */
static bool service_rang(void)
{
	struct cpu *s = cpu_get(1);

	s->arch.injected = 0;
	fake.current = s;
	(void)fake_run(handle, s);
	fake.current = cpu_get(0);
	return (s->arch.injected & (1u << SERVICE_DOORBELL)) != 0u;
}

/* The service partition rings the UART's channel (the doorbell hypercall). */
static enum core_status ring_uart(void)
{
	enum core_status s;

	fake.current = cpu_get(1);
	s = channel_ring(cpu_get(1), 0);
	fake.current = cpu_get(0);
	return s;
}

/* Times os's UART interrupt was raised: its cpu takes what was posted to it first. */
static unsigned raised(void)
{
	fake.current = cpu_get(0);
	(void)fake_run(handle, cpu_get(0));
	return cpu_get(0)->arch.injections;
}

/* Verifies: REQ-CON-101 */
static void test_reset_values_and_identification(void **state)
{
	static const uint8_t id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

	(void)state;
	for (uint32_t i = 0; i < 8; i++) {
		assert_int_equal(rd(0xfe0u + (4u * i)), id[i]);
	}
	assert_int_equal(rd(PL011_FR), PL011_FR_TXFE | PL011_FR_RXFE);
	assert_int_equal(rd(PL011_CR), 0x300u);
	assert_int_equal(rd(PL011_IFLS), 0x12u);
	assert_int_equal(rd(PL011_IMSC), 0u);
	assert_int_equal(rd(PL011_RIS), 0u);
	/* Registers keep what a driver writes; reserved ones read as zero. */
	wr(PL011_IBRD, 0x1au);
	wr(PL011_LCRH, 0x70u);
	assert_int_equal(rd(PL011_IBRD), 0x1au);
	assert_int_equal(rd(PL011_LCRH), 0x70u);
	assert_int_equal(rd(0x800u), 0u);
	/* No 64-bit registers: such an access is the partition's fault. */
	uint64_t v = 0;
	assert_false(access(PL011_DR, true, 8, &v));
	/* Nothing arrived from the service partition's garbage. */
	char buf[RECORD + 1];
	assert_int_equal(take(buf), -1);
}

/* Verifies: REQ-CON-102 */
static void test_a_line_goes_out_as_one_record_and_rings(void **state)
{
	char buf[RECORD + 1];

	(void)state;
	puts_uart("hello, ");
	assert_int_equal(take(buf), -1);
	assert_int_equal(rd(PL011_FR) & PL011_FR_TXFE, 0u);   /* something waits in the FIFO */
	puts_uart("world\n");
	assert_int_equal(take(buf), 13);
	assert_string_equal(buf, "hello, world\n");
	assert_true(service_rang());
	assert_int_equal(rd(PL011_FR) & PL011_FR_TXFE, PL011_FR_TXFE);
	/* Longer than a record: full records, the rest waits for its newline. */
	char line[301];
	memset(line, 'x', 300);
	line[300] = '\0';
	puts_uart(line);
	assert_int_equal(take(buf), RECORD);
	assert_int_equal(take(buf), RECORD);
	assert_int_equal(take(buf), -1);
	puts_uart("\n");
	assert_int_equal(take(buf), 61);
}

/* Verifies: REQ-CON-102 */
static void test_unfinished_line_goes_when_the_guest_waits(void **state)
{
	char buf[RECORD + 1];

	(void)state;
	/* earlycon: flag register, byte, flag register (busy), flag register (next byte)... */
	puts_uart("lo");
	(void)rd(PL011_FR);
	(void)rd(PL011_FR);
	assert_int_equal(take(buf), -1);
	puts_uart("gin: ");
	(void)rd(PL011_FR);
	(void)rd(PL011_FR);
	(void)rd(PL011_FR);   /* a third read in a row: it waits (for input, say) */
	assert_int_equal(take(buf), 7);
	assert_string_equal(buf, "login: ");
	/* Linux's interrupt-driven path masks the transmit interrupt when it has sent all. */
	puts_uart("# ");
	wr(PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
	assert_int_equal(take(buf), 2);
	assert_string_equal(buf, "# ");
}

/* Verifies: REQ-CON-103 */
static void test_full_ring_says_full_and_counts_what_is_lost(void **state)
{
	char buf[RECORD + 1];

	(void)state;
	for (uint32_t i = 0; i < SLOTS; i++) {
		puts_uart("a line\n");
	}
	assert_int_equal(rd(PL011_FR) & PL011_FR_TXFF, 0u);
	char line[RECORD + 1];
	memset(line, 'y', RECORD);
	line[RECORD] = '\0';
	puts_uart(line);                            /* held: the ring is full */
	assert_int_equal(rd(PL011_FR) & PL011_FR_TXFF, PL011_FR_TXFF);
	wr(PL011_IMSC, PL011_INT_TX);                          /* Linux: wait for the TX interrupt */
	unsigned before = raised();
	puts_uart("z");                             /* written regardless: lost, counted */
	assert_int_equal(raised(), before);
	/* The service partition drains one and rings: the held record goes, TX rises. */
	assert_int_equal(take(buf), 7);
	assert_int_equal(ring_uart(), CORE_OK);
	assert_int_equal(raised(), before + 1);
	assert_true((cpu_get(0)->arch.injected & (1u << UART_IRQ)) != 0u);
	assert_int_equal(rd(PL011_FR) & PL011_FR_TXFF, 0u);
	assert_int_equal(rd(PL011_MIS), PL011_INT_TX);
	for (uint32_t i = 1; i < SLOTS; i++) {
		assert_int_equal(take(buf), 7);
	}
	assert_int_equal(take(buf), RECORD);
	assert_int_equal(take(buf), -1);           /* the 'z' is gone... */
	assert_non_null(strstr(fake.console, "'os': its UART dropped 1 bytes"));   /* ...and reported */
	/* os itself is not an end of its UART's channel: it cannot ring it. */
	fake.current = cpu_get(0);
	assert_int_equal(channel_ring(cpu_get(0), 0), CORE_ERR_DENIED);
}

/* Verifies: REQ-CON-104 */
static void test_input_reads_from_the_data_register_and_interrupts(void **state)
{
	(void)state;
	wr(PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
	unsigned before = raised();
	assert_int_equal(rt_ring_send(&in, "xy", 2), RT_RING_OK);
	assert_int_equal(ring_uart(), CORE_OK);
	assert_int_equal(raised(), before + 1);
	assert_int_equal(rd(PL011_MIS), PL011_INT_RX | PL011_INT_RT);
	assert_int_equal(rd(PL011_FR) & PL011_FR_RXFE, 0u);
	assert_int_equal(rd(PL011_DR), 'x');
	assert_int_equal(rd(PL011_DR), 'y');
	assert_int_equal(rd(PL011_FR) & PL011_FR_RXFE, PL011_FR_RXFE);
	assert_int_equal(rd(PL011_MIS), 0u);
	/* Two records: read back to back; one edge, the line stays up in between. */
	assert_int_equal(rt_ring_send(&in, "1", 1), RT_RING_OK);
	assert_int_equal(rt_ring_send(&in, "2", 1), RT_RING_OK);
	assert_int_equal(ring_uart(), CORE_OK);
	assert_int_equal(ring_uart(), CORE_OK);
	assert_int_equal(raised(), before + 2);
	assert_int_equal(rd(PL011_DR), '1');
	assert_int_equal(rd(PL011_DR), '2');
	assert_int_equal(rd(PL011_DR), 0u);               /* empty: reads zero */
	assert_int_equal(rd(PL011_MIS), 0u);
}

/* Verifies: REQ-CON-104 */
static void test_transmit_interrupt_is_an_edge_per_rise(void **state)
{
	(void)state;
	unsigned before = raised();
	puts_uart("a");
	wr(PL011_IMSC, PL011_INT_TX);                          /* room: the line rises at once */
	assert_int_equal(raised(), before + 1);
	puts_uart("b");                             /* still up: no second edge */
	assert_int_equal(raised(), before + 1);
	wr(PL011_ICR, PL011_INT_TX);
	assert_int_equal(rd(PL011_MIS), 0u);
	puts_uart("c");                             /* set again by the write: a new edge */
	assert_int_equal(raised(), before + 2);
}

/* Verifies: REQ-CON-105 */
static void test_hostile_indices_reach_nobody(void **state)
{
	char buf[RECORD + 1];

	(void)state;
	/* The service partition claims more input than a ring can hold: nothing is read. */
	uint32_t *head = (uint32_t *)(channel_mem + (BH_CONSOLE_CHANNEL_SIZE / 2u) + BH_CHANNEL_PAGE);
	*head = 0x7fffffffu;
	assert_int_equal(rd(PL011_FR) & PL011_FR_RXFE, PL011_FR_RXFE);
	assert_int_equal(rd(PL011_DR), 0u);
	/* Its consumer index is impossible: the record is lost, the ring starts afresh. */
	uint32_t *tail = (uint32_t *)channel_mem;
	*tail = 0x12345678u;
	puts_uart("lost\n");
	puts_uart("kept\n");
	assert_int_equal(rt_ring_attach_consumer(&out, &(struct rt_ring_area){ 0 }), RT_RING_INVALID);
	struct rt_ring_area o = direction(0u);
	assert_int_equal(rt_ring_attach_consumer(&out, &o), RT_RING_OK);
	assert_int_equal(take(buf), 5);
	assert_string_equal(buf, "kept\n");
}

/* Verifies: REQ-CON-106 */
static void test_waits_are_announced_as_the_runtime_does(void **state)
{
	(void)state;
	/* Word 1 of the input ring's consumer block, word 2 of the output ring's producer block. */
	volatile uint32_t *rx_waiting = (uint32_t *)(channel_mem + (BH_CONSOLE_CHANNEL_SIZE / 2u)) + 1;
	volatile uint32_t *tx_waiting = (uint32_t *)(channel_mem + BH_CHANNEL_PAGE) + 2;
	uint32_t rx0 = *rx_waiting, tx0 = *tx_waiting;

	/* Input: found empty, announced once however often the guest polls. */
	(void)rd(PL011_FR);
	assert_int_equal(*rx_waiting, rx0 + 1);
	(void)rd(PL011_FR);
	(void)rd(PL011_DR);
	assert_int_equal(*rx_waiting, rx0 + 1);
	/* A record taken: the next empty ring is announced again. */
	assert_int_equal(rt_ring_send(&in, "k", 1), RT_RING_OK);
	assert_int_equal(rd(PL011_DR), 'k');
	assert_int_equal(*rx_waiting, rx0 + 2);
	/* Output: full, announced once; room, then full again: once more. */
	for (uint32_t i = 0; i < SLOTS; i++) {
		puts_uart("line\n");
	}
	assert_int_equal(*tx_waiting, tx0);
	puts_uart("more\n");
	(void)rd(PL011_FR);
	(void)rd(PL011_FR);
	(void)rd(PL011_FR);
	assert_int_equal(*tx_waiting, tx0 + 1);
	char buf[RECORD + 1];
	assert_int_equal(take(buf), 5);
	assert_int_equal(ring_uart(), CORE_OK);   /* "more" goes */
	puts_uart("again\n");
	assert_int_equal(*tx_waiting, tx0 + 2);
}

/* Verifies: REQ-CON-101 */
static void test_restart_resets_the_registers(void **state)
{
	char buf[RECORD + 1];

	(void)state;
	wr(PL011_IMSC, PL011_INT_TX);
	puts_uart("half a li");
	vuart_pl011_reset(partition_get(OS));
	assert_int_equal(rd(PL011_IMSC), 0u);
	assert_int_equal(rd(PL011_RIS), 0u);
	assert_int_equal(rd(PL011_FR), PL011_FR_TXFE | PL011_FR_RXFE);
	puts_uart("new life\n");
	assert_int_equal(take(buf), 9);
	assert_string_equal(buf, "new life\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_values_and_identification, setup),
		cmocka_unit_test_setup(test_a_line_goes_out_as_one_record_and_rings, setup),
		cmocka_unit_test_setup(test_unfinished_line_goes_when_the_guest_waits, setup),
		cmocka_unit_test_setup(test_full_ring_says_full_and_counts_what_is_lost, setup),
		cmocka_unit_test_setup(test_input_reads_from_the_data_register_and_interrupts, setup),
		cmocka_unit_test_setup(test_transmit_interrupt_is_an_edge_per_rise, setup),
		cmocka_unit_test_setup(test_hostile_indices_reach_nobody, setup),
		cmocka_unit_test_setup(test_waits_are_announced_as_the_runtime_does, setup),
		cmocka_unit_test_setup(test_restart_resets_the_registers, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
