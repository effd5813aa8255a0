/* SPDX-License-Identifier: MIT */
/*
 * The i.MX UART drivers against a register-level model of the UART (FIFOs,
 * status flags, control registers): built once with the hypervisor's console
 * driver (arch/arm64/imx_uart.c, -DIMX_HYP) and once with the service
 * partition's driver (partitions/service/arm64/imx_uart.c, -DIMX_SVC; the partition
 * runtime's GIC calls are this file's). Every access is checked: a 32-bit
 * access at a register of the UART's map. The transmit FIFO drains one
 * character every few polls of UTS, as a real UART shifts them out, or never
 * (a broken UART).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "hw/imx_uart.h"

#define BASE 0x30890000ull           /* the EVK's console, UART2 */
#define TX_FIFO 32u
#define RX_FIFO 32u
#define DRAIN_POLLS 3u               /* UTS reads per character shifted out */

static struct {
	uint32_t ucr[4];                 /* UCR1..UCR4 */
	uint32_t ufcr;
	uint32_t usr1_w1c;               /* last value written to USR1 */
	uint32_t usr2_w1c;
	unsigned tx_count;               /* characters in the transmit FIFO */
	unsigned polls;                  /* UTS reads since the last character left */
	bool stuck;
	char sent[256];
	unsigned n_sent;
	unsigned overruns;               /* UTXD written with the FIFO full */
	unsigned uts_reads;
	uint32_t rx[256];
	unsigned rx_head, rx_tail;
	unsigned empty_rx_reads;
	unsigned writes_other;           /* writes to anything but UTXD */
	unsigned seq;                    /* a counter ordering the events below */
	unsigned seq_rrdyen, seq_agtim_clear, seq_first_rx;
} uart;

static bool valid_reg(uint64_t off)
{
	static const uint64_t regs[] = { IMX_UART_URXD, IMX_UART_UTXD, IMX_UART_UCR1, IMX_UART_UCR2,
		IMX_UART_UCR3, IMX_UART_UCR4, IMX_UART_UFCR, IMX_UART_USR1, IMX_UART_USR2, IMX_UART_UTS };

	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (off == regs[i])
			return true;
	return false;
}

static uint64_t decode(uint64_t addr, unsigned width)
{
	assert_true(addr >= BASE);
	assert_int_equal(width, 4);
	assert_true(valid_reg(addr - BASE));
	return addr - BASE;
}

uint32_t model_read(uint64_t addr, unsigned width)
{
	uint64_t off = decode(addr, width);

	switch (off) {
	case IMX_UART_UTS:
		uart.uts_reads++;
		if (!uart.stuck && uart.tx_count > 0 && ++uart.polls >= DRAIN_POLLS) {
			uart.tx_count--;
			uart.polls = 0;
		}
		return (uart.tx_count >= TX_FIFO ? IMX_UART_UTS_TXFULL : 0u) |
		       (uart.rx_head == uart.rx_tail ? IMX_UART_UTS_RXEMPTY : 0u);
	case IMX_UART_USR2:
		return (uart.rx_head != uart.rx_tail ? IMX_UART_USR2_RDR : 0u) |
		       (uart.tx_count == 0 ? IMX_UART_USR2_TXFE | IMX_UART_USR2_TXDC : 0u);
	case IMX_UART_URXD:
		if (uart.rx_head == uart.rx_tail) {
			uart.empty_rx_reads++;
			return 0;
		}
		if (uart.seq_first_rx == 0)
			uart.seq_first_rx = ++uart.seq;
		return uart.rx[uart.rx_tail++] | IMX_UART_URXD_CHARRDY;
	case IMX_UART_UCR1: case IMX_UART_UCR2: case IMX_UART_UCR3: case IMX_UART_UCR4:
		return uart.ucr[(off - IMX_UART_UCR1) / 4];
	case IMX_UART_UFCR:
		return uart.ufcr;
	default:
		return 0;   /* USR1: no event the drivers look at */
	}
}

