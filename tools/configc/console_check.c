/* SPDX-License-Identifier: MIT */
/*
 * An emulated UART's place in its partition: console-address must be a
 * page of guest-physical space nothing else of the partition uses, and
 * console-interrupt an interrupt the hypervisor can raise there that is no
 * device's and no doorbell's (a level interrupt cannot share an id with an
 * edge one).
 */
#include "backend.h"
#include "cfg.h"
#include "range.h"

#define ULL(x) ((unsigned long long)(x))

static void check_address(struct bh_ctx *c, const struct bh_partition *p)
{
	struct be_window win[BE_MAX_WINDOWS];
	unsigned n = be_guest_windows(c->sys, p, win);
	uint64_t a = p->console_address;

	if (!is_aligned(a, BHCC_PAGE) || range_last(a, BHCC_PAGE) >= be_space.guest_limit) {
		diag_error(c->diag, p->path, "console-address",
			   "0x%llx is not a 4 KiB aligned guest address below 0x%llx (%s)", ULL(a),
			   ULL(be_space.guest_limit), be_space.guest_limit_text);
		return;
	}
	for (unsigned i = 0; i < p->n_regions; i++) {
		const struct bh_region *r = &p->regions[i];

		if (r->valid && ranges_overlap(a, BHCC_PAGE, r->ipa, r->size))
			diag_error(c->diag, p->path, "console-address",
				   "the emulated UART at 0x%llx-0x%llx overlaps %s (0x%llx-0x%llx)", ULL(a),
				   ULL(range_last(a, BHCC_PAGE)), r->path, ULL(r->ipa), ULL(range_last(r->ipa, r->size)));
	}
	for (unsigned w = 0; w < n; w++)
		if (win[w].r.size && ranges_overlap(a, BHCC_PAGE, win[w].r.base, win[w].r.size))
			diag_error(c->diag, p->path, "console-address",
				   "the emulated UART at 0x%llx-0x%llx overlaps the virtual interrupt controller's %s (0x%llx-0x%llx)",
				   ULL(a), ULL(range_last(a, BHCC_PAGE)), win[w].what, ULL(win[w].r.base),
				   ULL(range_last(win[w].r.base, win[w].r.size)));
}

static void check_interrupt(struct bh_ctx *c, const struct bh_partition *p, int pi)
{
	if (!be_doorbell_valid(c, p, p->path, "console-interrupt", p->console_irq, true))
		return;
	for (unsigned i = 0; i < c->sys->n_channels; i++) {
		for (unsigned k = 0; k < 2; k++) {
			const struct bh_chan_end *e = &c->sys->channels[i].end[k];

			if (e->kind == CFG_END_PARTITION && e->partition == pi && e->has_doorbell &&
			    e->doorbell == p->console_irq)
				diag_error(c->diag, p->path, "console-interrupt",
					   "%u is also a doorbell (%s: %s); the emulated UART's interrupt is its own",
					   p->console_irq, e->path, e->doorbell_prop);
		}
	}
}

void validate_consoles(struct bh_ctx *c)
{
	for (unsigned i = 0; i < c->sys->n_partitions; i++) {
		const struct bh_partition *p = &c->sys->partitions[i];

		if (p->console == CFG_CONSOLE_NS16550 && p->console_channel >= 0) {
			be_check_port_console(c, p);
			continue;
		}
		if (p->console != CFG_CONSOLE_PL011 || p->console_channel < 0)
			continue;
		check_address(c, p);
		check_interrupt(c, p, (int)i);
		if (!p->has_dtb)
			diag_error(c->diag, p->path, "console",
				   "\"pl011\" needs dtb-address: the guest finds its UART in its device tree");
	}
}
