/* SPDX-License-Identifier: MIT */
/*
 * The partition's interrupt descriptor table (bhrt_x86.h): one table for
 * all its vCPUs, each of which loads it itself. A vector without a gate is
 * not present: an exception there is a triple fault, the partition's crash.
 */
#include <stdint.h>

#include "bhrt_x86.h"

#define SEL_CODE64 0x08u       /* crt0.S's long-mode code segment */
#define GATE_INTERRUPT 0x8eu   /* present, DPL 0, 64-bit interrupt gate: IF cleared on entry */

struct gate {
	uint16_t offset_low, selector;
	uint8_t ist, type;
	uint16_t offset_mid;
	uint32_t offset_high, reserved;
};

static struct gate idt[256] __attribute__((aligned(16)));

void x86_idt_set(uint8_t vector, void (*gate)(void))
{
	uint64_t a = (uint64_t)(uintptr_t)gate;

	idt[vector] = (struct gate){ .offset_low = (uint16_t)a, .selector = SEL_CODE64, .type = GATE_INTERRUPT,
				     .offset_mid = (uint16_t)(a >> 16), .offset_high = (uint32_t)(a >> 32) };
}

void x86_idt_load(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} idtr = { (uint16_t)(sizeof(idt) - 1u), (uint64_t)(uintptr_t)idt };

	__asm__ volatile("lidt %0" : : "m"(idtr));
}