void model_write(uint64_t addr, unsigned width, uint32_t value)
{
	uint64_t off = decode(addr, width);

	if (off == IMX_UART_UTXD) {
		assert_true(value <= 0xff);
		if (uart.tx_count >= TX_FIFO) {
			uart.overruns++;
			return;
		}
		assert_true(uart.n_sent < sizeof(uart.sent));
		uart.sent[uart.n_sent++] = (char)value;
		uart.tx_count++;
		return;
	}
	uart.writes_other++;
	switch (off) {
	case IMX_UART_UCR1:
		if ((value & IMX_UART_UCR1_RRDYEN) && !(uart.ucr[0] & IMX_UART_UCR1_RRDYEN))
			uart.seq_rrdyen = ++uart.seq;
		/* fall through */
	case IMX_UART_UCR2: case IMX_UART_UCR3: case IMX_UART_UCR4:
		uart.ucr[(off - IMX_UART_UCR1) / 4] = value;
		break;
	case IMX_UART_UFCR:
		uart.ufcr = value;
		break;
	case IMX_UART_USR1:
		uart.usr1_w1c = value;
		if (value & IMX_UART_USR1_AGTIM)
			uart.seq_agtim_clear = ++uart.seq;
		break;
	case IMX_UART_USR2:
		uart.usr2_w1c = value;
		break;
	default:
		fail_msg("write to read-only register 0x%llx", (unsigned long long)off);
	}
}

/* The state U-Boot leaves on the EVK: enabled, 115200 8N1, its own interrupt choices. */
static int reset(void **state)
{
	(void)state;
	memset(&uart, 0, sizeof(uart));
	uart.ucr[0] = IMX_UART_UCR1_UARTEN | IMX_UART_UCR1_TRDYEN;
	uart.ucr[1] = IMX_UART_UCR2_SRST | IMX_UART_UCR2_RXEN | IMX_UART_UCR2_TXEN | 0x4020u; /* IRTS, WS */
	uart.ucr[2] = 0x0700u;   /* DSR, DCD, RI */
	uart.ucr[3] = IMX_UART_UCR4_DREN | 0x8000u; /* CTSTL */
	uart.ufcr = (2u << 10) | (4u << 7) | 16u;   /* TXTL 2, RFDIV 4, RXTL 16 */
	return 0;
}

#ifdef IMX_HYP
#include "arch.h"
#include "cfg.h"

const struct cfg_system cfg_system = {
	.console = { .base = BASE, .size = 0x10000 },
};

/* Verifies: REQ-BRD-009 */
static void test_characters_reach_utxd_in_order_without_overrun(void **state)
{
	char line[100];

	(void)state;
	for (size_t i = 0; i < sizeof(line); i++)
		line[i] = (char)('a' + i % 26);
	for (size_t i = 0; i < sizeof(line); i++)
		arch_console_putc(line[i]);
	assert_int_equal(uart.n_sent, sizeof(line));
	assert_memory_equal(uart.sent, line, sizeof(line));
	assert_int_equal(uart.overruns, 0);
	/* More than a FIFO's worth: the driver waited for room, polling UTS, not a fixed delay. */
	assert_true(uart.uts_reads > sizeof(line));
}

/* Verifies: REQ-BRD-009 */
static void test_the_firmwares_setup_is_not_touched(void **state)
{
	(void)state;
	arch_console_putc('x');
	assert_int_equal(uart.writes_other, 0);
	assert_int_equal(uart.ufcr, (2u << 10) | (4u << 7) | 16u);
}

/* Verifies: REQ-BRD-009 */
static void test_a_broken_uart_costs_a_bounded_wait(void **state)
{
	(void)state;
	uart.stuck = true;
	uart.tx_count = TX_FIFO;
	arch_console_putc('x');
	arch_console_putc('y');
	assert_int_equal(uart.n_sent, 0);
	assert_int_equal(uart.overruns, 0);
	assert_int_equal(uart.uts_reads, 2u * 1000000u);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup(test_characters_reach_utxd_in_order_without_overrun, reset),
	cmocka_unit_test_setup(test_the_firmwares_setup_is_not_touched, reset),
	cmocka_unit_test_setup(test_a_broken_uart_costs_a_bounded_wait, reset),
};
#endif /* IMX_HYP */

