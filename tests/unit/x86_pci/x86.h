/* SPDX-License-Identifier: MIT */
/*
 * arch/x86/include/x86.h for the host test of arch/x86/pci.c
 * (tests/unit/test_x86_pci.c): the port accessors reach a simulated
 * configuration mechanism #1 whose only function is an edu at 00:03.0 with
 * one 1 MiB 32-bit memory BAR; the test file implements them, and the
 * IOMMU (amdvi.c) as a switch.
 */
#ifndef X86_H
#define X86_H

#include <stdint.h>
#include "types.h"

struct partition;

void outl(uint16_t port, uint32_t v);
uint32_t inl(uint16_t port);

void x86_pci_partition_init(struct partition *p);
void x86_pci_partition_reset(struct partition *p);
uint32_t x86_pci_config_read(uint32_t bdf, uint32_t reg);
void x86_pci_config_write(uint32_t bdf, uint32_t reg, uint32_t v);
void x86_iommu_assign(struct partition *p, uint32_t bdf);
bool x86_iommu_active(void);
void x86_iommu_poll(void);

#endif /* X86_H */
