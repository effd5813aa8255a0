/* SPDX-License-Identifier: MIT */
/*
 * Incidents: what the hypervisor refused or contained for a partition,
 * counted per partition and kind since the board booted (restarts keep
 * them) and logged at a limited rate, each line saying how many of its
 * kind went unlogged since the previous one. The kinds are part of the
 * guest ABI (BH_INCIDENT_* in <bulkhead/hypercall.h>): a partition reads
 * its own counters with BH_HC_INCIDENTS, and the hypervisor prints every
 * partition's non-zero counters when it stops (docs/design.md).
 */
#ifndef BULKHEAD_INCIDENT_H
#define BULKHEAD_INCIDENT_H

#include <bulkhead/hypercall.h>
#include "log.h"
#include "types.h"

struct cpu;
struct partition;

/** One kind of incident of one partition. */
struct incident_counter {
	uint64_t count;        /* since boot (atomic) */
	uint64_t logged;       /* count when the latest line was printed */
	uint64_t next_line;    /* arch_counter() from which the next line may be printed */
};

/** What a due log line reports. */
struct incident_line {
	const char *kind;      /* the kind's name, e.g. "interrupt" */
	uint64_t count;        /* incidents of this kind so far, this one included */
	uint64_t unlogged;     /* of them, how many since the previous line were not logged */
};

/**
 * Counts an incident of `kind` (BH_INCIDENT_*) for the partition running on
 * `cpu`. True when a log line is due: the first incident of each kind, then
 * at most one per CONFIG_LOG_INCIDENT_INTERVAL_MS; *line then says what to
 * print. Use incident_log() rather than calling this directly.
 */
bool incident(const struct cpu *cpu, uint32_t kind, struct incident_line *line);

/** Counts an incident that its caller logs every time (faults). */
void incident_note(struct partition *p, uint32_t kind);

/** Counts an incident without a line of its own: the next line of its kind counts it as not logged. */
void incident_absorb(struct partition *p, uint32_t kind);

/** Incidents of `kind` counted for partition `p` since boot; 0 for an unknown kind. */
uint64_t incident_count(const struct partition *p, uint32_t kind);


/**
 * Counts an incident and, when due, logs
 *   partition 'NAME' vCPU N, KIND incident COUNT (U not logged since the last): DETAIL
 * where DETAIL is `fmt` with its arguments (a string literal, at least one argument).
 */
#define incident_log(cpu_, kind_, fmt, ...)                                                          \
	do {                                                                                         \
		struct incident_line incident_line_;                                                 \
		if (incident((cpu_), (kind_), &incident_line_)) {                                    \
			log_warning("partition '%s' vCPU %u, %s incident %lu (%lu not logged since the last): " fmt, \
				    (cpu_)->partition->cfg->name, (cpu_)->vcpu, incident_line_.kind, \
				    incident_line_.count, incident_line_.unlogged, __VA_ARGS__);     \
		}                                                                                    \
	} while (false)

#endif /* BULKHEAD_INCIDENT_H */
