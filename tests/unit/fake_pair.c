/* SPDX-License-Identifier: MIT */
/*
 * The two-partition system of fake_pair.h: its constant tables (what bhcc
 * would generate; os's device and the channel filled in by each boot) and
 * the service partition's side of a console channel, played with the
 * partition runtime's ring (partitions/runtime/ring.c) over the channel's
 * memory laid out as include/bulkhead/channel.h says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "bulkhead/channel.h"
#include "bulkhead/disk.h"
#include "channel.h"
#include "core.h"
#include "cpu.h"
#include "emul.h"
#include "fake_arch.h"
#include "fake_pair.h"
#include "partition.h"

#define MEM_SIZE ((BH_DISK_CHANNEL_SIZE > BH_CONSOLE_CHANNEL_SIZE) ? BH_DISK_CHANNEL_SIZE : BH_CONSOLE_CHANNEL_SIZE)

uint8_t pair_channel_mem[MEM_SIZE] __attribute__((aligned(4096)));
struct rt_ring pair_out;
struct rt_ring pair_in;

static const uint8_t os_cpus[] = { 0 };
static const uint8_t service_cpus[] = { 1 };
static struct cfg_partition partitions[] = {
	{
		.name = "os",
		.n_vcpus = 1,
		.vcpu_cpu = os_cpus,
		.fault_policy = CFG_FAULT_STOP,
	},
	{
		.name = "service",
		.n_vcpus = 1,
		.vcpu_cpu = service_cpus,
		.fault_policy = CFG_FAULT_STOP,
	},
};
/* One channel, and past the table (n_channels 1) a copy of it: what a bound check that let
 * channel n_channels through would find there, so that such a slip shows. */
static struct cfg_channel channels[2];
static const struct cfg_cpu cpus[] = {
	{ { 0x0 }, OS, 0 },
	{ { 0x1 }, SERVICE, 0 },
};
const struct cfg_system cfg_system = {
	.console = { .base = 0x09000000, .size = 0x1000, .reg_shift = 0, .reg_io_width = 1 },
	.n_cpus = 2,
	.cpus = cpus,
	.n_partitions = 2,
	.partitions = partitions,
	.service = SERVICE,
	.log_channel = 0xff,
	.n_channels = 1,
	.channels = channels,
};

static void boot(void *arg)
{
	(void)arg;
	core_boot(cpu_get(0));
}

static void start_cpu(void *arg)
{
	core_cpu_started(arg);
}

/* The trap path of a kick (tests/unit/fake_system.c's). */
static void handle(void *arg)
{
	fake_present_raised(arg);
	core_handle_requests(arg);
}

int pair_boot(const struct cfg_partition_console *console, const struct cfg_partition_disk *disk,
	      uint8_t kind, uint64_t size)
{
	partitions[OS].console = *console;
	partitions[OS].disk = *disk;
	channels[0] = (struct cfg_channel){
		.name = (kind == CFG_CHANNEL_DISK) ? "disk-os" : "console-os", .pa = (uintptr_t)pair_channel_mem,
		.size = size, .kind = kind, .one_way = 0,
		.end = { { CFG_END_HYPERVISOR, OS, 0, CFG_NO_DOORBELL, 0 },
			 { CFG_END_PARTITION, SERVICE, 0, SERVICE_DOORBELL, 0x50000000u } },
	};
	channels[1] = channels[0];
	memset(pair_channel_mem, 0xa5, sizeof(pair_channel_mem));   /* the hypervisor must not trust what was there */
	for (uint32_t i = 0; i < cfg_system.n_partitions; i++) {
		memset(partition_get(i), 0, sizeof(struct partition));
	}
	for (uint32_t i = 0; i < cfg_system.n_cpus; i++) {
		memset(cpu_get(i), 0, sizeof(struct cpu));
	}
	fake_reset();
	fake_line_masked = false;
	fake.power[0] = CPU_POWER_ON;
	fake.current = cpu_get(0);
	assert_int_equal(fake_run(boot, NULL), FAKE_VCPU_ENTER);
	/* The service partition runs on cpu 1. */
	fake.current = cpu_get(1);
	assert_int_equal(fake_run(start_cpu, cpu_get(1)), FAKE_VCPU_ENTER);
	fake.current = cpu_get(0);
	return 0;
}

bool pair_access(uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	const struct cfg_partition *c = &partitions[OS];
	bool ports = c->console.kind == CFG_CONSOLE_NS16550;
	uint64_t base = (c->console.kind != CFG_CONSOLE_NONE) ? c->console.ipa : c->disk.ipa;
	const struct emul_region *r = emul_find(&partition_get(OS)->emul[ports ? EMUL_PIO : EMUL_MMIO], base + offset);

	assert_non_null(r);
	return r->handler(cpu_get(0), r->context, base + offset - r->base, write, size, value);
}

uint32_t pair_rd(uint32_t offset, uint32_t size)
{
	uint64_t v = 0xdeadu;

	assert_true(pair_access(offset, false, size, &v));
	return (uint32_t)v;
}

void pair_wr(uint32_t offset, uint32_t size, uint32_t value)
{
	uint64_t v = value;

	assert_true(pair_access(offset, true, size, &v));
}

bool pair_service_rang(void)
{
	struct cpu *s = cpu_get(1);

	s->arch.injected = 0;
	fake.current = s;
	(void)fake_run(handle, s);
	fake.current = cpu_get(0);
	return (s->arch.injected & (1u << SERVICE_DOORBELL)) != 0u;
}

unsigned pair_raised(void)
{
	fake.current = cpu_get(0);
	(void)fake_run(handle, cpu_get(0));
	return cpu_get(0)->arch.injections;
}

struct rt_ring_area pair_direction(uint32_t half)
{
	uint8_t *receiver = pair_channel_mem + (half * (BH_CONSOLE_CHANNEL_SIZE / 2u));

	return (struct rt_ring_area){ receiver + BH_CHANNEL_PAGE, receiver,
				      receiver + BH_CHANNEL_PAGE + BH_CHANNEL_SLOTS_OFFSET, SLOTS, BH_CONSOLE_SLOT };
}

int pair_boot_console(uint8_t kind, uint64_t ipa, uint16_t irq)
{
	const struct cfg_partition_console console = { .kind = kind, .channel = 0, .irq = irq, .ipa = ipa };
	const struct cfg_partition_disk no_disk = { 0 };

	(void)pair_boot(&console, &no_disk, CFG_CHANNEL_CONSOLE, BH_CONSOLE_CHANNEL_SIZE);
	struct rt_ring_area o = pair_direction(0u);
	struct rt_ring_area i = pair_direction(1u);
	assert_int_equal(rt_ring_attach_consumer(&pair_out, &o), RT_RING_OK);
	assert_int_equal(rt_ring_attach_producer(&pair_in, &i, RT_RING_BACKPRESSURE), RT_RING_OK);
	return 0;
}

int pair_take(char *buf)
{
	size_t len = 0;

	if (rt_ring_recv(&pair_out, buf, RECORD, &len) != RT_RING_OK) {
		return -1;
	}
	buf[len] = '\0';
	return (int)len;
}

enum core_status pair_ring_console(void)
{
	enum core_status s;

	fake.current = cpu_get(1);
	s = channel_ring(cpu_get(1), 0);
	fake.current = cpu_get(0);
	return s;
}
