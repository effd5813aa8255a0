/* SPDX-License-Identifier: MIT */
/*
 * The constant tables of the trap fuzz target's system (traps_system.h) and
 * its boot on the fake architecture.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "core.h"
#include "cpu.h"
#include "fake_arch.h"
#include "partition.h"
#include "traps_system.h"
#include "vgic.h"

static uint8_t ram[TRAPS_PARTITIONS][TRAPS_RAM_SIZE] __attribute__((aligned(4096)));
static const uint8_t image[16] = "trap fuzz image";

static const uint8_t alpha_cpus[] = { 0 };
static const uint8_t beta_cpus[] = { 1, 2 };
static const uint8_t gamma_cpus[] = { 3 };
static const uint32_t alpha_irqs[] = { 40, 41 };
static const uint32_t beta_irqs[] = { 50 };
static const uint32_t gamma_irqs[] = { 60, 96 };   /* 96: bit 0 of word 3 */
static struct cfg_region regions[TRAPS_PARTITIONS][1];

#define IPA(p) (0x40000000u + (uint64_t)(p) * 0x10000000u)

static struct cfg_partition partitions[TRAPS_PARTITIONS] = {   /* image.pa: at set-up */
	{ .name = "alpha", .n_vcpus = 1, .vcpu_cpu = alpha_cpus, .entry = IPA(0),
	  .image = { 0, sizeof(image), IPA(0), 0 }, .n_regions = 1, .regions = regions[0], .n_irqs = 2,
	  .irqs = alpha_irqs },
	{ .name = "beta", .n_vcpus = 2, .vcpu_cpu = beta_cpus, .entry = IPA(1),
	  .image = { 0, sizeof(image), IPA(1), 0 }, .n_regions = 1, .regions = regions[1], .n_irqs = 1,
	  .irqs = beta_irqs },
	{ .name = "gamma", .n_vcpus = 1, .vcpu_cpu = gamma_cpus, .entry = IPA(2),
	  .image = { 0, sizeof(image), IPA(2), 0 }, .n_regions = 1, .regions = regions[2], .n_irqs = 2,
#if BH_GIC_VERSION == 3
	  .irqs = gamma_irqs, .arch = { .irq_delivery = CFG_IRQ_DIRECT } },
#else
	  .irqs = gamma_irqs },   /* direct delivery is GICv3's */
#endif
};

/* Doorbells: alpha's and beta's vCPU 1's are virtual SPIs (72, 70); gamma's
 * SPI is not one (direct delivery has none), beta's other end an SGI; beta's
 * vCPU 0 also rings on SPI 64 (bit 0 of word 2), alpha's end has no doorbell. */
static const struct cfg_channel channels[] = {
	{ .name = "ab", .pa = 0, .size = 0x4000u, .kind = CFG_CHANNEL_DATA,
	  .end = { { CFG_END_PARTITION, 0, 0, TRAPS_ALPHA_DOORBELL, 0 }, { CFG_END_PARTITION, 1, 1, TRAPS_BETA_DOORBELL, 0 } } },
	{ .name = "gb", .pa = 0, .size = 0x4000u, .kind = CFG_CHANNEL_DATA,
	  .end = { { CFG_END_PARTITION, 2, 0, 74, 0 }, { CFG_END_PARTITION, 1, 0, 3, 0 } } },
	{ .name = "ba", .pa = 0, .size = 0x4000u, .kind = CFG_CHANNEL_DATA,
	  .end = { { CFG_END_PARTITION, 1, 0, TRAPS_BETA_DOORBELL_BIT0, 0 },
		   { CFG_END_PARTITION, 0, 0, CFG_NO_DOORBELL, 0 } } },
	/* Alpha rings on the first SPI there is (32); beta's end names INTID 1020, no SPI (a
	 * table bhcc would refuse to build: the hypervisor must not take it for one). */
	{ .name = "a32", .pa = 0, .size = 0x4000u, .kind = CFG_CHANNEL_DATA,
	  .end = { { CFG_END_PARTITION, 0, 0, GIC_FIRST_SPI, 0 }, { CFG_END_PARTITION, 1, 0, GIC_MAX_INTID, 0 } } },
};

static const struct cfg_cpu cpus[TRAPS_CORES] = {
	{ { 0x0 }, 0, 0 }, { { 0x1 }, 1, 0 }, { { 0x2 }, 1, 1 }, { { 0x3 }, 2, 0 },
};

