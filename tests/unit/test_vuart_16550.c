/* SPDX-License-Identifier: MIT */
/*
 * The emulated 16550 (core/vuart_16550.c) on the fake architecture: a
 * partition "os" whose console is an emulated 16550 at ports 0x3f8-0x3ff, and a service partition
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
#include "vuart_16550.h"
#include "hw/ns16550.h"

#define UART_PORT 0x3f8u
#define UART_IRQ 4u          /* the ISA pin; the fake architecture raises it as interrupt 4 */

static int setup(void **state)
{
	(void)state;
	return pair_boot_console(CFG_CONSOLE_NS16550, UART_PORT, UART_IRQ);
}

static uint32_t rd(uint32_t offset)
{
	return pair_rd(offset, 1u);
}

static void wr(uint32_t offset, uint32_t value)
{
	pair_wr(offset, 1u, value);
}

static void puts_uart(const char *s)
{
	for (; *s != '\0'; s++) {
		wr(UART16550_THR, (uint8_t)*s);
	}
}

/* Verifies: REQ-CON-107 */
static void test_reset_values_scratch_and_divisor(void **state)
{
	(void)state;
	assert_null(emul_find(&partition_get(OS)->emul[EMUL_MMIO], UART_PORT));
	assert_null(emul_find(&partition_get(OS)->emul[EMUL_PIO], UART_PORT + 8u));
	assert_int_equal(rd(UART16550_IER), 0u);
	assert_int_equal(rd(UART16550_IIR), UART16550_IIR_NO_INT);   /* FIFOs off until FCR enables them */
	assert_int_equal(rd(UART16550_LCR), 0u);
	assert_int_equal(rd(UART16550_MCR), 0u);
	assert_int_equal(rd(UART16550_LSR), UART16550_LSR_THRE | UART16550_LSR_TEMT);
	assert_int_equal(rd(UART16550_MSR), UART16550_MSR_DCD | UART16550_MSR_DSR | UART16550_MSR_CTS);
	/* The scratch register keeps a byte (the 8250 probe). */
	wr(UART16550_SCR, 0x5a);
	assert_int_equal(rd(UART16550_SCR), 0x5au);
	wr(UART16550_SCR, 0xa5);
	assert_int_equal(rd(UART16550_SCR), 0xa5u);
	/* Linux's autoconfig: IER keeps its four bits and nothing above. */
	wr(UART16550_IER, 0xff);
	assert_int_equal(rd(UART16550_IER), 0x0fu);
	wr(UART16550_IER, 0);
	/* The divisor behind DLAB, 9600 baud at reset; with DLAB clear, offsets 0 and 1 are RBR and IER again. */
	wr(UART16550_LCR, UART16550_LCR_DLAB | 0x03u);
	assert_int_equal(rd(UART16550_DLL), 0x0cu);
	assert_int_equal(rd(UART16550_DLM), 0u);
	wr(UART16550_DLL, 0x01);
	wr(UART16550_DLM, 0x05);
	assert_int_equal(rd(UART16550_DLL), 0x01u);
	assert_int_equal(rd(UART16550_DLM), 0x05u);
	wr(UART16550_LCR, 0x03);
	assert_int_equal(rd(UART16550_IER), 0u);      /* the divisor's high byte went to DLM, not IER */
	assert_int_equal(rd(UART16550_LCR), 0x03u);
	/* The FIFOs: IIR's top bits say a 16550A once FCR enables them. */
	wr(UART16550_FCR, UART16550_FCR_ENABLE | UART16550_FCR_CLEAR_RCVR | UART16550_FCR_CLEAR_XMIT);
	assert_int_equal(rd(UART16550_IIR), UART16550_IIR_FIFOS | UART16550_IIR_NO_INT);
	/* Loopback wires the modem outputs to the inputs (the 8250 test); off again, a cable is there. */
	wr(UART16550_MCR, UART16550_MCR_LOOP | UART16550_MCR_OUT2 | UART16550_MCR_RTS);
	assert_int_equal(rd(UART16550_MSR), UART16550_MSR_DCD | UART16550_MSR_CTS);
	wr(UART16550_MCR, 0);
	assert_int_equal(rd(UART16550_MSR), UART16550_MSR_DCD | UART16550_MSR_DSR | UART16550_MSR_CTS);
	/* LSR and MSR writes are ignored. */
	wr(UART16550_LSR, 0);
	assert_int_equal(rd(UART16550_LSR), UART16550_LSR_THRE | UART16550_LSR_TEMT);
	char buf[RECORD + 1];
	assert_int_equal(pair_take(buf), -1);
}

