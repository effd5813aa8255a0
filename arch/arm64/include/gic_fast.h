/* SPDX-License-Identifier: MIT */
/*
 * The interrupt controller operations on the interrupt fast path, inline.
 *
 * The rest of the driver is chosen at link time (gicv2.c or gicv3.c); these
 * few run for every interrupt and every SGI, so they are inlined into the
 * virtual GIC and picked at compile time from BH_GIC_VERSION, which the build
 * sets from the system description. Included by gic.h only, before its
 * declarations: what those need of the list registers is defined here.
 */
#ifndef ARM64_GIC_FAST_H
#define ARM64_GIC_FAST_H

#include <stdbool.h>
#include <stdint.h>
#include "cfg.h"
#include "gic_types.h"
#include "mmio.h"
#include "sysreg.h"

/** Number of list registers (the same on every cpu), read at cpu start. */
extern uint32_t gic_n_lrs;
/* Implements: infrastructure */
static inline uint32_t gic_lr_count(void)
{
	return gic_n_lrs;
}

/** One bit per list register: what gic_lr_free() returns when all are free. */
extern uint32_t gic_lr_mask;
/* Implements: infrastructure */
static inline uint32_t gic_lr_all(void)
{
	return gic_lr_mask;
}

#if BH_GIC_VERSION == 3

#define ICH_LR_STATE_SHIFT 62
#define ICH_LR_PENDING   (1UL << ICH_LR_STATE_SHIFT)
#define ICH_LR_HW        (1UL << 61)
#define ICH_LR_GROUP1    (1UL << 60)
#define ICH_LR_PRIO_SHIFT 48
#define ICH_LR_PINTID_SHIFT 32

/* One case of a switch on a list register number: list register i is register r. */
#define ICH_LR_WRITE_CASE(i, r, v) case (i): write_sysreg(r, (v)); break

/* Implements: REQ-IRQ-002 */
static inline uint32_t gic_ack(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, icc_iar1_el1" : "=r"(v) : : "memory");
	return (uint32_t)v & 0xffffffu;
}

/* Implements: infrastructure */
static inline uint32_t gic_intid(uint32_t ack)
{
	return ack;
}

/* Implements: REQ-IRQ-002 */
static inline void gic_eoi(uint32_t ack)
{
	write_sysreg(icc_eoir1_el1, ack);
}

/* Implements: REQ-IRQ-006 */
static inline void gic_deactivate(uint32_t ack)
{
	write_sysreg(icc_dir_el1, ack);
}

/* Implements: REQ-IRQ-007 */
static inline uint32_t gic_lr_free(void)
{
	return (uint32_t)read_sysreg(ich_elrsr_el2);
}

/* Implements: REQ-IRQ-006 */
static inline __attribute__((always_inline)) void gic_v3_lr_write(uint32_t n, uint64_t v)
{
	/* List registers fill from 0: the first is by far the most used. */
	if (__builtin_expect((long)(n == 0u), 1L) != 0L) {
		write_sysreg(ich_lr0_el2, v);
		return;
	}
	switch (n) {
	ICH_LR_WRITE_CASE(0u, ich_lr0_el2, v);
	ICH_LR_WRITE_CASE(1u, ich_lr1_el2, v);
	ICH_LR_WRITE_CASE(2u, ich_lr2_el2, v);
	ICH_LR_WRITE_CASE(3u, ich_lr3_el2, v);
	ICH_LR_WRITE_CASE(4u, ich_lr4_el2, v);
	ICH_LR_WRITE_CASE(5u, ich_lr5_el2, v);
	ICH_LR_WRITE_CASE(6u, ich_lr6_el2, v);
	ICH_LR_WRITE_CASE(7u, ich_lr7_el2, v);
	ICH_LR_WRITE_CASE(8u, ich_lr8_el2, v);
	ICH_LR_WRITE_CASE(9u, ich_lr9_el2, v);
	ICH_LR_WRITE_CASE(10u, ich_lr10_el2, v);
	ICH_LR_WRITE_CASE(11u, ich_lr11_el2, v);
	ICH_LR_WRITE_CASE(12u, ich_lr12_el2, v);
	ICH_LR_WRITE_CASE(13u, ich_lr13_el2, v);
	ICH_LR_WRITE_CASE(14u, ich_lr14_el2, v);
	ICH_LR_WRITE_CASE(15u, ich_lr15_el2, v);
	default: break;
	}
}

/* Implements: REQ-IRQ-006 */
static inline __attribute__((always_inline)) void gic_lr_write(uint32_t n, struct gic_lr lr)
{
	uint64_t v = ICH_LR_PENDING | ICH_LR_GROUP1 | ((uint64_t)lr.priority << ICH_LR_PRIO_SHIFT) | lr.vintid;

	if (lr.hw) {
		v |= ICH_LR_HW | ((uint64_t)lr.pintid << ICH_LR_PINTID_SHIFT);
	}
	gic_v3_lr_write(n, v);
}

#elif BH_GIC_VERSION == 2

#define GICC_IAR         0x000cu
#define GICC_EOIR        0x0010u
#define GICC_DIR         0x1000u
#define GICH_ELRSR0      0x0030u
#define GICH_LR          0x0100u
#define GICH_LR_HW       ((uint32_t)1u << 31)
#define GICH_LR_PENDING  ((uint32_t)1u << 28)
#define GICH_LR_PRIO_SHIFT 23
#define GICH_LR_PHYS_SHIFT 10
#define GICH_LR_SOURCE_SHIFT 10

static inline uint32_t gic_ack(void)
{
	return mmio_read32(cfg_system.arch.gic.cpu.base + GICC_IAR);
}

static inline uint32_t gic_intid(uint32_t ack)
{
	return ack & 0x3ffu;
}

static inline void gic_eoi(uint32_t ack)
{
	mmio_write32(cfg_system.arch.gic.cpu.base + GICC_EOIR, ack);
}

static inline void gic_deactivate(uint32_t ack)
{
	mmio_write32(cfg_system.arch.gic.cpu.base + GICC_DIR, ack);
}

static inline uint32_t gic_lr_free(void)
{
	return mmio_read32(cfg_system.arch.gic.hyp.base + GICH_ELRSR0) & gic_lr_all();
}

static inline __attribute__((always_inline)) void gic_lr_write(uint32_t n, struct gic_lr lr)
{
	/* GICv2 list registers hold the top five priority bits. */
	uint32_t v = GICH_LR_PENDING | ((uint32_t)(lr.priority >> 3) << GICH_LR_PRIO_SHIFT) | (lr.vintid & 0x3ffu);

	if (lr.hw) {
		v |= GICH_LR_HW | ((lr.pintid & 0x3ffu) << GICH_LR_PHYS_SHIFT);
	} else {
		v |= ((uint32_t)lr.source & 7u) << GICH_LR_SOURCE_SHIFT;
	}
	mmio_write32(cfg_system.arch.gic.hyp.base + GICH_LR + (4u * n), v);
}

#endif

#endif /* ARM64_GIC_FAST_H */
