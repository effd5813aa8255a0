/* SPDX-License-Identifier: MIT */
/*
 * Emulated devices: the guest-physical ranges (and, on x86, I/O port ranges)
 * of a partition that the hypervisor emulates instead of mapping, each with
 * its handler. An architecture registers them when a partition is set up
 * (arch_partition_init: ARM64's virtual GIC) and looks them up on the trap
 * of an access (ARM64: a stage-2 data abort, mmio.c). Registration happens
 * once, on the boot cpu, before any vCPU runs; lookups only read the table.
 */
#ifndef BULKHEAD_EMUL_H
#define BULKHEAD_EMUL_H

#include "status.h"
#include "types.h"

struct cpu;
struct partition;

/** Address spaces a region lives in: each has a table of its own. */
enum emul_space {
	EMUL_MMIO = 0,     /* guest-physical memory */
	EMUL_PIO = 1,      /* x86 I/O ports */
};

#define EMUL_SPACES 2u

/*
 * Regions per partition. Proven sufficient: the clients are the virtual
 * GIC, with at most 2 (GICv3: distributor and redistributors; its
 * registration checks that it fits, VGIC_EMUL_REGIONS), the emulated
 * PL011 (vuart_pl011.h), 1, and the emulated disk (vdisk.h), 1; x86's
 * port space: the emulated 16550, 1, and the PCI configuration filter
 * (arch/x86/pci.c), 1.
 */
#define EMUL_REGIONS 4u

/**
 * An access to an emulated region at `offset` from its base, of `size` bytes
 * (1, 2, 4 or 8, aligned to its size): a write passes the value in *value, a
 * read returns it there. `cpu` is the trapping vCPU's; `context` is what the
 * region was registered with. Returns false when the access is not emulated
 * (the architecture then treats it as a fault of the partition).
 */
typedef bool (*emul_handler_t)(struct cpu *cpu, void *context, uint64_t offset, bool write, uint32_t size,
			       uint64_t *value);

/** One registered region. */
struct emul_region {
	uint64_t base;
	uint64_t size;
	emul_handler_t handler;
	void *context;
};

/** A partition's emulated regions of one space (struct partition's `emul[space]`). */
struct emul_table {
	uint32_t n;
	struct emul_region regions[EMUL_REGIONS + 1u];   /* the last is always empty (size 0): the end */
};

/**
 * Registers [base, base + size) of `space` in partition `p`, emulated by
 * `handler` with `context`. Base and size are multiples of 8, so that no
 * aligned access straddles a region's end. CORE_ERR_INVALID: empty,
 * misaligned or wrapping range, no handler, or an overlap with a region
 * already registered or (EMUL_MMIO) with memory the partition maps;
 * CORE_ERR_BUSY: the table is full.
 */
enum core_status emul_register(struct partition *p, enum emul_space space, uint64_t base, uint64_t size,
			       emul_handler_t handler, void *context);

/**
 * The region of table `t` (a partition's `emul[space]`) that holds address
 * `addr`, or NULL. On the trap path of every emulated access (the GICv2 SGI
 * among them): a short loop over at most EMUL_REGIONS entries.
 * Implements: REQ-TRP-011
 */
static inline const struct emul_region *emul_find(const struct emul_table *t, uint64_t addr)
{
	/* Registered regions are never empty: the first empty one ends the table. */
	for (const struct emul_region *r = &t->regions[0]; r->size != 0u; r++) {
		if ((addr - r->base) < r->size) {
			return r;
		}
	}
	return NULL;
}

#endif /* BULKHEAD_EMUL_H */
