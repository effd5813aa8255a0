/* SPDX-License-Identifier: MIT */
/* The shared part of the unit tests on the trap fuzz target's system (traps_unit.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "cpu.h"
#include "emul.h"
#include "fake_arch.h"
#include "partition.h"
#include "traps_system.h"
#include "traps_unit.h"

int traps_unit_boot(void **state)
{
	static uint64_t clock;

	(void)state;
	/* Never back in time: a test may have moved the counter on (a rate limit's interval). */
	if (fake.counter > clock) {
		clock = fake.counter;
	}
	traps_system_boot();
	clock += 2u * FAKE_COUNTER_HZ;
	fake.counter = clock;
	fake.console_len = 0;
	fake.console[0] = '\0';
	return 0;
}

uint64_t traps_dist(uint32_t core, uint32_t offset, bool write, uint32_t size, uint64_t value)
{
	struct cpu *cpu = cpu_get(core);
	const struct emul_region *r = emul_find(&cpu->partition->emul[EMUL_MMIO], TRAPS_GICD + offset);

	assert_non_null(r);
	fake.current = cpu;
	assert_true(r->handler(cpu, r->context, offset, write, size, &value));
	return value;
}
