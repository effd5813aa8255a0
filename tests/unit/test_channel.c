/* SPDX-License-Identifier: MIT */
/*
 * Doorbells of channels (core/channel.c) through BH_HC_DOORBELL, on the
 * fake system's channels (tests/unit/fake_system.c): who may ring, what is
 * raised where, and hypervisor ends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <bulkhead/hypercall.h>
#include "channel.h"
#include "hc_helpers.h"
#include "incident.h"
#include "partition.h"

#define ALPHA_CPU cpu_get(0)
#define BETA0_CPU cpu_get(1)
#define BETA1_CPU cpu_get(2)

/* Verifies: REQ-CHN-009 */
static void test_doorbell_raises_the_peers_interrupt(void **state)
{
	(void)state;
	assert_true(fake_beta_running());
	/* Alpha rings: beta's doorbell, in the vCPU the channel names (1, cpu 2), not vCPU 0. */
	assert_int_equal(hc(ALPHA_CPU, BH_HC_DOORBELL, 0, 0, 0).x0, BH_OK);
	assert_int_equal(fake_take_kick(BETA1_CPU), FAKE_RETURNED);
	assert_int_equal(BETA1_CPU->arch.injected, 1u << BETA_DOORBELL);
	assert_int_equal(BETA0_CPU->arch.injections, 0);
	assert_int_equal(ALPHA_CPU->arch.injections, 0);
	/* Beta rings back, from either vCPU: alpha's doorbell in its vCPU 0. */
	assert_int_equal(hc(BETA0_CPU, BH_HC_DOORBELL, 0, 0, 0).x0, BH_OK);
	assert_int_equal(fake_take_kick(ALPHA_CPU), FAKE_RETURNED);
	assert_int_equal(ALPHA_CPU->arch.injected, 1u << ALPHA_DOORBELL);
	assert_int_equal(BETA0_CPU->arch.injections, 0);
	assert_int_equal(incident_count(partition_get(0), BH_INCIDENT_CALL), 0);
	assert_int_equal(incident_count(partition_get(1), BH_INCIDENT_CALL), 0);
}

/* Verifies: REQ-CHN-009 */
static void test_doorbell_refusals(void **state)
{
	(void)state;
	assert_true(fake_beta_running());
	/* Not an end: alpha maps neither the device's channel nor the log. */
	assert_int_equal(hc(ALPHA_CPU, BH_HC_DOORBELL, 1, 0, 0).x0, BH_ERR_DENIED);
	assert_int_equal(hc(ALPHA_CPU, BH_HC_DOORBELL, 2, 0, 0).x0, BH_ERR_DENIED);
	/* No such channel, whatever the upper bits. */
	assert_int_equal(hc(ALPHA_CPU, BH_HC_DOORBELL, 4, 0, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(hc(ALPHA_CPU, BH_HC_DOORBELL, 0x100000000ull, 0, 0).x0, BH_ERR_INVALID_PARAM);
	assert_int_equal(hc(ALPHA_CPU, BH_HC_DOORBELL, UINT64_MAX, 0, 0).x0, BH_ERR_INVALID_PARAM);
	/* Each refusal is an incident of the caller; nothing reached anyone. */
	assert_int_equal(incident_count(partition_get(0), BH_INCIDENT_CALL), 5);
	assert_int_equal(BETA0_CPU->msgs.count + BETA1_CPU->msgs.count, 0);
}

/* Verifies: REQ-CHN-009 */
static void test_doorbell_the_peer_cannot_take(void **state)
{
	(void)state;
	assert_true(fake_beta_running());
	/* A doorbell the architecture cannot raise in beta: refused, and not as "no such channel". */
	assert_int_equal(hc(ALPHA_CPU, BH_HC_DOORBELL, 3, 0, 0).x0, BH_ERR_DENIED);
	assert_int_equal(incident_count(partition_get(0), BH_INCIDENT_CALL), 0);
	assert_int_equal(BETA0_CPU->msgs.count + BETA1_CPU->msgs.count, 0);
}

/* Verifies: REQ-CHN-009 */
static void test_doorbell_to_a_stopped_peer(void **state)
{
	(void)state;
	/* Beta is still loading: the ring is refused, and it is no incident of alpha's. */
	assert_int_equal(hc(ALPHA_CPU, BH_HC_DOORBELL, 0, 0, 0).x0, BH_ERR_DENIED);
	assert_int_equal(incident_count(partition_get(0), BH_INCIDENT_CALL), 0);
	assert_int_equal(BETA0_CPU->msgs.count + BETA1_CPU->msgs.count, 0);
}

static uint32_t rung_channel;
static void *rung_context;
static unsigned rings;

static enum core_status device_rung(struct cpu *self, uint32_t channel, void *context)
{
	assert_ptr_equal(self, BETA0_CPU);
	rung_channel = channel;
	rung_context = context;
	rings++;
	return (rings == 2u) ? CORE_ERR_BUSY : CORE_OK;
}

/* Verifies: REQ-CHN-009 */
static void test_doorbell_to_the_hypervisor(void **state)
{
	static int device;

	(void)state;
	assert_true(fake_beta_running());
	/* Only a channel whose end 0 is the hypervisor takes a handler. */
	assert_int_equal(channel_bind_hyp_end(0, device_rung, &device), CORE_ERR_INVALID);
	assert_int_equal(channel_bind_hyp_end(3, device_rung, &device), CORE_ERR_INVALID);
	assert_int_equal(channel_bind_hyp_end(4, device_rung, &device), CORE_ERR_INVALID);
	assert_int_equal(channel_bind_hyp_end(1, device_rung, &device), CORE_OK);
	rings = 0;
	assert_int_equal(hc(BETA0_CPU, BH_HC_DOORBELL, 1, 0, 0).x0, BH_OK);
	assert_int_equal(rings, 1);
	assert_int_equal(rung_channel, 1);
	assert_ptr_equal(rung_context, &device);
	/* The handler's refusal is the caller's answer, and no incident. */
	assert_int_equal(hc(BETA0_CPU, BH_HC_DOORBELL, 1, 0, 0).x0, BH_ERR_DENIED);
	/* The log's hypervisor end has nothing to do. */
	assert_int_equal(hc(BETA0_CPU, BH_HC_DOORBELL, 2, 0, 0).x0, BH_OK);
	assert_int_equal(rings, 2);
	assert_int_equal(incident_count(partition_get(1), BH_INCIDENT_CALL), 0);
	assert_int_equal(ALPHA_CPU->msgs.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_doorbell_raises_the_peers_interrupt, hc_setup),
		cmocka_unit_test_setup(test_doorbell_refusals, hc_setup),
		cmocka_unit_test_setup(test_doorbell_to_a_stopped_peer, hc_setup),
		cmocka_unit_test_setup(test_doorbell_the_peer_cannot_take, hc_setup),
		cmocka_unit_test_setup(test_doorbell_to_the_hypervisor, hc_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
