/* SPDX-License-Identifier: MIT */
/*
 * Shared by the hypercall tests: boot the fake system and call as alpha.
 */
#ifndef HC_HELPERS_H
#define HC_HELPERS_H

#include <string.h>
#include "core.h"
#include "cpu.h"
#include "fake_arch.h"
#include "fake_system.h"

struct hc_result {
	int64_t x0;
	uint64_t x1, x2, x3;
};

static inline struct hc_result hc(struct cpu *cpu, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t r[7] = { fid, a1, a2, a3, 0x1111, 0x2222, 0x3333 };

	hypercall_dispatch(cpu, r);
	/* SMCCC: x4..x6 are preserved. */
	if ((r[4] != 0x1111) || (r[5] != 0x2222) || (r[6] != 0x3333)) {
		return (struct hc_result){ 0x7fffffff, 0, 0, 0 };
	}
	return (struct hc_result){ (int64_t)r[0], r[1], r[2], r[3] };
}

static inline int hc_setup(void **state)
{
	(void)state;
	fake_system_boot();
	fake.console_len = 0;
	fake.console[0] = '\0';
	return 0;
}

#endif
