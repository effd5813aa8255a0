/* SPDX-License-Identifier: MIT */
/*
 * Bulkhead partition runtime: what a bare-metal partition program links
 * against besides newlib. main() runs on vCPU 0 with newlib ready; other
 * vCPUs start with rt_cpu_on(). stdio is for vCPU 0; any vCPU may use
 * rt_printf(), which prints one whole line per call.
 */
#ifndef BHRT_H
#define BHRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What only the architecture has (arm64: SMCCC calls): partitions/runtime/<arch>/include/. */
#include "bhrt_arch.h"

struct rt_info {
	uint32_t partition;   /* partition id */
	uint32_t vcpu;        /* this vCPU's index */
	uint32_t n_vcpus;     /* vCPUs of the partition */
	uint32_t restarts;    /* times the partition was restarted */
};

/** Asks the hypervisor who we are (BH_HC_PARTITION_INFO). */
struct rt_info rt_partition_info(void);

/** Prints a formatted message through the debug console hypercall; safe on any vCPU. */
int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * True when no Bulkhead hypervisor answers (the program was loaded by QEMU
 * directly at EL1): the console then goes straight to the PL011 at
 * 0x09000000 and rt_partition_info() is derived from MPIDR and PSCI.
 */
bool rt_native(void);
/** Writes to the debug console (hypercall, or the PL011 natively): bytes consumed, or < 0. */
long rt_console_write(const char *buf, size_t len);
/** rt_partition_info() without a hypervisor: partition 0, vCPU = MPIDR Aff0, the cores PSCI knows. */
struct rt_info rt_native_info(void);

/** Starts vCPU `vcpu` running fn(arg) on its own stack. Returns the PSCI status. */
int rt_cpu_on(uint32_t vcpu, void (*fn)(uint64_t), uint64_t arg);
/** Powers the calling vCPU off. */
_Noreturn void rt_cpu_off(void);
/** PSCI AFFINITY_INFO of vCPU `vcpu`. */
int rt_affinity_info(uint32_t vcpu);
/** Stops the partition (PSCI SYSTEM_OFF). */
_Noreturn void rt_system_off(void);
/** Restarts the partition (PSCI SYSTEM_RESET). */
_Noreturn void rt_system_reset(void);

/** The guest-physical address of the device tree the hypervisor passed, or 0. */
uint64_t rt_dtb(void);

/** Size of the device tree passed in x0 (0: none or not a device tree). */
uint32_t rt_fdt_size(void);
/**
 * A property of the root ("") or of a node directly under the root. Returns
 * its value and length, or NULL.
 */
const void *rt_fdt_property(const char *node, const char *name, uint32_t *len);
/**
 * The next node directly under the root, after the one at structure offset
 * `after` (0: from the start), whose `compatible` list contains
 * `compatible`: its offset (a handle for rt_fdt_node_*), or 0 when none.
 */
uint32_t rt_fdt_next_compatible(uint32_t after, const char *compatible);
/** A property of the node at `node` (not of its children): its value and length, or NULL. */
const void *rt_fdt_node_property(uint32_t node, const char *name, uint32_t *len);
/** A NUL-terminated string property. False when absent or not terminated. */
bool rt_fdt_node_string(uint32_t node, const char *name, const char **value);
/** A one-cell property. False when absent or not 4 bytes. */
bool rt_fdt_node_u32(uint32_t node, const char *name, uint32_t *value);
/** `reg` of a node under the root (2 address and 2 size cells). False when absent or another size. */
bool rt_fdt_node_reg(uint32_t node, uint64_t *base, uint64_t *size);
/** Property `name` of `node` as 64-bit values (pairs of cells) into out[0 .. max): how many, 0 when absent or malformed. */
uint32_t rt_fdt_node_u64s(uint32_t node, const char *name, uint64_t *out, uint32_t max);
/** The same for the node at path `node` (as rt_fdt_property). */
uint32_t rt_fdt_u64s(const char *node, const char *name, uint64_t *out, uint32_t max);
/** The number after "key=" in /chosen/bootargs, or `fallback`. */
uint64_t rt_bootarg(const char *key, uint64_t fallback);

/**
 * Maps [base, base + size) Normal write-back in the partition's stage-1 map
 * (it starts as device memory outside the program's RAM): memory shared
 * with other partitions. Page granular; only before other vCPUs run.
 * Returns 0, or -1 when the range is not page aligned, reaches past the map
 * (4 GiB) or needs more page tables than the runtime has.
 */
int rt_mmu_map_normal(uint64_t base, uint64_t size);
/**
 * The memory attributes the stage-1 map gives `addr`, as the MAIR encoding
 * the translation reports (0xff: Normal write-back, 0x00: Device-nGnRnE),
 * or -1 when it does not translate.
 */
int rt_mmu_attributes(uint64_t addr);

/** Where the RAM region the partition was linked for starts (its memory node's address). */
uint64_t rt_ram_base(void);
/**
 * Maps every channel and shared-memory node of the device tree Normal
 * write-back (rt_mmu_map_normal). The runtime calls it before main(); the
 * number of nodes it could not map (each reported on the console).
 */
uint32_t rt_map_shared_nodes(void);

/** Starts rt_random()'s sequence from `seed`. */
void rt_random_seed(uint64_t seed);
/** The next value of a repeatable 64-bit xorshift sequence (test input, not secrets). */
uint64_t rt_random(void);

/** Virtual counter and its frequency. */
uint64_t rt_counter(void);
uint64_t rt_counter_hz(void);
/** Busy-waits for `us` microseconds of virtual counter time. */
void rt_delay_us(uint64_t us);

/** This partition's RAM (the region the program was linked into). */
extern char __ram_start[], __ram_end[];
/** Memory no part of the program uses: free for the program to test or use. */
extern char __free_start[], __free_end[];

/**
 * Called for an exception taken by this partition (arm64: synchronous, IRQ,
 * FIQ, SError). Return true to resume after the faulting instruction; false
 * prints the exception and stops the partition. x86 (runtime/x86/exception.c):
 * exception vectors 0-31, esr the vector << 32 | the error code, elr the
 * saved RIP, far CR2 of a page fault; true resumes where
 * rt_exception_resume() (bhrt_x86.h) said, else at the saved RIP; false
 * prints it and crashes the partition (a triple fault).
 */
typedef bool (*rt_exception_hook_t)(uint64_t esr, uint64_t elr, uint64_t far);
void rt_set_exception_hook(rt_exception_hook_t hook);

#endif /* BHRT_H */
