/* SPDX-License-Identifier: MIT */
/*
 * The service partition's side of the shared disk (docs/disk.md): finds its
 * disk channels (one per client, with the client's slice and ranges) in its
 * device tree, drives the board's disk (vblk.c) and serves each client's
 * queue (disk_serve.c) whenever the main loop turns; a client with
 * completed requests gets its channel rung, which makes the hypervisor
 * raise its virtio interrupt.
 */
#include <string.h>
#include <bulkhead/disk.h>
#include <bulkhead/hypercall.h>
#include "bhrt.h"
#include "disk.h"
#include "svc.h"
#include "vblk.h"

static struct svc_disk_client clients[SVC_DISK_CLIENTS];
static char names[SVC_DISK_CLIENTS][SVC_NAME_MAX];
static uint32_t n_clients;
static struct svc_mux *log_to;

/* bulkhead,client-ranges: <client service size> triples of 64-bit values; mapped as memory here. */
/* Implements: REQ-DSK-006 */
static bool read_ranges(uint32_t node, struct svc_disk_client *c)
{
	uint64_t v[3u * SVC_DISK_RANGES];
	uint32_t n = rt_fdt_node_u64s(node, "bulkhead,client-ranges", v, 3u * SVC_DISK_RANGES);

	if ((n == 0u) || ((n % 3u) != 0u)) {
		return false;
	}
	for (uint32_t i = 0u; i < (n / 3u); i++) {
		struct svc_disk_range *r = &c->ranges[i];
		uint64_t local = v[(3u * i) + 1u];

		r->client = v[3u * i];
		r->size = v[(3u * i) + 2u];
		r->local = rt_bytes_at(local);
		if ((rt_mmu_attributes(local) != 0xff) && (rt_mmu_map_normal(local, r->size) != 0)) {
			return false;
		}
	}
	c->n_ranges = n / 3u;
	return true;
}

static void add_client(struct svc_mux *mux, uint32_t node)
{
	struct svc_disk_client *c = &clients[n_clients];
	uint64_t base = 0u;
	uint64_t size = 0u;
	uint32_t id = 0u;
	const char *peer = "?";

	(void)memset(c, 0, sizeof(*c));
	(void)rt_fdt_node_string(node, "bulkhead,peer", &peer);
	if (!rt_fdt_node_reg(node, &base, &size) || (size != BH_DISK_CHANNEL_SIZE) ||
	    !rt_fdt_node_u32(node, "bulkhead,channel-id", &id) ||
	    (rt_fdt_node_u64s(node, "bulkhead,lba", &c->lba, 1u) != 1u) ||
	    (rt_fdt_node_u64s(node, "bulkhead,sectors", &c->sectors, 1u) != 1u) || !read_ranges(node, c)) {
		(void)svc_printf(mux, "disk: the disk channel of %s is malformed; not served", peer);
		return;
	}
	c->channel = id;
	c->request = rt_disk_request_at(base + BH_DISK_REQUEST_OFF);
	c->response = rt_disk_response_at(base + BH_DISK_RESPONSE_OFF);
	/* Whatever a previous life of this partition served: the hypervisor's generation decides. */
	c->generation = __atomic_load_n(&c->request->generation, __ATOMIC_ACQUIRE) - 1u;
	if ((c->lba > vblk_capacity()) || (c->sectors > (vblk_capacity() - c->lba))) {
		(void)svc_printf(mux, "disk: %s's slice %lu+%lu is past the disk's end (%lu sectors): its requests there fail",
				 peer, (unsigned long)c->lba, (unsigned long)c->sectors, (unsigned long)vblk_capacity());
	}
	(void)strncpy(names[n_clients], peer, SVC_NAME_MAX - 1u);
	(void)svc_printf(mux, "disk: serving %s sectors %lu-%lu", peer, (unsigned long)c->lba,
			 (unsigned long)(c->lba + c->sectors - 1u));
	n_clients++;
}

void svc_disk_init(struct svc_mux *mux)
{
	log_to = mux;
	for (uint32_t node = rt_fdt_next_compatible(0u, "bulkhead,channel"); node != 0u;
	     node = rt_fdt_next_compatible(node, "bulkhead,channel")) {
		const char *kind = NULL;

		if (!rt_fdt_node_string(node, "bulkhead,kind", &kind) || (strcmp(kind, "disk") != 0) ||
		    (n_clients == SVC_DISK_CLIENTS)) {
			continue;
		}
		if ((n_clients == 0u) && (vblk_init() != 0)) {
			(void)svc_printf(mux, "disk: no working virtio-blk device; no disk is served");
			return;
		}
		if (n_clients == 0u) {
			(void)svc_printf(mux, "disk: virtio-blk, %lu sectors", (unsigned long)vblk_capacity());
		}
		add_client(mux, node);
	}
}

/* Tells once per turn what a client's requests or queue set-ups were refused since the last time. */
static void report_refusals(uint32_t i)
{
	static uint32_t refused_told[SVC_DISK_CLIENTS];
	static uint32_t broken_told[SVC_DISK_CLIENTS];
	const struct svc_disk_client *c = &clients[i];
	uint32_t refused = c->refused[SVC_DISK_BAD_CHAIN] + c->refused[SVC_DISK_BAD_BUFFER] +
			   c->refused[SVC_DISK_OUTSIDE_SLICE] + c->refused[SVC_DISK_IO_FAILED];
	uint32_t broken = c->response->broken;

	if ((refused != refused_told[i]) &&
	    svc_printf(log_to, "disk: %s: %u requests refused so far (%u outside its slice, %u outside its memory, %u bad chains, %u failed on the disk)",
		       names[i], (unsigned)refused, (unsigned)c->refused[SVC_DISK_OUTSIDE_SLICE],
		       (unsigned)c->refused[SVC_DISK_BAD_BUFFER], (unsigned)c->refused[SVC_DISK_BAD_CHAIN],
		       (unsigned)c->refused[SVC_DISK_IO_FAILED])) {
		refused_told[i] = refused;
	}
	if ((broken != broken_told[i]) &&
	    svc_printf(log_to, "disk: %s: its queue is not served until it resets its device (%u times so far)", names[i],
		       (unsigned)broken)) {
		broken_told[i] = broken;
	}
}

void svc_disk_poll(void)
{
	for (uint32_t i = 0u; i < n_clients; i++) {
		if (svc_disk_serve(&clients[i], vblk_io, NULL) != 0u) {
			(void)rt_hvc(BH_HC_DOORBELL, clients[i].channel, 0u, 0u);
		}
		report_refusals(i);
	}
}

bool svc_disk_busy(void)
{
	bool busy = false;

	for (uint32_t i = 0u; i < n_clients; i++) {
		/* A new generation or requests not taken yet: another turn before sleeping. */
		busy = busy || (__atomic_load_n(&clients[i].request->generation, __ATOMIC_ACQUIRE) != clients[i].generation) ||
		       svc_disk_pending(&clients[i]);
	}
	return busy;
}
