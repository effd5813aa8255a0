/* SPDX-License-Identifier: MIT */
/*
 * Partition runtime, the part both architectures share: start-up in C,
 * secondary vCPUs' entry, the partition's identity and rt_printf. The
 * architecture's part (partitions/runtime/<arch>/runtime.c) makes the calls
 * themselves (rt_hvc: HVC or VMMCALL) and starts vCPUs.
 */
#include <bulkhead/hypercall.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "bhrt.h"
#include "bhrt_start.h"

struct secondary {
	void (*fn)(uint64_t);
	uint64_t arg;
};

static uint64_t dtb_address;
static struct secondary secondaries[RT_MAX_VCPUS];

extern int main(void);
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

void rt_start(uint64_t dtb);
void rt_secondary_start(uint64_t vcpu);

/* vCPU 0's entry from crt0: constructors, main, exit. */
void rt_start(uint64_t dtb)
{
	dtb_address = dtb;
	(void)rt_map_shared_nodes();
	/* Constructors: newlib built for bare metal leaves this to the start-up code. */
	for (void (**ctor)(void) = __init_array_start; ctor < __init_array_end; ctor++) {
		(*ctor)();
	}
	exit(main());
}

/* A secondary vCPU's entry from crt0: the function rt_cpu_on gave it, then off. */
void rt_secondary_start(uint64_t vcpu)
{
	struct secondary s = secondaries[vcpu % RT_MAX_VCPUS];

	if (s.fn != NULL) {
		s.fn(s.arg);
	}
	rt_cpu_off();
}

void rt_secondary_set(uint32_t vcpu, void (*fn)(uint64_t), uint64_t arg)
{
	if (vcpu < RT_MAX_VCPUS) {
		secondaries[vcpu].fn = fn;
		secondaries[vcpu].arg = arg;
	}
}

uint64_t rt_dtb(void)
{
	return dtb_address;
}

struct rt_info rt_partition_info(void)
{
	if (rt_native()) {
		return rt_native_info();
	}
	struct rt_smccc_res r = rt_hvc(BH_HC_PARTITION_INFO, 0, 0, 0);

	return (struct rt_info){
		.partition = (uint32_t)r.x1,
		.vcpu = (uint32_t)r.x2,
		.n_vcpus = (uint32_t)(r.x2 >> 32),
		.restarts = (uint32_t)r.x3,
	};
}

int rt_printf(const char *fmt, ...)
{
	char buf[BH_CONSOLE_WRITE_MAX];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0) {
		return n;
	}
	size_t len = ((size_t)n < sizeof(buf)) ? (size_t)n : sizeof(buf) - 1u;
	(void)rt_console_write(buf, len);
	return n;
}