const struct cfg_system cfg_system = {
	.console = { .base = 0x09000000u, .size = 0x1000u, .reg_shift = 0, .reg_io_width = 1 },
#if BH_GIC_VERSION == 3
	.arch = { .gic = { .dist = { TRAPS_GICD, 0x10000u }, .redist = { TRAPS_GICR, 0xf60000u } } },
#else
	/* The CPU interface and virtual interface control frames are host memory (fake_gic.c). */
	.arch = { .gic = { .dist = { TRAPS_GICD, 0x10000u }, .cpu = { (uintptr_t)fake_gicc, 0x2000u },
			   .hyp = { (uintptr_t)fake_gich, 0x1000u }, .vcpu = { TRAPS_GICV, 0x2000u } } },
#endif
	.n_cpus = TRAPS_CORES,
	.cpus = cpus,
	.n_partitions = TRAPS_PARTITIONS,
	.partitions = partitions,
	.service = CFG_NO_PARTITION,
	.n_channels = sizeof(channels) / sizeof(channels[0]),
	.channels = channels,
};

uint8_t *traps_ram(uint32_t part)
{
	return ram[part];
}

uint64_t traps_ram_ipa(uint32_t part)
{
	return IPA(part);
}

uint64_t arm64_cpu_mpidr(uint32_t core)
{
	return cpus[core].arch.mpidr;
}

void arch_partition_init(struct partition *p)
{
	vgic_partition_init(p);
}

/* The harness resets each virtual GIC itself once every vCPU is set up (traps_system_boot). */
void arch_partition_reset(struct partition *p)
{
	(void)p;
}

static void boot(void *arg)
{
	(void)arg;
	core_boot(cpu_get(0));
}

void traps_system_boot(void)
{
	/* The image store is host memory here: every partition's pristine copy is image[]. */
	for (uint32_t p = 0; p < TRAPS_PARTITIONS; p++)
		partitions[p].image.pa = (uintptr_t)image;
	for (uint32_t p = 0; p < TRAPS_PARTITIONS; p++)
		regions[p][0] = (struct cfg_region){ IPA(p), (uintptr_t)ram[p], TRAPS_RAM_SIZE,
						      CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X, CFG_REGION_RAM };
	fake_reset();
	fake.power[0] = CPU_POWER_ON;
	fake.current = cpu_get(0);
	(void)fake_run(boot, NULL);
	/* Every vCPU as if it had started: core_boot() enters only the boot core's. */
	for (uint32_t c = 0; c < TRAPS_CORES; c++) {
		struct cpu *cpu = cpu_get(c);

		cpu->partition = partition_get(cpus[c].partition);
		cpu->vcpu = cpus[c].vcpu;
	}
	fake_gic_reset();
	for (uint32_t p = 0; p < TRAPS_PARTITIONS; p++) {
		fake.current = cpu_get(partitions[p].vcpu_cpu[0]);
		vgic_partition_reset(partition_get(p));
	}
	for (uint32_t c = 0; c < TRAPS_CORES; c++) {
		fake.current = cpu_get(c);
		vgic_vcpu_reset(cpu_get(c));
	}
}

bool traps_owns_spi(const struct cpu *cpu, uint32_t intid)
{
	const struct cfg_partition *p = &partitions[cpus[cpu->index].partition];

	for (uint32_t i = 0; i < p->n_irqs; i++)
		if (p->irqs[i] == intid)
			return true;
	return false;
}

bool traps_owns_core(const struct cpu *cpu, uint32_t core)
{
	return core < TRAPS_CORES && cpus[core].partition == cpus[cpu->index].partition;
}

bool traps_may_kick(const struct cpu *cpu, uint32_t core)
{
	uint32_t mine = cpus[cpu->index].partition;

	if (traps_owns_core(cpu, core))
		return true;
	/* A doorbell: the hypervisor interrupts a channel peer's core on the ringer's behalf. */
	for (uint32_t i = 0; core < TRAPS_CORES && i < sizeof(channels) / sizeof(channels[0]); i++) {
		const struct cfg_channel_end *e = channels[i].end;

		if (e[0].kind != CFG_END_PARTITION || e[1].kind != CFG_END_PARTITION)
			continue;
		if ((e[0].partition == mine && e[1].partition == cpus[core].partition) ||
		    (e[1].partition == mine && e[0].partition == cpus[core].partition))
			return true;
	}
	return false;
}

/* Its timer PPIs and, on a direct-delivery core, its SGIs but the hypervisor's kick (15). */
bool traps_owns_local(const struct cpu *cpu, uint32_t intid)
{
	bool direct = partitions[cpus[cpu->index].partition].arch.irq_delivery == CFG_IRQ_DIRECT;

	return intid == GIC_VTIMER_PPI || intid == GIC_PTIMER_PPI || (direct && intid < GIC_IPI_SGI);
}

_Noreturn void traps_violation(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vGIC isolation oracle: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
