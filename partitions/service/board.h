/* SPDX-License-Identifier: MIT */
/*
 * What the service partition needs of its architecture (arm64/board.c,
 * x86/board.c; the build takes the folder of the partition's architecture):
 * the board's UART and its driver, and a bounded sleep.
 */
#ifndef SVC_BOARD_H
#define SVC_BOARD_H

#include <stdbool.h>
#include <stdint.h>
#include "uart.h"

/**
 * The UART its device tree passes through (the first one a driver knows),
 * its base (an MMIO address or the first I/O port) and receive interrupt;
 * the board's default UART when the tree shows none.
 */
const struct svc_uart_driver *svc_board_uart(uint64_t *base, uint32_t *irq);

/** Sets up what svc_board_sleep() needs (arm64: the virtual timer's interrupt). */
void svc_board_init(void);

/**
 * Sleeps until an interrupt arrives or `us` microseconds pass, if `quiet`
 * (NULL: always) still says there is nothing to do once interrupts are
 * held off; the check and the sleep are one step, so that an interrupt
 * between them is not slept through.
 */
void svc_board_sleep(uint64_t us, bool (*quiet)(void));

#endif
