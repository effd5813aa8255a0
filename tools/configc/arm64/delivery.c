/* SPDX-License-Identifier: MIT */
/*
 * Direct interrupt delivery and the SPIs of other owners.
 *
 * A direct-delivery partition writes ICC_EOIR1_EL1 on the physical CPU
 * interface. With EOImode 0 that write also deactivates the INTID it names,
 * whichever it is, and an SPI's active state is global: the partition can
 * deactivate an SPI another partition is handling (the GIC then delivers it
 * again, or a level interrupt is lost to its handler). The write cannot be
 * trapped on its own, so bhcc refuses such a partition while another one owns
 * an SPI, unless the description accepts the risk by name. The hypervisor's
 * console SPI does not count: the console is polled and its SPI stays
 * disabled (arch gic_init_global), so it is never active. The isolation
 * report lists each accepted risk (be_report_risks, report.c).
 */
#include <string.h>

#include "backend.h"
#include "cfg.h"
#include "delivery.h"

#define SHOWN 8   /* SPIs named in a message before "and N more" */

unsigned foreign_spis_text(const struct bh_system *sys, unsigned pi, char *buf, size_t len)
{
	unsigned n = 0;
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned q = 0; q < sys->n_partitions; q++) {
		const struct bh_partition *o = &sys->partitions[q];

		for (unsigned i = 0; q != pi && i < o->n_irqs; i++, n++) {
			int w;

			if (n >= SHOWN || used >= len)
				continue;
			w = snprintf(buf + used, len - used, "%s%u (%s)", n ? ", " : "", o->irqs[i], o->path);
			used = w < 0 ? len : used + (size_t)w;
		}
	}
	if (n > SHOWN && used < len)
		snprintf(buf + used, len - used, " and %u more", n - SHOWN);
	return n;
}

void be_validate_partitions(struct bh_ctx *c)
{
	const struct bh_system *s = c->sys;
	char spis[1024];

	for (unsigned pi = 0; pi < s->n_partitions; pi++) {
		const struct bh_partition *p = &s->partitions[pi];
		bool direct = p->arch.irq_delivery == CFG_IRQ_DIRECT;
		unsigned n;

		if (p->arch.has_delivery_risk && !direct) {
			diag_error(c->diag, p->path, "direct-delivery-risk",
				   "has no effect without interrupt-delivery = \"direct\"");
			continue;
		}
		if (!direct || s->board.arch.gic.version != 3)
			continue;   /* mediated, or refused already (direct needs a GICv3) */
		n = foreign_spis_text(s, pi, spis, sizeof(spis));
		if (n && !p->arch.accepts_foreign_spi_deactivation)
			diag_error(c->diag, p->path, "interrupt-delivery",
				   "\"direct\" would let this partition deactivate SPIs of other partitions (its EOI on the physical CPU interface acts on any INTID and cannot be trapped): %s; deliver \"mediated\", or accept the risk with direct-delivery-risk = \"%s\"",
				   spis, ARM64_RISK_FOREIGN_SPI);
		else if (!n && p->arch.accepts_foreign_spi_deactivation)
			diag_error(c->diag, p->path, "direct-delivery-risk",
				   "no other partition owns an SPI, so there is no risk to accept; remove the property");
	}
}
