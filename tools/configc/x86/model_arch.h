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

#define X86_PCI_MAX_FUNCS 8u                /* PCI functions a board describes */

/** A PCI function of the board (pci.c): a board device whose reg lists its BARs' windows. */
struct bh_pci_function {
	int device;                                /* index in board.devices */
	uint32_t bdf;                              /* bus << 8 | device << 3 | function */
	uint32_t bar_index[BHCC_MAX_DEV_REGS];     /* the BAR of each reg range */
	bool valid;
};

/** The I/O APIC (the interrupt controller) and the local APICs' window. */
struct bh_arch_board {
	char pci_path[BHCC_PATH_MAX];              /* the pci node, "" when the board has none */
	struct bh_range pci_window;                /* where BARs may go (below 4 GiB) */
	unsigned n_pci;
	struct bh_pci_function pci[X86_PCI_MAX_FUNCS];
	bool has_ioapic;
	struct bh_range ioapic;
	uint32_t ioapic_pins;
	char iommu_path[BHCC_PATH_MAX];            /* the IOMMU, "" when the board has none (pci.c) */
	struct bh_range iommu;
	bool iommu_vtd;                            /* it is a VT-d unit ("intel,vtd"), else AMD-Vi ("amd,iommu") */
	char lapic_path[BHCC_PATH_MAX];            /* "" when the board names none */
	struct bh_range lapic;
};

struct bh_arch_cpu {
	uint32_t apic_id;                          /* x2APIC id */
};

struct bh_arch_partition {
	unsigned n_port_ranges;
	struct cfg_port_range port_ranges[CFG_X86_MAX_PORT_RANGES];
	unsigned n_pci;
	struct cfg_pci_function pci[CFG_X86_MAX_PCI_FUNCS];
	bool dma_translated;                       /* the board's IOMMU translates its functions' DMA */
};

#endif /* BHCC_MODEL_ARCH_H */
