/* SPDX-License-Identifier: MIT */
/*
 * The sources: console channels and the hypervisor's log (svc.h). Records
 * are read with the partition runtime's ring, which trusts nothing in shared
 * memory; a record is taken only when the output queue has room for what it
 * can print, so the ring's own back-pressure (or a lossy producer's drop
 * count) is what a source that outruns the UART meets.
 */
#include <stdio.h>
#include <string.h>
#include <bulkhead/channel.h>
#include "svc.h"

void svc_init(struct svc_mux *m, uint32_t self, bool color)
{
	(void)memset(m, 0, sizeof(*m));
	m->self = self;
	m->color = color;
	(void)strcpy(m->partitions[self % SVC_PARTITIONS_MAX], "service");
	if (m->n_partitions <= (self % SVC_PARTITIONS_MAX)) {
		m->n_partitions = (self % SVC_PARTITIONS_MAX) + 1u;
	}
}

static void copy_name(char dst[SVC_NAME_MAX], const char *src)
{
	size_t n = svc_strnlen(src, SVC_NAME_MAX - 1u);

	(void)memcpy(dst, src, n);
	dst[n] = '\0';
}

bool svc_name_partition(struct svc_mux *m, uint32_t id, const char *name)
{
	if (id >= SVC_PARTITIONS_MAX) {
		return false;
	}
	copy_name(m->partitions[id], name);
	if (m->n_partitions <= id) {
		m->n_partitions = id + 1u;
	}
	return true;
}

/* A partition's name, or "partition N" for one the device tree did not name. */
static const char *partition_name(struct svc_mux *m, uint32_t id, char scratch[SVC_NAME_MAX])
{
	if ((id < m->n_partitions) && (m->partitions[id][0] != '\0')) {
		return m->partitions[id];
	}
	(void)snprintf(scratch, SVC_NAME_MAX, "partition %u", (unsigned)id);
	return scratch;
}

struct svc_source *svc_add_source(struct svc_mux *m, enum svc_source_kind kind, uint32_t partition, uint32_t channel,
				  struct rt_ring *out, struct rt_ring *in)
{
	struct svc_source *s;
	char scratch[SVC_NAME_MAX];

	if ((m->n_sources >= SVC_SOURCES_MAX) || (out == NULL)) {
		return NULL;
	}
	s = &m->sources[m->n_sources];
	(void)memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->partition = (kind == SVC_SOURCE_LOG) ? SVC_NO_PARTITION : partition;
	s->channel = channel;
	s->out = out;
	s->in = in;
	s->corrupt_next = 1u;
	copy_name(s->name, (kind == SVC_SOURCE_LOG) ? "bulkhead" : partition_name(m, partition, scratch));
	if ((kind == SVC_SOURCE_CONSOLE) && (in != NULL)) {
		m->focus_source[m->n_focus] = m->n_sources;
		m->n_focus++;
	}
	m->n_sources++;
	return s;
}

/* Console bytes: into the unfinished line; a newline or a full line prints it. False: no room, try later. */
static bool console_bytes(struct svc_mux *m, struct svc_source *s)
{
	while (s->rec_pos < s->rec_len) {
		char c = (char)s->rec[s->rec_pos];
		bool full = (c != '\n') && (s->line_len == SVC_LINE_MAX);

		if ((c == '\n') || full) {
			if (!svc_print_line(m, s->name, s->partition, s->line, s->line_len)) {
				return false;
			}
			s->line_len = 0u;
		}
		if (c != '\n') {
			s->line[s->line_len] = c;
			s->line_len++;
		}
		s->rec_pos++;
	}
	return true;
}

#if defined(BH_LOG_FAULT) || defined(BH_LOG_STOPPED)
static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0u;

	for (uint32_t i = 8u; i > 0u; i--) {
		v = (v << 8) | p[i - 1u];
	}
	return v;
}
#endif

