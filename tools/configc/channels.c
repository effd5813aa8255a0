/* SPDX-License-Identifier: MIT */
/*
 * /channels, and the channels the console properties imply.
 *
 * A channel is memory two ends share and a doorbell into each end
 * (include/bulkhead/channel.h gives the layout, docs/channels.md the
 * protocol). Each child of /channels is one: its own children name its two
 * endpoint partitions. bhcc adds one console channel per partition with
 * `console` (to the service partition; its hypervisor end for an emulated
 * UART) and the hypervisor's log channel to the service partition, after
 * the declared ones, so a channel's index (its id in the doorbell
 * hypercall) does not move when consoles are added.
 */
#include <string.h>

#include <libfdt.h>

#include <bulkhead/channel.h>

#include "backend.h"
#include "cfg.h"
#include "props.h"

static const char *const channel_props[] = { "size", "host-address", "from", NULL };
static const char *const end_props[] = { "guest-address", "doorbell", "doorbell-vcpu", NULL };

static bool name_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

/* A channel's name is its guest label and a C string; "console" and "log" label bhcc's own. */
static bool check_name(struct bh_ctx *c, const char *path, const char *name)
{
	size_t len = strlen(name);
	bool ok = len >= 1 && len <= BHCC_NAME_MAX;

	for (size_t i = 0; ok && i < len; i++)
		ok = name_char_ok(name[i]);
	if (!ok) {
		diag_error(c->diag, path, NULL, "channel name '%s' must be 1 to %d characters from a-z, 0-9, '_' and '-'",
			   name, BHCC_NAME_MAX);
		return false;
	}
	if (strcmp(name, "console") == 0 || strcmp(name, "log") == 0) {
		diag_error(c->diag, path, NULL,
			   "channel name '%s' is reserved: it labels the console and log channels bhcc makes", name);
		return false;
	}
	return true;
}

static void parse_end(struct bh_ctx *c, struct bh_chan_end *e, int node, unsigned ac)
{
	const char *name = node_name(c, node);
	int vcpu, ipa;

	node_path(c, node, e->path);
	props_whitelist(c, node, e->path, end_props);
	node_no_children(c, node, e->path);
	e->kind = CFG_END_PARTITION;
	e->doorbell_prop = "doorbell";
	e->partition = partition_named(c->sys, name);
	if (e->partition < 0)
		diag_error(c->diag, e->path, NULL,
			   "no partition is named '%s'; each child of a channel is named after an endpoint partition",
			   name);
	e->has_doorbell = prop_u32(c, node, e->path, "doorbell", true, &e->doorbell) == PROP_OK;
	vcpu = prop_u32(c, node, e->path, "doorbell-vcpu", false, &e->vcpu);
	ipa = ac ? prop_address(c, node, e->path, "guest-address", false, ac, &e->ipa) : PROP_BAD;
	e->has_ipa = ipa == PROP_OK;
	e->valid = e->partition >= 0 && e->has_doorbell && vcpu != PROP_BAD && ipa != PROP_BAD;
}

/* end[0] is the sender of a one-way channel: `from` names it. */
static void parse_from(struct bh_ctx *c, struct bh_channel *ch, int node)
{
	const char *from;
	char n0[BHCC_NAME_MAX + 1] = "", n1[BHCC_NAME_MAX + 1] = "";

	if (prop_string(c, node, ch->path, "from", false, &from) != PROP_OK)
		return;
	ch->one_way = true;
	if (ch->end[0].partition >= 0)
		strcpy(n0, c->sys->partitions[ch->end[0].partition].name);
	if (ch->end[1].partition >= 0)
		strcpy(n1, c->sys->partitions[ch->end[1].partition].name);
	if (strcmp(from, n1) == 0) {
		struct bh_chan_end t = ch->end[0];

		ch->end[0] = ch->end[1];
		ch->end[1] = t;
	} else if (strcmp(from, n0) != 0) {
		diag_error(c->diag, ch->path, "from", "'%s' is not one of the channel's two endpoints", from);
		ch->valid = false;
	}
}

