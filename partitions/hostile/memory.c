/* SPDX-License-Identifier: MIT */
/*
 * Memory vectors: other partitions', the hypervisor's and devices' memory,
 * its own memory against its access rights, and accesses the hypervisor
 * cannot emulate (pairs, writeback, exclusives, unaligned, cache
 * maintenance) aimed at the emulated interrupt controller. Most fault: the
 * hypervisor restarts the attacker, and returning is itself the escape.
 */
#include "bhrt.h"
#include "bhrt_gic.h"
#include "hostile.h"

#define UART 0x09000000u
#define RTC 0x09010000u
#define GICV2_GICH 0x08030000u
#define GICV3_ITS 0x08080000u
#define GICR_FRAME 0x20000u

static void read64(struct ctx *c, uint64_t addr)
{
	uint64_t v = *(volatile uint64_t *)(uintptr_t)addr;

	c->detail = v;
	c->escape = "the read returned";
}

static void write64(struct ctx *c, uint64_t addr)
{
	*(volatile uint64_t *)(uintptr_t)addr = 0xbadc0ffee0ddf00dull;
	c->escape = "the write returned";
}

/* With its stage-1 MMU off every fetch is allowed at EL1: only stage 2 can refuse. */
static void execute(struct ctx *c, uint64_t addr)
{
	__asm__ volatile("mrs x9, sctlr_el1\n\t"
			 "bic x9, x9, #1\n\t"
			 "msr sctlr_el1, x9\n\t"
			 "isb\n\t"
			 "blr %0"
			 :
			 : "r"(addr)
			 : "x9", "x30", "memory");
	c->escape = "the branch returned";
}

static void read_victim(struct ctx *c) { read64(c, c->victim); }
static void write_victim(struct ctx *c) { write64(c, c->victim); }
static void read_hyp(struct ctx *c) { read64(c, c->hyp); }
static void write_hyp(struct ctx *c) { write64(c, c->hyp); }
static void write_ro(struct ctx *c) { write64(c, c->ro); }
static void execute_nx(struct ctx *c) { execute(c, c->nx); }
static void execute_victim(struct ctx *c) { execute(c, c->victim); }
static void read_uart(struct ctx *c) { read64(c, UART); }
static void write_rtc(struct ctx *c) { write64(c, RTC + 0x04u); }
static void read_past_ram(struct ctx *c) { read64(c, (uint64_t)(uintptr_t)__ram_end); }
static void read_gich(struct ctx *c) { read64(c, GICV2_GICH); }
static void read_its(struct ctx *c) { read64(c, GICV3_ITS); }

static void read_foreign_redistributor(struct ctx *c)
{
	struct rt_info info = rt_partition_info();

	/* The frame after its last vCPU's is another core's. */
	read64(c, RT_GICR_BASE + ((uint64_t)info.n_vcpus * GICR_FRAME));
}

static void load_pair_gicd(struct ctx *c)
{
	uint64_t a;
	uint64_t b;

	__asm__ volatile("ldp %0, %1, [%2]" : "=r"(a), "=r"(b) : "r"((uint64_t)RT_GICD_BASE + 0x100u) : "memory");
	c->detail = a | b;
	c->escape = "the load pair returned";
}

static void store_writeback_gicd(struct ctx *c)
{
	uint64_t p = RT_GICD_BASE + 0x180u;

	__asm__ volatile("str %w1, [%0, #4]!" : "+r"(p) : "r"(0xffffffffu) : "memory");
	c->escape = "the store with writeback returned";
}

static void exclusive_gicd(struct ctx *c)
{
	uint32_t v;
	uint32_t status;

	__asm__ volatile("ldxr %w0, [%2]\n\tstxr %w1, %w0, [%2]"
			 : "=&r"(v), "=&r"(status)
			 : "r"((uint64_t)RT_GICD_BASE + 0x100u)
			 : "memory");
	c->detail = status;
}

static void exclusive_ro(struct ctx *c)
{
	uint64_t v;
	uint32_t status;

	__asm__ volatile("ldxr %0, [%2]\n\tstxr %w1, %0, [%2]" : "=&r"(v), "=&r"(status) : "r"(c->ro) : "memory");
	c->escape = "the exclusive store to read-only memory returned";
}

static void unaligned_gicd(struct ctx *c)
{
	uint32_t v;

	/* Device memory at stage 1: an alignment fault at EL1, before stage 2. */
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"((uint64_t)RT_GICD_BASE + 0x102u) : "memory");
	__asm__ volatile("str %w0, [%1]" : : "r"(0xffffffffu), "r"((uint64_t)RT_GICD_BASE + 0x182u) : "memory");
	c->detail = v;
}

