/* SPDX-License-Identifier: MIT */
/* PCI functions of an x86 board and the partitions they are assigned to (pci.c). */
#ifndef BHCC_X86_PCI_H
#define BHCC_X86_PCI_H

#include <stdio.h>

#include "backend.h"

/** The board's `pci` node: its window and each function under it. */
void x86_parse_pci(struct bh_ctx *c, int node);

/** Partition @p's functions into p->arch.pci (after its devices are claimed). */
void x86_pci_partition(struct bh_ctx *c, struct bh_partition *p);

/** config.c: the `.n_pci`/`.pci` members of a cfg_arch_partition. */
void x86_pci_emit_c(FILE *f, const struct bh_arch_partition *a);

/** isolation.md: the partition's PCI functions row (none without functions). */
void x86_pci_report(FILE *f, const struct bh_arch_partition *a);

#endif /* BHCC_X86_PCI_H */
