/* SPDX-License-Identifier: MIT */
/*
 * The service partition's prompt (svc.h): help, list, stop <partition>,
 * restart <partition>. A partition is named by its name or its id. What a
 * command may do is the hypervisor's decision (BH_HC_PARTITION_CONTROL
 * refuses a partition without `service-control`); the prompt reports it.
 */
#include <string.h>
#include <bulkhead/hypercall.h>
#include "svc.h"

static const char *state_name(uint32_t state)
{
	static const char *const names[] = { "off", "running", "stopped" };

	return (state < 3u) ? names[state] : "?";
}

static const char *error_name(int err)
{
	const char *name = "error";

	if (err == BH_ERR_DENIED) {
		name = "refused (not under service control, itself, or busy: try again)";
	} else if (err == BH_ERR_INVALID_PARAM) {
		name = "no such partition";
	} else if (err == BH_ERR_NOT_SUPPORTED) {
		name = "not supported by this hypervisor";
	} else {
		/* any other code */
	}
	return name;
}

/* Implements: REQ-SVC-006 */
static void list(struct svc_mux *m)
{
	(void)svc_printf(m, "%-3s %-20s %-8s %-6s %-8s %-6s %s", "id", "partition", "state", "cores", "restarts", "faults",
			 "control");
	for (uint32_t id = 0u; id < m->n_partitions; id++) {
		struct svc_status st;
		int err = svc_hv_status(id, &st);

		if (err != 0) {
			(void)svc_printf(m, "%-3u %-20s %s", (unsigned)id, m->partitions[id], error_name(err));
		} else {
			(void)svc_printf(m, "%-3u %-20s %-8s 0x%-4x %-8lu %-6lu %s", (unsigned)id, m->partitions[id],
					 state_name(st.state), (unsigned)st.cores, (unsigned long)st.restarts,
					 (unsigned long)st.faults, st.controllable ? "yes" : "no");
		}
	}
}

/* A partition by name or by id; SVC_PARTITIONS_MAX when none. */
static uint32_t find(const struct svc_mux *m, const char *arg)
{
	uint32_t id = 0u;
	uint32_t digits = 0u;

	/* Decimal digits only, and no more than an id can have (no errno, no overflow). */
	while ((digits < 4u) && (arg[digits] >= '0') && (arg[digits] <= '9')) {
		id = (id * 10u) + ((uint32_t)arg[digits] - (uint32_t)'0');
		digits++;
	}
	if ((digits > 0u) && (arg[digits] == '\0') && (id < m->n_partitions)) {
		return id;
	}
	for (uint32_t i = 0u; i < m->n_partitions; i++) {
		if ((m->partitions[i][0] != '\0') && (strcmp(m->partitions[i], arg) == 0)) {
			return i;
		}
	}
	return SVC_PARTITIONS_MAX;
}

/* Implements: REQ-SVC-006 */
static void control(struct svc_mux *m, const char *verb, const char *arg, uint32_t action)
{
	uint32_t id = find(m, arg);

	if (id == SVC_PARTITIONS_MAX) {
		(void)svc_printf(m, "%s: no partition '%s' (list shows them)", verb, arg);
	} else {
		int err = svc_hv_control(id, action);

		if (err == 0) {
			(void)svc_printf(m, "%s %s: requested", verb, m->partitions[id]);
		} else {
			(void)svc_printf(m, "%s %s: %s", verb, m->partitions[id], error_name(err));
		}
	}
}

/* Splits "verb arg" in place: the verb is line itself, the argument returned ("" when none). */
static const char *split(char *line)
{
	char *sp = strchr(line, ' ');
	const char *arg = "";

	if (sp != NULL) {
		size_t i = 1u;

		*sp = '\0';
		while (sp[i] == ' ') {
			i++;
		}
		arg = &sp[i];
	}
	return arg;
}

/* Implements: REQ-SVC-006 */
void svc_command(struct svc_mux *m, const char *line)
{
	char buf[SVC_INPUT_MAX];
	size_t n = svc_strnlen(line, SVC_INPUT_MAX - 1u);
	size_t start = 0u;

	while ((start < n) && (line[start] == ' ')) {
		start++;
	}
	(void)memcpy(buf, &line[start], n - start);
	buf[n - start] = '\0';
	const char *arg = split(buf);

	if (buf[0] == '\0') {
		/* an empty line: nothing to do */
	} else if (strcmp(buf, "help") == 0) {
		(void)svc_printf(m, "commands: list | stop <partition> | restart <partition> | help; "
				    "CTRL-a three times moves the input focus");
	} else if ((strcmp(buf, "list") == 0) || (strcmp(buf, "ps") == 0)) {
		list(m);
	} else if (strcmp(buf, "stop") == 0) {
		control(m, "stop", arg, BH_CONTROL_STOP);
	} else if (strcmp(buf, "restart") == 0) {
		control(m, "restart", arg, BH_CONTROL_RESTART);
	} else {
		(void)svc_printf(m, "unknown command '%s' (help lists them)", buf);
	}
}

/* Implements: REQ-SVC-007 */
bool svc_others_stopped(const struct svc_mux *m)
{
	bool stopped = (m->n_partitions > 1u);

	for (uint32_t id = 0u; stopped && (id < m->n_partitions); id++) {
		struct svc_status st;

		if (id != m->self) {
			stopped = (svc_hv_status(id, &st) == 0) && (st.state == BH_PARTITION_STOPPED);
		}
	}
	return stopped;
}

void svc_learn_partitions(struct svc_mux *m)
{
	struct svc_status st;

	for (uint32_t id = 0u; id < SVC_PARTITIONS_MAX; id++) {
		if (svc_hv_status(id, &st) == BH_ERR_INVALID_PARAM) {
			break;
		}
		if (m->n_partitions <= id) {
			m->n_partitions = id + 1u;
		}
	}
}
