/* SPDX-License-Identifier: MIT */
/*
 * The partition's interrupt descriptor table (bhrt_x86.h): one table for
 * all its vCPUs, each of which loads it itself. A vector without a gate is
 * not present: an exception there is a triple fault, the partition's crash.
 */
#include <stdbool.h>
#include <stdint.h>

#include "bhrt_x86.h"

#define SEL_CODE64 0x08u       /* crt0.S's long-mode code segment */
#define GATE_INTERRUPT 0x8eu   /* present, DPL 0, 64-bit interrupt gate: IF cleared on entry */
#define VECTOR_GP 13u

/* msr_gate.S: the gate and its count. */
extern const uint8_t rt_x86_msr_gp_gate[];
extern uint32_t rt_x86_msr_gp_count;

struct gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
};

static struct gate idt[256] __attribute__((aligned(16)));

void x86_idt_set(uint8_t vector, const uint8_t *entry)
{
	uint64_t a = (uint64_t)(uintptr_t)entry;

	idt[vector] = (struct gate){ .offset_low = (uint16_t)a, .selector = SEL_CODE64, .type = GATE_INTERRUPT,
				     .offset_mid = (uint16_t)(a >> 16), .offset_high = (uint32_t)(a >> 32) };
}

bool x86_idt_present(uint8_t vector)
{
	return idt[vector].type != 0u;
}

void x86_idt_load(void)
{
	/*
	 * LIDT's 10-byte operand (limit, then the 64-bit base) as five 16-bit
	 * words: the layout without a packed structure whose members only the
	 * processor reads.
	 */
	uint64_t base = (uint64_t)(uintptr_t)idt;
	const uint16_t idtr[5] = { (uint16_t)(sizeof(idt) - 1u), (uint16_t)base, (uint16_t)(base >> 16),
				   (uint16_t)(base >> 32), (uint16_t)(base >> 48) };

	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void x86_msr_refusals_catch(void)
{
	x86_idt_set((uint8_t)VECTOR_GP, rt_x86_msr_gp_gate);
}

uint32_t x86_msr_refusals(void)
{
	return __atomic_load_n(&rt_x86_msr_gp_count, __ATOMIC_ACQUIRE);
}
