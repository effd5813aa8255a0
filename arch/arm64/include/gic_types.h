/* SPDX-License-Identifier: MIT */
/*
 * What the interrupt controller's types and constants are, without its
 * operations: included by arch_types.h (struct cpu's and struct partition's
 * ARM64 state), so that core's headers see no register access. The GIC
 * version is the build's (BH_GIC_VERSION, from the system description).
 */
#ifndef ARM64_GIC_TYPES_H
#define ARM64_GIC_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#define GIC_IPI_SGI 15u          /* the hypervisor's own inter-cpu kick */
#define GIC_MAINT_PPI 25u        /* virtual interface maintenance interrupt */
#define GIC_VTIMER_PPI 27u       /* EL1 virtual timer */
#define GIC_PTIMER_PPI 30u       /* EL1 physical timer */
#define GIC_FIRST_SPI 32u
#define GIC_MAX_INTID 1020u      /* exclusive */
#define GIC_SPURIOUS 1020u

/** One list register: a virtual interrupt presented to the guest. */
struct gic_lr {
	uint32_t vintid;
	uint32_t pintid;        /* hw: the physical interrupt the guest's EOI deactivates */
	uint8_t priority;
	uint8_t source;         /* GICv2 SGIs: the sending vCPU */
	bool hw;
};

#if BH_GIC_VERSION == 3

/* GICv3 SGIs do not carry their sender. */
#define GIC_SGI_SOURCES false
/* Senders an SGI is told apart by (one: GICv3 SGIs carry none). */
#define GIC_SGI_SENDERS 1u
/* GICR_I{S,C}{ENABLE,PEND}R0 set and clear SGIs like any other interrupt. */
#define GIC_SGI_BITMAPS_WRITABLE true
/* Every PPI register of a redistributor acts on its own cpu only. */
#define GIC_PPI_REGS_BANKED true

/** The driver's state of one cpu (gicv3.c). */
struct gic_cpu {
	uint64_t redist;        /* its redistributor's RD_base, found by affinity once */
	uint64_t kick;          /* ICC_SGI1R_EL1 / ICC_SGI0R_EL1 value of the kick to it */
	bool direct;            /* its guest takes interrupts at EL1: the kick is group 0 */
};

#elif BH_GIC_VERSION == 2

/* A GICv2 SGI from each sender is a separate interrupt (GICC_IAR.CPUID). */
#define GIC_SGI_SOURCES true
/* GICC_IAR.CPUID: eight senders, each SGI pending once per sender. */
#define GIC_SGI_SENDERS 8u
/* SGIs are permanently enabled and made pending only by GICD_SGIR: their
 * bits of GICD_I{S,C}{ENABLE,PEND}R0 ignore writes (GIC-400, QEMU). */
#define GIC_SGI_BITMAPS_WRITABLE false
/* QEMU's GICv2 (7.2) keeps a PPI's trigger mode once for all CPUs and its
 * GICD_ICPENDR0 clears a PPI's pending state on every CPU: a partition's
 * write there would reach other partitions' cpus. Those two are emulated
 * per vCPU and never written to the hardware. */
#define GIC_PPI_REGS_BANKED false

/** The driver's state of one cpu (gicv2.c). */
struct gic_cpu {
	uint8_t cpuif_mask;     /* its CPU interface's bit (ITARGETSR, SGIR); 0: not read yet */
};

#else
#error "BH_GIC_VERSION must be 2 or 3 (set by the build from the system description)"
#endif

#endif /* ARM64_GIC_TYPES_H */