#ifdef BH_LOG_FAULT
/* A BH_LOG_FAULT record, printed as the hypervisor printed faults before it left the formatting to us. */
static bool fault_record(struct svc_mux *m, const uint8_t *r)
{
	static const char *const kinds[BH_FAULT_KINDS] = BH_FAULT_NAMES;
	char scratch[SVC_NAME_MAX];
	char at[40];
	uint8_t flags = r[BH_LOG_FAULT_FLAGS];

	at[0] = '\0';
	if ((flags & BH_LOG_FAULT_ADDR_VALID) != 0u) {
		(void)snprintf(at, sizeof(at), " at IPA 0x%lx", (unsigned long)le64(&r[BH_LOG_FAULT_ADDR]));
	}
	return svc_print_line_f(m, "bulkhead", SVC_NO_PARTITION,
				"fault: partition '%s' vCPU %u (core %u): %s%s, PC 0x%lx, ESR 0x%lx; %s",
				partition_name(m, r[0], scratch), (unsigned)r[BH_LOG_FAULT_VCPU],
				(unsigned)r[BH_LOG_FAULT_CORE],
				(r[BH_LOG_FAULT_KIND] < BH_FAULT_KINDS) ? kinds[r[BH_LOG_FAULT_KIND]] : "fault of unknown kind",
				at, (unsigned long)le64(&r[BH_LOG_FAULT_PC]),
				(unsigned long)le64(&r[BH_LOG_FAULT_SYNDROME]),
				((flags & BH_LOG_FAULT_RESTART) != 0u) ? "restart" : "stop");
}
#endif

#ifdef BH_LOG_STOPPED
/*
 * A BH_LOG_STOPPED record: two lines, as the hypervisor printed them; the
 * first sets rec_pos to 1 so that a full queue resumes at the second.
 */
static bool stopped_record(struct svc_mux *m, struct svc_source *s)
{
	char scratch[SVC_NAME_MAX];
	const char *name = partition_name(m, s->rec[0], scratch);
	uint64_t c[6];
	uint64_t any = 0u;

	if ((s->rec_pos == 0u) && !svc_print_line_f(m, "bulkhead", SVC_NO_PARTITION, "partition '%s' stopped", name)) {
		return false;
	}
	s->rec_pos = 1u;
	for (uint32_t k = 0u; k < 6u; k++) {
		c[k] = le64(&s->rec[BH_LOG_STOPPED_INCIDENTS + (8u * k)]);
		any |= c[k];
	}
	return (any == 0u) ||
	       svc_print_line_f(m, "bulkhead", SVC_NO_PARTITION,
				"partition '%s' incidents since boot: call %lu, register %lu, interrupt %lu, "
				"console %lu, fault %lu, interference %lu",
				name, (unsigned long)c[0], (unsigned long)c[1], (unsigned long)c[2],
				(unsigned long)c[3], (unsigned long)c[4], (unsigned long)c[5]);
}
#endif

/* The parts of a log line joined so far, printed as they are. False: no room, try later. */
static bool log_text_flush(struct svc_mux *m, struct svc_source *s)
{
	char scratch[SVC_NAME_MAX];
	uint32_t src = s->joined_source;
	const char *name = (src == BH_LOG_SOURCE_HYPERVISOR) ? "bulkhead" : partition_name(m, src, scratch);

	if ((s->joined_len != 0u) &&
	    !svc_print_line(m, name, (src == BH_LOG_SOURCE_HYPERVISOR) ? SVC_NO_PARTITION : src, s->joined,
			    s->joined_len)) {
		return false;
	}
	s->joined_len = 0u;
	return true;
}

/*
 * A text record: appended to the line its source's earlier BH_LOG_TEXT_MORE
 * parts began, printed once its BH_LOG_TEXT part is there. The hypervisor
 * publishes a line's parts together, so what it dropped for a full ring
 * (its drop count moved) or a record of another source ends the line so far:
 * it is printed as it is, never joined to another line.
 */
/* Implements: REQ-SVC-001, REQ-LOG-001~2 */
static bool log_text(struct svc_mux *m, struct svc_source *s)
{
	uint32_t src = s->rec[0];
	uint32_t dropped = rt_ring_dropped(s->out);
	uint32_t n = s->rec_len - 2u;

	/* Room for the line so far and this one first: a record half taken would be taken twice. */
	if (svc_tx_room(&m->tx) < (2u * svc_line_cost())) {
		return false;
	}
	if ((s->joined_len != 0u) && ((s->joined_source != src) || (s->joined_dropped != dropped) ||
				      ((s->joined_len + n) > SVC_LOG_LINE_MAX))) {
		/* Longer than any line the hypervisor makes, or no part of it: printed as it is. */
		(void)log_text_flush(m, s);
	}
	(void)memcpy(&s->joined[s->joined_len], &s->rec[2], n);
	s->joined_len += n;
	s->joined_source = src;
	s->joined_dropped = dropped;
	if (s->rec[1] == (uint8_t)BH_LOG_TEXT_MORE) {
		return true;
	}
	return log_text_flush(m, s);
}

