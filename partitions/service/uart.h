/* SPDX-License-Identifier: MIT */
/*
 * The service partition's driver of the board's PL011 (pl011.c).
 */
#ifndef SVC_PL011_H
#define SVC_PL011_H

#include <stdbool.h>
#include <stdint.h>

/** Takes the UART at `uart_base` with receive interrupt `irq` (IRQs unmasked). 0, or -1. */
int svc_uart_init(uint64_t uart_base, uint32_t irq);
/** Writes as many of the `len` bytes as the transmit FIFO takes now; returns how many. */
uint32_t svc_uart_write(const char *buf, uint32_t len);
/** Takes up to `cap` received bytes; returns how many. */
uint32_t svc_uart_read(uint8_t *buf, uint32_t cap);
/** Received bytes wait to be read. */
bool svc_uart_rx_pending(void);
/** Bytes received while the receive ring was full (lost). */
uint32_t svc_uart_overruns(void);

#endif
