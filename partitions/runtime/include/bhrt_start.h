/* SPDX-License-Identifier: MIT */
/*
 * Between the runtime's shared start-up (partitions/runtime/start.c) and its
 * architecture parts; programs do not use it (but the probe, which makes one
 * CPU_ON call by hand with register contents of its own).
 */
#ifndef BHRT_START_H
#define BHRT_START_H

#include <stdint.h>

/* vCPUs a partition can start with rt_cpu_on (its function is kept per vCPU). */
#define RT_MAX_VCPUS 64u

/** Keeps what the secondary vCPU `vcpu` runs once started (ignored beyond RT_MAX_VCPUS). */
void rt_secondary_set(uint32_t vcpu, void (*fn)(uint64_t), uint64_t arg);

/** The crt0 entry a secondary vCPU is started at (it calls rt_secondary_start). */
extern void rt_secondary_entry(void);

#endif
