/* SPDX-License-Identifier: MIT */
/*
 * Virtual interrupts raised by core (core/virq.c) through arch_vcpu_raise()
 * (pending and a kick), and the cpus' message queues (core/cpu_msg.c), on the fake system: injection into any vCPU from
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

/* Verifies: REQ-CPU-011~2 */
static void test_inject_on_another_cpu_is_raised_there(void **state)
{
	(void)state;
	struct partition *beta = partition_get(1);

	assert_true(fake_beta_running());
	unsigned kicks = fake.kicks[2];
	/* From beta's vCPU 0 to its vCPU 1: pending at cpu 2 and kicked, presented there. */
	assert_int_equal(core_vcpu_inject(BETA0_CPU, beta, 1, 5), CORE_OK);
	assert_int_equal(fake.kicks[2], kicks + 1);
	assert_int_equal(BETA1_CPU->arch.raised, 1u << 5);
	assert_int_equal(BETA1_CPU->arch.injections, 0);
	assert_int_equal(fake_take_kick(BETA1_CPU), FAKE_RETURNED);
	assert_int_equal(BETA1_CPU->arch.injected, 1u << 5);
	assert_int_equal(BETA1_CPU->arch.injections, 1);
	/* From any cpu, another partition's included (alpha's, cpu 0). */
	assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 0, 6), CORE_OK);
	assert_int_equal(fake_take_kick(BETA0_CPU), FAKE_RETURNED);
	assert_int_equal(BETA0_CPU->arch.injected, 1u << 6);
	assert_int_equal(ALPHA_CPU->arch.injections, 0);
	/* No message carries it: the queues stay empty. */
	assert_int_equal(BETA0_CPU->msgs.count + BETA1_CPU->msgs.count, 0);
}

/* Verifies: REQ-CPU-011~2 */
static void test_inject_on_its_own_cpu_is_direct(void **state)
{
	(void)state;
	assert_true(fake_beta_running());
	unsigned kicks = fake.kicks[1];
	assert_int_equal(core_vcpu_inject(BETA0_CPU, partition_get(1), 0, 4), CORE_OK);
	assert_int_equal(BETA0_CPU->arch.injected, 1u << 4);
	assert_int_equal(fake.kicks[1], kicks);
	assert_int_equal(BETA0_CPU->arch.raises, 0);
}

/* Verifies: REQ-CPU-011~2 */
static void test_raises_merge_while_pending(void **state)
{
	(void)state;
	struct partition *beta = partition_get(1);

	assert_true(fake_beta_running());
	for (int i = 0; i < 5; i++) {
		assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 1, 7), CORE_OK);
	}
	assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 1, 8), CORE_OK);
	assert_int_equal(BETA1_CPU->arch.raised, (1u << 7) | (1u << 8));
	assert_int_equal(fake_take_kick(BETA1_CPU), FAKE_RETURNED);
	assert_int_equal(BETA1_CPU->arch.injected, (1u << 7) | (1u << 8));
	assert_int_equal(BETA1_CPU->arch.injections, 2);
	/* Taken: the next raise is a new edge. */
	assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 1, 7), CORE_OK);
	assert_int_equal(fake_take_kick(BETA1_CPU), FAKE_RETURNED);
	assert_int_equal(BETA1_CPU->arch.injections, 3);
}

/* Verifies: REQ-CPU-011~2, REQ-CPU-012 */
static void test_raises_are_never_refused_for_room_and_a_stop_gets_through(void **state)
{
	(void)state;
	struct partition *beta = partition_get(1);

	assert_true(fake_beta_running());
	/* Every interrupt the fake architecture can raise, more than a message queue holds. */
	for (uint32_t v = 0; v < 32u; v++) {
		assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 1, v), CORE_OK);
	}
	assert_int_equal(BETA1_CPU->arch.raised, 0xffffffffu);
	/* A stop is a flag: seen at the kick whatever is pending. */
	BETA1_CPU->requests |= CPU_REQ_STOP;
	assert_int_equal(fake_take_kick(BETA1_CPU), FAKE_STOP);
}

