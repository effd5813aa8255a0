/* SPDX-License-Identifier: MIT */
/*
 * Virtual interrupts that core raises: in any vCPU of any partition, from
 * any cpu (core_vcpu_inject), and the notifications of a partition's
 * restart to its peers. The channels of the service partition build on
 * them (a doorbell is a raise).
 */
#ifndef BULKHEAD_VIRQ_H
#define BULKHEAD_VIRQ_H

#include "status.h"
#include "types.h"

struct cpu;
struct partition;

/**
 * core_vcpu_post() for a vCPU and interrupt known to be valid (vcpu <
 * p->cfg->n_vcpus, arch_virq_valid()): the channels' doorbells, checked
 * once at init. CORE_ERR_DENIED: the partition is not running or that vCPU
 * is off.
 */
enum core_status virq_raise(struct partition *p, uint32_t vcpu, uint32_t virq);

/**
 * Raises virtual interrupt `virq` in vCPU `vcpu` of partition `p`, from the
 * calling cpu `self`: through arch_vcpu_inject() when `self` runs that vCPU,
 * otherwise through arch_vcpu_raise() under the partition's lock (pending at
 * the target and a kick of its cpu, which presents it from its own trap
 * path; no wait). Edge semantics: raises merge while one is pending, none is
 * lost while the vCPU runs; none reaches a later life of the partition.
 * CORE_ERR_INVALID: no such vCPU, or a virq the architecture cannot raise
 * (arch_virq_valid); CORE_ERR_DENIED: the partition is not running or that
 * vCPU is off.
 */
enum core_status core_vcpu_inject(struct cpu *self, struct partition *p, uint32_t vcpu, uint32_t virq);

/**
 * core_vcpu_inject() always through arch_vcpu_raise(), also when the caller's
 * cpu runs that vCPU (the kick brings it into its trap path):
 * for callers that do not know which cpu they run on, and for paths that
 * must not reach the architecture's injection (the hypervisor's log, whose
 * injection code logs).
 */
enum core_status core_vcpu_post(struct partition *p, uint32_t vcpu, uint32_t virq);

/**
 * Partition `p` runs again after a restart; called on its vCPU 0's cpu
 * `self` before that vCPU enters the guest. Raises the virtual interrupts
 * of its configuration's restart_notify list in its peers' vCPUs (an entry
 * naming `p` itself is skipped: its vCPUs start afresh). A failed raise is
 * logged.
 */
void virq_notify_restart(struct cpu *self, struct partition *p);

#endif /* BULKHEAD_VIRQ_H */
