/* SPDX-License-Identifier: MIT */
/*
 * A small system for core/ tests on the fake architecture:
 *   alpha: core 0, 1 vCPU, fault policy stop, RAM + a read-only region + a device
 *   beta:  cores 1 and 2, 2 vCPUs, fault policy restart, RAM with a device tree
 *   core 3 belongs to no partition.
 * Beta's restarts are announced to alpha's vCPU 0 with BETA_RESTART_VIRQ.
 * Channels: 0 alpha <-> beta, 1 hypervisor <-> beta, 2 hypervisor -> beta, 3 alpha <-> beta.
 * Alpha is under service control; with FAKE_SERVICE_PARTITION defined, beta
 * is the service partition, with the hypervisor's log channel (otherwise the
 * system has none).
 * Guest RAM is host memory, so copies and hypercall buffers are real.
 */
#ifndef FAKE_SYSTEM_H
#define FAKE_SYSTEM_H

#include <stdbool.h>
#include "fake_arch.h"
#include "cfg.h"

#include <stdint.h>

#define ALPHA_RAM_IPA 0x40000000u
#define ALPHA_RO_IPA 0x50000000u
#define ALPHA_DEV_IPA 0x09000000u
#define BETA_RAM_IPA 0x80000000u
#define BETA_DTB_IPA (BETA_RAM_IPA + 0x8000u)
#define RAM_SIZE 0x10000u
#define BETA_RESTART_VIRQ 9u
#define ALPHA_DOORBELL 5u
#define BETA_DOORBELL 6u
#define BETA_UNRAISABLE_DOORBELL 40u   /* arch_virq_valid of the fake architecture: below 32 */
/* Built with FAKE_SERVICE_PARTITION: beta is the service partition and the
 * hypervisor's log channel (2, fake_log_channel) rings this interrupt in its vCPU 0. */
#define LOG_DOORBELL_VIRQ 7u
extern uint8_t fake_log_channel[];

extern uint8_t alpha_ram[RAM_SIZE];
extern uint8_t alpha_ro[4096];
extern uint8_t beta_ram[RAM_SIZE];
/* The partitions' descriptions (alpha, beta), which a test may vary before it boots the board. */
extern struct cfg_partition fake_partitions[];
extern const uint8_t alpha_image[16];
extern const uint8_t beta_image[24];
extern const uint8_t beta_dtb[8];

/** Boots the fake system on core 0 (partitions and cores initialised, alpha entered). */
void fake_system_boot(void);

/** If set, fake_system_boot() calls it after the board's reset, before core boots: a test's
 * board or tables differ from the default (an entropy source that fails, another tree). */
extern void (*fake_board_hook)(void);

struct cpu;

/** Runs `cpu` as the firmware would start it; FAKE_VCPU_ENTER when it entered its guest. */
enum fake_exit fake_start(struct cpu *cpu);

/** `cpu` takes its kick: it handles what was posted to it, in its trap path. */
enum fake_exit fake_take_kick(struct cpu *cpu);

/** Starts beta on both of its vCPUs (cores 1 and 2); false if either did not enter. */
bool fake_beta_running(void);

#endif
