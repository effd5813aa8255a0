/* SPDX-License-Identifier: MIT */
/*
 * What the prompt asks of the hypervisor (svc.h): the service partition's
 * calls of include/bulkhead/hypercall.h.
 */
#include <bulkhead/hypercall.h>
#include "bhrt.h"
#include "svc.h"

int svc_hv_status(uint32_t partition, struct svc_status *st)
{
	struct rt_smccc_res r = rt_hvc(BH_HC_PARTITION_STATUS, partition, 0u, 0u);

	if (r.x0 == BH_OK) {
		st->state = (uint32_t)(r.x1 & 0xffu);
		st->vcpus = (uint32_t)((r.x1 >> 8) & 0xffu);
		st->controllable = ((r.x1 >> 16) & 1u) != 0u;
		st->cores = (uint32_t)(r.x1 >> 32);
		st->restarts = r.x2;
		st->faults = r.x3;
	}
	return (int)r.x0;
}

int svc_hv_control(uint32_t partition, uint32_t action)
{
	return (int)rt_hvc(BH_HC_PARTITION_CONTROL, partition, action, 0u).x0;
}
