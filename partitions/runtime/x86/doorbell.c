/* SPDX-License-Identifier: MIT */
/*
 * Doorbells (bhrt_channel.h) on x86: a doorbell is a vector 32-255 the
 * hypervisor raises in the vCPU (arch/x86/vintr.c), taken through the
 * partition's IDT by irq_vectors.S's stub, which counts it. The vCPU takes
 * interrupts, every vector 32-255 through its counting gate, from the first
 * rt_doorbell_enable() on. There is no guest
 * timer yet, so a wait polls the counter until its deadline instead of
 * halting (a halt could outlast the deadline).
 */
#include <stdbool.h>
#include <stdint.h>

#include "bhrt.h"
#include "bhrt_channel.h"
#include "bhrt_x86.h"

#define FIRST_VECTOR 32u
#define STUB_BYTES 16u

extern const uint8_t rt_x86_irq_stubs[];
uint32_t rt_x86_irq_counts[256];
uint32_t rt_x86_irq_total;

int rt_doorbell_enable(uint32_t intid)
{
	if ((intid < FIRST_VECTOR) || (intid > 255u)) {
		return -1;
	}
	/*
	 * Every vector 32-255 gets its counting gate, not only this one: a vector
	 * raised before its channel is opened (a peer that rang first, the
	 * service partition's first ring of every console) is then counted when
	 * the vCPU takes interrupts, instead of meeting a gate that is not
	 * present (a triple fault: the partition's crash).
	 */
	for (uint32_t v = FIRST_VECTOR; v <= 255u; v++) {
		x86_idt_set((uint8_t)v, &rt_x86_irq_stubs[(v - FIRST_VECTOR) * STUB_BYTES]);
	}
	x86_idt_load();
	__asm__ volatile("sti" : : : "memory");
	return 0;
}

uint32_t rt_doorbell_count(uint32_t intid)
{
	return (intid <= 255u) ? __atomic_load_n(&rt_x86_irq_counts[intid], __ATOMIC_ACQUIRE) : 0u;
}

bool rt_doorbell_wait(uint32_t intid, uint32_t *seen, uint64_t deadline)
{
	for (;;) {
		uint32_t c = rt_doorbell_count(intid);

		if ((c != *seen) || (rt_counter() >= deadline)) {
			bool rang = c != *seen;
			*seen = c;
			return rang;
		}
		__asm__ volatile("pause");
	}
}