static void parse_channel(struct bh_ctx *c, int node, unsigned ac, unsigned sc)
{
	struct bh_channel *ch = &c->sys->channels[c->sys->n_channels++];
	unsigned n = 0;
	int child, host;

	memset(ch, 0, sizeof(*ch));
	node_path(c, node, ch->path);
	ch->offset = node;
	ch->kind = CFG_CHANNEL_DATA;
	props_whitelist(c, node, ch->path, channel_props);
	if (check_name(c, ch->path, node_name(c, node)))
		strcpy(ch->name, node_name(c, node));
	ch->valid = sc && ch->name[0] && prop_address(c, node, ch->path, "size", true, sc, &ch->size) == PROP_OK;
	host = ac ? prop_address(c, node, ch->path, "host-address", false, ac, &ch->pa) : PROP_BAD;
	ch->has_host = host != PROP_ABSENT;
	ch->valid = ch->valid && host != PROP_BAD;
	fdt_for_each_subnode(child, c->fdt, node) {
		if (n < 2)
			parse_end(c, &ch->end[n], child, ac);
		n++;
	}
	if (n != 2) {
		diag_error(c->diag, ch->path, NULL,
			   "has %u endpoint node%s; a channel has exactly two, each named after a partition", n,
			   n == 1 ? "" : "s");
		ch->valid = false;
		return;
	}
	if (ch->end[0].partition >= 0 && ch->end[0].partition == ch->end[1].partition) {
		diag_error(c->diag, ch->end[1].path, NULL, "the same partition at both ends (%s)", ch->end[0].path);
		ch->valid = false;
	}
	parse_from(c, ch, node);
}

void parse_channels(struct bh_ctx *c, int node)
{
	parse_container(c, node, &c->sys->n_channels, BHCC_MAX_CHANNELS, "channels", parse_channel);
}

/* ---- the channels the console properties imply ---- */

static void partition_end(struct bh_chan_end *e, const struct bh_system *s, int pi, bool has_db, uint32_t db)
{
	strcpy(e->path, s->partitions[pi].path);
	e->doorbell_prop = "console-doorbell";
	e->kind = CFG_END_PARTITION;
	e->partition = pi;
	e->has_doorbell = has_db;
	e->doorbell = db;
	e->valid = true;
}

int channel_add_generated(struct bh_ctx *c, const char *path, uint8_t kind, uint64_t size)
{
	struct bh_channel *ch;

	if (c->sys->n_channels == BHCC_MAX_CHANNELS) {
		diag_error(c->diag, path, NULL, "more than %u channels (the consoles' and the log's included)",
			   BHCC_MAX_CHANNELS);
		return -1;
	}
	ch = &c->sys->channels[c->sys->n_channels];
	memset(ch, 0, sizeof(*ch));
	strcpy(ch->path, path);
	/* After every node: generated channels are placed last. */
	ch->offset = (int)fdt_totalsize(c->fdt) + (int)c->sys->n_channels;
	ch->kind = kind;
	ch->size = size;
	ch->valid = true;
	return (int)c->sys->n_channels++;
}

/* Implements: REQ-CHN-010 */
static void add_console(struct bh_ctx *c, int pi)
{
	struct bh_system *s = c->sys;
	struct bh_partition *p = &s->partitions[pi];
	const struct bh_partition *svc = &s->partitions[s->service];
	struct bh_channel *ch;
	int i = channel_add_generated(c, p->path, CFG_CHANNEL_CONSOLE, BH_CONSOLE_CHANNEL_SIZE);

	if (i < 0)
		return;
	ch = &s->channels[i];
	strcpy(ch->name, "console-");
	strcat(ch->name, p->name);
	if (p->console == CFG_CONSOLE_CHANNEL) {
		partition_end(&ch->end[0], s, pi, p->has_console_doorbell, p->console_doorbell);
	} else {
		strcpy(ch->end[0].path, p->path);
		ch->end[0].kind = CFG_END_HYPERVISOR;
		ch->end[0].partition = pi;
		ch->end[0].valid = true;
	}
	partition_end(&ch->end[1], s, s->service, svc->has_console_doorbell, svc->console_doorbell);
	p->console_channel = i;
}

/* Implements: REQ-CHN-010 */
static void add_log(struct bh_ctx *c)
{
	struct bh_system *s = c->sys;
	const struct bh_partition *svc = &s->partitions[s->service];
	int i = channel_add_generated(c, svc->path, CFG_CHANNEL_LOG, BH_LOG_CHANNEL_SIZE);

	if (i < 0)
		return;
	strcpy(s->channels[i].name, "log");
	s->channels[i].one_way = true;
	strcpy(s->channels[i].end[0].path, s->hyp.path);
	s->channels[i].end[0].kind = CFG_END_HYPERVISOR;
	s->channels[i].end[0].partition = -1;
	s->channels[i].end[0].valid = true;
	partition_end(&s->channels[i].end[1], s, s->service, svc->has_console_doorbell, svc->console_doorbell);
	s->log_channel = i;
}

