/* SPDX-License-Identifier: MIT */
/*
 * Hostile partition for the isolation test. Each time it starts it makes
 * one escape attempt, chosen by how often it has been restarted; the
 * hypervisor must stop every attempt, log it and (fault policy "restart")
 * start it again. Addresses come from /chosen/bootargs:
 *   victim=  another partition's host-physical RAM
 *   hyp=     the hypervisor's own host-physical memory
 *   ro=      a region of its own mapped read-only
 *   nx=      a region of its own mapped without execute permission
 *   from-vcpu=1  make the attempt from vCPU 1 while vCPU 0 keeps printing
 */
#include <stdint.h>
#include <stdio.h>
#include "bhrt.h"

enum kind { READ, WRITE, EXECUTE };

struct attack {
	const char *what;
	const char *key;
	enum kind kind;
};

static const struct attack attacks[] = {
	{ "read another partition's memory", "victim", READ },
	{ "read the hypervisor's memory", "hyp", READ },
	{ "write another partition's memory", "victim", WRITE },
	{ "write its own read-only memory", "ro", WRITE },
	{ "execute its own non-executable memory", "nx", EXECUTE },
};

#define N_ATTACKS (sizeof(attacks) / sizeof(attacks[0]))

static void execute_at(uint64_t addr)
{
	/* With its stage-1 MMU off every fetch is allowed at EL1: only stage 2 can refuse. */
	__asm__ volatile("mrs x9, sctlr_el1\n\t"
			 "bic x9, x9, #1\n\t"
			 "msr sctlr_el1, x9\n\t"
			 "isb\n\t"
			 "br %0"
			 :
			 : "r"(addr)
			 : "x9", "memory");
}

static void attack(uint64_t n)
{
	const struct attack *a = &attacks[n];
	uint64_t addr = rt_bootarg(a->key, 0);

	if (addr == 0) {
		rt_printf("bootargs lack %s=\n", a->key);
		return;
	}
	rt_printf("attack %u: %s at 0x%lx\n", (unsigned)n, a->what, (unsigned long)addr);
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)addr;
	switch (a->kind) {
	case READ:
		rt_printf("read 0x%lx\n", (unsigned long)*p);
		break;
	case WRITE:
		*p = 0xbadc0ffee0ddf00dull;
		break;
	case EXECUTE:
		execute_at(addr);
		break;
	}
	rt_printf("attack %u was NOT stopped\n", (unsigned)n);
}

int main(void)
{
	struct rt_info info = rt_partition_info();

	if (info.restarts >= N_ATTACKS) {
		printf("all %u attacks were stopped\n", (unsigned)N_ATTACKS);
		return 0;
	}
	if (rt_bootarg("from-vcpu", 0) == 1) {
		int r = rt_cpu_on(1, attack, info.restarts);
		printf("attacking from vCPU 1 (CPU_ON %d)\n", r);
		for (int i = 1; i <= 200; i++) {
			rt_delay_us(5000);
			rt_printf("vCPU 0 still running %d\n", i);
		}
		return 1;
	}
	attack(info.restarts);
	return 1;
}
