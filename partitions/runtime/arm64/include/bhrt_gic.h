/* SPDX-License-Identifier: MIT */
/*
 * Bulkhead partition runtime: interrupts and timers for bare-metal programs.
 *
 * A driver for the GIC of the QEMU virt board, written strictly by the GIC
 * architecture so that the same binary works on the real GIC (the program
 * loaded by QEMU at EL1, no hypervisor) and on Bulkhead's virtual GIC:
 *
 *   GICv3: distributor 0x08000000, redistributors from 0x080a0000 (found by
 *          GICR_TYPER affinity), CPU interface through the ICC_* registers;
 *   GICv2: distributor 0x08000000, CPU interface 0x08010000.
 *
 * The version is detected at run time (GICD_PIDR2.ArchRev). Every device
 * register access is a single 32-bit LDR/STR with a plain base register (no
 * pair, no writeback), which a hypervisor can emulate from the syndrome.
 *
 * Use: rt_gic_init() on every vCPU that takes interrupts, register handlers
 * with rt_irq_set_handler(), configure and enable the interrupts, then
 * unmask IRQs with rt_irq_unmask(). Handlers run in the IRQ exception, with
 * IRQs masked, after the interrupt has been acknowledged; it is EOIed
 * (priority drop and deactivation, EOImode 0) when the handler returns.
 */
#ifndef BHRT_GIC_H
#define BHRT_GIC_H

#include <stdbool.h>
#include <stdint.h>

/* The board's addresses (the same guest-physical addresses under Bulkhead): the build passes
 * the system description's (partitions/runtime/arm64/build.mk); QEMU virt's otherwise. */
#ifndef RT_GICD_BASE
#define RT_GICD_BASE        0x08000000u
#endif
#ifndef RT_GICR_BASE
#define RT_GICR_BASE        0x080a0000u
#endif
#ifndef RT_GICC_BASE
#define RT_GICC_BASE        0x08010000u
#endif

/* INTIDs. */
#define RT_GIC_SGI_COUNT    16u
#define RT_GIC_SPI_FIRST    32u
#define RT_GIC_MAX_INTID    1020u   /* INTIDs 0..1019: size of the handler table */
#define RT_GIC_SPURIOUS     1023u
#define RT_IRQ_PTIMER       30u     /* EL1 physical timer, PPI 14 */
#define RT_IRQ_VTIMER       27u     /* virtual timer, PPI 11 */

/* Most vCPUs the driver keeps per-vCPU state for (indexed by MPIDR Aff0). */
#define RT_GIC_MAX_CPUS     64u

#define RT_GIC_PRIORITY_DEFAULT 0xa0u

/** Called with the INTID it was registered for and its argument. */
typedef void (*rt_irq_handler_t)(uint32_t intid, void *arg);

/**
 * Initialises the GIC for the calling vCPU: the first call (on any vCPU)
 * detects the version and enables the distributor; every call wakes this
 * vCPU's redistributor (GICv3) and enables its CPU interface with priority
 * mask 0xff, group 1 (GICv3) / groups 0 and 1 (GICv2), EOImode 0.
 * Returns the GIC version (2 or 3), or -1 when no GIC answers.
 */
int rt_gic_init(void);
/** 2 or 3 once rt_gic_init() has run, else 0. */
int rt_gic_version(void);
/** Number of INTIDs the distributor implements (GICD_TYPER.ITLinesNumber). */
uint32_t rt_gic_lines(void);

/**
 * Per-interrupt configuration. SGIs and PPIs (0..31) are the calling vCPU's
 * own (banked); SPIs (32..1019) are shared. Out-of-range INTIDs are ignored.
 */
void rt_gic_enable(uint32_t intid);
void rt_gic_disable(uint32_t intid);
bool rt_gic_enabled(uint32_t intid);
void rt_gic_set_priority(uint32_t intid, uint8_t priority);
uint8_t rt_gic_priority(uint32_t intid);
/** Edge (true) or level (false) triggered; SGIs are always edge. */
void rt_gic_set_edge(uint32_t intid, bool edge);
/** Whether the interrupt is edge-triggered (GICD_ICFGR / GICR_ICFGR). */
bool rt_gic_edge(uint32_t intid);
void rt_gic_set_pending(uint32_t intid);
void rt_gic_clear_pending(uint32_t intid);
bool rt_gic_pending(uint32_t intid);
/**
 * Routes SPI `intid` to the core with MPIDR affinity `mpidr` (GICv3:
 * GICD_IROUTER, GICv2: GICD_ITARGETSR with that core's CPU interface
 * number). Returns 0, or -1 for an INTID that is not an SPI.
 */