/* Verifies: REQ-CPU-012 */
static void test_messages_are_taken_in_order_and_bounded(void **state)
{
	(void)state;
	struct cpu *c = BETA1_CPU;
	struct cpu_msg m;

	for (uint32_t i = 0; i < CPU_MSG_QUEUE; i++) {
		struct cpu_msg in = { CPU_MSG_CONTROL, 1, i, 0 };
		assert_int_equal(cpu_msg_send(c, &in), CORE_OK);
	}
	assert_int_equal(c->requests, CPU_REQ_MSG);
	struct cpu_msg extra = { CPU_MSG_CONTROL, 1, 1000, 0 };
	assert_int_equal(cpu_msg_send(c, &extra), CORE_ERR_BUSY);
	for (uint32_t i = 0; i < CPU_MSG_QUEUE / 2u; i++) {
		assert_true(cpu_msg_take(c, &m));
		assert_int_equal(m.arg32, i);
	}
	/* The ring wraps: room again, order kept. */
	struct cpu_msg late = { CPU_MSG_CONTROL, 1, 100, 0 };
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

/* A message the queue already holds is merged (one take); one that differs in any field is a
 * message of its own. */
/* Verifies: REQ-CPU-012 */
static void test_a_repeated_message_is_merged_and_a_different_one_queued(void **state)
{
	(void)state;
	struct cpu *c = BETA1_CPU;
	const struct cpu_msg first = { CPU_MSG_CONTROL, 1, 2, 3 };
	const struct cpu_msg others[] = {
		{ CPU_MSG_CONTROL + 1u, 1, 2, 3 },
		{ CPU_MSG_CONTROL, 9, 2, 3 },
		{ CPU_MSG_CONTROL, 1, 9, 3 },
		{ CPU_MSG_CONTROL, 1, 2, 9 },
	};
	struct cpu_msg m;

	assert_int_equal(cpu_msg_send(c, &first), CORE_OK);
	assert_int_equal(cpu_msg_send(c, &first), CORE_OK);
	for (uint32_t i = 0; i < 4u; i++) {
		assert_int_equal(cpu_msg_send(c, &others[i]), CORE_OK);
	}
	assert_true(cpu_msg_take(c, &m));
	assert_memory_equal(&m, &first, sizeof(m));
	for (uint32_t i = 0; i < 4u; i++) {
		assert_true(cpu_msg_take(c, &m));
		assert_memory_equal(&m, &others[i], sizeof(m));
	}
	assert_false(cpu_msg_take(c, &m));
}

/* Verifies: REQ-CPU-011~2 */
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
	assert_int_equal(BETA0_CPU->arch.raises + BETA1_CPU->arch.raises, 0);
}

static void restart_beta(void *arg)
{
	(void)arg;
	partition_shutdown(BETA0_CPU, true);
}

/* Verifies: REQ-CPU-011~2 */
static void test_raise_for_an_older_life_is_dropped(void **state)
{
	(void)state;
	struct partition *beta = partition_get(1);

	assert_int_equal(fake_start(BETA0_CPU), FAKE_VCPU_ENTER);
	/* Raised in life 0; beta restarts (vCPU 0 reloads it on its own cpu) before the kick is taken. */
	assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 0, 5), CORE_OK);
	assert_int_equal(BETA0_CPU->arch.raised, 1u << 5);
	fake.current = BETA0_CPU;
	assert_int_equal(fake_run(restart_beta, NULL), FAKE_VCPU_ENTER);
	assert_int_equal(beta->restarts, 1);
	/* The new life does not see it. */
	assert_int_equal(fake_take_kick(BETA0_CPU), FAKE_RETURNED);
	assert_int_equal(BETA0_CPU->arch.injections, 0);
	/* While the restart is under way (not running) a raise is refused, not kept for the next life. */
	beta->state = PARTITION_LOADING;
	assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 0, 5), CORE_ERR_DENIED);
	assert_int_equal(BETA0_CPU->arch.raised, 0);
	beta->state = PARTITION_RUNNING;
	/* One for this life is raised. */
	assert_int_equal(core_vcpu_inject(ALPHA_CPU, beta, 0, 5), CORE_OK);
	assert_int_equal(fake_take_kick(BETA0_CPU), FAKE_RETURNED);
	assert_int_equal(BETA0_CPU->arch.injected, 1u << 5);
}