#ifdef IMX_SVC
#include "bhrt_gic.h"
#include "uart.h"

#define IRQ 59u                      /* UART2: SPI 27 */

static struct {
	int gic_init_rc, set_handler_rc;
	bool gic_up;
	rt_irq_handler_t handler;
	uint32_t handler_irq;
	bool edge, enabled, routed, unmasked;
	unsigned seq_handler, seq_enable, seq_unmask;
	uint8_t got[256];
	unsigned n_got, n_put, publishes;
} rt;

int rt_gic_init(void) { rt.gic_up = rt.gic_init_rc == 0; return rt.gic_init_rc; }
int rt_gic_version(void) { return rt.gic_up ? 3 : 0; }
uint64_t rt_mpidr(void) { return 0x80000000u; }
void rt_gic_set_edge(uint32_t intid, bool edge) { assert_int_equal(intid, IRQ); rt.edge = edge; }
void rt_gic_set_priority(uint32_t intid, uint8_t prio) { assert_int_equal(intid, IRQ); (void)prio; }
int rt_gic_route(uint32_t intid, uint64_t mpidr) { assert_int_equal(intid, IRQ); rt.routed = mpidr == rt_mpidr(); return 0; }
void rt_gic_enable(uint32_t intid) { assert_int_equal(intid, IRQ); rt.enabled = true; rt.seq_enable = ++uart.seq; }
void rt_irq_unmask(void) { rt.unmasked = true; rt.seq_unmask = ++uart.seq; }

int rt_irq_set_handler(uint32_t intid, rt_irq_handler_t handler, void *arg)
{
	(void)arg;
	if (rt.set_handler_rc == 0) {
		rt.handler = handler;
		rt.handler_irq = intid;
		rt.seq_handler = ++uart.seq;
	}
	return rt.set_handler_rc;
}

void svc_uart_rx_put(uint8_t c)
{
	rt.n_put++;
	if (rt.n_got < sizeof(rt.got))
		rt.got[rt.n_got++] = c;
}

void svc_uart_rx_publish(void)
{
	rt.publishes++;
}

static void rx_queue(const char *s, uint32_t flags)
{
	for (; *s; s++)
		uart.rx[uart.rx_head++] = (uint8_t)*s | flags;
}

static int reset_all(void **state)
{
	memset(&rt, 0, sizeof(rt));
	return reset(state);
}

/* Verifies: REQ-BRD-010 */
static void test_init_takes_the_uart_as_the_firmware_left_it(void **state)
{
	(void)state;
	assert_string_equal(svc_imx_uart.compatible, "fsl,imx6q-uart");
	assert_int_equal(svc_imx_uart.init(BASE, IRQ), 0);
	/* The receiver triggers at one byte; the firmware's TXTL and clock divider stay. */
	assert_int_equal(uart.ufcr, (2u << 10) | (4u << 7) | 1u);
	/* Never reset (SRST is active low), both directions and the aging timer on, the rest kept. */
	assert_int_equal(uart.ucr[1], IMX_UART_UCR2_SRST | IMX_UART_UCR2_RXEN | IMX_UART_UCR2_TXEN |
			 IMX_UART_UCR2_ATEN | 0x4020u);
	assert_int_equal(uart.ucr[2], 0x0700u | IMX_UART_UCR3_RXDMUXSEL);
	/* Only the receiver-ready interrupt: the firmware's TRDYEN and DREN are off. */
	assert_int_equal(uart.ucr[0], IMX_UART_UCR1_UARTEN | IMX_UART_UCR1_RRDYEN);
	assert_int_equal(uart.ucr[3], 0x8000u);
	assert_ptr_not_equal(rt.handler, NULL);
	assert_int_equal(rt.handler_irq, IRQ);
	assert_false(rt.edge);
	assert_true(rt.enabled && rt.routed && rt.unmasked);
	/* The UART may interrupt only once its handler is in place, and IRQs are unmasked last. */
	assert_true(rt.seq_handler < uart.seq_rrdyen);
	assert_true(rt.seq_enable < uart.seq_rrdyen);
	assert_true(uart.seq_rrdyen < rt.seq_unmask);
	assert_int_equal(uart.n_sent, 0);
}

