/* SPDX-License-Identifier: MIT */
/*
 * Which cpu the caller is, from the stack it runs on (setup.c's stacks, one
 * per physical cpu, in one array): inline, with no call, because the core's
 * timer interrupt needs it on its way to the guest (vtimer.c). The cpus'
 * structs are core's (cpu_get); setup.c records their addresses and the
 * stacks' base here before any cpu runs on its stack.
 */
#ifndef X86_THIS_CPU_H
#define X86_THIS_CPU_H

#include <generated/autoconf.h>
#include "types.h"

struct cpu;

extern uint64_t x86_cpu_stacks_base;
extern struct cpu *x86_cpu_of_stack[BH_NUM_CORES];

/** The calling cpu's struct cpu. */
static inline struct cpu *x86_this_cpu(void)
{
	uint64_t sp;

	__asm__("mov %%rsp, %0" : "=r"(sp));
	return x86_cpu_of_stack[(sp - x86_cpu_stacks_base) / (uint64_t)CONFIG_CPU_STACK_SIZE];
}

#endif /* X86_THIS_CPU_H */
