/* SPDX-License-Identifier: MIT */
/*
 * What x86 adds to a partition: the I/O ports of its devices
 * (cfg_arch_partition.port_ranges, which arch/x86/partition.c opens in its
 * I/O permission map), and the interrupt
 * features x86 does not have yet (no IOAPIC routing; no doorbell path: the
 * hypervisor raises vectors in vCPUs, but partitions have no guest
 * description to find channels in): an interrupt or a doorbell written for
 * an x86 partition is an error, never dropped.
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

bool be_doorbell_valid(struct bh_ctx *c, const struct bh_partition *p, const char *path, const char *prop,
		       uint32_t irq, bool level)
{
	(void)level;
	diag_error(c->diag, path, prop,
		   "%u: x86 Bulkhead rings no doorbell in %s yet (no guest description to find channels in); leave it out", irq,
		   p->path);
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

/* Partitions get no guest description on x86 yet: it would say what arm64's says, and nothing reads it. */
void be_check_guest_desc(struct bh_ctx *c, const struct bh_partition *p)
{
	diag_error(c->diag, p->path, "dtb-address",
		   "x86 partitions get no generated device tree yet (ESI is 0 at entry); leave dtb-address out");
}

int be_guest_desc_build(const struct bh_system *sys, const struct bh_partition *p, void *buf, int bufsize)
{
	(void)sys;
	(void)p;
	(void)buf;
	(void)bufsize;
	return 0;
}
