/* SPDX-License-Identifier: MIT */
/*
 * x86 vCPUs of one partition (configs/qemu-x86_64.dts: cores 2 and 3).
 * vCPU 0 starts vCPU 1 with an argument (PSCI CPU_ON through VMMCALL);
 * vCPU 1 takes the IPI vector as a doorbell (the runtime's IDT) and waits in
 * HLT until vCPU 0's x2APIC IPI, sent to vCPU 1's x2APIC id, wakes it on its
 * own core, then turns itself off; vCPU 0
 * sees it off (AFFINITY_INFO) and last raises an exception with no IDT
 * loaded on its own vCPU: a triple fault, which stops this partition alone.
 */
#include <stdint.h>
#include <stdio.h>
#include "bhrt.h"
#include "bhrt_channel.h"
#include "bhrt_x86.h"

#define IPI_VECTOR 0x41u
#define ARGUMENT 0x5eedu
#define PSCI_OFF 1
#define PATIENCE_S 5u   /* generous: a loaded host runs QEMU's TCG slowly */

static volatile uint32_t vcpu1_apic_id;
static volatile uint32_t vcpu1_ready;

static void vcpu1(uint64_t arg)
{
	rt_printf("x86cores: vCPU 1 up with argument 0x%x\n", (unsigned)arg);
	if (rt_doorbell_enable(IPI_VECTOR) != 0) {
		rt_printf("x86cores: vector 0x%x is no doorbell\n", IPI_VECTOR);
		rt_cpu_off();
	}
	vcpu1_apic_id = (uint32_t)x86_rdmsr(X86_MSR_X2APIC_ID);
	__atomic_store_n(&vcpu1_ready, 1u, __ATOMIC_RELEASE);
	while (rt_doorbell_count(IPI_VECTOR) == 0u) {
		__asm__ volatile("sti; hlt; cli");   /* the HLT exit waits in the hypervisor for the raise */
	}
	rt_printf("x86cores: vCPU 1 woke from HLT with the IPI (%u taken)\n", (unsigned)rt_doorbell_count(IPI_VECTOR));
	rt_cpu_off();
}

/* Waits up to PATIENCE_S seconds for `*flag`. */
static int wait_for(volatile uint32_t *flag)
{
	uint64_t end = rt_counter() + PATIENCE_S * rt_counter_hz();

	while ((__atomic_load_n(flag, __ATOMIC_ACQUIRE) == 0u) && (rt_counter() < end)) {
		__asm__ volatile("pause");
	}
	return (int)*flag;
}

int main(void)
{
	struct rt_info me = rt_partition_info();

	printf("x86cores: partition %u, %u vCPUs\n", (unsigned)me.partition, (unsigned)me.n_vcpus);
	printf("x86cores: CPU_ON of vCPU 1: %d\n", rt_cpu_on(1u, vcpu1, ARGUMENT));
	if (wait_for(&vcpu1_ready) == 0) {
		printf("x86cores: vCPU 1 never came up\n");
		return 1;
	}
	printf("x86cores: an IPI to vCPU 1 (x2APIC id %u)\n", (unsigned)vcpu1_apic_id);
	x86_wrmsr(X86_MSR_X2APIC_ICR, ((uint64_t)vcpu1_apic_id << 32) | IPI_VECTOR);
	uint64_t end = rt_counter() + PATIENCE_S * rt_counter_hz();
	while ((rt_affinity_info(1u) != PSCI_OFF) && (rt_counter() < end)) {
		rt_delay_us(1000u);
	}
	printf("x86cores: vCPU 1 is %s\n", (rt_affinity_info(1u) == PSCI_OFF) ? "off again" : "still on");
	printf("x86cores: now an exception with no IDT on this vCPU\n");
	__asm__ volatile("ud2");
	printf("x86cores: ESCAPED: ud2 returned\n");
	return 1;
}