/* Verifies: REQ-CON-109 */
static void test_wider_accesses_are_refused(void **state)
{
	uint64_t v = 0x4142u;

	(void)state;
	/* outw/outl/inw/inl: not the 16550's; the architecture refuses and counts them. */
	assert_false(pair_access(UART16550_THR, true, 2, &v));
	assert_false(pair_access(UART16550_SCR - 3u, true, 4, &v));
	assert_false(pair_access(UART16550_RBR, false, 2, &v));
	assert_int_equal(v, 0x4142u);   /* untouched: the caller makes it all ones */
	char buf[RECORD + 1];
	(void)rd(UART16550_LSR);
	(void)rd(UART16550_LSR);
	assert_int_equal(pair_take(buf), -1);   /* nothing was sent */
	assert_int_equal(rd(UART16550_SCR), 0u);
	/* Another partition's vCPU never reaches it (its table does not hold the ports, nor would the check). */
	const struct emul_region *r = emul_find(&partition_get(OS)->emul[EMUL_PIO], UART_PORT);
	assert_false(r->handler(cpu_get(1), r->context, 0, true, 1, &v));
}

/* Verifies: REQ-CON-107 */
static void test_lines_go_out_and_lsr_shows_the_rest(void **state)
{
	char buf[RECORD + 1];

	(void)state;
	puts_uart("hello, ");
	assert_int_equal(pair_take(buf), -1);
	/* earlycon: LSR, byte, LSR, byte: the record waits for its line's end... */
	assert_int_equal(rd(UART16550_LSR), UART16550_LSR_THRE);   /* bytes wait: not TEMT */
	puts_uart("world\n");
	assert_int_equal(pair_take(buf), 13);
	assert_string_equal(buf, "hello, world\n");
	assert_true(pair_service_rang());
	/* ...or for a second LSR read in a row (a driver waiting for TEMT or for input). */
	puts_uart("login: ");
	assert_int_equal(rd(UART16550_LSR), UART16550_LSR_THRE);
	assert_int_equal(pair_take(buf), -1);
	assert_int_equal(rd(UART16550_LSR), UART16550_LSR_THRE | UART16550_LSR_TEMT);
	assert_int_equal(pair_take(buf), 7);
	/* Reprogramming flushes too. */
	puts_uart("# ");
	wr(UART16550_IER, UART16550_IER_RDI);
	assert_int_equal(pair_take(buf), 2);
	/* Longer than a record: full records, the rest waits for its newline. */
	char line[301];
	memset(line, 'x', 300);
	line[300] = '\0';
	puts_uart(line);
	assert_int_equal(pair_take(buf), RECORD);
	assert_int_equal(pair_take(buf), RECORD);
	puts_uart("\n");
	assert_int_equal(pair_take(buf), 61);
}

/* Verifies: REQ-CON-107 */
static void test_full_ring_clears_thre_and_counts_losses(void **state)
{
	char buf[RECORD + 1];

	(void)state;
	for (uint32_t i = 0; i < SLOTS; i++) {
		puts_uart("a line\n");
	}
	char line[RECORD + 1];
	memset(line, 'y', RECORD);
	line[RECORD] = '\0';
	puts_uart(line);                       /* held: the ring is full */
	assert_int_equal(rd(UART16550_LSR) & (UART16550_LSR_THRE | UART16550_LSR_TEMT), 0u);
	wr(UART16550_MCR, UART16550_MCR_OUT2);
	wr(UART16550_IER, UART16550_IER_THRI);   /* not empty: no transmitter interrupt yet */
	unsigned before = pair_raised();
	assert_int_equal(rd(UART16550_IIR), UART16550_IIR_NO_INT);
	puts_uart("z");                        /* written regardless: lost, counted */
	assert_int_equal(pair_raised(), before);
	/* The service partition drains one and rings: the held record goes, THRE and its interrupt rise. */
	assert_int_equal(pair_take(buf), 7);
	assert_int_equal(pair_ring_console(), CORE_OK);
	assert_int_equal(pair_raised(), before + 1);
	assert_true((cpu_get(0)->arch.injected & (1u << UART_IRQ)) != 0u);
	assert_int_equal(rd(UART16550_LSR) & UART16550_LSR_THRE, UART16550_LSR_THRE);
	assert_int_equal(rd(UART16550_IIR), UART16550_IIR_THRI);
	assert_int_equal(rd(UART16550_IIR), UART16550_IIR_NO_INT);   /* reading IIR acknowledged it */
	/* The next ring finds nothing newly drained: no second transmitter interrupt. */
	assert_int_equal(pair_ring_console(), CORE_OK);
	assert_int_equal(pair_raised(), before + 1);
	assert_int_equal(rd(UART16550_IIR), UART16550_IIR_NO_INT);
	for (uint32_t i = 1; i < SLOTS; i++) {
		assert_int_equal(pair_take(buf), 7);
	}
	assert_int_equal(pair_take(buf), RECORD);
	assert_int_equal(pair_take(buf), -1);
	assert_non_null(strstr(fake.console, "'os': its UART dropped 1 bytes"));
}

