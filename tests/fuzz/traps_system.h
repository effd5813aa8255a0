/* SPDX-License-Identifier: MIT */
/*
 * The system the arm64 trap fuzz target runs on (the fake architecture of
 * tests/unit/fake_arch.c, a GICv3 at QEMU virt's addresses):
 *   alpha: core 0, 1 vCPU, SPIs 40 and 41
 *   beta:  cores 1 and 2, 2 vCPUs, SPI 50
 *   gamma: core 3, 1 vCPU, direct delivery, SPI 60
 * with channel doorbells that make SPI 72 alpha's and SPIs 70 and 64 beta's
 * virtual SPIs (64 is bit 0 of its word, where an off-by-one in a word's bit
 * arithmetic shows), and what the fake GIC driver checks every physical write against
 * (device SPIs only: a physical write for a virtual SPI is a violation).
 */
#ifndef TESTS_FUZZ_TRAPS_SYSTEM_H
#define TESTS_FUZZ_TRAPS_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>

#define TRAPS_GICD 0x08000000u
#define TRAPS_GICR 0x080a0000u
#define TRAPS_GICV 0x08040000u   /* GICv2 builds: the guest's CPU interface */
#define TRAPS_RAM_SIZE 0x10000u
#define TRAPS_PARTITIONS 3u
#define TRAPS_CORES 4u
#define TRAPS_ALPHA_DOORBELL 72u
#define TRAPS_BETA_DOORBELL 70u
#define TRAPS_BETA_DOORBELL_BIT0 64u

struct cpu;

/** Boots the fake system and resets every virtual GIC to its start state. */
void traps_system_boot(void);

/** Host address and guest address of partition @part's RAM. */
uint8_t *traps_ram(uint32_t part);
uint64_t traps_ram_ipa(uint32_t part);

/** What the code under test may touch while handling a trap of @cpu's vCPU. */
bool traps_owns_spi(const struct cpu *cpu, uint32_t intid);
bool traps_owns_core(const struct cpu *cpu, uint32_t core);
/** Whether @cpu's trap may interrupt @core: its own, or a channel peer's (a doorbell). */
bool traps_may_kick(const struct cpu *cpu, uint32_t core);
bool traps_owns_local(const struct cpu *cpu, uint32_t intid);

/** Reports a broken isolation promise and aborts (the fuzzer's crash). */
_Noreturn void traps_violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* fake_gic.c: the physical GIC the driver functions act on. */

/** Its GICD_TYPER: 1024 lines (ITLinesNumber 31), 10 ID bits, and fields a
 *  partition must not see: direct virtual LPIs (bit 18), LPIs (bit 17),
 *  security extensions (bit 10), 4 CPUs. */
#define FAKE_GICD_TYPER ((9u << 19) | (1u << 18) | (1u << 17) | (1u << 10) | (3u << 5) | 31u)
/** Its GICD_IIDR: Arm's, as QEMU's GICv3 reports it. */
#define FAKE_GICD_IIDR 0x0300043bu
/** Its GICD_PIDR2 (GICv3 0xffe8, GICv2 0xfe8): ArchRev as the version has it. */
#if BH_GIC_VERSION == 3
#define FAKE_GICD_PIDR2_OFFSET 0xffe8u
#define FAKE_GICD_PIDR2 0x3bu
#else
#define FAKE_GICD_PIDR2_OFFSET 0x0fe8u
#define FAKE_GICD_PIDR2 0x2bu
#endif

#if BH_GIC_VERSION == 2
/** The GICv2 virtual interface control (GICH) and CPU interface (GICC) frames. */
extern uint32_t fake_gich[], fake_gicc[];
/** The CPU interface targets each SPI was last given. */
extern uint8_t fake_gic_targets[];
#endif

/** The SGIs the driver sent to each core since the last reset (bit n: SGI n). */
extern uint32_t fake_gic_sgis_sent[];

/** The core each SPI was last routed to (gic_spi_route). */
extern uint8_t fake_gic_routes[];

/** What the next group 0 acknowledge returns (reset: the hypervisor's kick, GIC_IPI_SGI), and
 * the group 0 ends of interrupt since the reset: how many, and the last INTID ended. */
extern uint32_t fake_gic_fiq_ack, fake_gic_fiq_eois, fake_gic_fiq_eoi_last;

/** Resets the fake GIC's state (the list registers too). */
void fake_gic_reset(void);

/** ICH_ELRSR_EL2 as the hardware computes it from the list registers. */
void fake_gic_sync_elrsr(void);

#endif
