/* SPDX-License-Identifier: MIT */
/*
 * What x86 adds to a partition: the I/O ports of its devices
 * (cfg_arch_partition.port_ranges, which arch/x86/partition.c opens in its
 * I/O permission map), and the interrupt
 * feature x86 does not have yet (no IOAPIC routing): an interrupt written
 * for an x86 partition's device is an error, never dropped. Doorbells and
 * the guest description: guest_desc.c.
 */
#include <string.h>

#include "backend.h"
#include "cfg.h"


bool be_irq_assignable(struct bh_ctx *c, const struct bh_partition *p, const struct bh_device *d, uint32_t irq)
{
	diag_error(c->diag, p->path, "devices",
		   "%s has interrupt (GSI) %u: x86 Bulkhead routes no device interrupt to a partition yet (no I/O APIC support); give the partition a polled device, or a board device without interrupts",
		   d->path, irq);
	return false;
}

/* The port ranges of its devices (the front end mapped none of them) open in its I/O permission map. */
void be_partition_regions(struct bh_ctx *c, struct bh_partition *p)
{
	struct bh_arch_partition *a = &p->arch;

	a->n_port_ranges = 0;
	for (unsigned k = 0; k < p->n_devices; k++) {
		const struct bh_device *d = &c->sys->board.devices[p->devices[k]];

		for (unsigned i = 0; d->ports && i < d->n_regs; i++) {
			if (a->n_port_ranges == CFG_X86_MAX_PORT_RANGES) {
				diag_error(c->diag, p->path, "devices", "%s: more than %u I/O-port ranges in one partition",
					   d->path, CFG_X86_MAX_PORT_RANGES);
				return;
			}
			a->port_ranges[a->n_port_ranges++] =
				(struct cfg_port_range){ (uint16_t)d->regs[i].base, (uint16_t)d->regs[i].size };
		}
	}
}
