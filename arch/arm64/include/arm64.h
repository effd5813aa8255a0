/* SPDX-License-Identifier: MIT */
/*
 * Private interfaces of the ARM64 port.
 */
#ifndef ARM64_ARM64_H
#define ARM64_ARM64_H

#include <generated/autoconf.h>
#include "arch.h"
#include "asm_defs.h"
#include "vmsa.h"
#include "types.h"

/**
 * Guest registers saved by the exception vectors (layout fixed by vectors.S),
 * indexed by register number. x19-x29 are in it only when the exception is
 * a trapped system-register access (EC_SYSREG) or data abort (EC_DABT_LOW)
 * whose syndrome names one of them as Rt/SRT: the handlers that address a
 * register by number use exactly that one. Every other handler finds x19-x29
 * in their registers, preserved by the C calling convention, and must not
 * use f->x[19..29]. ELR_EL2 and SPSR_EL2 stay in their registers: the hypervisor never takes
 * an exception itself, so handlers read and change them in place.
 */
struct guest_frame {
	uint64_t x[31];
	uint64_t pad;
};

_Static_assert(sizeof(struct guest_frame) == (size_t)GUEST_FRAME_SIZE, "vectors.S frame layout");

struct cpu;
struct partition;

/* boot.S / vectors.S */
extern char arm64_vectors[];
void arm64_secondary_entry(void);
NORETURN void arm64_enter_vcpu(const uint8_t *stack_top, uint64_t entry, uint64_t arg);

/* Defined in C, used by boot.S too. */
/** Each cpu's stack (vcpu.c); the guest frame lives at its top while a vCPU runs. */
extern uint8_t cpu_stacks[BH_NUM_CORES][CONFIG_CPU_STACK_SIZE];
/** The root of the hypervisor's own EL2 stage-1 tables (mmu.c). */
extern pte_t el2_root[PT_ENTRIES];
#ifdef BH_EL2_POOL_PAGES
/** The EL2 map's next-level tables (mmu.c), filled on the host by tools/el2map. */
extern pte_t el2_pool[BH_EL2_POOL_PAGES][PT_ENTRIES];
#endif

/* C entry points called from assembly */
void arm64_early_init(void);
NORETURN void arm64_boot_main(void);
NORETURN void arm64_secondary_main(uint64_t index);
void arm64_guest_sync(struct guest_frame *f, uint64_t esr);
void arm64_guest_hvc(struct guest_frame *f, uint64_t esr);
void arm64_guest_sysreg(struct guest_frame *f, uint64_t esr);
void arm64_guest_dabt(struct guest_frame *f, uint64_t esr);
void arm64_guest_irq(struct guest_frame *f);
void arm64_guest_fiq(struct guest_frame *f);
void arm64_guest_serror(struct guest_frame *f);
NORETURN void arm64_hyp_fault(uint64_t kind);

/** Steps the guest over the trapped instruction (16-bit T32 when ESR.IL is clear). */
/* Implements: infrastructure */
static inline void arm64_guest_skip(uint64_t esr)
{
	uint64_t elr;

	__asm__ volatile("mrs %0, elr_el2" : "=r"(elr));
	elr += ((esr & (1UL << 25)) != 0u) ? 4u : 2u;
	__asm__ volatile("msr elr_el2, %0" : : "r"(elr));
}

/** The calling cpu's struct cpu, which TPIDR_EL2 holds from the cpu's start. */
/* Implements: infrastructure */
static inline struct cpu *arm64_this_cpu(void)
{
	struct cpu *c;

	__asm__ volatile("mrs %0, tpidr_el2" : "=r"(c));
	return c;
}

/** Makes `cpu` the calling cpu's struct cpu, once as the cpu starts. */
/* Implements: infrastructure */
static inline void arm64_set_this_cpu(struct cpu *cpu)
{
	__asm__ volatile("msr tpidr_el2, %0" : : "r"(cpu) : "memory");
}

/* el2.c */
uint64_t arm64_cpu_mpidr(uint32_t cpu);

/* copy_clean.S: blocks * 256 bytes copied, each 64-byte line cleaned to PoC (arch_load_blob). */
void arm64_copy_clean256(uint64_t dst, uint64_t src, uint64_t blocks);

/* stage2.c */
uint64_t arm64_vttbr(const struct partition *p);
/* stage2_build.c, at build time only (tools/el2map/s2map.c): maps region `r` under `root`. */
struct pt_pool;
struct cfg_region;
int arm64_s2_map_region(struct pt_pool *pool, uint64_t *root, const struct cfg_region *r);
uint64_t arm64_vtcr(void);

/* trap handling */
void arm64_trap_hvc(struct cpu *cpu, struct guest_frame *f, uint64_t esr);
void arm64_trap_smc(struct cpu *cpu, struct guest_frame *f, uint64_t esr);
void arm64_sysreg_trap(struct cpu *cpu, struct guest_frame *f, uint64_t esr);
void arm64_inject_undef(struct guest_frame *f);
/** Completes a data abort on an emulated device; false: not one, a fault. */
bool arm64_mmio_emulate(struct cpu *cpu, struct guest_frame *f, uint64_t esr, uint64_t ipa);

/* firmware.c: PSCI calls to the platform firmware (SMC conduit) */
int64_t arm64_firmware_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* smccc.c */
/** SMCCC_VERSION's function id (smccc.c answers it; PSCI_FEATURES announces it, psci.c). */
#define SMCCC_VERSION 0x80000000u
/** Refuses the SMCCC call in `f` with `status`: an incident of the partition, counted and logged. */
void arm64_refuse_call(const struct cpu *cpu, struct guest_frame *f, const char *conduit, int64_t status);

/* psci.c: PSCI for guests, and PSCI's numbers for core's power model (both ways) */
/** Emulates the guest's PSCI call in `f`. */
void arm64_psci(struct cpu *cpu, struct guest_frame *f);
/** The PSCI return code of a core status (CORE_ERR_BUSY: DENIED). */
int64_t psci_from_status(enum core_status status);
/** The core status of a PSCI return code; an unknown code is CORE_ERR_HW. */
enum core_status psci_to_status(int64_t psci);
/** The cpu power state of an AFFINITY_INFO result (an error counts as on). */
enum cpu_power psci_to_power(int64_t affinity);

/* cache.c */
void arm64_clean_inval_range(uint64_t va, uint64_t size);
void arm64_inval_range(uint64_t va, uint64_t size);

#endif /* ARM64_ARM64_H */
