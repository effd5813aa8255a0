/* SPDX-License-Identifier: MIT */
/*
 * Fault injection (CONFIG_FAULT_INJECTION: test builds only; core/build.mk
 * and arch/<arch>/build.mk leave its files out otherwise). Named points in
 * the hypervisor fail on purpose once armed, so that the system tests can
 * show the fail-safe reactions docs/safety/safety-manual.md promises
 * (docs/safety/fault-injection.md lists the points and the reactions).
 */
#ifndef BULKHEAD_FAULT_INJECT_H
#define BULKHEAD_FAULT_INJECT_H

#include <bulkhead/hypercall.h>
#include "types.h"

struct cpu;

/** Arms the point CONFIG_FAULT_INJECT_AT_BOOT names, if any. Called once, before any partition loads. */
void fault_inject_boot(void);

/** True, once, when point `point` (BH_FAULT_*) is armed: the caller then fails there. */
bool fault_inject_fires(uint32_t point);

/** BH_HC_TEST_FAULT: arms the point r[1]. */
void fault_inject_hypercall(struct cpu *cpu, uint64_t r[7]);

/** A core told to stop for its partition's stop: with BH_FAULT_STUCK_CORE armed it never stops. */
void fault_inject_stop(const struct cpu *cpu);

/** ARM64: the points that fire on the way back from a synchronous trap (arch/arm64/fault_inject.c). */
void arm64_fault_inject_trap_exit(struct cpu *cpu);

/** ARM64, a wait for the GICv3 to clear a busy bit of register `reg`: the address to poll, a word
 *  whose bits never clear when BH_FAULT_GIC_STUCK fires, else `reg`. */
uint64_t arm64_fault_inject_gic_wait(uint64_t reg);

#endif /* BULKHEAD_FAULT_INJECT_H */
