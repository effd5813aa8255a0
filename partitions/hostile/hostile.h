/* SPDX-License-Identifier: MIT */
/*
 * The hostile suite's attacker (see main.c): what its vectors share.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <bulkhead/hypercall.h>
#include <stdbool.h>
#include <stdint.h>

/* Configurations a vector applies to. */
#define ON_GICV2     0x1u
#define ON_GICV3     0x2u
#define ON_MEDIATED  0x4u
#define ON_DIRECT    0x8u
#define ON_ANY_GIC   (ON_GICV2 | ON_GICV3)
#define ON_ANY       (ON_ANY_GIC | ON_MEDIATED | ON_DIRECT)
#define ON_V3_ANY    (ON_GICV3 | ON_MEDIATED | ON_DIRECT)
#define ON_V3_DIRECT (ON_GICV3 | ON_DIRECT)
#define ON_MEDIATED_ANY (ON_ANY_GIC | ON_MEDIATED)
#define ON_V3_MEDIATED (ON_GICV3 | ON_MEDIATED)
#define ON_V2        (ON_GICV2 | ON_MEDIATED)

/** What the attacker must see for a vector to be contained as designed. */
enum expect {
	EXPECT_FAULT,      /* a fault: the hypervisor restarts the attacker, the vector never returns */
	EXPECT_RESTART,    /* the attacker restarts itself (PSCI SYSTEM_RESET): never returns */
	EXPECT_REFUSED,    /* at least `count` incidents of `kind`, counted by the hypervisor */
	EXPECT_EL1,        /* the core itself raised an exception at EL1; no incident */
	EXPECT_NOTHING,    /* no incident, no exception: harmless or the attacker's own business */
	EXPECT_ANY,        /* any of the above but a fault (random input, or behaviour QEMU versions differ in) */
};

struct ctx {
	uint64_t victim;      /* host-physical address of the victim's RAM */
	uint64_t hyp;         /* host-physical address of the hypervisor */
	uint64_t ro;          /* a read-only region of the attacker's own */
	uint64_t nx;          /* a non-executable region of the attacker's own */
	uint32_t spi;         /* the victim's SPI */
	int gic;              /* 2 or 3 */
	bool direct;          /* the attacker's own interrupt delivery */
	uint64_t deadline;    /* system counter by which a vector must have stopped */
	const char *escape;   /* set by a vector that saw what it must not */
	uint64_t detail;      /* a figure the vector reports (e.g. wrong answers) */
};

struct vector {
	const char *name;
	uint32_t on;          /* ON_*: configurations it applies to (GIC and delivery bits both needed) */
	enum expect expect;
	uint32_t kind;        /* EXPECT_REFUSED: the incident kind (BH_INCIDENT_*) */
	uint64_t count;       /* EXPECT_REFUSED: at least this many */
	uint32_t windows;     /* windows it may take */
	void (*run)(struct ctx *c);
};

/** The two attacks of issue 9 on a direct-delivery core: EOImode 1 and
 *  ICC_DIR_EL1 of the victim's SPI; ICC_EOIR1_EL1 of it with an interrupt
 *  of its own acknowledged. */
void eoimode_dir_victim(struct ctx *c);
void eoir_victim_direct(struct ctx *c);

/* Each file's vectors, terminated by a NULL name. */
extern const struct vector memory_vectors[];
extern const struct vector call_vectors[];
extern const struct vector system_vectors[];
extern const struct vector gic_vectors[];

/** The system counter (CNTPCT_EL0): the clock the victim's schedule uses. */
uint64_t now(void);
/** True once the vector should stop (c->deadline reached). */
bool past_deadline(const struct ctx *c);
/** Exceptions this vCPU took at EL1 that the runtime stepped over. */
uint32_t el1_exceptions(void);
/** The physical timer's handler back to the one that ends the waits between vectors. */
void restore_wake_handler(void);

/** 32-bit device access with a plain base register. */
static inline uint32_t rd32(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void wr32(uint64_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

/** An SMCCC call through HVC #0 or SMC #0 with x1..x3; returns x0. */
int64_t call3(bool smc, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/**
 * Runs `n` instructions `insn` (one 32-bit encoding each, of which
 * `step(i)` gives the i-th, i = 0..n-1) each preceded by x0 = fid, written
 * into a code buffer of its own; returns how many left x0 != `expected`.
 */
uint64_t run_generated(uint32_t (*insn)(uint32_t i), uint32_t n, uint64_t fid, int64_t expected);

#endif /* HOSTILE_H */
