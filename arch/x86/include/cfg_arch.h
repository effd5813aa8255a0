/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 part of the configuration contract (core/include/cfg.h embeds
 * these structures as its `arch` members; bhcc's x86 back end fills them
 * in). Like cfg.h it is shared by the hypervisor and bhcc: <stdint.h> only.
 *
 * Boot protocol (the same for every partition, arch/x86/README.md): vCPU 0
 * starts in 32-bit flat protected mode with paging off (CS a 4 GiB code
 * segment, DS/ES/SS a 4 GiB data segment, interrupts disabled, EFLAGS 0x2),
 * at the partition's entry, with ESI = the guest-physical address of its
 * boot_info blob (a flattened device tree, as on arm64), or 0 without one.
 * The partition's own code enters long mode; that is what a multiboot
 * loader and Linux's 32-bit boot protocol leave too.
 *
 * cfg_console (cfg.h) on x86: base is the UART's first I/O port, size the
 * number of ports; reg_shift 0 and reg_io_width 1.
 */
#ifndef BULKHEAD_CFG_ARCH_H
#define BULKHEAD_CFG_ARCH_H

#include "cfg_base.h"

#define CFG_X86_MAX_PORT_RANGES 8u
#define CFG_X86_ISA_PINS 16u       /* I/O APIC pins a partition may own: 1 and 3..15 (edges) */

/** The I/O APIC: guest-physical = host-physical MMIO frame, and its pins. */
struct cfg_ioapic {
	struct cfg_mmio mmio;
	uint32_t gsi_base;        /* global system interrupt of pin 0 */
	uint32_t pins;
};

/** The board's IOMMU, which picks the driver (arch/x86/iommu.c). */
enum cfg_x86_iommu {
	CFG_X86_IOMMU_NONE = 0,   /* bus mastering denied (pci.c) */
	CFG_X86_IOMMU_AMD = 1,    /* AMD-Vi (amdvi.c) */
	CFG_X86_IOMMU_VTD = 2     /* Intel VT-d DMA remapping (vtd.c) */
};

struct cfg_arch_system {
	struct cfg_ioapic ioapic;
	struct cfg_mmio iommu;    /* the IOMMU's registers; size 0: the board has none */
	enum cfg_x86_iommu iommu_kind;
};

struct cfg_arch_cpu {
	uint32_t apic_id;         /* the core's x2APIC id */
};

/** A range of I/O ports a partition may use directly (its devices'). */
struct cfg_port_range {
	uint16_t base;
	uint16_t count;
};

#define CFG_X86_MAX_PCI_FUNCS 2u    /* PCI functions one partition may be assigned */
#define CFG_X86_PCI_BARS 6u         /* a type 0 header's BARs */

/** A memory BAR of an assigned function: 32-bit, where the description puts it. */
struct cfg_pci_bar {
	uint32_t index;           /* 0..5: config space offset 0x10 + 4 * index */
	uint32_t base;            /* aligned to its size (bhcc) */
	uint32_t size;            /* a power of two, 4 KiB or more */
};

/** A PCI function assigned to a partition (arch/x86/pci.c), at the same BDF it has on the board. */
struct cfg_pci_function {
	uint32_t bdf;             /* bus << 8 | device << 3 | function */
	uint32_t n_bars;
	struct cfg_pci_bar bars[CFG_X86_PCI_BARS];
};

struct cfg_arch_partition {
	uint32_t n_port_ranges;
	struct cfg_port_range port_ranges[CFG_X86_MAX_PORT_RANGES];
	uint32_t n_pci;
	struct cfg_pci_function pci[CFG_X86_MAX_PCI_FUNCS];
};

#endif /* BULKHEAD_CFG_ARCH_H */
