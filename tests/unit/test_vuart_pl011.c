/* SPDX-License-Identifier: MIT */
/*
 * The emulated PL011 (core/vuart_pl011.c) on the fake architecture: a
 * partition "os" whose console is an emulated PL011, and a service partition
 * at the other end of its console channel, played by this file through
 * fake_pair.c's rings.
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
#include "fake_pair.h"
#include "partition.h"
#include "vuart_pl011.h"
#include "hw/pl011.h"

#define UART_IPA 0x09100000u
#define UART_IRQ 7u          /* the fake architecture raises 0..31 */

static int setup(void **state)
{
	(void)state;
	return pair_boot_console(CFG_CONSOLE_PL011, UART_IPA, UART_IRQ);
}

static uint32_t rd(uint32_t offset)
{
	return pair_rd(offset, 4u);
}

static void wr(uint32_t offset, uint32_t value)
{
	pair_wr(offset, 4u, value);
}

static void puts_uart(const char *s)
{
	for (; *s != '\0'; s++) {
		uint64_t v = (uint8_t)*s;
		assert_true(pair_access(PL011_DR, true, 1, &v));   /* earlycon writes bytes */
	}
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
	wr(PL011_FBRD, 0xffu);
	assert_int_equal(rd(PL011_FBRD), 0x3fu);   /* six bits */
	wr(PL011_CR, 0xffffu);
	assert_int_equal(rd(PL011_CR), 0xff87u);   /* the TRM's bits, reserved ones zero */
	wr(PL011_DMACR, 0xffu);
	assert_int_equal(rd(PL011_DMACR), 0x7u);
	wr(PL011_IFLS, 0xffu);
	assert_int_equal(rd(PL011_IFLS), 0x3fu);
	assert_int_equal(rd(0x800u), 0u);
	/* No 64-bit registers: such an access is the partition's fault. */
	uint64_t v = 0;
	assert_false(pair_access(PL011_DR, true, 8, &v));
	/* Nothing arrived from the service partition's garbage. */
	char buf[RECORD + 1];
	assert_int_equal(pair_take(buf), -1);
}

/* An access inside a register (not at its first byte) is not one the PL011 defines: a read
 * gives zero whatever the register holds, a write changes nothing, a byte for the data
 * register sends nothing. */
/* Verifies: REQ-CON-101 */
static void test_an_access_inside_a_register_reads_zero_and_writes_nothing(void **state)
{
	char buf[RECORD + 1];

	(void)state;
	wr(PL011_IBRD, 0x1234u);
	for (uint32_t at = 1u; at < 4u; at++) {
		assert_int_equal(pair_rd(PL011_IBRD + at, 1u), 0u);
		assert_int_equal(pair_rd(0xfe0u + at, 1u), 0u);       /* an identification register */
		pair_wr(PL011_IBRD + at, 1u, 0xffu);
		pair_wr(PL011_DR + at, 1u, 'x');
	}
	assert_int_equal(pair_rd(PL011_IBRD + 2u, 2u), 0u);
	pair_wr(PL011_IBRD + 2u, 2u, 0xffffu);
	assert_int_equal(rd(PL011_IBRD), 0x1234u);
	assert_int_equal(rd(PL011_FR) & PL011_FR_TXFE, PL011_FR_TXFE);   /* nothing waits to go */
	puts_uart("\n");
	assert_int_equal(pair_take(buf), 1);
	assert_string_equal(buf, "\n");
}

