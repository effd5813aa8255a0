/* SPDX-License-Identifier: MIT */
/*
 * Bulkhead's own hypercalls (the SMCCC vendor-specific hypervisor range).
 * Every argument comes from a guest and is checked before use.
 */
#include <bulkhead/hypercall.h>
#include <generated/autoconf.h>
#include "channel.h"
#include "core.h"
#include "console.h"
#include "cpu.h"
#include "incident.h"
#include "partition.h"
#include "service.h"
#include "virq.h"
#include "fault_inject.h"

/** One Bulkhead hypercall: r[1..6] hold its arguments, r[0..3] receive its results. */
typedef void (*hc_call_t)(struct cpu *self, uint64_t r[7]);

/* The function number of a Bulkhead hypercall id (BH_HC_ID(n)): n, or an out-of-range value. */
#define HC_NUMBER(fid) ((uint32_t)(fid) - (uint32_t)BH_HC_ID(0u))

/* Implements: REQ-HC-001 */
static uint64_t status(int64_t s)
{
	return (uint64_t)s;
}

/* The null hypercall: also reached ahead of the table (hypercall_dispatch). */
/* Implements: REQ-HC-005 */
static void hc_version(struct cpu *cpu, uint64_t r[7])
{
	UNUSED(cpu);
	r[0] = status(BH_OK);
	r[1] = ((uint64_t)BH_ABI_MAJOR << 16) | BH_ABI_MINOR;
}

#ifdef CONFIG_DEBUG_CONSOLE
/* Implements: REQ-CON-001, REQ-CON-003 */
static void hc_console_putc(struct cpu *cpu, uint64_t r[7])
{
	if (r[1] > 0xffu) {
		incident_log(cpu, BH_INCIDENT_CONSOLE, "character 0x%lx refused", r[1]);
		r[0] = status(BH_ERR_INVALID_PARAM);
	} else {
		console_guest_putc(cpu, (char)r[1]);
		r[0] = status(BH_OK);
	}
}

/* Implements: REQ-HC-003, REQ-CON-001, REQ-CON-003 */
static void hc_console_write(struct cpu *cpu, uint64_t r[7])
{
	uint64_t len = r[2];
	paddr_t pa;

	if (len > BH_CONSOLE_WRITE_MAX) {
		len = BH_CONSOLE_WRITE_MAX;
	}
	if (len == 0u) {
		r[0] = status(BH_OK);
		r[1] = 0u;
	} else if (!partition_translate(cpu->partition, ipa_init(r[1]), len, CFG_ACCESS_R, &pa)) {
		incident_log(cpu, BH_INCIDENT_CONSOLE, "buffer 0x%lx (%lu bytes) outside its memory refused", r[1], len);
		r[0] = status(BH_ERR_INVALID_ADDRESS);
	} else {
		const volatile char *s = pa_ptr(pa);

		for (uint64_t i = 0u; i < len; i++) {
			console_guest_putc(cpu, s[i]);
		}
		r[0] = status(BH_OK);
		r[1] = len;
	}
}
#endif

#ifdef CONFIG_TEST_HYPERCALLS
/* Implements: REQ-HC-008~2 */
static void hc_test_raise(struct cpu *cpu, uint64_t r[7])
{
	enum core_status s = ((r[1] > UINT32_MAX) || (r[2] > UINT32_MAX))
				     ? CORE_ERR_INVALID
				     : core_vcpu_inject(cpu, cpu->partition, (uint32_t)r[1], (uint32_t)r[2]);

	if (s == CORE_OK) {
		r[0] = status(BH_OK);
	} else {
		int64_t err = (s == CORE_ERR_INVALID) ? BH_ERR_INVALID_PARAM : BH_ERR_DENIED;

		incident_log(cpu, BH_INCIDENT_CALL, "TEST_RAISE of interrupt %lu in vCPU %lu refused (status %d)", r[2], r[1],
			     (int)s);
		r[0] = status(err);
	}
}
#endif

/* Implements: REQ-HC-006 */
static void hc_partition_info(struct cpu *cpu, uint64_t r[7])
{
	const struct partition *p = cpu->partition;

	r[0] = status(BH_OK);
	r[1] = p->id;
	r[2] = ((uint64_t)p->cfg->n_vcpus << 32) | cpu->vcpu;
	r[3] = p->restarts;
}

/* Implements: REQ-HC-007 */
static void hc_incidents(struct cpu *cpu, uint64_t r[7])
{
	if (r[1] >= BH_INCIDENT_KINDS) {
		incident_log(cpu, BH_INCIDENT_CALL, "INCIDENTS of kind %lu refused", r[1]);
		r[0] = status(BH_ERR_INVALID_PARAM);
	} else {
		r[1] = incident_count(cpu->partition, (uint32_t)r[1]);
		r[0] = status(BH_OK);
	}
}

