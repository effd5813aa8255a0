/* SPDX-License-Identifier: MIT */
/*
 * What x86 keeps per partition: its ASID (VMX: VPID) and its I/O-port and
 * MSR permission maps, deny by default, in the vendor's format (vendor.h).
 * A partition's own ports (its devices', cfg_partition.arch.port_ranges)
 * pass through; every other port traps and
 * is refused (exit.c). MSRs pass through only where the world switch swaps
 * them with the guest (segment bases, system-call MSRs, the guest PAT) or
 * where reading is harmless (the TSC); EFER is emulated; the rest trap.
 */
#include <generated/autoconf.h>
#include "arch.h"
#include "cfg.h"
#include "lib.h"
#include "partition.h"
#include "vendor.h"
#include "x86.h"

void arch_partition_init(struct partition *p)
{
	static const uint32_t guest_msrs[] = {
		MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
		MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP, MSR_PAT,
	};
	static uint8_t msrpms[BH_NUM_PARTITIONS][X86_MSRPM_SIZE] __attribute__((aligned(4096), section(".noload.msrpm")));
	static uint8_t iopms[BH_NUM_PARTITIONS][X86_IOPM_SIZE] __attribute__((aligned(4096), section(".noload.iopm")));
	const struct cfg_arch_partition *a = &p->cfg->arch;
	uint8_t *io = iopms[p->id];
	uint8_t *msr = msrpms[p->id];

	p->arch.asid = p->id + 1u;
	p->arch.iopm = io;
	p->arch.msrpm = msr;
	(void)memset(io, 0xff, X86_IOPM_SIZE);
	for (uint32_t r = 0u; (r < a->n_port_ranges) && (r < CFG_X86_MAX_PORT_RANGES); r++) {
		for (uint32_t port = a->port_ranges[r].base;
		     (port < ((uint32_t)a->port_ranges[r].base + a->port_ranges[r].count)) && (port <= 0xffffu); port++) {
			io[port / 8u] &= (uint8_t)~((uint32_t)1u << (port % 8u));
		}
	}
	(void)memset(msr, 0xff, X86_MSRPM_SIZE);
	for (uint32_t i = 0u; i < (uint32_t)(sizeof(guest_msrs) / sizeof(guest_msrs[0])); i++) {
		vendor_msr_pass(msr, guest_msrs[i], true, true);
	}
	vendor_msr_pass(msr, MSR_TSC, true, false);
	x86_ioapic_partition_init(p);
	x86_pci_partition_init(p);
}

void arch_partition_reset(struct partition *p)
{
	/* Each vCPU's pending vectors are cleared when it enters again (x86_virq_reset). */
	x86_ioapic_partition_reset(p);   /* its pins masked, here and in the I/O APIC */
	x86_pci_partition_reset(p);      /* a restart finds its functions as the first start did */
}
