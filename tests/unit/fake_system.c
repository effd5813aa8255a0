/* SPDX-License-Identifier: MIT */
/*
 * The fake system's constant tables (what bhcc would generate) and boot.
 */
#include <string.h>
#include <bulkhead/channel.h>
#include "cfg.h"
#include "core.h"
#include "arch.h"
#include "cpu.h"
#include "fake_arch.h"
#include "fake_system.h"
#include "partition.h"

uint8_t alpha_ram[RAM_SIZE] __attribute__((aligned(4096)));
uint8_t alpha_ro[4096] __attribute__((aligned(4096)));
uint8_t beta_ram[RAM_SIZE] __attribute__((aligned(4096)));
const uint8_t alpha_image[16] = "alpha image 0123";
const uint8_t beta_image[24] = "beta image 0123456789ab";
const uint8_t beta_dtb[8] = { 0xd0, 0x0d, 0xfe, 0xed, 0, 0, 0, 8 };

static const uint8_t alpha_cpus[] = { 0 };
static const uint8_t beta_cpus[] = { 1, 2 };
static const uint32_t alpha_irqs[] = { 40 };

/* Beta's restart is announced to alpha's vCPU 0 (interrupt 9); it names itself
 * (skipped) and a partition that does not exist (refused, logged). */
static const struct cfg_notify beta_notify[] = {
	{ 0, 0, BETA_RESTART_VIRQ },
	{ 1, 1, 3 },
	{ 7, 0, 4 },
};

static struct cfg_region alpha_regions[3];
static struct cfg_region beta_regions[1];

struct cfg_partition fake_partitions[] = {
	{
		.name = "alpha",
		.n_vcpus = 1,
		.vcpu_cpu = alpha_cpus,
		.entry = ALPHA_RAM_IPA,
		.image = { 0, sizeof(alpha_image), ALPHA_RAM_IPA, 0 },   /* pa: fake_system_boot() */
		.n_regions = 3,
		.regions = alpha_regions,
		.n_irqs = 1,
		.irqs = alpha_irqs,
		.fault_policy = CFG_FAULT_STOP,
		.service_control = 1,
	},
	{
		.name = "beta",
		.n_vcpus = 2,
		.vcpu_cpu = beta_cpus,
		.entry = BETA_RAM_IPA + 0x100u,
		.image = { 0, sizeof(beta_image), BETA_RAM_IPA + 0x100u, 0 },
		.boot_info = { 0, sizeof(beta_dtb), BETA_DTB_IPA, 0 },
		.n_regions = 1,
		.regions = beta_regions,
		.fault_policy = CFG_FAULT_RESTART,
		.n_restart_notify = 3,
		.restart_notify = beta_notify,
	},
	/* Past the table (cfg_system.n_partitions is 2): nothing may read it. It asks for seeds, so
	 * a loop over the descriptions that read one too many would act on them (test_partition). */
	{
		.name = "past-the-table",
		.boot_info = { 0, 16u, 0, 0 },
		.kaslr_seed = 8u,
	},
};

/* 0: alpha <-> beta (doorbells ALPHA_DOORBELL in alpha's vCPU 0, BETA_DOORBELL in beta's
 * vCPU 1); 1: an emulated device's channel, hypervisor <-> beta; 2: the log, hypervisor ->
 * beta, whose end has no doorbell (it polls); 3: alpha <-> beta with a doorbell in beta
 * that the fake architecture cannot raise. Guest and host addresses play no part here,
 * except the log's with FAKE_SERVICE_PARTITION: beta is then the service partition, and the
 * log channel is fake_log_channel with the doorbell LOG_DOORBELL_VIRQ in beta's vCPU 0. */
static struct cfg_channel channels[] = {
	{ "data", 0, 0x4000, CFG_CHANNEL_DATA, 0, {
		{ CFG_END_PARTITION, 0, 0, ALPHA_DOORBELL, 0x60000000 },
		{ CFG_END_PARTITION, 1, 1, BETA_DOORBELL, 0x90000000 } } },
	{ "console-beta", 0, 0x4000, CFG_CHANNEL_CONSOLE, 0, {
		{ CFG_END_HYPERVISOR, 1, 0, CFG_NO_DOORBELL, 0 },
		{ CFG_END_PARTITION, 1, 0, 7, 0x90004000 } } },
	{ "log", 0, 0x8000, CFG_CHANNEL_LOG, 1, {
		{ CFG_END_HYPERVISOR, CFG_NO_PARTITION, 0, CFG_NO_DOORBELL, 0 },
		{ CFG_END_PARTITION, 1, 0, CFG_NO_DOORBELL, 0x90008000 } } },
	{ "spi", 0, 0x4000, CFG_CHANNEL_DATA, 0, {
		{ CFG_END_PARTITION, 0, 0, ALPHA_DOORBELL, 0x60004000 },
		{ CFG_END_PARTITION, 1, 0, BETA_UNRAISABLE_DOORBELL, 0x90010000 } } },
	/* Past the table (n_channels is 4): a log channel as good as channel 2, which nothing may take
	 * (FAKE_LOG_CHANNEL_PAST_TABLE names it as the log channel: test_log_channel_past.c). */
	{ "past-the-table", 0, 0x8000, CFG_CHANNEL_LOG, 1, {
		{ CFG_END_HYPERVISOR, CFG_NO_PARTITION, 0, CFG_NO_DOORBELL, 0 },
		{ CFG_END_PARTITION, 1, 0, CFG_NO_DOORBELL, 0x90008000 } } },
};

