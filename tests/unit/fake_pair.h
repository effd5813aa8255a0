/* SPDX-License-Identifier: MIT */
/*
 * A system of two partitions on the fake architecture, for the tests of the
 * hypervisor's emulated devices whose other end is the service partition
 * (the emulated UARTs, the emulated disk): "os" on cpu 0 owns the device,
 * "service" on cpu 1 serves it over one channel, played by the test. One
 * fixture, so that every such test boots the same system the same way.
 */
#ifndef FAKE_PAIR_H
#define FAKE_PAIR_H

#include <stdbool.h>
#include <stdint.h>
#include "bhrt_ring.h"
#include "cfg.h"
#include "status.h"

#define OS 0u
#define SERVICE 1u
#define SERVICE_DOORBELL 9u

#define RECORD 120u          /* a console slot's payload */
#define SLOTS 16u            /* a console direction: (4096 - 64) / 128, as a power of two */

/* The channel's memory, sized for the largest kind (a disk channel). */
extern uint8_t pair_channel_mem[];

/*
 * Boots the system afresh (the channel's memory filled with junk the
 * hypervisor must not trust): os with `console` and `disk` (either may be
 * all zero), a channel of `kind` and `size` between the hypervisor's end
 * for os and the service partition, both cpus in their partitions; cpu 0
 * current. Returns 0 (a cmocka setup's value).
 */
int pair_boot(const struct cfg_partition_console *console, const struct cfg_partition_disk *disk,
	      uint8_t kind, uint64_t size);

/* An access of os's vCPU at `offset` into its device (the console UART, else the disk), as the trap path makes it. */
bool pair_access(uint32_t offset, bool write, uint32_t size, uint64_t *value);
/* A read of `size` bytes there, which must be emulated: the value. */
uint32_t pair_rd(uint32_t offset, uint32_t size);
/* A write of `size` bytes there, which must be emulated. */
void pair_wr(uint32_t offset, uint32_t size, uint32_t value);

/* Whether the service partition's doorbell rang since the last look. */
bool pair_service_rang(void);
/* Times os's device interrupt was raised: its cpu takes what was posted to it first. */
unsigned pair_raised(void);

/* A console channel's rings, the service partition's ends: it consumes what os writes, produces what os reads. */
extern struct rt_ring pair_out;
extern struct rt_ring pair_in;
/* A console channel's direction: 0, os to the service partition; 1, back. */
struct rt_ring_area pair_direction(uint32_t half);
/* pair_boot with os's console an emulated UART of `kind` at `ipa` with interrupt `irq`, both rings attached. */
int pair_boot_console(uint8_t kind, uint64_t ipa, uint16_t irq);
/* The next record os sent, or -1. */
int pair_take(char *buf);
/* The service partition rings the console channel (the doorbell hypercall). */
enum core_status pair_ring_console(void);

#endif /* FAKE_PAIR_H */
