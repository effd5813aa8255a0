/* SPDX-License-Identifier: MIT */
/*
 * What x86 adds to a partition: the I/O ports of its devices
 * (cfg_arch_partition.port_ranges, which arch/x86/partition.c opens in its
 * I/O permission map), and the I/O APIC pins of their interrupts (edges
 * only; anything else is an error, never dropped). Doorbells and the guest
 * description: guest_desc.c.
 */
#include <string.h>

#include "backend.h"
#include "cfg.h"
#include "pci.h"


/*
 * A device's GSI becomes the partition's pin of the I/O APIC (arch/x86/ioapic.c
 * emulates its redirection entry and delivers it as the vector the partition
 * programs there). Only the ISA pins 1..15 but 2: their devices' interrupts are
 * edges, the only kind the hypervisor forwards (a level pin would have to stay
 * masked until the partition's EOI, which the x2APIC does not track); pin 0 is
 * the PIT's ExtINT and 2 its timer.
 */
/* Implements: REQ-XARCH-017 */
bool be_irq_assignable(struct bh_ctx *c, const struct bh_partition *p, const struct bh_device *d, uint32_t irq)
{
	uint32_t pins = c->sys->board.arch.has_ioapic ? c->sys->board.arch.ioapic_pins : 0u;

	if (irq >= pins || irq >= CFG_X86_ISA_PINS || irq == 0u || irq == 2u) {
		diag_error(c->diag, p->path, "devices",
			   "%s has interrupt (GSI) %u: x86 Bulkhead routes the I/O APIC's ISA pins 1 and 3..15 (edges) to partitions, not this one",
			   d->path, irq);
		return false;
	}
	return true;
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
	x86_pci_partition(c, p);
}

/* arch/x86's emulated UART: core/vuart_16550.c at I/O ports. */
const uint8_t be_emulated_console = CFG_CONSOLE_NS16550;

#define ULL(x) ((unsigned long long)(x))
#define UART_PORTS 8u

/*
 * An emulated 16550's ports must be eight of their own (the 16550's frame,
 * aligned as core's registry wants it), outside the ports of the
 * partition's devices, which its I/O map opens; its pin one the mediated
 * I/O APIC can give it (1, 3-15) and not one of its devices' pins, which
 * reach a real entry (arch/x86/ioapic.c keeps the emulated one virtual).
 */
/* Implements: REQ-XARCH-035 */
void be_check_port_console(struct bh_ctx *c, const struct bh_partition *p)
{
	uint64_t a = p->console_address;
	uint32_t pin = p->console_irq;
	uint32_t pins = c->sys->board.arch.has_ioapic ? c->sys->board.arch.ioapic_pins : 0u;

	if ((a % UART_PORTS) != 0u || a > 0x10000u - UART_PORTS) {
		diag_error(c->diag, p->path, "console-address",
			   "0x%llx is not the first of eight I/O ports (a multiple of 8 up to 0xfff8; COM1 is 0x3f8)", ULL(a));
	} else {
		for (unsigned r = 0; r < p->arch.n_port_ranges; r++) {
			const struct cfg_port_range *q = &p->arch.port_ranges[r];

			if (a < (uint64_t)q->base + q->count && q->base < a + UART_PORTS)
				diag_error(c->diag, p->path, "console-address",
					   "the emulated 16550 at ports 0x%llx-0x%llx overlaps its device's ports 0x%x-0x%x", ULL(a),
					   ULL(a + UART_PORTS - 1u), q->base, q->base + q->count - 1u);
		}
	}
	if (pin >= pins || pin >= CFG_X86_ISA_PINS || pin == 0u || pin == 2u) {
		diag_error(c->diag, p->path, "console-interrupt",
			   "%u is not an I/O APIC pin an emulated 16550 can use (ISA pins 1 and 3..15; COM1's is 4)", pin);
		return;
	}
	for (unsigned i = 0; i < p->n_irqs; i++)
		if (p->irqs[i] == pin)
			diag_error(c->diag, p->path, "console-interrupt",
				   "pin %u is also one of its devices' interrupts; the emulated 16550's pin is its own", pin);
}
