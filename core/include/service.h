/* SPDX-License-Identifier: MIT */
/*
 * What the service partition may ask of the hypervisor about the other
 * partitions: their status, and a stop or a restart of those the system
 * description puts under its control (`service-control`).
 */
#ifndef BULKHEAD_SERVICE_H
#define BULKHEAD_SERVICE_H

#include "cpu_msg.h"
#include "types.h"

struct cpu;

/** BH_HC_PARTITION_STATUS (include/bulkhead/hypercall.h): r[1] = a partition id. */
void hc_partition_status(struct cpu *cpu, uint64_t r[7]);

/** BH_HC_PARTITION_CONTROL: r[1] = a partition id, r[2] = BH_CONTROL_STOP or BH_CONTROL_RESTART. */
void hc_partition_control(struct cpu *cpu, uint64_t r[7]);

/**
 * A CPU_MSG_CONTROL message reached `self`: stops or restarts its partition
 * (never returns then) unless the message was for an older life or the
 * partition is no longer running.
 */
void service_control_received(struct cpu *self, const struct cpu_msg *m);

#endif /* BULKHEAD_SERVICE_H */
