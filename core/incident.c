/* SPDX-License-Identifier: MIT */
/*
 * Incident counters and their rate-limited log (see incident.h).
 *
 * Counting is one atomic add, so a hostile loop costs the hypervisor no more
 * than the refusal itself. A line is printed for the first incident of each
 * kind and then at most once per interval per partition and kind: a
 * partition flooding one kind cannot hide another kind, nor another
 * partition's incidents, and the console stays usable.
 */
#include <generated/autoconf.h>
#include "incident.h"
#include "arch.h"
#include "cpu.h"
#include "partition.h"

/* Implements: REQ-TRP-009 */
bool incident(const struct cpu *cpu, uint32_t kind, struct incident_line *line)
{
	static const char *const kind_names[BH_INCIDENT_KINDS] = {
		[BH_INCIDENT_CALL] = "call",
		[BH_INCIDENT_REGISTER] = "register",
		[BH_INCIDENT_INTERRUPT] = "interrupt",
		[BH_INCIDENT_CONSOLE] = "console",
		[BH_INCIDENT_FAULT] = "fault",
		[BH_INCIDENT_INTERFERENCE] = "interference",
	};
	struct incident_counter *l = &cpu->partition->incidents[kind % BH_INCIDENT_KINDS];
	uint64_t n = __atomic_add_fetch(&l->count, 1u, __ATOMIC_RELAXED);
	uint64_t now = arch_counter();
	uint64_t next = __atomic_load_n(&l->next_line, __ATOMIC_RELAXED);
	uint64_t interval = (arch_counter_hz() * (uint64_t)CONFIG_LOG_INCIDENT_INTERVAL_MS) / 1000u;

	/* Of several vCPUs refused at once, the one that moves next_line prints. */
	if ((now < next) || !__atomic_compare_exchange_n(&l->next_line, &next, now + interval, false,
							 __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
		return false;
	}
	uint64_t before = __atomic_exchange_n(&l->logged, n, __ATOMIC_RELAXED);

	line->kind = kind_names[kind % BH_INCIDENT_KINDS];
	line->count = n;
	line->unlogged = (n > before) ? ((n - before) - 1u) : 0u;
	return true;
}

/* Implements: REQ-TRP-009 */
void incident_note(struct partition *p, uint32_t kind)
{
	struct incident_counter *l = &p->incidents[kind % BH_INCIDENT_KINDS];
	uint64_t n = __atomic_add_fetch(&l->count, 1u, __ATOMIC_RELAXED);

	__atomic_store_n(&l->logged, n, __ATOMIC_RELAXED);
}

/* Implements: REQ-LNX-008~2 */
void incident_absorb(struct partition *p, uint32_t kind)
{
	(void)__atomic_add_fetch(&p->incidents[kind % BH_INCIDENT_KINDS].count, 1u, __ATOMIC_RELAXED);
}

/* Implements: REQ-TRP-009, REQ-HC-007 */
uint64_t incident_count(const struct partition *p, uint32_t kind)
{
	return (kind < BH_INCIDENT_KINDS) ? __atomic_load_n(&p->incidents[kind].count, __ATOMIC_RELAXED) : 0u;
}