/* Out of line and cold: a refusal must not weigh on the doorbell's path. */
/* Implements: REQ-CHN-009 */
static __attribute__((noinline, cold)) void hc_doorbell_refused(const struct cpu *cpu, uint64_t r[7], enum core_status s)
{
	if (s == CORE_ERR_INVALID) {
		incident_log(cpu, BH_INCIDENT_CALL, "DOORBELL of channel %lu refused: no such channel", r[1]);
		r[0] = status(BH_ERR_INVALID_PARAM);
	} else {
		/* A peer that is not running (or busy) is no incident: it restarts on its own. */
		if (!channel_has_end(cpu->partition, (uint32_t)r[1])) {
			incident_log(cpu, BH_INCIDENT_CALL, "DOORBELL of channel %lu refused: not an end of it", r[1]);
		}
		r[0] = status(BH_ERR_DENIED);
	}
}

/* Implements: REQ-CHN-009 */
static void hc_doorbell(struct cpu *cpu, uint64_t r[7])
{
	enum core_status s = (r[1] > UINT32_MAX) ? CORE_ERR_INVALID : channel_ring(cpu, (uint32_t)r[1]);

	if (s == CORE_OK) {
		r[0] = status(BH_OK);
	} else {
		hc_doorbell_refused(cpu, r, s);
	}
}

/* Kept out of line: the refusal path must not weigh on the served calls. */
/* Implements: REQ-HC-002 */
static __attribute__((noinline, cold)) void hc_unknown(const struct cpu *cpu, uint64_t r[7])
{
	incident_log(cpu, BH_INCIDENT_CALL, "hypercall 0x%lx refused", r[0]);
	r[0] = status(BH_ERR_NOT_SUPPORTED);
}

/*
 * Bulkhead's hypercalls, indexed by function number (BH_HC_ID(n)): what a
 * build offers is exactly what this table holds, and BH_HC_CALL_COUNT counts
 * it. tools/cert/stack-model.txt declares its targets.
 */
static const hc_call_t hc_calls[] = {
	[HC_NUMBER(BH_HC_VERSION)] = hc_version,
#ifdef CONFIG_DEBUG_CONSOLE
	[HC_NUMBER(BH_HC_CONSOLE_PUTC)] = hc_console_putc,
	[HC_NUMBER(BH_HC_CONSOLE_WRITE)] = hc_console_write,
#endif
	[HC_NUMBER(BH_HC_PARTITION_INFO)] = hc_partition_info,
	[HC_NUMBER(BH_HC_INCIDENTS)] = hc_incidents,
	[HC_NUMBER(BH_HC_DOORBELL)] = hc_doorbell,
	[HC_NUMBER(BH_HC_PARTITION_STATUS)] = hc_partition_status,
	[HC_NUMBER(BH_HC_PARTITION_CONTROL)] = hc_partition_control,
#ifdef CONFIG_TEST_HYPERCALLS
	[HC_NUMBER(BH_HC_TEST_RAISE)] = hc_test_raise,
#endif
#ifdef CONFIG_FAULT_INJECTION
	[HC_NUMBER(BH_HC_TEST_FAULT)] = fault_inject_hypercall,
#endif
};

#define HC_CALLS ((uint32_t)(sizeof(hc_calls) / sizeof(hc_calls[0])))

/* Implements: REQ-HC-005 */
static uint64_t hc_call_count(void)
{
	uint64_t n = 0u;

	for (uint32_t i = 0u; i < HC_CALLS; i++) {
		n += (hc_calls[i] != NULL) ? 1u : 0u;
	}
	return n;
}

/* The SMCCC general queries of the vendor hypervisor service, and what is not a call. */
/* Implements: REQ-HC-005 */
static __attribute__((noinline)) void hc_general(const struct cpu *cpu, uint64_t r[7])
{
	switch ((uint32_t)r[0]) {
	case BH_HC_CALL_COUNT:
		r[0] = hc_call_count();
		break;
	case BH_HC_CALL_UID:
		r[0] = BH_UID_0;
		r[1] = BH_UID_1;
		r[2] = BH_UID_2;
		r[3] = BH_UID_3;
		break;
	case BH_HC_REVISION:
		r[0] = BH_ABI_MAJOR;
		r[1] = BH_ABI_MINOR;
		break;
	default:
		hc_unknown(cpu, r);
		break;
	}
}

/* Implements: REQ-HC-001, REQ-HC-002, REQ-BEN-002 */
void hypercall_dispatch(struct cpu *cpu, uint64_t r[7])
{
	/* SMCCC: the function id is W0; the upper half of X0 is not part of it. */
	uint32_t n = HC_NUMBER(r[0]);

	/* VERSION first, ahead of the table: it is the null hypercall, the
	 * cheapest call a guest can make and the measure of the trap's cost. */
	if (n == HC_NUMBER(BH_HC_VERSION)) {
		hc_version(cpu, r);
	} else if ((n < HC_CALLS) && (hc_calls[n] != NULL)) {
		hc_calls[n](cpu, r);
	} else {
		hc_general(cpu, r);
	}
}
