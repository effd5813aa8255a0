/* SPDX-License-Identifier: MIT */
/*
 * Virtual interrupts raised by core (core/virq.c) through the cpus' message
 * queues (core/cpu_msg.c), on the fake system: injection into any vCPU from
 * any cpu, and the notification of a partition's restart to its peers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "core.h"
#include "cpu.h"
#include "cpu_msg.h"
#include "fake_arch.h"
#include "fake_system.h"
#include "partition.h"
#include "virq.h"

#define ALPHA_CPU cpu_get(0)
#define BETA0_CPU cpu_get(1)
#define BETA1_CPU cpu_get(2)

static int setup(void **state)
{
	(void)state;
	fake_system_boot();
	return 0;
}

/* Verifies: REQ-CPU-011 */
static void test_inject_on_another_cpu_goes_by_message(void **state)
{
	(void)state;
	struct partition *beta = partition_get(1);

	assert_true(fake_beta_running());
	unsigned kicks = fake.kicks[2];
	/* From beta's vCPU 0 to its vCPU 1: posted to cpu 2 and kicked, raised there. */
	assert_int_equal(core_vcpu_inject(BETA0_CPU, beta, 1, 5), CORE_OK);
	assert_int_equal(fake.kicks[2], kicks + 1);
	assert_int_equal(BETA1_CPU->arch.injections, 0);
	assert_int_equal(fake_take_kick(BETA1_CPU), FAKE_RETURNED);
	assert_int_equal(BETA1_CPU->arch.injected, 1u << 5);
	assert_int_equal(BETA1_CPU->arch.injections, 1);
	/* From any cpu, another partition's included (alpha's, cpu 0). */
	assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 0, 6), CORE_OK);
	assert_int_equal(fake_take_kick(BETA0_CPU), FAKE_RETURNED);
	assert_int_equal(BETA0_CPU->arch.injected, 1u << 6);
	assert_int_equal(ALPHA_CPU->arch.injections, 0);
}

/* Verifies: REQ-CPU-011 */
static void test_inject_on_its_own_cpu_is_direct(void **state)
{
	(void)state;
	assert_true(fake_beta_running());
	unsigned kicks = fake.kicks[1];
	assert_int_equal(core_vcpu_inject(BETA0_CPU, partition_get(1), 0, 4), CORE_OK);
	assert_int_equal(BETA0_CPU->arch.injected, 1u << 4);
	assert_int_equal(fake.kicks[1], kicks);
	assert_int_equal(BETA0_CPU->msgs.count, 0);
}

/* Verifies: REQ-CPU-011 */
static void test_raises_merge_while_pending(void **state)
{
	(void)state;
	struct partition *beta = partition_get(1);

	assert_true(fake_beta_running());
	unsigned kicks = fake.kicks[2];
	for (int i = 0; i < 5; i++) {
		assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 1, 7), CORE_OK);
	}
	assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 1, 8), CORE_OK);
	assert_int_equal(BETA1_CPU->msgs.count, 2);
	assert_int_equal(fake.kicks[2], kicks + 2);   /* one kick per message waiting */
	assert_int_equal(fake_take_kick(BETA1_CPU), FAKE_RETURNED);
	assert_int_equal(BETA1_CPU->arch.injected, (1u << 7) | (1u << 8));
	assert_int_equal(BETA1_CPU->arch.injections, 2);
	/* Taken: the next raise is a new edge. */
	assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 1, 7), CORE_OK);
	assert_int_equal(fake_take_kick(BETA1_CPU), FAKE_RETURNED);
	assert_int_equal(BETA1_CPU->arch.injections, 3);
}

/* Verifies: REQ-CPU-011, REQ-CPU-012 */
static void test_full_queue_refuses_and_never_waits(void **state)
{
	(void)state;
	struct partition *beta = partition_get(1);

	assert_true(fake_beta_running());
	for (uint32_t v = 0; v < CPU_MSG_QUEUE; v++) {
		assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 1, v), CORE_OK);
	}
	assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 1, CPU_MSG_QUEUE), CORE_ERR_BUSY);
	/* A stop is never refused for room: it is a flag, seen before the messages. */
	BETA1_CPU->requests |= CPU_REQ_STOP;
	assert_int_equal(fake_take_kick(BETA1_CPU), FAKE_STOP);
	assert_int_equal(BETA1_CPU->arch.injections, 0);
}