/* Verifies: REQ-CON-102 */
static void test_a_line_goes_out_as_one_record_and_rings(void **state)
{
	char buf[RECORD + 1];

	(void)state;
	puts_uart("hello, ");
	assert_int_equal(pair_take(buf), -1);
	assert_int_equal(rd(PL011_FR) & PL011_FR_TXFE, 0u);   /* something waits in the FIFO */
	puts_uart("world\n");
	assert_int_equal(pair_take(buf), 13);
	assert_string_equal(buf, "hello, world\n");
	assert_true(pair_service_rang());
	assert_int_equal(rd(PL011_FR) & PL011_FR_TXFE, PL011_FR_TXFE);
	/* Longer than a record: full records, the rest waits for its newline. */
	char line[301];
	memset(line, 'x', 300);
	line[300] = '\0';
	puts_uart(line);
	assert_int_equal(pair_take(buf), RECORD);
	assert_int_equal(pair_take(buf), RECORD);
	assert_int_equal(pair_take(buf), -1);
	puts_uart("\n");
	assert_int_equal(pair_take(buf), 61);
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
	assert_int_equal(pair_take(buf), -1);
	puts_uart("gin: ");
	assert_int_equal(rd(PL011_FR) & PL011_FR_TXFE, 0u);
	assert_int_equal(rd(PL011_FR) & PL011_FR_TXFE, 0u);
	/* A third read in a row: it waits (for input, say); the line goes, and that read already
	 * finds the FIFO empty. */
	assert_int_equal(rd(PL011_FR) & PL011_FR_TXFE, PL011_FR_TXFE);
	assert_int_equal(pair_take(buf), 7);
	assert_string_equal(buf, "login: ");
	/* Linux's interrupt-driven path masks the transmit interrupt when it has sent all. */
	puts_uart("# ");
	wr(PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
	assert_int_equal(pair_take(buf), 2);
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
	unsigned before = pair_raised();
	puts_uart("z");                             /* written regardless: lost, counted */
	assert_int_equal(pair_raised(), before);
	/* The service partition drains one and rings: the held record goes, TX rises, and the loss is
	 * reported then, not at the partition's next access, which may never come. */
	assert_int_equal(pair_take(buf), 7);
	assert_null(strstr(fake.console, "its UART dropped"));
	assert_int_equal(pair_ring_console(), CORE_OK);
	assert_non_null(strstr(fake.console, "'os': its UART dropped 1 bytes"));
	assert_int_equal(pair_raised(), before + 1);
	assert_true((cpu_get(0)->arch.injected & (1u << UART_IRQ)) != 0u);
	assert_int_equal(rd(PL011_FR) & PL011_FR_TXFF, 0u);
	assert_int_equal(rd(PL011_MIS), PL011_INT_TX);
	/* Cleared, it stays clear at the next ring: the FIFO did not drain below its level again. */
	wr(PL011_ICR, PL011_INT_TX);
	assert_int_equal(pair_ring_console(), CORE_OK);
	assert_int_equal(rd(PL011_MIS), 0u);
	assert_int_equal(pair_raised(), before + 1);
	for (uint32_t i = 1; i < SLOTS; i++) {
		assert_int_equal(pair_take(buf), 7);
	}
	assert_int_equal(pair_take(buf), RECORD);
	assert_int_equal(pair_take(buf), -1);           /* the 'z' is gone... */
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
	unsigned before = pair_raised();
	assert_int_equal(rt_ring_send(&pair_in, "xy", 2), RT_RING_OK);
	assert_int_equal(pair_ring_console(), CORE_OK);
	assert_int_equal(pair_raised(), before + 1);
	assert_int_equal(rd(PL011_MIS), PL011_INT_RX | PL011_INT_RT);
	assert_int_equal(rd(PL011_FR) & PL011_FR_RXFE, 0u);
	assert_int_equal(rd(PL011_DR), 'x');
	assert_int_equal(rd(PL011_DR), 'y');
	assert_int_equal(rd(PL011_FR) & PL011_FR_RXFE, PL011_FR_RXFE);
	assert_int_equal(rd(PL011_MIS), 0u);
	/* Two records: read back to back; one edge, the line stays up in between. */
	assert_int_equal(rt_ring_send(&pair_in, "1", 1), RT_RING_OK);
	assert_int_equal(rt_ring_send(&pair_in, "2", 1), RT_RING_OK);
	assert_int_equal(pair_ring_console(), CORE_OK);
	assert_int_equal(pair_ring_console(), CORE_OK);
	assert_int_equal(pair_raised(), before + 2);
	assert_int_equal(rd(PL011_DR), '1');
	assert_int_equal(rd(PL011_DR), '2');
	assert_int_equal(rd(PL011_DR), 0u);               /* empty: reads zero */
	assert_int_equal(rd(PL011_MIS), 0u);
}

/* Verifies: REQ-CON-104 */
static void test_transmit_interrupt_is_an_edge_per_rise(void **state)
{
	(void)state;
	unsigned before = pair_raised();
	puts_uart("a");
	wr(PL011_IMSC, PL011_INT_TX);                          /* room: the line rises at once */
	assert_int_equal(pair_raised(), before + 1);
	puts_uart("b");                             /* still up: no second edge */
	assert_int_equal(pair_raised(), before + 1);
	wr(PL011_ICR, PL011_INT_TX);
	assert_int_equal(rd(PL011_MIS), 0u);
	puts_uart("c");                             /* set again by the write: a new edge */
	assert_int_equal(pair_raised(), before + 2);
}

/* Verifies: REQ-CON-105 */
static void test_hostile_indices_reach_nobody(void **state)
{
	char buf[RECORD + 1];

	(void)state;
	/* The service partition claims more input than a ring can hold: nothing is read. */
	uint32_t *head = (uint32_t *)(pair_channel_mem + (BH_CONSOLE_CHANNEL_SIZE / 2u) + BH_CHANNEL_PAGE);
	*head = 0x7fffffffu;
	assert_int_equal(rd(PL011_FR) & PL011_FR_RXFE, PL011_FR_RXFE);
	assert_int_equal(rd(PL011_DR), 0u);
	/* Its consumer index is impossible: the record is lost, the ring starts afresh. */
	uint32_t *tail = (uint32_t *)pair_channel_mem;
	*tail = 0x12345678u;
	puts_uart("lost\n");
	puts_uart("kept\n");
	assert_int_equal(rt_ring_attach_consumer(&pair_out, &(struct rt_ring_area){ 0 }), RT_RING_INVALID);
	struct rt_ring_area o = pair_direction(0u);
	assert_int_equal(rt_ring_attach_consumer(&pair_out, &o), RT_RING_OK);
	assert_int_equal(pair_take(buf), 5);
	assert_string_equal(buf, "kept\n");
}

/* Verifies: REQ-CON-106 */
static void test_waits_are_announced_as_the_runtime_does(void **state)
{
	(void)state;
	/* Word 1 of the input ring's consumer block, word 2 of the output ring's producer block. */
	volatile uint32_t *rx_waiting = (uint32_t *)(pair_channel_mem + (BH_CONSOLE_CHANNEL_SIZE / 2u)) + 1;
	volatile uint32_t *tx_waiting = (uint32_t *)(pair_channel_mem + BH_CHANNEL_PAGE) + 2;
	uint32_t rx0 = *rx_waiting, tx0 = *tx_waiting;

	/* Input: found empty, announced once however often the guest polls. */
	(void)rd(PL011_FR);
	assert_int_equal(*rx_waiting, rx0 + 1);
	(void)rd(PL011_FR);
	(void)rd(PL011_DR);
	assert_int_equal(*rx_waiting, rx0 + 1);
	/* A record taken: the next empty ring is announced again. */
	assert_int_equal(rt_ring_send(&pair_in, "k", 1), RT_RING_OK);
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
	assert_int_equal(pair_take(buf), 5);
	assert_int_equal(pair_ring_console(), CORE_OK);   /* "more" goes */
	puts_uart("again\n");
	assert_int_equal(*tx_waiting, tx0 + 2);
}

/* Verifies: REQ-CON-101 */
static void test_restart_resets_the_registers(void **state)
{
	char buf[RECORD + 1];

	(void)state;
	/* The first life leaves every register a driver can write changed from its reset value. */
	wr(PL011_IMSC, PL011_INT_TX);
	wr(PL011_IBRD, 0x1au);
	wr(PL011_FBRD, 0x15u);
	wr(PL011_LCRH, 0x70u);
	wr(PL011_CR, 0x301u);
	wr(PL011_IFLS, 0x09u);
	wr(PL011_DMACR, 0x7u);
	puts_uart("half a li");
	partition_load(partition_get(OS));   /* the restart path, as core runs it */
	assert_int_equal(rd(PL011_IMSC), 0u);
	assert_int_equal(rd(PL011_RIS), 0u);
	assert_int_equal(rd(PL011_IBRD), 0u);
	assert_int_equal(rd(PL011_FBRD), 0u);
	assert_int_equal(rd(PL011_LCRH), 0u);
	assert_int_equal(rd(PL011_CR), 0x300u);
	assert_int_equal(rd(PL011_IFLS), 0x12u);
	assert_int_equal(rd(PL011_DMACR), 0u);
	assert_int_equal(rd(PL011_FR), PL011_FR_TXFE | PL011_FR_RXFE);
	puts_uart("new life\n");
	assert_int_equal(pair_take(buf), 9);
	assert_string_equal(buf, "new life\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_values_and_identification, setup),
		cmocka_unit_test_setup(test_an_access_inside_a_register_reads_zero_and_writes_nothing, setup),
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
