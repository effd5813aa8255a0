/* SPDX-License-Identifier: MIT */
/*
 * GICv3 / GICv2 driver for bare-metal partition programs (see bhrt_gic.h).
 *
 * The same code drives QEMU's real GIC (the program run natively at EL1)
 * and Bulkhead's virtual GIC, so it follows the GIC architecture and
 * nothing else:
 *   - every distributor / redistributor / GICv2 CPU interface access is one
 *     32-bit LDR or STR with a plain base register (mmio_read/mmio_write),
 *     which a hypervisor can emulate from the data-abort syndrome;
 *   - value registers (IGROUPR, IPRIORITYR, ICFGR, ITARGETSR) are changed by
 *     read-modify-write of the word, under a lock, with IRQs masked;
 *   - set/clear registers (ISENABLER, ICENABLER, ISPENDR, ICPENDR) are
 *     written with the one bit, never read back and written.
 */
#include <stddef.h>
#include "bhrt.h"
#include "bhrt_gic.h"

/* Distributor (GICv3 and GICv2; for INTIDs < 32 the same offsets exist in
 * the GICv3 redistributor's SGI frame and in the GICv2 banked GICD). */
#define GICD_CTLR        0x0000u
#define GICD_TYPER       0x0004u
#define GICD_IGROUPR     0x0080u
#define GICD_ISENABLER   0x0100u
#define GICD_ICENABLER   0x0180u
#define GICD_ISPENDR     0x0200u
#define GICD_ICPENDR     0x0280u
#define GICD_IPRIORITYR  0x0400u
#define GICD_ITARGETSR   0x0800u
#define GICD_ICFGR       0x0c00u
#define GICD_IROUTER     0x6000u
#define GICD_PIDR2_V2    0x0fe8u   /* GICv2: 4 KiB distributor */
#define GICD_PIDR2_V3    0xffe8u   /* GICv3: 64 KiB distributor */

#define GICD_CTLR_RWP    0x80000000u
#define GICD_CTLR_ARE    (1u << 4)
#define GICD_CTLR_EN1    (1u << 1)  /* GICv3 EnableGrp1(A); GICv2 EnableGrp1 */
#define GICD_CTLR_EN0    (1u << 0)  /* GICv3 EnableGrp0 / EnableGrp1 (NS view); GICv2 EnableGrp0 */
#define PIDR2_ARCHREV(v) (((v) >> 4) & 0xfu)

/* GICv3 redistributor: RD frame, then the SGI frame 64 KiB above. */
#define GICR_CTLR        0x0000u
#define GICR_TYPER_LO    0x0008u
#define GICR_TYPER_HI    0x000cu
#define GICR_WAKER       0x0014u
#define GICR_SGI_FRAME   0x10000u
#define GICR_CTLR_RWP    (1u << 3)
#define GICR_TYPER_VLPIS (1u << 1)
#define GICR_TYPER_LAST  (1u << 4)
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_FRAME_SIZE  0x20000u
#define GICR_FRAME_SIZE_VLPI 0x40000u

/* GICv2 CPU interface. */
#define GICC_CTLR        0x0000u
#define GICC_PMR         0x0004u
#define GICC_BPR         0x0008u
#define GICC_IAR         0x000cu
#define GICC_EOIR        0x0010u
#define GICC_CTLR_EN0    (1u << 0)
#define GICC_CTLR_EN1    (1u << 1)
#define GICC_CTLR_ACKCTL (1u << 2)

/* GICv3 CPU interface system registers (by encoding: no assembler support needed). */
#define ICC_PMR_EL1      "S3_0_C4_C6_0"
#define ICC_IAR1_EL1     "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1    "S3_0_C12_C12_1"
#define ICC_BPR1_EL1     "S3_0_C12_C12_3"
#define ICC_CTLR_EL1     "S3_0_C12_C12_4"
#define ICC_SRE_EL1      "S3_0_C12_C12_5"
#define ICC_IGRPEN1_EL1  "S3_0_C12_C12_7"
#define ICC_SRE_SRE      1u

#define INTID_MASK_V3    0xffffffu
#define INTID_MASK_V2    0x3ffu
#define POLL_LIMIT       1000000u

struct gic_cpu {
	uint64_t rd;              /* GICv3: this vCPU's redistributor RD frame */
	uint64_t entry_counter;   /* CNTVCT at the latest IRQ vector entry */
	uint32_t unhandled;
	uint8_t v2_mask;          /* GICv2: this vCPU's CPU interface bit (ITARGETSR) */
	bool ready;
};

struct irq_slot {
	rt_irq_handler_t fn;
	void *arg;
};