/* Verifies: REQ-BRD-010 */
static void test_init_fails_without_the_gic_or_the_handler(void **state)
{
	(void)state;
	rt.gic_init_rc = -1;
	assert_int_equal(svc_imx_uart.init(BASE, IRQ), -1);
	assert_int_equal(uart.writes_other, 0);

	reset_all(state);
	rt.set_handler_rc = -1;
	assert_int_equal(svc_imx_uart.init(BASE, IRQ), -1);
	assert_false(uart.ucr[0] & IMX_UART_UCR1_RRDYEN);
	assert_false(rt.unmasked);
}

/* Verifies: REQ-BRD-010 */
static void test_write_takes_what_the_fifo_has_room_for(void **state)
{
	(void)state;
	assert_int_equal(svc_imx_uart.init(BASE, IRQ), 0);
	uart.stuck = true;
	uart.tx_count = TX_FIFO - 3;
	assert_int_equal(svc_imx_uart.send("0123456789", 10), 3);
	assert_int_equal(uart.n_sent, 3);
	assert_memory_equal(uart.sent, "012", 3);
	assert_int_equal(uart.overruns, 0);
	assert_int_equal(svc_imx_uart.send("3456789", 7), 0);
}

/* Verifies: REQ-BRD-010 */
static void test_the_receive_interrupt_drains_the_fifo(void **state)
{
	(void)state;
	assert_int_equal(svc_imx_uart.init(BASE, IRQ), 0);
	uart.seq_agtim_clear = 0;
	rx_queue("hi", 0);
	rx_queue("#", IMX_UART_URXD_ERR);   /* a framing error: noise, not input */
	rx_queue("!", 0);
	rt.handler(IRQ, NULL);
	assert_int_equal(rt.n_got, 3);
	assert_memory_equal(rt.got, "hi!", 3);
	assert_int_equal(rt.publishes, 1);
	assert_int_equal(uart.empty_rx_reads, 0);
	/* The aging timer's event is cleared before the drain, not after it. */
	assert_true(uart.seq_agtim_clear != 0 && uart.seq_agtim_clear < uart.seq_first_rx);
	assert_true(uart.usr2_w1c & IMX_UART_USR2_ORE);
}

/* Verifies: REQ-BRD-010 */
static void test_one_interrupt_reads_a_bounded_number_of_bytes(void **state)
{
	char many[101];

	(void)state;
	assert_int_equal(svc_imx_uart.init(BASE, IRQ), 0);
	memset(many, 'z', 100);
	many[100] = '\0';
	rx_queue(many, 0);
	rt.handler(IRQ, NULL);
	assert_int_equal(rt.n_put, 64);
	rt.handler(IRQ, NULL);
	assert_int_equal(rt.n_put, 100);
	assert_int_equal(rt.publishes, 2);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup(test_init_takes_the_uart_as_the_firmware_left_it, reset_all),
	cmocka_unit_test_setup(test_init_fails_without_the_gic_or_the_handler, reset_all),
	cmocka_unit_test_setup(test_write_takes_what_the_fifo_has_room_for, reset_all),
	cmocka_unit_test_setup(test_the_receive_interrupt_drains_the_fifo, reset_all),
	cmocka_unit_test_setup(test_one_interrupt_reads_a_bounded_number_of_bytes, reset_all),
};
#endif /* IMX_SVC */

/* One main for both programs: gcovr (5.2) cannot merge a function found at two lines of a file. */
int main(void)
{
	return cmocka_run_group_tests(tests, NULL, NULL);
}
