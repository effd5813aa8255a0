/* SPDX-License-Identifier: MIT */
/*
 * The integrity check of list registers read back (gic_lr_state,
 * gic_lr_pending: GICv2 and GICv3). The hypervisor writes a list register
 * with the hardware bit only for a physical interrupt the partition owns
 * (vgic_irq); the guest's end of interrupt then deactivates that physical
 * interrupt. A list register found holding another one was corrupted (a
 * hardware fault or a hypervisor defect): carrying on would let the guest
 * deactivate an interrupt of another partition, so the board is powered off.
 */
#include "arm64.h"
#include "cpu.h"
#include "gic.h"
#include "log.h"
#include "partition.h"
#include "vgic.h"

/* Implements: REQ-FSF-004 */
void gic_lr_check(uint32_t n, const struct gic_lr *lr)
{
	const struct cpu *cpu = arm64_this_cpu();

	if (lr->hw && !vgic_owns(cpu, lr->pintid)) {
		panic("core %u: list register %u holds physical interrupt %u, which partition '%s' does not own",
		      cpu->index, n, lr->pintid, cpu->partition->cfg->name);
	}
}
