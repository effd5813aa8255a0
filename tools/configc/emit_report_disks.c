/* SPDX-License-Identifier: MIT */
/*
 * The isolation report's Disks section: each slice of each disk, its
 * client, and exactly what of the client the service partition can reach
 * (its window, or, trusted, all its RAM).
 */
#include "bhcc.h"
#include "cfg.h"
#include "range.h"

#define ULL(x) ((unsigned long long)(x))

/* Implements: REQ-DSK-002 */
static void reach_text(FILE *f, const struct bh_system *sys, const struct bh_disk_client *k)
{
	const struct bh_partition *p = &sys->partitions[k->partition];
	const char *svc = sys->partitions[sys->service].name;
	unsigned n = 0;

	if (k->mode == BH_DISK_WINDOW) {
		const struct bh_shared *sh = &sys->shared[k->window];

		fprintf(f, " window: `%s`, host 0x%llx-0x%llx only; %s never maps %s's RAM |", sh->name, ULL(sh->pa),
			ULL(range_last(sh->pa, sh->size)), svc, p->name);
		return;
	}
	fprintf(f, " trusted service: %s trusts %s with all its RAM, which %s can read and write:", p->name, svc, svc);
	for (unsigned i = 0; i < p->n_ram; i++)
		fprintf(f, "%s host 0x%llx-0x%llx", n++ ? "," : "", ULL(p->regions[i].pa),
			ULL(range_last(p->regions[i].pa, p->regions[i].size)));
	fprintf(f, " |");
}

/* Implements: REQ-DSK-002 */
void report_disks(FILE *f, const struct bh_system *sys)
{
	unsigned rows = 0;

	fprintf(f, "### Disks\n\nThe service partition drives each disk's device and serves each client a slice\n"
		   "(512-byte sectors); a request outside its slice fails. The client sees an emulated\n"
		   "virtio-mmio device (docs/disk.md).\n\n");
	for (unsigned di = 0; di < sys->n_disks; di++) {
		const struct bh_disk *d = &sys->disks[di];

		for (unsigned ki = 0; ki < d->n_clients; ki++) {
			const struct bh_disk_client *k = &d->clients[ki];

			if (!k->valid || k->channel < 0)
				continue;
			if (rows++ == 0)
				fprintf(f, "| Disk | Client | Slice (sectors) | Device in the client | Channel | What the service partition reaches |\n"
					   "|---|---|---|---|---|---|\n");
			fprintf(f, "| `%s` (%s) | %s | %llu-%llu (%llu) | virtio-mmio at 0x%llx, interrupt %u | %d |",
				d->name, d->device >= 0 ? sys->board.devices[d->device].path : "?",
				sys->partitions[k->partition].name, ULL(k->lba), ULL(range_last(k->lba, k->sectors)),
				ULL(k->sectors), ULL(k->address), k->irq, k->channel);
			reach_text(f, sys, k);
			fprintf(f, "\n");
		}
	}
	fprintf(f, rows ? "\n" : "None.\n\n");
}