#ifdef FAKE_SERVICE_PARTITION
uint8_t fake_log_channel[BH_LOG_CHANNEL_SIZE] __attribute__((aligned(4096)));
#endif

static const struct cfg_cpu cpus[] = {
	{ { 0x0 }, 0, 0 },
	{ { 0x1 }, 1, 0 },
	{ { 0x2 }, 1, 1 },
	{ { 0x3 }, CFG_NO_PARTITION, 0 },
};

const struct cfg_system cfg_system = {
	.console = { .base = 0x09000000, .size = 0x1000, .reg_shift = 0, .reg_io_width = 1 },
	.arch = { .board_id = 1 },
	.n_cpus = 4,
	.cpus = cpus,
	.n_partitions = 2,
	.partitions = fake_partitions,
#ifdef FAKE_SERVICE_PARTITION
	.service = 1,   /* beta */
#ifdef FAKE_LOG_CHANNEL_PAST_TABLE
	.log_channel = 4,
#else
	.log_channel = 2,
#endif
#else
	.service = CFG_NO_PARTITION,
#endif
#ifdef FAKE_NO_CHANNELS
	.n_channels = 0,   /* a system without channels (test_channel_none.c) */
#else
	.n_channels = 4,
#endif
	.channels = channels,
};

void (*fake_board_hook)(void);

static void boot(void *arg)
{
	(void)arg;
	core_boot(cpu_get(0));
}

void fake_system_boot(void)
{
	/* Host addresses are only known at run time. */
	/* The image store is host memory here: the pristine copies are these arrays. */
	fake_partitions[0].image.pa = (uintptr_t)alpha_image;
	fake_partitions[1].image.pa = (uintptr_t)beta_image;
	fake_partitions[1].boot_info.pa = (uintptr_t)beta_dtb;
	alpha_regions[0] = (struct cfg_region){ ALPHA_RAM_IPA, (uintptr_t)alpha_ram, RAM_SIZE,
		CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X, CFG_REGION_RAM };
	alpha_regions[1] = (struct cfg_region){ ALPHA_RO_IPA, (uintptr_t)alpha_ro, sizeof(alpha_ro),
		CFG_ACCESS_R, CFG_REGION_RAM };
	alpha_regions[2] = (struct cfg_region){ ALPHA_DEV_IPA, ALPHA_DEV_IPA, 0x1000, CFG_ACCESS_R | CFG_ACCESS_W,
		CFG_REGION_DEVICE };
	beta_regions[0] = (struct cfg_region){ BETA_RAM_IPA, (uintptr_t)beta_ram, RAM_SIZE,
		CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X, CFG_REGION_RAM };
#ifdef FAKE_SERVICE_PARTITION
	channels[2].pa = (uintptr_t)fake_log_channel;
	channels[2].size = sizeof(fake_log_channel);
	channels[2].end[1].doorbell = LOG_DOORBELL_VIRQ;
	channels[4].pa = channels[2].pa;
	channels[4].size = channels[2].size;
	channels[4].end[1].doorbell = LOG_DOORBELL_VIRQ;
	/* What the memory held before boot. */
	memset(fake_log_channel, 0xa5, sizeof(fake_log_channel));
#endif
	/* The board boots with core's objects zero (.bss); each test boots afresh. */
	for (uint32_t i = 0; i < cfg_system.n_partitions; i++) {
		memset(partition_get(i), 0, sizeof(struct partition));
	}
	for (uint32_t i = 0; i < cfg_system.n_cpus; i++) {
		memset(cpu_get(i), 0, sizeof(struct cpu));
	}
	memset(alpha_ram, 0, sizeof(alpha_ram));
	memset(beta_ram, 0, sizeof(beta_ram));
	fake_reset();
	if (fake_board_hook != NULL) {
		fake_board_hook();
	}
	/* Core 0 is the boot core: it is on. */
	fake.power[0] = CPU_POWER_ON;
	fake.current = cpu_get(0);
	(void)fake_run(boot, NULL);
}

static void start_cpu(void *arg)
{
	core_cpu_started(arg);
}

/* The trap path of a kick: what was raised is presented, as ARM64's IRQ path does, then the requests. */
static void handle(void *arg)
{
	fake_present_raised(arg);
	core_handle_requests(arg);
}

enum fake_exit fake_start(struct cpu *cpu)
{
	fake.current = cpu;
	return fake_run(start_cpu, cpu);
}

enum fake_exit fake_take_kick(struct cpu *cpu)
{
	fake.current = cpu;
	return fake_run(handle, cpu);
}

bool fake_beta_running(void)
{
	if (fake_start(cpu_get(1)) != FAKE_VCPU_ENTER) {
		return false;
	}
	if (partition_vcpu_on(cpu_get(1), 1, ipa_init(BETA_RAM_IPA), 0) != CORE_OK) {
		return false;
	}
	return fake_start(cpu_get(2)) == FAKE_VCPU_ENTER;
}
