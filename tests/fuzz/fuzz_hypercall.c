/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: Bulkhead's hypercalls (core/hypercall.c) with hostile
 * arguments, on the fake architecture and the fake system of tests/unit
 * (fake_system.h: alpha with RAM, a read-only region and a device; beta
 * with RAM on two vCPUs).
 *
 * The input is a sequence of calls, each by one vCPU with seven argument
 * registers; function ids are steered to the hypervisor's range and buffer
 * addresses to the partitions' memory half of the time. The oracle: x4..x6
 * are preserved (SMCCC), every status is one the ABI defines, a console
 * write succeeds exactly when its (clamped) buffer is readable memory of
 * the caller, guest memory is never written, and every console line starts
 * with a partition's own prefix.
 */
#include <bulkhead/hypercall.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "cpu.h"
#include "fake_arch.h"
#include "fake_system.h"
#include "partition.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_CALLS 32u

struct input {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct input *in, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes && in->n; i++, in->n--, in->p++)
		v |= (uint64_t)*in->p << (8u * i);
	return v;
}

static _Noreturn void violation(const char *what, const uint64_t *r)
{
	fprintf(stderr, "hypercall oracle: %s (x0 0x%lx x1 0x%lx x2 0x%lx x3 0x%lx)\n", what, (unsigned long)r[0],
		(unsigned long)r[1], (unsigned long)r[2], (unsigned long)r[3]);
	abort();
}

static uint64_t function_id(struct input *in)
{
	static const uint32_t ids[] = {
		BH_HC_VERSION, BH_HC_CONSOLE_PUTC, BH_HC_CONSOLE_WRITE, BH_HC_PARTITION_INFO, BH_HC_CALL_COUNT,
		BH_HC_CALL_UID, BH_HC_REVISION,
	};
	uint64_t raw = take(in, 8);

	if (raw % 4 == 0)
		return raw;
	return (raw & ~UINT64_C(0xffffffff)) * (raw % 3 == 0) | ids[(raw >> 8) % (sizeof(ids) / sizeof(ids[0]))];
}

/* A buffer address: mostly near the start or end of a partition's memory. */
static uint64_t address(struct input *in)
{
	static const uint64_t bases[] = { ALPHA_RAM_IPA, ALPHA_RO_IPA, ALPHA_DEV_IPA, BETA_RAM_IPA };
	uint64_t raw = take(in, 8);

	if (raw % 2 == 0)
		return raw;
	return bases[(raw >> 1) % 4] + ((raw >> 8) % (2u * RAM_SIZE)) - RAM_SIZE / 2u;
}

/* Whether [ipa, ipa + len) lies in one region of the caller it may read (RAM only). */
static bool readable(const struct cpu *cpu, uint64_t ipa, uint64_t len)
{
	const struct cfg_partition *p = cpu->partition->cfg;

	for (uint32_t i = 0; i < p->n_regions; i++) {
		const struct cfg_region *r = &p->regions[i];

		if (r->kind == CFG_REGION_RAM && (r->access & CFG_ACCESS_R) && ipa >= r->ipa && len <= r->size &&
		    ipa - r->ipa <= r->size - len)
			return true;
	}
	return false;
}

static bool known_status(int64_t s)
{
	return s == BH_OK || s == BH_ERR_NOT_SUPPORTED || s == BH_ERR_INVALID_PARAM || s == BH_ERR_INVALID_ADDRESS;
}

/* Hypercalls only read guest memory: it must still hold what the harness wrote. */
static bool filled(const uint8_t *p, size_t n, uint8_t byte)
{
	return n == 0 || (p[0] == byte && memcmp(p, p + 1, n - 1) == 0);
}

static bool memory_untouched(void)
{
	return filled(alpha_ram, sizeof(alpha_ram), 'a') && filled(alpha_ro, sizeof(alpha_ro), '\n') &&
	       filled(beta_ram, sizeof(beta_ram), 'b');
}

/* Every console line so far starts with a partition's own prefix or the hypervisor's. */
static void check_console(const uint64_t *r)
{
	for (const char *line = fake.console; *line;) {
		const char *end = strstr(line, "\r\n");

		if (!end)
			break;   /* the buffer filled up mid-line */
		if (strncmp(line, "[alpha] ", 8) != 0 && strncmp(line, "[beta] ", 7) != 0 &&
		    strncmp(line, "[bulkhead] ", 11) != 0)
			violation("a console line without its partition's prefix", r);
		line = end + 2;
	}
	if (fake.console_len > sizeof(fake.console) / 2) {
		fake.console_len = 0;
		fake.console[0] = '\0';
	}
}

static void one_call(struct input *in)
{
	struct cpu *cpu = cpu_get((uint32_t)take(in, 1) % 3u);
	uint64_t r[7] = { function_id(in), address(in), take(in, 1) % 2 ? take(in, 2) : take(in, 8), take(in, 8),
			  0x1111, 0x2222, 0x3333 };
	uint64_t call[7];

	memcpy(call, r, sizeof(r));
	hypercall_dispatch(cpu, r);
	if (r[4] != 0x1111 || r[5] != 0x2222 || r[6] != 0x3333)
		violation("x4..x6 not preserved", call);
	if ((uint32_t)call[0] == BH_HC_CONSOLE_WRITE) {
		uint64_t len = call[2] > BH_CONSOLE_WRITE_MAX ? BH_CONSOLE_WRITE_MAX : call[2];
		bool ok = len == 0 || readable(cpu, call[1], len);

		if ((int64_t)r[0] != (ok ? BH_OK : BH_ERR_INVALID_ADDRESS) || (ok && r[1] != len))
			violation("console write answered against the caller's memory", call);
	} else if ((uint32_t)call[0] != BH_HC_CALL_UID && (uint32_t)call[0] != BH_HC_REVISION &&
		   (uint32_t)call[0] != BH_HC_CALL_COUNT && !known_status((int64_t)r[0])) {
		violation("a status the ABI does not define", call);
	}
	check_console(call);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	fake_system_boot();
	for (uint32_t c = 1; c < 3; c++) {
		cpu_get(c)->partition = partition_get(1);
		cpu_get(c)->vcpu = c - 1;
	}
	/* Something to print, in every partition's memory. */
	memset(alpha_ram, 'a', sizeof(alpha_ram));
	memset(alpha_ro, '\n', sizeof(alpha_ro));
	memset(beta_ram, 'b', sizeof(beta_ram));
	for (uint32_t calls = 0; in.n && calls < MAX_CALLS; calls++)
		one_call(&in);
	if (!memory_untouched()) {
		fprintf(stderr, "hypercall oracle: guest memory written\n");
		abort();
	}
	return 0;
}