/* Implements: REQ-CHN-010 */
static void find_service(struct bh_ctx *c)
{
	struct bh_system *s = c->sys;

	for (unsigned i = 0; i < s->n_partitions; i++) {
		if (!s->partitions[i].service)
			continue;
		if (s->service >= 0)
			diag_error(c->diag, s->partitions[i].path, "service",
				   "a second service partition (%s is one); the system has at most one",
				   s->partitions[s->service].path);
		else
			s->service = (int)i;
	}
}

/* The service partition's own properties: it serves consoles, it has none. */
/* Implements: REQ-CHN-010 */
static bool check_service_props(struct bh_ctx *c, const struct bh_partition *p)
{
	if (p->console != CFG_CONSOLE_NONE)
		diag_error(c->diag, p->path, "console",
			   "the service partition drives the UART itself; it has no console to the service partition");
	if (p->service_control)
		diag_error(c->diag, p->path, "service-control", "the service partition cannot stop or restart itself");
	if (!p->has_console_doorbell)
		diag_error(c->diag, p->path, "console-doorbell",
			   "missing required property (the service partition's interrupt for its console and log channels)");
	return p->console == CFG_CONSOLE_NONE && !p->service_control && p->has_console_doorbell;
}

bool console_emulated(const struct bh_partition *p)
{
	return p->console == CFG_CONSOLE_PL011 || p->console == CFG_CONSOLE_NS16550;
}

static const char *console_name(uint8_t kind)
{
	return kind == CFG_CONSOLE_PL011 ? "pl011" : kind == CFG_CONSOLE_NS16550 ? "ns16550" : "";
}

/* An emulated UART's properties: this architecture's kind, with its address and interrupt. */
/* Implements: REQ-CHN-010, REQ-XARCH-035 */
static bool check_emulated_console(struct bh_ctx *c, const struct bh_partition *p)
{
	if (p->console != be_emulated_console) {
		diag_error(c->diag, p->path, "console", "\"%s\" is not an emulated UART of this architecture's hypervisor%s%s%s",
			   console_name(p->console), be_emulated_console != CFG_CONSOLE_NONE ? " (it has \"" : "",
			   console_name(be_emulated_console), be_emulated_console != CFG_CONSOLE_NONE ? "\")" : "");
		return false;
	}
	if (!p->has_console_address || !p->has_console_irq) {
		diag_error(c->diag, p->path, "console",
			   "\"%s\" needs console-address (where the emulated UART is) and console-interrupt (its interrupt id)",
			   console_name(p->console));
		return false;
	}
	return true;
}

/* What each partition's console properties say, alone and against the system. */
/* Implements: REQ-CHN-010 */
static bool check_console_props(struct bh_ctx *c, const struct bh_partition *p)
{
	bool ok = true;

	if (!console_emulated(p)) {
		if (p->has_console_address)
			diag_error(c->diag, p->path, "console-address",
				   "has no effect without an emulated UART (console = \"pl011\" or \"ns16550\")");
		if (p->has_console_irq)
			diag_error(c->diag, p->path, "console-interrupt",
				   "has no effect without an emulated UART (console = \"pl011\" or \"ns16550\")");
		ok = !p->has_console_address && !p->has_console_irq;
	} else {
		ok = check_emulated_console(c, p);
	}
	if (p->service)
		return check_service_props(c, p) && ok;
	if (p->has_console_doorbell && p->console != CFG_CONSOLE_CHANNEL) {
		diag_error(c->diag, p->path, "console-doorbell", "has no effect without console = \"channel\"");
		ok = false;
	}
	return ok;
}

static void check_needs_service(struct bh_ctx *c, const struct bh_partition *p)
{
	if (p->console != CFG_CONSOLE_NONE)
		diag_error(c->diag, p->path, "console",
			   "a console goes to the service partition, and no partition has `service`");
	if (p->service_control)
		diag_error(c->diag, p->path, "service-control",
			   "has no effect without a service partition (a partition with `service`)");
}

/* Implements: REQ-CHN-010 */
void channels_generate(struct bh_ctx *c)
{
	struct bh_system *s = c->sys;

	find_service(c);
	for (unsigned i = 0; i < s->n_partitions; i++) {
		struct bh_partition *p = &s->partitions[i];
		bool ok = check_console_props(c, p);

		if (s->service < 0)
			check_needs_service(c, p);
		else if (ok && p->console != CFG_CONSOLE_NONE)
			add_console(c, (int)i);
	}
	if (s->service >= 0)
		add_log(c);
}
