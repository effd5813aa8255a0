# SPDX-License-Identifier: MIT
# The i.MX UART drivers against a register model of the UART
# (tests/unit/uart_model/mmio.h and tests/unit/imx_uart/bhrt_mmio.h route their accesses to it):
# the hypervisor's console driver and the service partition's driver.
UNIT_TESTS += imx_uart_console imx_uart_service
UT_imx_uart_console_SRCS := tests/unit/test_imx_uart.c arch/arm64/imx_uart.c
UT_imx_uart_console_CFLAGS := -Itests/unit/uart_model -Iarch/arm64/include -DIMX_HYP
UT_imx_uart_service_SRCS := tests/unit/test_imx_uart.c partitions/service/arm64/imx_uart.c
UT_imx_uart_service_CFLAGS := -Itests/unit/imx_uart -Ipartitions/service -Ipartitions/runtime/arm64/include -DIMX_SVC
