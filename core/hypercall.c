/*
 * Bulkhead's own hypercalls (the SMCCC vendor-specific hypervisor range).
 * Every argument comes from a guest and is checked before use.
 */
#include <bulkhead/hypercall.h>
#include <generated/autoconf.h>
#include "core.h"
#include "console.h"
#include "cpu.h"
#include "incident.h"
#include "partition.h"

/* VERSION, PARTITION_INFO and INCIDENTS, plus CONSOLE_PUTC and CONSOLE_WRITE when configured. */
#ifdef CONFIG_DEBUG_CONSOLE
#define HC_CALL_COUNT 5u
#else
#define HC_CALL_COUNT 3u
#endif

static uint64_t status(int64_t s)
{
	return (uint64_t)s;
}

#ifdef CONFIG_DEBUG_CONSOLE
/* Out of line, as every call but VERSION: hypercall_dispatch then needs no stack frame. */
static void hc_console_putc(struct cpu *cpu, uint64_t r[7]) __attribute__((noinline));
static void hc_console_write(struct cpu *cpu, uint64_t r[7]) __attribute__((noinline));

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

static void hc_partition_info(const struct cpu *cpu, uint64_t r[7])
{
	const struct partition *p = cpu->partition;

	r[0] = status(BH_OK);
	r[1] = p->id;
	r[2] = ((uint64_t)p->cfg->n_vcpus << 32) | cpu->vcpu;
	r[3] = p->restarts;
}

static __attribute__((noinline)) void hc_incidents(const struct cpu *cpu, uint64_t r[7])
{
	if (r[1] >= BH_INCIDENT_KINDS) {
		incident_log(cpu, BH_INCIDENT_CALL, "INCIDENTS of kind %lu refused", r[1]);
		r[0] = status(BH_ERR_INVALID_PARAM);
	} else {
		r[1] = incident_count(cpu->partition, (uint32_t)r[1]);
		r[0] = status(BH_OK);
	}
}

/* Kept out of line: the refusal path must not weigh on the served calls. */
static __attribute__((noinline, cold)) void hc_unknown(const struct cpu *cpu, uint64_t r[7])
{
	incident_log(cpu, BH_INCIDENT_CALL, "hypercall 0x%lx refused", r[0]);
	r[0] = status(BH_ERR_NOT_SUPPORTED);
}

void hypercall_dispatch(struct cpu *cpu, uint64_t r[7])
{
	/* SMCCC: the function id is W0; the upper half of X0 is not part of it.
	 * VERSION first, ahead of the switch: it is the null hypercall, the
	 * cheapest call a guest can make and the measure of the trap's cost. */
	if ((uint32_t)r[0] == BH_HC_VERSION) {
		r[0] = status(BH_OK);
		r[1] = ((uint64_t)BH_ABI_MAJOR << 16) | BH_ABI_MINOR;
		return;
	}
	switch ((uint32_t)r[0]) {
#ifdef CONFIG_DEBUG_CONSOLE
	case BH_HC_CONSOLE_PUTC:
		hc_console_putc(cpu, r);
		break;
	case BH_HC_CONSOLE_WRITE:
		hc_console_write(cpu, r);
		break;
#endif
	case BH_HC_PARTITION_INFO:
		hc_partition_info(cpu, r);
		break;
	case BH_HC_INCIDENTS:
		hc_incidents(cpu, r);
		break;
	case BH_HC_CALL_COUNT:
		r[0] = HC_CALL_COUNT;
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
