/* SPDX-License-Identifier: MIT */
/*
 * The arch/core boundary: every service core/ needs from an architecture.
 *
 * core/ includes no arch header but arch_types.h (the architecture's part
 * of struct cpu and struct partition) and, through cfg.h, cfg_arch.h (its
 * part of the configuration), and calls an architecture only
 * through these hooks; each architecture implements them (arch/<arch>/) and
 * calls core's entry points (core.h) and services. The hooks are few on
 * purpose: anything not listed here stays private to the architecture.
 * docs/arch-hooks.md states what an architecture must provide; `make
 * cert-layering` fails on any other dependency of core/ on arch/.
 */
#ifndef BULKHEAD_ARCH_H
#define BULKHEAD_ARCH_H

#include "status.h"
#include "types.h"

struct cpu;
struct partition;

/* --- Physical cpus ---------------------------------------------------- */

/** A physical cpu's power, as the hardware or firmware reports it to any cpu. */
enum cpu_power {
	CPU_POWER_OFF = 0,          /* stopped (arch_cpu_stop() done) or never started */
	CPU_POWER_ON = 1,           /* running, in its guest or in the hypervisor */
	CPU_POWER_ON_PENDING = 2,   /* arch_cpu_start() accepted, the cpu not yet running */
};

/**
 * Starts physical cpu `cpu`, which is off: it begins in the hypervisor, on an
 * empty stack, in core_cpu_started(). Returns CORE_OK once the start is
 * accepted (the cpu then reads CPU_POWER_ON_PENDING until it runs),
 * CORE_ERR_ALREADY_ON, CORE_ERR_ON_PENDING, or CORE_ERR_HW when the
 * hardware refuses. ARM64: firmware PSCI CPU_ON. An architecture without
 * firmware power control wakes the cpu that arch_cpu_stop() halted (x86: an
 * INIT/SIPI or IPI).
 */
enum core_status arch_cpu_start(uint32_t cpu);

/**
 * Stops the calling cpu. Never returns: only arch_cpu_start() brings the cpu
 * back, through core_cpu_started(). From the moment it is stopped,
 * arch_cpu_power_state() reports CPU_POWER_OFF to every cpu, and nothing of
 * a guest runs on it. ARM64: GIC CPU interface off, firmware PSCI CPU_OFF
 * (parked with WFI, interrupts masked, if the firmware refuses). An
 * architecture without a firmware CPU_OFF halts the cpu in the hypervisor,
 * interrupts masked, until a start request (x86: a HLT loop woken by an IPI).
 */
NORETURN void arch_cpu_stop(void);

/** Physical cpu `cpu`'s power. When unsure, CPU_POWER_ON: a stop must never be believed early. */
enum cpu_power arch_cpu_power_state(uint32_t cpu);

/** Interrupts the hypervisor on physical cpu `cpu` so that it reads its requests (core_handle_requests()). */
void arch_cpu_kick(uint32_t cpu);

/** Spin-wait hint: lets a sibling hardware thread or an emulator's other vCPUs run. */
void arch_cpu_relax(void);

/** The system counter: a count that every cpu reads alike and that never goes back. */
uint64_t arch_counter(void);

/** Ticks of arch_counter() per second. */
uint64_t arch_counter_hz(void);

/** Powers the whole board off (or parks every cpu where that is impossible). A coverage
 *  build (CONFIG_COVERAGE) first dumps its counters (coverage_dump), at the last point. */
NORETURN void arch_system_off(void);

/* --- Guest memory ----------------------------------------------------- */

/**
 * Gives partition `p` its guest-physical address space: every region of
 * p->cfg mapped, IPA to PA, with its CFG_ACCESS_* rights (device regions as
 * device memory) and nothing else. Once per partition, at its first load; a
 * restart keeps it. Where the build computed the tables (ARM64: the image
 * holds them) this only installs them; otherwise they are built here, from a
 * pool bhcc sized for exactly these mappings. Returns 0, or a negative error
 * when no tables can be had (an inconsistent build: the caller powers off).
 */
int arch_s2_build(struct partition *p);

/**
 * Fences partition `p`: from its return, no vCPU of `p` completes another
 * access to guest memory (instruction fetch, load, store, table walk) on any
 * cpu; each traps to the hypervisor instead, where the partition's state
 * (not running) makes it stop (health_fault()). Called from any cpu, to stop
 * a vCPU that an interrupt cannot reach. Nothing else is changed: the
 * partition keeps its mappings for arch_s2_unfence().
 * ARM64: stage-2 root entries invalid, TLBI VMALLS12E1IS for its VMID.
 */
void arch_s2_fence(struct partition *p);

