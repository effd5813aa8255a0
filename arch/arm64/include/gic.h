/* SPDX-License-Identifier: MIT */
/*
 * The physical interrupt controller, owned by the hypervisor (gicv3.c or
 * gicv2.c, chosen at link time from the system description), and its
 * virtualization interface: list registers and maintenance interrupt.
 */
#ifndef ARM64_GIC_H
#define ARM64_GIC_H

#include <stdbool.h>
#include <stdint.h>
#include "gic_fast.h"

struct cpu;

/* Distributor registers shared by GICv2 and GICv3 (offsets from GICD base). */
#define GICD_CTLR        0x0000u
#define GICD_TYPER       0x0004u
#define GICD_IIDR        0x0008u
#define GICD_IGROUPR     0x0080u
#define GICD_ISENABLER   0x0100u
#define GICD_ICENABLER   0x0180u
#define GICD_ISPENDR     0x0200u
#define GICD_ICPENDR     0x0280u
#define GICD_ISACTIVER   0x0300u
#define GICD_ICACTIVER   0x0380u
#define GICD_IPRIORITYR  0x0400u
#define GICD_ITARGETSR   0x0800u
#define GICD_ICFGR       0x0c00u
#define GICD_SGIR        0x0f00u
#define GICD_IROUTER     0x6000u
#define GICD_PIDR2       0xffe8u

/** Boot cpu: distributor reset, every SPI disabled and in group 1. */
void gic_init_global(void);
/** Each cpu as it starts: its redistributor or banked registers and CPU interface.
 *  `direct`: the cpu's guest takes its interrupts without EL2 (the kick then uses group 0). */
void gic_init_cpu(struct cpu *cpu, bool direct);
/** Kicks the hypervisor on cpu `target`. */
void gic_send_ipi(const struct cpu *target);
/** Sends physical SGI `intid` (group 1) to cpu `target`: direct delivery of a guest's SGI. */
void gic_send_sgi(const struct cpu *target, uint32_t intid);
/* gic_fast.h (inline): gic_ack() acknowledges the highest-priority group-1
 * interrupt and returns the raw acknowledge value, gic_intid() extracts its
 * id, gic_eoi() drops its priority (EOImode 1: it stays active),
 * gic_deactivate() deactivates an interrupt the hypervisor handled itself. */

#if BH_GIC_VERSION == 3
/* The FIQ path of direct delivery, which only GICv3 has. */
/** Acknowledges the highest-priority group-0 interrupt (FIQ). */
uint32_t gic_ack_fiq(void);
/** Completes a group-0 interrupt (drop and deactivation, whatever the EOImode). */
void gic_eoi_fiq(uint32_t ack);
#endif
/** The calling cpu is about to stop. */
void gic_cpu_off(void);

/** Distributor register access, for the virtual distributor. */
uint32_t gic_dist_read(uint32_t offset);
void gic_dist_write(uint32_t offset, uint32_t value);
void gic_dist_write8(uint32_t offset, uint8_t value);
/** Physical routing of an SPI to one physical cpu. */
void gic_spi_route(uint32_t intid, uint32_t cpu);
/** GICv2: route an SPI to a set of CPU interfaces; the interface bit of a physical cpu. */
void gic_spi_targets(uint32_t intid, uint8_t mask);
uint8_t gic_cpuif_mask(uint32_t cpu);
/** Per-cpu SGI/PPI registers of cpu `t` (GICv3 redistributor; GICv2 banked, own cpu only). */
uint32_t gic_local_read(const struct cpu *t, uint32_t offset);
void gic_local_write(const struct cpu *t, uint32_t offset, uint32_t value);
void gic_local_write8(const struct cpu *t, uint32_t offset, uint8_t value);

/* --- Virtualization interface of the calling cpu --- */

/** Resets the virtual CPU interface for a new vCPU life (all list registers empty). */
void gic_vif_reset(bool direct);
/* gic_types.h: struct gic_lr, one list register. gic_fast.h (inline): gic_lr_count(), the
 * number of list registers (the same on every cpu, read at cpu start);
 * gic_lr_free(), bit n set when list register n is free; gic_lr_write(n, lr)
 * writes list register n as a pending interrupt. */
/** True when list register n holds an interrupt that is pending only (not active);
 *  then *lr receives it. */
bool gic_lr_pending(uint32_t n, struct gic_lr *lr);
/** State of list register n: bit 0 pending, bit 1 active, 0 empty; *lr
 *  receives its virtual and physical INTIDs, hardware bit and (GICv2 SGI)
 *  source. */
uint32_t gic_lr_state(uint32_t n, struct gic_lr *lr);
/** Checks list register n in use, as read back into *lr, against the calling
 *  cpu's partition: one that holds a physical interrupt the partition does
 *  not own is corrupt (its end of interrupt would deactivate another's
 *  interrupt), an internal error that powers the board off (panic). */
void gic_lr_check(uint32_t n, const struct gic_lr *lr);
/** Empties list register n. */
void gic_lr_clear(uint32_t n);
/** Asks for (or stops asking for) a maintenance interrupt when list registers free up. */
void gic_vif_underflow(bool enable);

#endif /* ARM64_GIC_H */
