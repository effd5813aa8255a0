/* SPDX-License-Identifier: MIT */
/*
 * The isolation report's parts about channels and consoles: each channel
 * with its ends and exactly which host pages each end can write, and each
 * partition's console.
 */
#include <string.h>

#include "bhcc.h"
#include "cfg.h"
#include "range.h"

#define ULL(x) ((unsigned long long)(x))

static const char *const kind_names[] = { "data", "console", "log", "disk" };

static void end_text(FILE *f, const struct bh_system *sys, const struct bh_channel *ch, unsigned k)
{
	const struct bh_chan_end *e = &ch->end[k];

	if (e->kind == CFG_END_HYPERVISOR) {
		if (e->partition >= 0)
			fprintf(f, " hypervisor (emulated %s of %s) |", ch->kind == CFG_CHANNEL_DISK ? "disk" : "UART",
				sys->partitions[e->partition].name);
		else
			fprintf(f, " hypervisor |");
		return;
	}
	fprintf(f, " %s at 0x%llx, doorbell ", sys->partitions[e->partition].name, ULL(e->ipa));
	if (e->has_doorbell)
		fprintf(f, "%u in vCPU %u |", e->doorbell, e->vcpu);
	else
		fprintf(f, "none |");
}

/* The host ranges of channel @ci that partition end @k can write: its writable regions. */
/* Implements: REQ-CHN-011 */
static void writes_text(FILE *f, const struct bh_system *sys, int ci, unsigned k)
{
	const struct bh_channel *ch = &sys->channels[ci];
	const struct bh_chan_end *e = &ch->end[k];
	const struct bh_partition *p;
	unsigned n = 0;

	if (e->kind == CFG_END_HYPERVISOR) {
		fprintf(f, "%shypervisor: all (its EL2 map)", k ? "; " : "");
		return;
	}
	p = &sys->partitions[e->partition];
	fprintf(f, "%s%s:", k ? "; " : "", p->name);
	for (unsigned i = 0; i < p->n_regions; i++) {
		const struct bh_region *r = &p->regions[i];

		if (r->channel != ci || (r->access & CFG_ACCESS_W) == 0)
			continue;
		fprintf(f, "%s 0x%llx-0x%llx", n++ ? "," : "", ULL(r->pa), ULL(range_last(r->pa, r->size)));
	}
	fprintf(f, "%s", n ? "" : " nothing");
}

/* Implements: REQ-CHN-011 */
void report_channels(FILE *f, const struct bh_system *sys)
{
	fprintf(f, "### Channels\n\nMemory two ends share (docs/channels.md), mapped never executable. In each direction\n"
		   "the receiver can write only its first page and the sender only the rest: the host\n"
		   "ranges each end can write are listed, the rest of the channel it maps read-only.\n"
		   "Only the hypervisor's own ends are in its EL2 map.\n\n");
	if (!sys->n_channels) {
		fprintf(f, "None.\n\n");
		return;
	}
	fprintf(f, "| Id | Channel | Kind | Host-physical | Size | End 0 | End 1 | Can write |\n"
		   "|---|---|---|---|---|---|---|---|\n");
	for (unsigned i = 0; i < sys->n_channels; i++) {
		const struct bh_channel *ch = &sys->channels[i];
		char sz[32];

		fprintf(f, "| %u | `%s` (`%s`) | %s, %s | 0x%llx-0x%llx | %s |", i, ch->name, ch->path,
			kind_names[ch->kind], ch->one_way ? "one-way from end 0" : "two-way", ULL(ch->pa),
			ULL(range_last(ch->pa, ch->size)), format_size(sz, sizeof(sz), ch->size));
		end_text(f, sys, ch, 0);
		end_text(f, sys, ch, 1);
		fputc(' ', f);
		writes_text(f, sys, (int)i, 0);
		writes_text(f, sys, (int)i, 1);
		fprintf(f, " |\n");
	}
	fprintf(f, "\n");
}

void report_console(FILE *f, const struct bh_system *sys, const struct bh_partition *p)
{
	if (p->service)
		fprintf(f, "| Service partition | yes: the only writer of the UART once it runs; console-doorbell %u |\n",
			p->console_doorbell);
	if (p->console == CFG_CONSOLE_CHANNEL && p->console_channel >= 0 && p->has_console_doorbell)
		fprintf(f, "| Console | channel %d to %s, input doorbell %u |\n", p->console_channel,
			sys->partitions[sys->service].name, p->console_doorbell);
	else if (p->console == CFG_CONSOLE_CHANNEL && p->console_channel >= 0)
		fprintf(f, "| Console | channel %d to %s, no input doorbell |\n", p->console_channel,
			sys->partitions[sys->service].name);
	else if (p->console == CFG_CONSOLE_PL011 && p->console_channel >= 0)
		fprintf(f, "| Console | emulated PL011 at 0x%llx, interrupt %u, channel %d to %s |\n",
			ULL(p->console_address), p->console_irq, p->console_channel,
			sys->partitions[sys->service].name);
	else if (p->console == CFG_CONSOLE_NS16550 && p->console_channel >= 0)
		fprintf(f, "| Console | emulated 16550 at ports 0x%llx-0x%llx, pin %u, channel %d to %s |\n",
			ULL(p->console_address), ULL(p->console_address + 7u), p->console_irq, p->console_channel,
			sys->partitions[sys->service].name);
	else if (!p->service)
		fprintf(f, "| Console | the debug-console hypercall only |\n");
	if (p->service_control)
		fprintf(f, "| Service control | the service partition may stop and restart it |\n");
}