/** Gives fenced partition `p` its address space back; none of its vCPUs runs. */
void arch_s2_unfence(struct partition *p);

/**
 * Copies `size` bytes of a pristine blob from the image store at `src` into
 * partition memory at `dst` and makes them visible to a guest running with
 * caches off: memcpy and arch_clean_to_poc() in one. Only while a partition
 * loads, on its vCPU 0's core, whose guest state is being reset: the
 * architecture may use any of that core's registers (ARM64: FP/SIMD) and
 * leaves nothing of the blob in them.
 */
void arch_load_blob(paddr_t dst, paddr_t src, uint64_t size);

/** Makes freshly written partition memory visible to a guest running with caches off. */
void arch_clean_to_poc(paddr_t pa, uint64_t size);

/* --- Partitions and vCPUs ---------------------------------------------- */

/**
 * Sets up what the architecture keeps for partition `p` (struct
 * arch_partition) and registers the devices it emulates for it
 * (emul_register()). Once per partition, on the boot cpu, before any vCPU
 * runs; a failure here is an inconsistent build (panic).
 */
void arch_partition_init(struct partition *p);

/**
 * Partition `p` is about to start from its entry point (at boot or on a
 * restart): resets the architectural state the hypervisor keeps for it, such
 * as its virtual interrupt controller and virtual counter. Called on the cpu
 * of its vCPU 0 while no other vCPU of the partition runs.
 */
void arch_partition_reset(struct partition *p);

/**
 * Starts the calling cpu's vCPU at `entry` with first argument `arg`, from
 * the architectural reset state. Discards the hypervisor stack. Never returns:
 * the next hypervisor code on this cpu runs on a trap.
 */
NORETURN void arch_vcpu_enter(struct cpu *cpu, uint64_t entry, uint64_t arg);

/**
 * Whether `virq` is a virtual interrupt the architecture can raise in the
 * vCPUs of partition `p` (core_vcpu_inject()). ARM64: an SGI, 0-15 (not
 * 15 on direct delivery: the hypervisor's kick), or one of the partition's
 * virtual SPIs (a channel's doorbell or its emulated UART's interrupt,
 * mediated delivery only).
 */
bool arch_virq_valid(const struct partition *p, uint32_t virq);

/**
 * Raises valid virtual interrupt `virq` in the vCPU of the calling cpu
 * `cpu`, from its trap path, as an edge: if it is still pending from an
 * earlier raise the two merge; it is never lost. A virtual interrupt the
 * guest has disabled stays pending until it enables it. An interrupt the
 * partition routes itself (ARM64: a virtual SPI) goes to the vCPU it is
 * routed to.
 */
void arch_vcpu_inject(struct cpu *cpu, uint32_t virq);

/**
 * Raises valid virtual interrupt `virq` in vCPU `vcpu` of partition `p`
 * from any cpu, the vCPU's own included, without waiting for that cpu:
 * makes it pending where arch_vcpu_inject() would and interrupts the cpu
 * that must present it (for an interrupt the partition routes itself, the
 * cpu of the vCPU it is routed to), which presents it from its trap path
 * (never in place: callers such as the hypervisor's log must not reach the
 * injection code). The same edge semantics as arch_vcpu_inject(). Called
 * with `p->lock` held while `p` is running with that vCPU online: a restart
 * of `p` takes the lock to leave that state, and its arch_partition_reset()
 * (or the vCPU's arch_vcpu_enter()) clears what is pending, so a raise
 * never reaches a later life of the partition.
 */
void arch_vcpu_raise(struct partition *p, uint32_t vcpu, uint32_t virq);

/**
 * Where a rising edge of interrupt line `line` of an emulated device of
 * partition `p` (its description's id: ARM64 a virtual SPI, x86 an ISA pin
 * of the mediated I/O APIC) goes now: the vCPU and the virtual interrupt
 * to raise there (core_vcpu_inject()). False when the partition has masked
 * the line at its interrupt controller: the edge is then lost, as on a
 * wire (x86: the pin's redirection entry names the vector and the vCPU).
 */
bool arch_line_target(const struct partition *p, uint32_t line, uint32_t *vcpu, uint32_t *virq);

/**
 * One 64-bit word from the machine's hardware random number generator into
 * `*out` (ARM64: RNDR, FEAT_RNG; x86: RDSEED), retried a bounded number of
 * times; false when the machine has none or it kept failing. Used for the
 * per-boot seeds of partitions' device trees (core/seed.c).
 */
bool arch_entropy(uint64_t *out);

/* --- Console ---------------------------------------------------------- */

/** Writes one byte to the hypervisor's console device (polled). */
void arch_console_putc(char c);

#endif /* BULKHEAD_ARCH_H */
