/* SPDX-License-Identifier: MIT */
/*
 * The x86 back end's part of bhcc's model (model.h embeds these as `arch`
 * members): the I/O APIC and local APIC window, x2APIC ids, and each
 * partition's I/O-port ranges.
 */
#ifndef BHCC_MODEL_ARCH_H
#define BHCC_MODEL_ARCH_H

#ifndef BHCC_MODEL_H
#error "model_arch.h is part of model.h: include model.h"
#endif

#include "cfg_arch.h"

#define BH_ARCH_MAX_IRQ 255u               /* highest GSI bhcc accepts in a description */
#define X86_GUEST_BITS 48                  /* four-level nested paging */
#define X86_GUEST_LIMIT (UINT64_C(1) << X86_GUEST_BITS)
#define X86_PORT_LIMIT UINT64_C(0x10000)    /* I/O ports are 0..0xffff */
#define X86_LOW_RAM_LIMIT UINT64_C(0x100000) /* the real-mode megabyte: never board RAM */

/** The I/O APIC (the interrupt controller) and the local APICs' window. */
struct bh_arch_board {
	bool has_ioapic;
	struct bh_range ioapic;
	uint32_t ioapic_pins;
	char lapic_path[BHCC_PATH_MAX];            /* "" when the board names none */
	struct bh_range lapic;
};

struct bh_arch_cpu {
	uint32_t apic_id;                          /* x2APIC id */
};

struct bh_arch_partition {
	unsigned n_port_ranges;
	struct cfg_port_range port_ranges[CFG_X86_MAX_PORT_RANGES];
};

#endif /* BHCC_MODEL_ARCH_H */