/* Verifies: REQ-CON-108 */
static void test_input_interrupts_on_the_line_gated_by_out2(void **state)
{
	(void)state;
	wr(UART16550_IER, UART16550_IER_RDI);
	unsigned before = pair_raised();
	assert_int_equal(rt_ring_send(&pair_in, "xy", 2), RT_RING_OK);
	assert_int_equal(pair_ring_console(), CORE_OK);
	assert_int_equal(pair_raised(), before);            /* OUT2 clear: the line does not reach the pin */
	assert_int_equal(rd(UART16550_IIR), UART16550_IIR_RDI);
	wr(UART16550_MCR, UART16550_MCR_OUT2);         /* now it does: an edge */
	assert_int_equal(pair_raised(), before + 1);
	assert_int_equal(rd(UART16550_LSR) & UART16550_LSR_DR, UART16550_LSR_DR);
	assert_int_equal(rd(UART16550_RBR), 'x');
	assert_int_equal(rd(UART16550_RBR), 'y');
	assert_int_equal(rd(UART16550_LSR) & UART16550_LSR_DR, 0u);
	assert_int_equal(rd(UART16550_IIR), UART16550_IIR_NO_INT);
	assert_int_equal(rd(UART16550_RBR), 0u);       /* empty: reads zero */
	/* Next input: a new edge. */
	assert_int_equal(rt_ring_send(&pair_in, "1", 1), RT_RING_OK);
	assert_int_equal(pair_ring_console(), CORE_OK);
	assert_int_equal(pair_raised(), before + 2);
	/* FCR's receiver clear drops what was not read. */
	wr(UART16550_FCR, UART16550_FCR_ENABLE | UART16550_FCR_CLEAR_RCVR);
	assert_int_equal(rd(UART16550_LSR) & UART16550_LSR_DR, 0u);
	/* The partition masked its pin: the edge is lost, as on the wire. */
	fake_line_masked = true;
	assert_int_equal(rt_ring_send(&pair_in, "2", 1), RT_RING_OK);
	assert_int_equal(pair_ring_console(), CORE_OK);
	assert_int_equal(pair_raised(), before + 2);
	assert_int_equal(rd(UART16550_RBR), '2');
}

/* Verifies: REQ-CON-108 */
static void test_transmitter_interrupt_as_the_8250_raises_it(void **state)
{
	(void)state;
	wr(UART16550_MCR, UART16550_MCR_OUT2);
	unsigned before = pair_raised();
	/* Enabling THRI with the holding register empty raises it (Linux's start_tx relies on it). */
	wr(UART16550_IER, UART16550_IER_THRI);
	assert_int_equal(pair_raised(), before + 1);
	assert_int_equal(rd(UART16550_IIR), UART16550_IIR_THRI);
	assert_int_equal(rd(UART16550_IIR), UART16550_IIR_NO_INT);
	/* Each byte written empties at once: pending again, a new edge. */
	puts_uart("a");
	assert_int_equal(pair_raised(), before + 2);
	puts_uart("b");                             /* still up: no second edge */
	assert_int_equal(pair_raised(), before + 2);
	/* Linux's THRE test: IER off and on again raises it again. */
	assert_int_equal(rd(UART16550_IIR), UART16550_IIR_THRI);
	wr(UART16550_IER, 0);
	wr(UART16550_IER, UART16550_IER_THRI);
	assert_int_equal(rd(UART16550_IIR), UART16550_IIR_THRI);
	assert_int_equal(pair_raised(), before + 3);
	/* Received data outranks the transmitter. */
	wr(UART16550_IER, UART16550_IER_THRI | UART16550_IER_RDI);
	assert_int_equal(rt_ring_send(&pair_in, "k", 1), RT_RING_OK);
	assert_int_equal(pair_ring_console(), CORE_OK);
	assert_int_equal(rd(UART16550_IIR), UART16550_IIR_RDI);
	assert_int_equal(rd(UART16550_RBR), 'k');
}

/* Verifies: REQ-CON-107 */
static void test_restart_resets_the_registers(void **state)
{
	char buf[RECORD + 1];

	(void)state;
	wr(UART16550_IER, UART16550_IER_THRI);
	wr(UART16550_SCR, 0x77);
	puts_uart("half a li");
	partition_load(partition_get(OS));   /* the restart path, as core runs it */
	assert_int_equal(rd(UART16550_IER), 0u);
	assert_int_equal(rd(UART16550_SCR), 0u);
	assert_int_equal(rd(UART16550_IIR), UART16550_IIR_NO_INT);
	assert_int_equal(rd(UART16550_LSR), UART16550_LSR_THRE | UART16550_LSR_TEMT);
	puts_uart("new life\n");
	assert_int_equal(pair_take(buf), 9);
	assert_string_equal(buf, "new life\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_values_scratch_and_divisor, setup),
		cmocka_unit_test_setup(test_wider_accesses_are_refused, setup),
		cmocka_unit_test_setup(test_lines_go_out_and_lsr_shows_the_rest, setup),
		cmocka_unit_test_setup(test_full_ring_clears_thre_and_counts_losses, setup),
		cmocka_unit_test_setup(test_input_interrupts_on_the_line_gated_by_out2, setup),
		cmocka_unit_test_setup(test_transmitter_interrupt_as_the_8250_raises_it, setup),
		cmocka_unit_test_setup(test_restart_resets_the_registers, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
