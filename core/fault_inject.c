/* SPDX-License-Identifier: MIT */
/*
 * Fault injection: which points are armed (CONFIG_FAULT_INJECTION only; see
 * fault_inject.h). A point is armed by a partition (BH_HC_TEST_FAULT) or at
 * boot (CONFIG_FAULT_INJECT_AT_BOOT) and fires once, at the place in the
 * hypervisor that tests it: there the real failure path runs, nothing of
 * it is simulated.
 */
#include <generated/autoconf.h>
#include "fault_inject.h"
#include "arch.h"
#include "cpu.h"
#include "lib.h"
#include "log.h"
#include "partition.h"

/* The names CONFIG_FAULT_INJECT_AT_BOOT may give (core/build.mk checks it), by point. */
static const char *const point_names[BH_FAULT_POINTS] = {
	[BH_FAULT_S2_TABLE_ALLOC] = "s2-table-alloc",
	[BH_FAULT_EL2_SYNC] = "el2-sync",
	[BH_FAULT_GUEST_SERROR] = "guest-serror",
	[BH_FAULT_LR_CORRUPT] = "lr-corrupt",
	[BH_FAULT_STUCK_CORE] = "stuck-core",
	[BH_FAULT_GIC_STUCK] = "gic-stuck",
};

/* Bit n: point n is armed. */
static uint32_t armed;

/* Implements: infrastructure */
static bool names_equal(const char *a, const char *b)
{
	size_t i = 0u;

	while ((a[i] != '\0') && (a[i] == b[i])) {
		i++;
	}
	return a[i] == b[i];
}

/* Implements: infrastructure */
static void arm(uint32_t point)
{
	log_warning("fault injection: point %s armed", point_names[point]);
	__atomic_fetch_or(&armed, (uint32_t)1u << point, __ATOMIC_ACQ_REL);
}

/* Implements: infrastructure */
void fault_inject_boot(void)
{
	for (uint32_t i = 0u; i < BH_FAULT_POINTS; i++) {
		if (names_equal(point_names[i], CONFIG_FAULT_INJECT_AT_BOOT)) {
			arm(i);
		}
	}
}

/* Implements: infrastructure */
bool fault_inject_fires(uint32_t point)
{
	uint32_t bit = (uint32_t)1u << point;

	return (__atomic_fetch_and(&armed, ~bit, __ATOMIC_ACQ_REL) & bit) != 0u;
}

/* Implements: infrastructure */
void fault_inject_hypercall(struct cpu *cpu, uint64_t r[7])
{
	UNUSED(cpu);
	if (r[1] >= BH_FAULT_POINTS) {
		r[0] = (uint64_t)BH_ERR_INVALID_PARAM;
	} else {
		arm((uint32_t)r[1]);
		r[0] = (uint64_t)BH_OK;
	}
}

/* Implements: infrastructure */
void fault_inject_stop(const struct cpu *cpu)
{
	if (fault_inject_fires(BH_FAULT_STUCK_CORE)) {
		log_warning("fault injection: core %u stuck, it will not stop", cpu->index);
		for (;;) {
			arch_cpu_relax();
		}
	}
}
