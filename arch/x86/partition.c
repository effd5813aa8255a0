/* SPDX-License-Identifier: MIT */
/*
 * What x86 keeps per partition: its ASID and its I/O-port and MSR
 * permission maps, deny by default. A partition's own ports (its devices',
 * cfg_partition.arch.port_ranges) pass through; every other port traps and
 * is refused (exit.c). MSRs pass through only where the VMCB switches
 * them with the guest (segment bases, system-call MSRs, the guest PAT) or
 * where reading is harmless (the TSC); EFER is emulated; the rest trap.
 */
#include <generated/autoconf.h>
#include "arch.h"
#include "cfg.h"
#include "lib.h"
#include "partition.h"
#include "x86.h"

#define IOPM_SIZE (3u * 4096u)
#define MSRPM_SIZE (2u * 4096u)

static uint8_t iopms[CONFIG_MAX_PARTITIONS][IOPM_SIZE] __attribute__((aligned(4096), section(".noload.iopm")));
static uint8_t msrpms[CONFIG_MAX_PARTITIONS][MSRPM_SIZE] __attribute__((aligned(4096), section(".noload.msrpm")));

/* Bit offset of an MSR's read bit in the MSR permission map (its write bit follows); -1: not in the map. */
static int32_t msrpm_bit(uint32_t msr)
{
	if (msr <= 0x1fffu) {
		return (int32_t)(msr * 2u);
	}
	if ((msr >= 0xc0000000u) && (msr <= 0xc0001fffu)) {
		return (int32_t)((0x800u * 8u) + ((msr - 0xc0000000u) * 2u));
	}
	if ((msr >= 0xc0010000u) && (msr <= 0xc0011fffu)) {
		return (int32_t)((0x1000u * 8u) + ((msr - 0xc0010000u) * 2u));
	}
	return -1;
}

static void msr_allow(uint8_t *pm, uint32_t msr, bool read, bool write)
{
	int32_t bit = msrpm_bit(msr);

	if (bit < 0) {
		return;
	}
	if (read) {
		pm[(uint32_t)bit / 8u] &= (uint8_t)~(1u << ((uint32_t)bit % 8u));
	}
	if (write) {
		pm[((uint32_t)bit + 1u) / 8u] &= (uint8_t)~(1u << (((uint32_t)bit + 1u) % 8u));
	}
}

static const uint32_t guest_msrs[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
	MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP, MSR_PAT,
};

void arch_partition_init(struct partition *p)
{
	const struct cfg_arch_partition *a = &p->cfg->arch;
	uint8_t *io = iopms[p->id];
	uint8_t *msr = msrpms[p->id];

	p->arch.asid = p->id + 1u;
	p->arch.iopm = io;
	p->arch.msrpm = msr;
	(void)memset(io, 0xff, IOPM_SIZE);
	for (uint32_t r = 0u; (r < a->n_port_ranges) && (r < CFG_X86_MAX_PORT_RANGES); r++) {
		for (uint32_t port = a->port_ranges[r].base;
		     (port < ((uint32_t)a->port_ranges[r].base + a->port_ranges[r].count)) && (port <= 0xffffu); port++) {
			io[port / 8u] &= (uint8_t)~(1u << (port % 8u));
		}
	}
	(void)memset(msr, 0xff, MSRPM_SIZE);
	for (uint32_t i = 0u; i < (uint32_t)(sizeof(guest_msrs) / sizeof(guest_msrs[0])); i++) {
		msr_allow(msr, guest_msrs[i], true, true);
	}
	msr_allow(msr, MSR_TSC, true, false);
}

void arch_partition_reset(struct partition *p)
{
	/* Each vCPU's pending vectors are cleared when it enters again (x86_virq_reset). */
	p->arch.ioregsel = 0u;
}
