# SPDX-License-Identifier: MIT
# The NS16550 console driver against a register model of the UART
# (tests/unit/uart_model/mmio.h replaces arch/arm64/include/mmio.h), once per
# register layout: reg-shift 0 and 2 with byte accesses, 2 with 32-bit ones.
NS16550_UT_SRCS := tests/unit/test_ns16550.c arch/arm64/ns16550.c
NS16550_UT_CFLAGS := -Itests/unit/uart_model -Iarch/arm64/include

UNIT_TESTS += ns16550_s0_w1 ns16550_s2_w1 ns16550_s2_w4
UT_ns16550_s0_w1_SRCS := $(NS16550_UT_SRCS)
UT_ns16550_s0_w1_CFLAGS := $(NS16550_UT_CFLAGS) -DSHIFT=0 -DWIDTH=1
UT_ns16550_s2_w1_SRCS := $(NS16550_UT_SRCS)
UT_ns16550_s2_w1_CFLAGS := $(NS16550_UT_CFLAGS) -DSHIFT=2 -DWIDTH=1
UT_ns16550_s2_w4_SRCS := $(NS16550_UT_SRCS)
UT_ns16550_s2_w4_CFLAGS := $(NS16550_UT_CFLAGS) -DSHIFT=2 -DWIDTH=4