/* Verifies: REQ-CPU-012 */
static void test_messages_are_taken_in_order_and_bounded(void **state)
{
	(void)state;
	struct cpu *c = BETA1_CPU;
	struct cpu_msg m;

	for (uint32_t i = 0; i < CPU_MSG_QUEUE; i++) {
		struct cpu_msg in = { CPU_MSG_INJECT, 1, i, 0 };
		assert_int_equal(cpu_msg_send(c, &in), CORE_OK);
	}
	assert_int_equal(c->requests, CPU_REQ_MSG);
	for (uint32_t i = 0; i < CPU_MSG_QUEUE / 2u; i++) {
		assert_true(cpu_msg_take(c, &m));
		assert_int_equal(m.arg32, i);
	}
	/* The ring wraps: room again, order kept. */
	struct cpu_msg late = { CPU_MSG_INJECT, 1, 100, 0 };
	assert_int_equal(cpu_msg_send(c, &late), CORE_OK);
	for (uint32_t i = CPU_MSG_QUEUE / 2u; i < CPU_MSG_QUEUE; i++) {
		assert_true(cpu_msg_take(c, &m));
		assert_int_equal(m.arg32, i);
	}
	assert_true(cpu_msg_take(c, &m));
	assert_int_equal(m.arg32, 100);
	assert_false(cpu_msg_take(c, &m));
	/* A new life of the cpu drops what was posted to the old one. */
	assert_int_equal(cpu_msg_send(c, &late), CORE_OK);
	cpu_msg_reset(c);
	assert_false(cpu_msg_take(c, &m));
}

/* Verifies: REQ-CPU-011 */
static void test_inject_refusals(void **state)
{
	(void)state;
	struct partition *beta = partition_get(1);

	/* Beta is still loading: not running. */
	assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 0, 1), CORE_ERR_DENIED);
	assert_int_equal(fake_start(BETA0_CPU), FAKE_VCPU_ENTER);
	/* Its vCPU 1 is off. */
	assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 1, 1), CORE_ERR_DENIED);
	assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 2, 1), CORE_ERR_INVALID);
	assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 0, 32), CORE_ERR_INVALID);
	assert_int_equal(BETA0_CPU->msgs.count, 0);
	assert_int_equal(BETA1_CPU->msgs.count, 0);
}

static void restart_beta(void *arg)
{
	(void)arg;
	partition_shutdown(BETA0_CPU, true);
}

/* Verifies: REQ-CPU-011 */
static void test_raise_for_an_older_life_is_dropped(void **state)
{
	(void)state;
	struct partition *beta = partition_get(1);

	assert_int_equal(fake_start(BETA0_CPU), FAKE_VCPU_ENTER);
	struct cpu_msg m = { CPU_MSG_INJECT, 1, 5, 0 };
	/* Posted for life 0; beta restarts (vCPU 0 reloads it on its own cpu) before it is taken. */
	assert_int_equal(cpu_msg_send(BETA0_CPU, &m), CORE_OK);
	fake.current = BETA0_CPU;
	assert_int_equal(fake_run(restart_beta, NULL), FAKE_VCPU_ENTER);
	assert_int_equal(beta->restarts, 1);
	/* The new life started with an empty queue; one posted late for the old life is dropped. */
	assert_int_equal(BETA0_CPU->msgs.count, 0);
	assert_int_equal(cpu_msg_send(BETA0_CPU, &m), CORE_OK);
	assert_int_equal(fake_take_kick(BETA0_CPU), FAKE_RETURNED);
	assert_int_equal(BETA0_CPU->arch.injections, 0);
	/* One for this life is raised. */
	m.arg64 = 1;
	assert_int_equal(cpu_msg_send(BETA0_CPU, &m), CORE_OK);
	assert_int_equal(fake_take_kick(BETA0_CPU), FAKE_RETURNED);
	assert_int_equal(BETA0_CPU->arch.injected, 1u << 5);
}

