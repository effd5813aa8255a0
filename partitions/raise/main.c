/* SPDX-License-Identifier: MIT */
/*
 * Raises virtual interrupts in its own vCPUs with BH_HC_TEST_RAISE (test
 * builds: CONFIG_TEST_HYPERCALLS), the hypervisor's own injection path
 * (core_vcpu_inject: directly on the caller's cpu, by a message to another
 * cpu), and reports what vCPU 0 took:
 *   remote    vCPU 1 raises SGI 5 in vCPU 0 three times while vCPU 0 has
 *             IRQs masked: taken once (raises merge while pending);
 *   disabled  vCPU 1 raises SGI 6, which vCPU 0 has disabled: not taken
 *             until vCPU 0 enables it (GICv2: SGIs cannot be disabled);
 *   local     vCPU 0 raises SGI 5 in itself twice, IRQs masked: taken once;
 *   refused   a vCPU the partition does not have, an interrupt that is no
 *             SGI, a vCPU that is off.
 */
#include <stdint.h>
#include <stdio.h>
#include <bulkhead/hypercall.h>
#include "bhrt.h"
#include "bhrt_gic.h"

#define SGI_A 5u
#define SGI_B 6u
#define SETTLE_US 2000u
#define WAIT_US 2000000u

static volatile uint32_t taken[16];
static volatile uint32_t step;
static volatile int64_t remote_status[4];

static void on_sgi(uint32_t intid, void *arg)
{
	(void)arg;
	taken[intid]++;
}

static int64_t raise_in(uint32_t vcpu, uint32_t virq)
{
	return rt_hvc(BH_HC_TEST_RAISE, vcpu, virq, 0).x0;
}

/* Waits, bounded, until the other vCPU reached `s`. */
static int wait_step(uint32_t s)
{
	uint64_t until = rt_counter() + ((rt_counter_hz() * WAIT_US) / 1000000u);

	while ((step < s) && (rt_counter() < until)) {
	}
	return (step >= s) ? 0 : -1;
}

static void vcpu1(uint64_t arg)
{
	(void)arg;
	if (wait_step(1) == 0) {
		for (int i = 0; i < 3; i++) {
			remote_status[i] = raise_in(0, SGI_A);
		}
		remote_status[3] = raise_in(0, SGI_B);
		__asm__ volatile("dsb ish" : : : "memory");
		step = 2;
	}
	rt_cpu_off();
}

int main(void)
{
	int gic = rt_gic_init();

	rt_irq_set_handler(SGI_A, on_sgi, NULL);
	rt_irq_set_handler(SGI_B, on_sgi, NULL);
	rt_gic_enable(SGI_A);
	rt_gic_disable(SGI_B);
	rt_irq_mask();
	if (rt_cpu_on(1, vcpu1, 0) != 0) {
		printf("CPU_ON failed\n");
		return 1;
	}
	step = 1;
	if (wait_step(2) != 0) {
		printf("vCPU 1 did not raise\n");
		return 1;
	}
	printf("remote raises: %ld %ld %ld, disabled: %ld\n", (long)remote_status[0], (long)remote_status[1],
	       (long)remote_status[2], (long)remote_status[3]);
	rt_delay_us(SETTLE_US);
	rt_irq_unmask();
	rt_delay_us(SETTLE_US);
	printf("GICv%d remote: taken %u of 3 raised while masked\n", gic, (unsigned)taken[SGI_A]);
	printf("GICv%d disabled: taken %u\n", gic, (unsigned)taken[SGI_B]);
	rt_gic_enable(SGI_B);
	rt_delay_us(SETTLE_US);
	printf("GICv%d disabled, then enabled: taken %u\n", gic, (unsigned)taken[SGI_B]);

	rt_irq_mask();
	int64_t l1 = raise_in(0, SGI_A);
	int64_t l2 = raise_in(0, SGI_A);
	rt_irq_unmask();
	rt_delay_us(SETTLE_US);
	printf("local raises: %ld %ld, taken %u of 2 raised while masked\n", (long)l1, (long)l2,
	       (unsigned)(taken[SGI_A] - 1u));

	while (rt_affinity_info(1) != 1) {
	}
	printf("refused: vCPU 2 %ld, interrupt 16 %ld, vCPU 1 off %ld\n", (long)raise_in(2, SGI_A),
	       (long)raise_in(0, 16), (long)raise_in(1, SGI_A));
	printf("done\n");
	return 0;
}