static int gic_version;                 /* 0: not initialised */
static uint32_t gic_lines_n;
static uint32_t gic_lock_word;
static struct gic_cpu cpus[RT_GIC_MAX_CPUS];
static struct irq_slot handlers[RT_GIC_MAX_INTID];

/* Implements: REQ-IRQ-050 */
static inline uint32_t mmio_read(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

/* Implements: REQ-IRQ-050 */
static inline void mmio_write(uint64_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

#define SYSREG_READ(reg, v) __asm__ volatile("mrs %0, " reg : "=r"(v) : : "memory")
#define SYSREG_WRITE(reg, v) __asm__ volatile("msr " reg ", %0" : : "r"((uint64_t)(v)) : "memory")

static inline void isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

uint64_t rt_mpidr(void)
{
	uint64_t m;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(m));
	return m & 0xff00fffffful;
}

static uint32_t cpu_index(uint64_t mpidr)
{
	return (uint32_t)(mpidr & 0xffu) % RT_GIC_MAX_CPUS;
}

static struct gic_cpu *this_cpu(void)
{
	return &cpus[cpu_index(rt_mpidr())];
}

/* Critical section for read-modify-write of shared registers: IRQs masked
 * so that a handler on this vCPU cannot deadlock on the lock. */
static uint64_t gic_lock(void)
{
	uint64_t daif;

	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #2" : "=r"(daif) : : "memory");
	while (__atomic_exchange_n(&gic_lock_word, 1u, __ATOMIC_ACQUIRE) != 0u) {
	}
	return daif;
}

static void gic_unlock(uint64_t daif)
{
	__atomic_store_n(&gic_lock_word, 0u, __ATOMIC_RELEASE);
	__asm__ volatile("msr daif, %0" : : "r"(daif) : "memory");
}

static void poll_clear(uint64_t addr, uint32_t bit)
{
	for (uint32_t i = 0u; (i < POLL_LIMIT) && ((mmio_read(addr) & bit) != 0u); i++) {
	}
}

/* Where the registers of `intid` live: the redistributor's SGI frame for
 * GICv3 SGIs/PPIs, else the distributor (banked per vCPU below 32 on GICv2). */
static uint64_t bank(uint32_t intid)
{
	if ((gic_version == 3) && (intid < RT_GIC_SPI_FIRST)) {
		return this_cpu()->rd + GICR_SGI_FRAME;
	}
	return RT_GICD_BASE;
}

static bool valid(uint32_t intid)
{
	return (gic_version != 0) && (intid < RT_GIC_MAX_INTID);
}

/* Waits until a disable has taken effect (GICv3 RWP). */
static void wait_rwp(uint32_t intid)
{
	if (gic_version != 3) {
		return;
	}
	if (intid < RT_GIC_SPI_FIRST) {
		poll_clear(this_cpu()->rd + GICR_CTLR, GICR_CTLR_RWP);
	} else {
		poll_clear(RT_GICD_BASE + GICD_CTLR, GICD_CTLR_RWP);
	}
}

static void field_update(uint64_t reg, uint32_t shift, uint32_t mask, uint32_t value)
{
	uint64_t daif = gic_lock();
	uint32_t v = mmio_read(reg);

	v = (v & ~(mask << shift)) | ((value & mask) << shift);
	mmio_write(reg, v);
	gic_unlock(daif);
}

/* Implements: REQ-IRQ-050 */
static int detect_version(void)
{
	/* GICv2's ID registers sit at the end of its 4 KiB distributor; on a
	 * GICv3 that offset is reserved (RAZ) and its ID block ends the 64 KiB. */
	uint32_t rev = PIDR2_ARCHREV(mmio_read(RT_GICD_BASE + GICD_PIDR2_V2));

	if ((rev == 1u) || (rev == 2u)) {
		return 2;
	}
	rev = PIDR2_ARCHREV(mmio_read(RT_GICD_BASE + GICD_PIDR2_V3));
	if ((rev == 3u) || (rev == 4u)) {
		return 3;
	}
	return -1;
}

/* Implements: REQ-IRQ-050 */
static void init_distributor(int version)
{
	uint32_t typer = mmio_read(RT_GICD_BASE + GICD_TYPER);
	uint32_t lines = ((typer & 0x1fu) + 1u) * 32u;

	gic_lines_n = (lines > RT_GIC_MAX_INTID) ? RT_GIC_MAX_INTID : lines;
	mmio_write(RT_GICD_BASE + GICD_CTLR, 0u);
	if (version == 3) {
		poll_clear(RT_GICD_BASE + GICD_CTLR, GICD_CTLR_RWP);
		/* Affinity routing, group 1 enabled (bit 0 is EnableGrp1 in the
		 * non-secure view and EnableGrp0 with a single security state). */
		mmio_write(RT_GICD_BASE + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_EN1 | GICD_CTLR_EN0);
		poll_clear(RT_GICD_BASE + GICD_CTLR, GICD_CTLR_RWP);
	} else {
		mmio_write(RT_GICD_BASE + GICD_CTLR, GICD_CTLR_EN1 | GICD_CTLR_EN0);
	}
}

/* Implements: REQ-IRQ-050 */
static int init_cpu_v3(struct gic_cpu *c)
{
	uint64_t mpidr = rt_mpidr();
	uint32_t aff = (uint32_t)(mpidr & 0xffffffu) | (uint32_t)(((mpidr >> 32) & 0xffu) << 24);
	uint64_t frame = RT_GICR_BASE;
	uint64_t sre;

	c->rd = 0u;
	bool searching = true;
	for (uint32_t i = 0u; searching && (i < RT_GIC_MAX_CPUS); i++) {
		uint32_t lo = mmio_read(frame + GICR_TYPER_LO);
		if (mmio_read(frame + GICR_TYPER_HI) == aff) {
			c->rd = frame;
			searching = false;
		} else if ((lo & GICR_TYPER_LAST) != 0u) {
			searching = false;
		} else {
			frame += ((lo & GICR_TYPER_VLPIS) != 0u) ? GICR_FRAME_SIZE_VLPI : GICR_FRAME_SIZE;
		}
	}
	if (c->rd == 0u) {
		return -1;
	}
	/* Wake the redistributor. */
	uint32_t waker = mmio_read(c->rd + GICR_WAKER);
	mmio_write(c->rd + GICR_WAKER, waker & ~GICR_WAKER_SLEEP);
	poll_clear(c->rd + GICR_WAKER, GICR_WAKER_ASLEEP);

	/* CPU interface: system registers, all priorities, EOImode 0, group 1. */
	SYSREG_READ(ICC_SRE_EL1, sre);
	SYSREG_WRITE(ICC_SRE_EL1, sre | ICC_SRE_SRE);
	isb();
	SYSREG_READ(ICC_SRE_EL1, sre);
	if ((sre & ICC_SRE_SRE) == 0u) {
		return -1;
	}
	SYSREG_WRITE(ICC_PMR_EL1, 0xffu);
	SYSREG_WRITE(ICC_BPR1_EL1, 0u);
	SYSREG_WRITE(ICC_CTLR_EL1, 0u);
	SYSREG_WRITE(ICC_IGRPEN1_EL1, 1u);
	isb();
	return 0;
}

/* Implements: REQ-IRQ-050 */
static int init_cpu_v2(struct gic_cpu *c, uint32_t index)
{
	/* ITARGETSR0..7 read, in every byte, the reading CPU interface's own bit. */
	uint8_t mask = (uint8_t)(mmio_read(RT_GICD_BASE + GICD_ITARGETSR) & 0xffu);

	c->v2_mask = (mask != 0u) ? mask : (uint8_t)(1u << (index % 8u));
	mmio_write(RT_GICC_BASE + GICC_PMR, 0xffu);
	mmio_write(RT_GICC_BASE + GICC_BPR, 0u);
	/* Both groups signalled as IRQ (FIQEn 0), both acknowledged through
	 * GICC_IAR (AckCtl), EOImode 0. */
	mmio_write(RT_GICC_BASE + GICC_CTLR, GICC_CTLR_EN0 | GICC_CTLR_EN1 | GICC_CTLR_ACKCTL);
	return 0;
}

/* Implements: REQ-IRQ-050 */
int rt_gic_init(void)
{
	static uint32_t gic_state;      /* 0 none, 1 initialising, 2 distributor done */
	uint32_t expected = 0u;

	bool first = __atomic_compare_exchange_n(&gic_state, &expected, 1u, false, __ATOMIC_ACQUIRE,
						 __ATOMIC_ACQUIRE);

	if (first) {
		int v = detect_version();
		if (v > 0) {
			init_distributor(v);
		}
		__atomic_store_n(&gic_version, (v > 0) ? v : 0, __ATOMIC_RELAXED);
		__atomic_store_n(&gic_state, 2u, __ATOMIC_RELEASE);
	} else {
		while (__atomic_load_n(&gic_state, __ATOMIC_ACQUIRE) != 2u) {
			__asm__ volatile("yield");
		}
	}
	if (gic_version == 0) {
		return -1;
	}

	uint32_t index = cpu_index(rt_mpidr());
	struct gic_cpu *c = &cpus[index];
	int r = (gic_version == 3) ? init_cpu_v3(c) : init_cpu_v2(c, index);
	if (r != 0) {
		return -1;
	}
	__atomic_store_n(&c->ready, true, __ATOMIC_RELEASE);
	return gic_version;
}

int rt_gic_version(void)
{
	return gic_version;
}

uint32_t rt_gic_lines(void)
{
	return gic_lines_n;
}

void rt_gic_enable(uint32_t intid)
{
	if (!valid(intid)) {
		return;
	}
	uint64_t base = bank(intid);
	if (gic_version == 3) {
		/* Group 1 (the reset value is group 0, which GICv3 signals as FIQ). */
		field_update(base + GICD_IGROUPR + (((uint64_t)intid / 32u) * 4u), intid % 32u, 1u, 1u);
	}
	mmio_write(base + GICD_ISENABLER + (((uint64_t)intid / 32u) * 4u), 1u << (intid % 32u));
}

void rt_gic_disable(uint32_t intid)
{
	if (!valid(intid)) {
		return;
	}
	mmio_write(bank(intid) + GICD_ICENABLER + (((uint64_t)intid / 32u) * 4u), 1u << (intid % 32u));
	wait_rwp(intid);
}

bool rt_gic_enabled(uint32_t intid)
{
	if (!valid(intid)) {
		return false;
	}
	return ((mmio_read(bank(intid) + GICD_ISENABLER + (((uint64_t)intid / 32u) * 4u)) >> (intid % 32u)) & 1u) != 0u;
}

void rt_gic_set_priority(uint32_t intid, uint8_t priority)
{
	if (!valid(intid)) {
		return;
	}
	field_update(bank(intid) + GICD_IPRIORITYR + (4u * (intid / 4u)), 8u * (intid % 4u), 0xffu, priority);
}

uint8_t rt_gic_priority(uint32_t intid)
{
	if (!valid(intid)) {
		return 0u;
	}
	return (uint8_t)(mmio_read(bank(intid) + GICD_IPRIORITYR + (4u * (intid / 4u))) >> (8u * (intid % 4u)));
}

void rt_gic_set_edge(uint32_t intid, bool edge)
{
	if (!valid(intid) || (intid < RT_GIC_SGI_COUNT)) {
		return;
	}
	field_update(bank(intid) + GICD_ICFGR + (4u * (intid / 16u)), (2u * (intid % 16u)) + 1u, 1u, edge ? 1u : 0u);
}

bool rt_gic_edge(uint32_t intid)
{
	if (!valid(intid)) {
		return false;
	}
	return ((mmio_read(bank(intid) + GICD_ICFGR + (4u * (intid / 16u))) >> ((2u * (intid % 16u)) + 1u)) & 1u) != 0u;
}

void rt_gic_set_pending(uint32_t intid)
{
	if (!valid(intid)) {
		return;
	}
	mmio_write(bank(intid) + GICD_ISPENDR + (((uint64_t)intid / 32u) * 4u), 1u << (intid % 32u));
}

void rt_gic_clear_pending(uint32_t intid)
{
	if (!valid(intid)) {
		return;
	}
	mmio_write(bank(intid) + GICD_ICPENDR + (((uint64_t)intid / 32u) * 4u), 1u << (intid % 32u));
}

bool rt_gic_pending(uint32_t intid)
{
	if (!valid(intid)) {
		return false;
	}
	return ((mmio_read(bank(intid) + GICD_ISPENDR + (((uint64_t)intid / 32u) * 4u)) >> (intid % 32u)) & 1u) != 0u;
}

static uint8_t v2_target_mask(uint64_t mpidr)
{
	uint32_t index = cpu_index(mpidr);
	uint8_t mask = __atomic_load_n(&cpus[index].v2_mask, __ATOMIC_ACQUIRE);

	return (mask != 0u) ? mask : (uint8_t)(1u << (index % 8u));
}

/* Implements: REQ-IRQ-050 */
int rt_gic_route(uint32_t intid, uint64_t mpidr)
{
	if (!valid(intid) || (intid < RT_GIC_SPI_FIRST)) {
		return -1;
	}
	if (gic_version == 3) {
		/* IROUTER<n> as two 32-bit halves: Aff2..Aff0 (IRM 0), then Aff3. */
		uint64_t reg = RT_GICD_BASE + GICD_IROUTER + (8u * (uint64_t)intid);
		mmio_write(reg, (uint32_t)(mpidr & 0xffffffu));
		mmio_write(reg + 4u, (uint32_t)((mpidr >> 32) & 0xffu));
	} else {
		field_update(RT_GICD_BASE + GICD_ITARGETSR + (4u * (intid / 4u)), 8u * (intid % 4u), 0xffu,
			     v2_target_mask(mpidr));
	}
	return 0;
}

int rt_gic_sgi_prepare(struct rt_gic_sgi *sgi, uint32_t intid, uint64_t mpidr)
{
	sgi->version = 0;
	if ((gic_version == 0) || (intid >= RT_GIC_SGI_COUNT)) {
		return -1;
	}
	if (gic_version == 3) {
		/* ICC_SGI1R_EL1: target list bit Aff0 % 16 in range selector Aff0 / 16. */
		uint64_t aff0 = mpidr & 0xffu;
		sgi->value = ((uint64_t)intid << 24) | (1UL << (aff0 % 16u)) | (((aff0 / 16u) & 0xfu) << 44) |
			     (((mpidr >> 8) & 0xffu) << 16) | (((mpidr >> 16) & 0xffu) << 32) |
			     (((mpidr >> 32) & 0xffu) << 48);
	} else {
		/* GICD_SGIR: TargetListFilter 0, the target's CPU interface bit. */
		sgi->value = ((uint64_t)v2_target_mask(mpidr) << 16) | intid;
	}
	sgi->version = gic_version;
	return 0;
}

/* Implements: REQ-IRQ-050 */
int rt_gic_send_sgi(uint32_t intid, uint64_t mpidr)
{
	struct rt_gic_sgi sgi;

	if (rt_gic_sgi_prepare(&sgi, intid, mpidr) != 0) {
		return -1;
	}
	/* The barrier in rt_gic_sgi_fire keeps the SGI from overtaking the
	 * stores that tell the target why. */
	rt_gic_sgi_fire(&sgi);
	return 0;
}

/* Implements: REQ-IRQ-050 */
uint32_t rt_gic_ack(void)
{
	uint64_t iar;

	if (gic_version == 3) {
		SYSREG_READ(ICC_IAR1_EL1, iar);
		__asm__ volatile("dsb sy" : : : "memory");
	} else if (gic_version == 2) {
		iar = mmio_read(RT_GICC_BASE + GICC_IAR);
	} else {
		iar = RT_GIC_SPURIOUS;
	}
	return (uint32_t)iar;
}

uint32_t rt_gic_intid(uint32_t iar)
{
	return iar & ((gic_version == 3) ? INTID_MASK_V3 : INTID_MASK_V2);
}

/* Implements: REQ-IRQ-050 */
void rt_gic_eoi(uint32_t iar)
{
	if (gic_version == 3) {
		SYSREG_WRITE(ICC_EOIR1_EL1, iar);
		isb();
	} else if (gic_version == 2) {
		mmio_write(RT_GICC_BASE + GICC_EOIR, iar);
	} else {
		/* no GIC */
	}
}

int rt_irq_set_handler(uint32_t intid, rt_irq_handler_t handler, void *arg)
{
	if (intid >= RT_GIC_MAX_INTID) {
		return -1;
	}
	__atomic_store_n(&handlers[intid].fn, NULL, __ATOMIC_RELEASE);
	handlers[intid].arg = arg;
	__atomic_store_n(&handlers[intid].fn, handler, __ATOMIC_RELEASE);
	return 0;
}

/* Implements: REQ-IRQ-050 */
bool rt_irq_dispatch(uint64_t entry_counter)
{
	if (gic_version == 0) {
		return false;
	}
	struct gic_cpu *c = this_cpu();
	c->entry_counter = entry_counter;

	uint32_t iar = rt_gic_ack();
	uint32_t intid = rt_gic_intid(iar);
	if (intid >= RT_GIC_MAX_INTID) {
		return true; /* spurious: nothing to end */
	}
	rt_irq_handler_t fn = __atomic_load_n(&handlers[intid].fn, __ATOMIC_ACQUIRE);
	if (fn != NULL) {
		fn(intid, handlers[intid].arg);
	} else {
		c->unhandled++;
		rt_gic_disable(intid);
	}
	rt_gic_eoi(iar);
	return true;
}

uint64_t rt_irq_entry_counter(void)
{
	return this_cpu()->entry_counter;
}

uint32_t rt_irq_unhandled(void)
{
	return this_cpu()->unhandled;
}

void rt_irq_unmask(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

void rt_irq_mask(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
}

void rt_wfi(void)
{
	__asm__ volatile("dsb sy\n\twfi" : : : "memory");
}
