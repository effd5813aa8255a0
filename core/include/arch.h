/*
 * The arch/core boundary: every service core/ needs from an architecture.
 *
 * core/ includes no arch header; each architecture implements these hooks
 * (arch/<arch>/) and calls back into core only through the functions in
 * core/include/core.h. The hooks are few on purpose: anything not listed
 * here stays private to the architecture. docs/arch-hooks.md explains each.
 */
#ifndef BULKHEAD_ARCH_H
#define BULKHEAD_ARCH_H

#include "types.h"

struct cpu;

/* --- Cores ------------------------------------------------------------ */

/** The calling core's per-core state. */
struct cpu *arch_this_cpu(void);

/**
 * Powers a physical core on; it starts in the hypervisor and calls
 * core_cpu_started(). Returns a PSCI status (0, ALREADY_ON, ON_PENDING...).
 */
int arch_cpu_power_on(uint32_t core);

/** Powers the calling core off. Never returns; parks the core if the firmware refuses. */
NORETURN void arch_cpu_power_off(void);

/** PSCI_AFFINITY_ON, _OFF or _ON_PENDING for a physical core, as the firmware sees it. */
int arch_cpu_power_state(uint32_t core);

/** Interrupts the hypervisor on another core so that it reads its requests. */
void arch_cpu_kick(uint32_t core);

/** Spin-wait hint: lets a sibling hardware thread or an emulator's other vCPUs run. */
void arch_cpu_relax(void);

/** The system counter: a count that every core reads alike and that never goes back. */
uint64_t arch_counter(void);

/** Ticks of arch_counter() per second. */
uint64_t arch_counter_hz(void);

/** Powers the whole board off (or parks every core where that is impossible). */
NORETURN void arch_system_off(void);

/* --- Guest memory ----------------------------------------------------- */

/** Prepares an empty guest-physical address space for partition `part`. */
int arch_s2_init(uint32_t part);

/**
 * Maps [ipa, ipa + size) to [pa, pa + size) in partition `part` with the
 * given CFG_ACCESS_* rights; `device` selects device memory attributes.
 * Returns 0 or a negative error when the table pool is exhausted.
 */
int arch_s2_map(uint32_t part, ipaddr_t ipa, paddr_t pa, uint64_t size, uint8_t access, bool device);

/** Makes freshly written partition memory visible to a guest running with caches off. */
void arch_clean_to_poc(paddr_t pa, uint64_t size);

/* --- vCPUs ------------------------------------------------------------ */

/**
 * Partition `part` is about to start from its entry point (at boot or on a
 * restart): resets the architectural state the hypervisor keeps for it, such
 * as its virtual interrupt controller and virtual counter. Called on the core
 * of its vCPU 0 while no other vCPU of the partition runs.
 */
void arch_partition_reset(uint32_t part);

/**
 * Starts the calling core's vCPU at `entry` with first argument `arg`, from
 * the architectural reset state. Discards the hypervisor stack. Never returns:
 * the next hypervisor code on this core runs on a trap.
 */
NORETURN void arch_vcpu_enter(struct cpu *cpu, uint64_t entry, uint64_t arg);

/* --- Console ---------------------------------------------------------- */

/** Writes one byte to the hypervisor's console device (polled). */
void arch_console_putc(char c);

#endif /* BULKHEAD_ARCH_H */