int rt_gic_route(uint32_t intid, uint64_t mpidr);
/**
 * Sends SGI `intid` (0..15) to the core with MPIDR affinity `mpidr`
 * (GICv3: ICC_SGI1R_EL1, GICv2: GICD_SGIR). Returns 0, or -1.
 */
int rt_gic_send_sgi(uint32_t intid, uint64_t mpidr);

/**
 * An SGI worked out in advance, for senders that time it: rt_gic_sgi_fire()
 * is then one barrier and one register write (GICv3: ICC_SGI1R_EL1 value,
 * GICv2: GICD_SGIR value; version 0: not prepared).
 */
struct rt_gic_sgi {
	uint64_t value;
	int version;
};
/** Prepares SGI `intid` to the core with MPIDR affinity `mpidr`. Returns 0, or -1. */
int rt_gic_sgi_prepare(struct rt_gic_sgi *sgi, uint32_t intid, uint64_t mpidr);

static inline void rt_gic_sgi_fire(const struct rt_gic_sgi *sgi)
{
	if (sgi->version == 3) {
		__asm__ volatile("dsb ish\n\tmsr S3_0_C12_C11_5, %0\n\tisb" : : "r"(sgi->value) : "memory");
	} else if (sgi->version == 2) {
		__asm__ volatile("dsb ish\n\tstr %w0, [%1]"
				 : : "r"(sgi->value), "r"((uint64_t)RT_GICD_BASE + 0xf00u) : "memory");
	} else {
		/* not prepared */
	}
}

/** Acknowledges the highest-priority pending interrupt: the raw IAR value. */
uint32_t rt_gic_ack(void);
/** The INTID of an IAR value (1020..1023: spurious). */
uint32_t rt_gic_intid(uint32_t iar);
/** Ends an interrupt: pass the value rt_gic_ack() returned. */
void rt_gic_eoi(uint32_t iar);

/** Installs (or with NULL removes) the handler of `intid`. Returns 0, or -1. */
int rt_irq_set_handler(uint32_t intid, rt_irq_handler_t handler, void *arg);
/**
 * The IRQ exception: acknowledges one interrupt, calls its handler, EOIs it.
 * An interrupt without a handler is disabled and counted. Called by the
 * runtime's IRQ vector with the virtual counter read at vector entry.
 * Returns false when the GIC is not initialised (the IRQ is unexpected).
 */
bool rt_irq_dispatch(uint64_t entry_counter);
/** CNTVCT read by the second instruction of this vCPU's latest IRQ vector. */
uint64_t rt_irq_entry_counter(void);
/** Interrupts taken on this vCPU that had no handler (then disabled). */
uint32_t rt_irq_unhandled(void);

/** PSTATE.I: unmask / mask IRQs on the calling vCPU. */
void rt_irq_unmask(void);
void rt_irq_mask(void);
/** Waits for an interrupt (WFI). */
void rt_wfi(void);

/** MPIDR_EL1 affinity fields (Aff3 in bits 39:32, Aff2..Aff0 in 23:0). */
uint64_t rt_mpidr(void);

/* Architected timers: the virtual timer (PPI 27) and the EL1 physical timer (PPI 30). */
enum rt_timer {
	RT_TIMER_VIRT,
	RT_TIMER_PHYS,
};

/** The timer's INTID (RT_IRQ_VTIMER or RT_IRQ_PTIMER). */
uint32_t rt_timer_intid(enum rt_timer t);
/** Fires when the timer's counter reaches `cval` (CVAL, enabled, unmasked). */
void rt_timer_start_at(enum rt_timer t, uint64_t cval);
/** Fires after `ticks` counter ticks (TVAL, enabled, unmasked). */
void rt_timer_start_in(enum rt_timer t, uint32_t ticks);
/** Disables the timer (CTL = 0): its interrupt line drops. */
void rt_timer_stop(enum rt_timer t);
/** CTL (bit 0 ENABLE, bit 1 IMASK, bit 2 ISTATUS) and CVAL. */
uint32_t rt_timer_ctl(enum rt_timer t);
uint64_t rt_timer_cval(enum rt_timer t);
/** The counter the timer compares with: CNTVCT (virtual) or CNTPCT (physical). */
uint64_t rt_timer_counter(enum rt_timer t);

#endif /* BHRT_GIC_H */