/* A log record: [source, kind, body]; a text line of the hypervisor or of a partition's debug console. */
static bool log_record(struct svc_mux *m, struct svc_source *s)
{
	bool done = true;

#ifdef BH_LOG_STOPPED
	if ((s->rec_len >= BH_LOG_STOPPED_SIZE) && (s->rec[1] == (uint8_t)BH_LOG_STOPPED)) {
		done = stopped_record(m, s);
	} else
#endif
#ifdef BH_LOG_FAULT
	if ((s->rec_len >= BH_LOG_FAULT_SIZE) && (s->rec[1] == (uint8_t)BH_LOG_FAULT)) {
		done = fault_record(m, s->rec);
	} else
#endif
	if ((s->rec_len >= 2u) && ((s->rec[1] == (uint8_t)BH_LOG_TEXT) || (s->rec[1] == (uint8_t)BH_LOG_TEXT_MORE))) {
		done = log_text(m, s);
	} else {
		done = svc_printf(m, "log: record of unknown kind %u (%u bytes) skipped",
				  (s->rec_len >= 2u) ? (unsigned)s->rec[1] : 0u, (unsigned)s->rec_len);
	}
	if (done) {
		s->rec_pos = s->rec_len;
	}
	return done;
}

/* Prints what is left of the current record. False: the queue is full. */
/* Implements: REQ-SVC-001, REQ-SVC-003 */
static bool finish_record(struct svc_mux *m, struct svc_source *s)
{
	if (s->rec_pos >= s->rec_len) {
		return true;
	}
	return (s->kind == SVC_SOURCE_LOG) ? log_record(m, s) : console_bytes(m, s);
}

/* New drops of its producer and corruption of its ring, each reported once (corruption: at 1, 2, 4, 8... ). */
/* Implements: REQ-SVC-004 */
static void report(struct svc_mux *m, struct svc_source *s)
{
	uint32_t dropped = rt_ring_dropped(s->out);
	uint32_t corrupt = s->out->corrupt;

	if ((dropped != s->dropped_seen) &&
	    svc_printf(m, "%s: %u records dropped (%u in all)", s->name, (unsigned)(dropped - s->dropped_seen),
		       (unsigned)dropped)) {
		s->dropped_seen = dropped;
	}
	if ((corrupt >= s->corrupt_next) &&
	    svc_printf(m, "%s: ring corrupt (%u times): its indices or record lengths are impossible", s->name,
		       (unsigned)corrupt)) {
		s->corrupt_seen = corrupt;
		s->corrupt_next = UINT32_MAX;
		if (corrupt < 0x80000000u) {
			s->corrupt_next = corrupt * 2u;
		}
	}
	if ((s->input_dropped != s->input_dropped_seen) &&
	    svc_printf(m, "%s: %u typed bytes dropped (it does not read its input)", s->name,
		       (unsigned)(s->input_dropped - s->input_dropped_seen))) {
		s->input_dropped_seen = s->input_dropped;
	}
}

/* One source's turn: finish the current record, then at most SVC_RECORDS_PER_TURN new ones. */
/* Implements: REQ-SVC-003 */
static uint32_t turn(struct svc_mux *m, struct svc_source *s)
{
	uint32_t taken = 0u;
	bool room = finish_record(m, s);

	while (room && (taken < SVC_RECORDS_PER_TURN) && (svc_tx_room(&m->tx) >= svc_line_cost())) {
		size_t len = 0u;
		enum rt_ring_status st = rt_ring_recv(s->out, s->rec, sizeof(s->rec), &len);

		if (st != RT_RING_OK) {
			/* Empty, or corrupt (counted by the ring, reported below): next source. */
			break;
		}
		s->rec_len = (uint32_t)len;
		s->rec_pos = 0u;
		taken++;
		s->wake = true;
		room = finish_record(m, s);
	}
	report(m, s);
	return taken;
}

/* Implements: REQ-SVC-003 */
uint32_t svc_poll(struct svc_mux *m)
{
	uint32_t taken = 0u;

	/* Each source comes first in turn: when the queue fills, no source is always the one left out. */
	for (uint32_t i = 0u; i < m->n_sources; i++) {
		taken += turn(m, &m->sources[(m->first + i) % m->n_sources]);
	}
	m->first = (m->n_sources != 0u) ? ((m->first + 1u) % m->n_sources) : 0u;
	return taken;
}
