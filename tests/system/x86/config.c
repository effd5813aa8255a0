/* SPDX-License-Identifier: MIT */
/*
 * Hand-written tables (tests/system/x86/system.mk says why): QEMU pc, COM1
 * as the hypervisor's console, three partitions of 16 MiB at
 * guest-physical 0 (host 32, 48 and 64 MiB), each on its own core (hello's second vCPU on core 3), all
 * booting the test guest (guest.S) from the image store at 0x1000000, which
 * behaves by partition id. None owns an I/O port.
 */
#include "cfg.h"

static const uint8_t hello_cpu[] = { 0, 3 };
static const uint8_t hostile_cpu[] = { 1 };
static const uint8_t msr_cpu[] = { 2 };

static const struct cfg_region hello_regions[] = {
	{ .ipa = 0x0, .pa = 0x2000000, .size = 0x1000000,
	  .access = CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X, .kind = CFG_REGION_RAM },
};

static const struct cfg_region hostile_regions[] = {
	{ .ipa = 0x0, .pa = 0x3000000, .size = 0x1000000,
	  .access = CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X, .kind = CFG_REGION_RAM },
};

static const struct cfg_region msr_regions[] = {
	{ .ipa = 0x0, .pa = 0x4000000, .size = 0x1000000,
	  .access = CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X, .kind = CFG_REGION_RAM },
};

static const struct cfg_partition partitions[] = {
	{
		.name = "hello",
		.n_vcpus = 2,
		.vcpu_cpu = hello_cpu,
		.entry = 0x100000,
		.image = { .pa = 0x1000000, .size = 0x1000, .ipa = 0x100000 },
		.n_regions = 1,
		.regions = hello_regions,
		.fault_policy = CFG_FAULT_STOP,
	},
	{
		.name = "hostile",
		.n_vcpus = 1,
		.vcpu_cpu = hostile_cpu,
		.entry = 0x100000,
		.image = { .pa = 0x1000000, .size = 0x1000, .ipa = 0x100000 },
		.n_regions = 1,
		.regions = hostile_regions,
		.fault_policy = CFG_FAULT_STOP,
	},
	{
		.name = "msr",
		.n_vcpus = 1,
		.vcpu_cpu = msr_cpu,
		.entry = 0x100000,
		.image = { .pa = 0x1000000, .size = 0x1000, .ipa = 0x100000 },
		.n_regions = 1,
		.regions = msr_regions,
		.fault_policy = CFG_FAULT_STOP,
	},
};

static const struct cfg_cpu cpus[] = {
	{ .arch = { .apic_id = 0 }, .partition = 0, .vcpu = 0 },
	{ .arch = { .apic_id = 1 }, .partition = 1, .vcpu = 0 },
	{ .arch = { .apic_id = 2 }, .partition = 2, .vcpu = 0 },
	{ .arch = { .apic_id = 3 }, .partition = 0, .vcpu = 1 },
};

const struct cfg_system cfg_system = {
	.console = { .base = 0x3f8, .size = 8, .reg_shift = 0, .reg_io_width = 1 },
	.n_cpus = 4,
	.cpus = cpus,
	.n_partitions = 3,
	.partitions = partitions,
	.service = CFG_NO_PARTITION,
	.store_pa = 0x1000000,
	.store_size = 0x1000,
};
