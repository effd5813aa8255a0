/* SPDX-License-Identifier: MIT */
/*
 * The service partition's UART: one interface (svc_uart_*), a driver per
 * kind of board UART behind it (arm64: arm64/pl011.c, arm64/cadence_uart.c,
 * arm64/imx_uart.c; x86: x86/ns16550.c), chosen at start-up from the UART its device tree
 * shows (board.h). The receive ring is shared (uart.c):
 * a driver's receive interrupt puts bytes in, the main loop takes them out.
 */
#ifndef SVC_UART_H
#define SVC_UART_H

#include <stdbool.h>
#include <stdint.h>

/** One UART driver. */
struct svc_uart_driver {
	const char *compatible;                         /* the device tree compatible it drives */
	int (*init)(uint64_t base, uint32_t irq);       /* takes the UART, IRQs unmasked: 0, or -1 */
	uint32_t (*send)(const char *buf, uint32_t len);
	void (*poll)(void);                             /* NULL, or the receive work done outside an interrupt */
};

/* The drivers (each defined in its architecture's folder, which board.c chooses from). */
extern const struct svc_uart_driver svc_pl011;          /* arm64/pl011.c */
extern const struct svc_uart_driver svc_cadence_uart;   /* arm64/cadence_uart.c */
extern const struct svc_uart_driver svc_imx_uart;       /* arm64/imx_uart.c */
extern const struct svc_uart_driver svc_ns16550_ports;  /* x86/ns16550.c */

/** Takes the UART at `uart_base` with receive interrupt `irq` with `drv` (IRQs unmasked). 0, or -1. */
int svc_uart_init(const struct svc_uart_driver *drv, uint64_t uart_base, uint32_t irq);
/** Writes as many of the `len` bytes as the transmit FIFO takes now; returns how many. */
uint32_t svc_uart_write(const char *buf, uint32_t len);
/** Takes up to `cap` received bytes; returns how many. */
uint32_t svc_uart_read(uint8_t *buf, uint32_t cap);
/** Received bytes wait to be read. */
bool svc_uart_rx_pending(void);
/** Bytes received while the receive ring was full (lost). */
uint32_t svc_uart_overruns(void);

/** For the drivers' receive interrupt handlers: one received byte into the ring. */
void svc_uart_rx_put(uint8_t c);
/** For the drivers' receive interrupt handlers: the bytes put so far become readable. */
void svc_uart_rx_publish(void);

#endif
