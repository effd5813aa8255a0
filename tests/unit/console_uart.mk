# SPDX-License-Identifier: MIT
# The PL011 and Cadence console drivers (arch/arm64/pl011.c, cadence_uart.c) against a
# register model of their UART (tests/unit/uart_model/mmio.h routes their accesses to it).
UNIT_TESTS += pl011_console cadence_console
UT_pl011_console_SRCS := tests/unit/test_console_uart.c arch/arm64/pl011.c
UT_pl011_console_CFLAGS := -Itests/unit/uart_model -Iarch/arm64/include -DUART_PL011
UT_cadence_console_SRCS := tests/unit/test_console_uart.c arch/arm64/cadence_uart.c
UT_cadence_console_CFLAGS := -Itests/unit/uart_model -Iarch/arm64/include -DUART_CADENCE