static void unaligned_ro(struct ctx *c)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(c->ro + 3u) : "memory");
	c->detail = v;
}

static void zva_gicd(struct ctx *c)
{
	(void)c;
	__asm__ volatile("dc zva, %0" : : "r"((uint64_t)RT_GICD_BASE + 0x100u) : "memory");
}

static void invalidate_victim(struct ctx *c)
{
	/* A stage-2 permission or translation fault on hardware; QEMU's DC IVAC does nothing. */
	__asm__ volatile("dc ivac, %0\n\tdc civac, %0\n\tdsb sy" : : "r"(c->victim) : "memory");
}

static void from_vcpu1(uint64_t victim)
{
	(void)*(volatile uint64_t *)(uintptr_t)victim;
}

static void read_victim_from_vcpu1(struct ctx *c)
{
	if (rt_cpu_on(1, from_vcpu1, c->victim) != 0) {
		c->escape = "CPU_ON of its own vCPU 1 failed";
		return;
	}
	/* vCPU 1's fault restarts the whole partition, this vCPU too. */
	while (!past_deadline(c)) {
		__asm__ volatile("yield" : : : "memory");
	}
	c->escape = "vCPU 0 outlived vCPU 1's fault";
}

const struct vector memory_vectors[] = {
	{ "read the victim's memory", ON_ANY, EXPECT_FAULT, 0, 0, 1, read_victim },
	{ "write the victim's memory", ON_ANY, EXPECT_FAULT, 0, 0, 1, write_victim },
	{ "read the hypervisor's memory", ON_ANY, EXPECT_FAULT, 0, 0, 1, read_hyp },
	{ "write the hypervisor's memory", ON_ANY, EXPECT_FAULT, 0, 0, 1, write_hyp },
	{ "write its own read-only memory", ON_ANY, EXPECT_FAULT, 0, 0, 1, write_ro },
	{ "execute its own non-executable memory", ON_ANY, EXPECT_FAULT, 0, 0, 1, execute_nx },
	{ "execute the victim's memory", ON_ANY, EXPECT_FAULT, 0, 0, 1, execute_victim },
	{ "read the hypervisor's console UART", ON_ANY, EXPECT_FAULT, 0, 0, 1, read_uart },
	{ "write the victim's RTC", ON_ANY, EXPECT_FAULT, 0, 0, 1, write_rtc },
	{ "read past the end of its RAM", ON_ANY, EXPECT_FAULT, 0, 0, 1, read_past_ram },
	{ "read the GICv2 hypervisor interface (GICH)", ON_V2, EXPECT_FAULT, 0, 0, 1, read_gich },
	{ "read the GICv3 ITS", ON_V3_ANY, EXPECT_FAULT, 0, 0, 1, read_its },
	{ "read another core's redistributor", ON_V3_ANY, EXPECT_FAULT, 0, 0, 1, read_foreign_redistributor },
	{ "load pair from the distributor", ON_ANY, EXPECT_FAULT, 0, 0, 1, load_pair_gicd },
	{ "store with writeback to the distributor", ON_ANY, EXPECT_FAULT, 0, 0, 1, store_writeback_gicd },
	{ "exclusive load and store on the distributor", ON_ANY, EXPECT_ANY, 0, 0, 1, exclusive_gicd },
	{ "exclusive store to its own read-only memory", ON_ANY, EXPECT_FAULT, 0, 0, 1, exclusive_ro },
	/* Hardware raises an alignment fault at EL1 for these three; QEMU 7.2
	 * checks stage 2 first (the hypervisor emulates no misaligned or DC ZVA
	 * access: a fault) and lets the unaligned device-type load through. */
	{ "unaligned accesses to the distributor", ON_ANY, EXPECT_ANY, 0, 0, 1, unaligned_gicd },
	{ "unaligned access to device-type memory", ON_ANY, EXPECT_ANY, 0, 0, 1, unaligned_ro },
	{ "DC ZVA on the distributor", ON_ANY, EXPECT_ANY, 0, 0, 1, zva_gicd },
	{ "cache invalidation of the victim's memory", ON_ANY, EXPECT_ANY, 0, 0, 1, invalidate_victim },
	{ "read the victim's memory from vCPU 1", ON_ANY, EXPECT_FAULT, 0, 0, 1, read_victim_from_vcpu1 },
	{ NULL, 0, EXPECT_ANY, 0, 0, 0, NULL },
};