/* Verifies: REQ-CPU-013~2 */
static void test_restart_is_announced_to_peers(void **state)
{
	(void)state;
	assert_int_equal(fake_start(BETA0_CPU), FAKE_VCPU_ENTER);
	/* The first start is no restart: nobody is told. */
	assert_int_equal(ALPHA_CPU->arch.raises, 0);
	fake.current = BETA0_CPU;
	assert_int_equal(fake_run(restart_beta, NULL), FAKE_VCPU_ENTER);
	/* Beta runs again (vCPU 0 online) when alpha's vCPU 0 is told. */
	assert_int_equal(partition_get(1)->state, PARTITION_RUNNING);
	assert_int_equal(ALPHA_CPU->arch.raises, 1);
	assert_int_equal(fake_take_kick(ALPHA_CPU), FAKE_RETURNED);
	assert_int_equal(ALPHA_CPU->arch.injected, 1u << BETA_RESTART_VIRQ);
	/* Beta itself is not (its vCPUs start afresh); the entry naming no partition is refused, logged. */
	assert_int_equal(BETA0_CPU->arch.injections, 0);
	assert_int_equal(BETA1_CPU->arch.raises, 0);
	assert_null(strstr(fake.console, "not raised in partition 1 "));
	assert_non_null(strstr(fake.console, "partition 'beta' restarted: interrupt 4 not raised in partition 7 vCPU 0 "
				     "(status -1)"));
}

static void stop_alpha(void *arg)
{
	(void)arg;
	partition_shutdown(ALPHA_CPU, false);
}

/* Verifies: REQ-CPU-013~2 */
static void test_restart_announcement_to_a_stopped_peer_is_logged(void **state)
{
	(void)state;
	fake.current = ALPHA_CPU;
	assert_int_equal(fake_run(stop_alpha, NULL), FAKE_STOP);
	assert_int_equal(fake_start(BETA0_CPU), FAKE_VCPU_ENTER);
	fake.current = BETA0_CPU;
	assert_int_equal(fake_run(restart_beta, NULL), FAKE_VCPU_ENTER);
	assert_int_equal(ALPHA_CPU->arch.raises, 0);
	assert_non_null(strstr(fake.console, "partition 'beta' restarted: interrupt 9 not raised in partition 0 vCPU 0 "
				     "(status -3)"));
}

/* Verifies: REQ-CPU-011~2, REQ-LOG-001~2 */
static void test_post_is_never_presented_in_place(void **state)
{
	(void)state;
	struct partition *beta = partition_get(1);

	assert_true(fake_beta_running());
	unsigned kicks = fake.kicks[1];
	/* Posted from beta's own cpu: not presented on the spot, but pending and kicked like any other. */
	fake.current = BETA0_CPU;
	assert_int_equal(core_vcpu_post(beta, 0, 4), CORE_OK);
	assert_int_equal(BETA0_CPU->arch.injections, 0);
	assert_int_equal(BETA0_CPU->arch.raised, 1u << 4);
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
		cmocka_unit_test_setup(test_inject_on_another_cpu_is_raised_there, setup),
		cmocka_unit_test_setup(test_inject_on_its_own_cpu_is_direct, setup),
		cmocka_unit_test_setup(test_raises_merge_while_pending, setup),
		cmocka_unit_test_setup(test_raises_are_never_refused_for_room_and_a_stop_gets_through, setup),
		cmocka_unit_test_setup(test_messages_are_taken_in_order_and_bounded, setup),
		cmocka_unit_test_setup(test_inject_refusals, setup),
		cmocka_unit_test_setup(test_raise_for_an_older_life_is_dropped, setup),
		cmocka_unit_test_setup(test_restart_is_announced_to_peers, setup),
		cmocka_unit_test_setup(test_restart_announcement_to_a_stopped_peer_is_logged, setup),
		cmocka_unit_test_setup(test_post_is_never_presented_in_place, setup),
		cmocka_unit_test_setup(test_a_repeated_message_is_merged_and_a_different_one_queued, setup),
	};
	return cmocka_run_group_tests_name("virq", tests, NULL, NULL);
}