/* Verifies: REQ-CPU-013 */
static void test_restart_is_announced_to_peers(void **state)
{
	(void)state;
	assert_int_equal(fake_start(BETA0_CPU), FAKE_VCPU_ENTER);
	/* The first start is no restart: nobody is told. */
	assert_int_equal(ALPHA_CPU->msgs.count, 0);
	fake.current = BETA0_CPU;
	assert_int_equal(fake_run(restart_beta, NULL), FAKE_VCPU_ENTER);
	/* Beta runs again (vCPU 0 online) when alpha's vCPU 0 is told. */
	assert_int_equal(partition_get(1)->state, PARTITION_RUNNING);
	assert_int_equal(ALPHA_CPU->msgs.count, 1);
	assert_int_equal(fake_take_kick(ALPHA_CPU), FAKE_RETURNED);
	assert_int_equal(ALPHA_CPU->arch.injected, 1u << BETA_RESTART_VIRQ);
	/* Beta itself is not (its vCPUs start afresh); the entry naming no partition is refused, logged. */
	assert_int_equal(BETA0_CPU->arch.injections, 0);
	assert_int_equal(BETA1_CPU->msgs.count, 0);
	assert_null(strstr(fake.console, "not raised in partition 1 "));
	assert_non_null(strstr(fake.console, "partition 'beta' restarted: interrupt 4 not raised in partition 7 vCPU 0 "
				     "(status -1)"));
}

static void stop_alpha(void *arg)
{
	(void)arg;
	partition_shutdown(ALPHA_CPU, false);
}

/* Verifies: REQ-CPU-013 */
static void test_restart_announcement_to_a_stopped_peer_is_logged(void **state)
{
	(void)state;
	fake.current = ALPHA_CPU;
	assert_int_equal(fake_run(stop_alpha, NULL), FAKE_STOP);
	assert_int_equal(fake_start(BETA0_CPU), FAKE_VCPU_ENTER);
	fake.current = BETA0_CPU;
	assert_int_equal(fake_run(restart_beta, NULL), FAKE_VCPU_ENTER);
	assert_int_equal(ALPHA_CPU->msgs.count, 0);
	assert_non_null(strstr(fake.console, "partition 'beta' restarted: interrupt 9 not raised in partition 0 vCPU 0 "
				     "(status -3)"));
}

/* Verifies: REQ-CPU-011, REQ-LOG-001 */
static void test_post_goes_by_message_even_to_its_own_cpu(void **state)
{
	(void)state;
	struct partition *beta = partition_get(1);

	assert_true(fake_beta_running());
	unsigned kicks = fake.kicks[1];
	/* Posted from beta's own cpu: not raised on the spot, but queued and kicked like any other. */
	fake.current = BETA0_CPU;
	assert_int_equal(core_vcpu_post(beta, 0, 4), CORE_OK);
	assert_int_equal(BETA0_CPU->arch.injections, 0);
	assert_int_equal(BETA0_CPU->msgs.count, 1);
	assert_int_equal(fake.kicks[1], kicks + 1);
	assert_int_equal(fake_take_kick(BETA0_CPU), FAKE_RETURNED);
	assert_int_equal(BETA0_CPU->arch.injected, 1u << 4);
	/* The same refusals as core_vcpu_inject. */
	assert_int_equal(core_vcpu_post(beta, 2, 4), CORE_ERR_INVALID);
	assert_int_equal(core_vcpu_post(beta, 0, 99), CORE_ERR_INVALID);
	assert_int_equal(core_vcpu_post(partition_get(0), 0, 4), CORE_OK);
	partition_get(0)->state = PARTITION_STOPPED;
	assert_int_equal(core_vcpu_post(partition_get(0), 0, 4), CORE_ERR_DENIED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_inject_on_another_cpu_goes_by_message, setup),
		cmocka_unit_test_setup(test_inject_on_its_own_cpu_is_direct, setup),
		cmocka_unit_test_setup(test_raises_merge_while_pending, setup),
		cmocka_unit_test_setup(test_full_queue_refuses_and_never_waits, setup),
		cmocka_unit_test_setup(test_messages_are_taken_in_order_and_bounded, setup),
		cmocka_unit_test_setup(test_inject_refusals, setup),
		cmocka_unit_test_setup(test_raise_for_an_older_life_is_dropped, setup),
		cmocka_unit_test_setup(test_restart_is_announced_to_peers, setup),
		cmocka_unit_test_setup(test_restart_announcement_to_a_stopped_peer_is_logged, setup),
		cmocka_unit_test_setup(test_post_goes_by_message_even_to_its_own_cpu, setup),
	};
	return cmocka_run_group_tests_name("virq", tests, NULL, NULL);
}
