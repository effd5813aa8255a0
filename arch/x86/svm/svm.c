/* SPDX-License-Identifier: MIT */
/*
 * AMD SVM, the vendor hooks of vendor.h: enabling it on each cpu, the
 * vCPU's VMCB in the partition entry state of the contract
 * (arch/x86/README.md), the VMRUN, the guest state in the VMCB, and
 * virtual interrupts through V_IRQ.
 */
#include <generated/autoconf.h>
#include "arch.h"
#include "cfg.h"
#include "cpu.h"
#include "lib.h"
#include "log.h"
#include "partition.h"
#include "svm_internal.h"
#include "vendor.h"
#include "vmcb.h"
#include "x86.h"
#include "x86_pt.h"

#define CPUID_SVM_ECX ((uint32_t)1u << 2)      /* leaf 0x80000001 */
#define CPUID_NP_EDX ((uint32_t)1u << 0)       /* leaf 0x8000000a */
#define VM_CR_SVMDIS (1ULL << 4)

void vendor_cpu_init(struct cpu *cpu)
{
	static uint8_t hsaves[BH_NUM_CORES][4096] __attribute__((aligned(4096), section(".noload.hsave")));
	static uint8_t vmcbs[BH_NUM_CORES][4096] __attribute__((aligned(4096), section(".noload.vmcb")));
	uint32_t r[4];

	cpuid(0x80000001u, 0u, r);
	if ((r[2] & CPUID_SVM_ECX) == 0u) {
		panic("core %u: no AMD SVM (CPUID 0x80000001 ECX.SVM clear)", cpu->index);
	}
	cpuid(0x8000000au, 0u, r);
	if ((r[3] & CPUID_NP_EDX) == 0u) {
		panic("core %u: SVM without nested paging", cpu->index);
	}
	if ((rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) != 0u) {
		panic("core %u: SVM disabled by the firmware (VM_CR.SVMDIS)", cpu->index);
	}
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, (uint64_t)(uintptr_t)hsaves[cpu->index]);
	cpu->arch.vctl = vmcbs[cpu->index];
}

#define MISC1 (VMCB_MISC1_INTR | VMCB_MISC1_NMI | VMCB_MISC1_SMI | VMCB_MISC1_INIT | VMCB_MISC1_CPUID | \
	       VMCB_MISC1_INVD | VMCB_MISC1_HLT | VMCB_MISC1_IOIO | VMCB_MISC1_MSR | VMCB_MISC1_SHUTDOWN)
#define MISC2 (VMCB_MISC2_VMRUN | VMCB_MISC2_VMMCALL | VMCB_MISC2_VMLOAD | VMCB_MISC2_VMSAVE | \
	       VMCB_MISC2_STGI | VMCB_MISC2_CLGI | VMCB_MISC2_SKINIT | VMCB_MISC2_WBINVD | \
	       VMCB_MISC2_MONITOR | VMCB_MISC2_MWAIT | VMCB_MISC2_MWAIT_C | VMCB_MISC2_XSETBV)

/* Segment attributes (VMCB format: type, S, DPL, P, then AVL, L, D/B, G). */
#define SEG_CODE32 0xc9bu
#define SEG_DATA32 0xc93u
#define SEG_LDT 0x082u
#define SEG_TSS32_BUSY 0x08bu
#define SEG_CODE16 0x09bu
#define SEG_DATA16 0x093u
#define REAL_LIMIT 0xffffu

void vendor_vcpu_reset(struct cpu *cpu, uint64_t entry)
{
	void *v = cpu->arch.vctl;
	const struct partition *p = cpu->partition;

	(void)memset(v, 0, 4096u);
	vmcb_write32(v, VMCB_INTERCEPT_MISC1, MISC1);
	vmcb_write32(v, VMCB_INTERCEPT_MISC2, MISC2);
	vmcb_write64(v, VMCB_IOPM_BASE, (uint64_t)(uintptr_t)p->arch.iopm);
	vmcb_write64(v, VMCB_MSRPM_BASE, (uint64_t)(uintptr_t)p->arch.msrpm);
	vmcb_write32(v, VMCB_ASID, p->arch.asid);
	vmcb_write32(v, VMCB_TLB_CONTROL, 1u);              /* flush this ASID: a new life, or after a fence */
	vmcb_write64(v, VMCB_NP_ENABLE, 1u);
	vmcb_write64(v, VMCB_N_CR3, (uint64_t)(uintptr_t)p->arch.npt_root);

	/* 32-bit flat protected mode, paging off, interrupts off. */
	vmcb_segment(v, VMCB_CS, 0x08u, SEG_CODE32, 0xffffffffu, 0u);
	vmcb_segment(v, VMCB_DS, 0x10u, SEG_DATA32, 0xffffffffu, 0u);
	vmcb_segment(v, VMCB_ES, 0x10u, SEG_DATA32, 0xffffffffu, 0u);
	vmcb_segment(v, VMCB_SS, 0x10u, SEG_DATA32, 0xffffffffu, 0u);
	vmcb_segment(v, VMCB_FS, 0x10u, SEG_DATA32, 0xffffffffu, 0u);
	vmcb_segment(v, VMCB_GS, 0x10u, SEG_DATA32, 0xffffffffu, 0u);
	vmcb_segment(v, VMCB_LDTR, 0u, SEG_LDT, 0xffffu, 0u);
	vmcb_segment(v, VMCB_TR, 0u, SEG_TSS32_BUSY, 0xffffu, 0u);
	/* No descriptor tables: an exception before the guest loads its IDT is a triple fault. */
	vmcb_segment(v, VMCB_GDTR, 0u, 0u, 0u, 0u);
	vmcb_segment(v, VMCB_IDTR, 0u, 0u, 0u, 0u);
	vmcb_write64(v, VMCB_EFER, EFER_SVME);
	vmcb_write64(v, VMCB_CR0, X86_CR0_PE | X86_CR0_ET);
	vmcb_write64(v, VMCB_DR6, 0xffff0ff0u);
	vmcb_write64(v, VMCB_DR7, 0x400u);
	vmcb_write64(v, VMCB_RFLAGS, 0x2u);
	vmcb_write64(v, VMCB_RIP, entry);
	vmcb_write64(v, VMCB_G_PAT, 0x0007040600070406ULL);
}

/* Implements: REQ-XARCH-050 */
void vendor_vcpu_real_mode(struct cpu *cpu, uint64_t page)
{
	void *v = cpu->arch.vctl;

	vmcb_segment(v, VMCB_CS, (uint16_t)(page >> 4), SEG_CODE16, REAL_LIMIT, page);
	vmcb_segment(v, VMCB_DS, 0u, SEG_DATA16, REAL_LIMIT, 0u);
	vmcb_segment(v, VMCB_ES, 0u, SEG_DATA16, REAL_LIMIT, 0u);
	vmcb_segment(v, VMCB_SS, 0u, SEG_DATA16, REAL_LIMIT, 0u);
	vmcb_segment(v, VMCB_FS, 0u, SEG_DATA16, REAL_LIMIT, 0u);
	vmcb_segment(v, VMCB_GS, 0u, SEG_DATA16, REAL_LIMIT, 0u);
	vmcb_segment(v, VMCB_GDTR, 0u, 0u, REAL_LIMIT, 0u);
	vmcb_segment(v, VMCB_IDTR, 0u, 0u, REAL_LIMIT, 0u);   /* the real-mode vector table at 0 */
	vmcb_write64(v, VMCB_CR0, X86_CR0_ET);
	vmcb_write64(v, VMCB_RIP, 0u);
}

NORETURN void vendor_vcpu_loop(struct cpu *cpu)
{
	svm_vcpu_loop(&cpu->arch.gprs, pa_from_ptr(cpu->arch.vctl).pa, cpu);
}

void vendor_inject_exception(struct cpu *cpu, uint32_t vector, bool has_error, uint32_t error)
{
	uint64_t ev = vector | SVM_EVENT_EXCEPTION | SVM_EVENT_VALID;

	if (has_error) {
		ev |= SVM_EVENT_EV | ((uint64_t)error << 32);
	}
	vmcb_write64(cpu->arch.vctl, VMCB_EVENTINJ, ev);
}

void vendor_virq_clear(struct cpu *cpu)
{
	vmcb_write64(cpu->arch.vctl, VMCB_VINTR, VINTR_MASKING);
}

/* Bit offset of an MSR's read bit in the MSR permission map (its write bit follows); -1: not in the map. */
static int32_t msrpm_bit(uint32_t msr)
{
	uint32_t bit;

	if (msr <= 0x1fffu) {
		bit = msr * 2u;
		return (int32_t)bit;
	}
	if ((msr >= 0xc0000000u) && (msr <= 0xc0001fffu)) {
		bit = (0x800u * 8u) + ((msr - 0xc0000000u) * 2u);
		return (int32_t)bit;
	}
	if ((msr >= 0xc0010000u) && (msr <= 0xc0011fffu)) {
		bit = (0x1000u * 8u) + ((msr - 0xc0010000u) * 2u);
		return (int32_t)bit;
	}
	return -1;
}

void vendor_msr_pass(uint8_t *pm, uint32_t msr, bool read, bool write)
{
	int32_t bit = msrpm_bit(msr);

	if (bit < 0) {
		return;
	}
	if (read) {
		pm[(uint32_t)bit / 8u] &= (uint8_t)~((uint32_t)1u << ((uint32_t)bit % 8u));
	}
	if (write) {
		pm[((uint32_t)bit + 1u) / 8u] &= (uint8_t)~((uint32_t)1u << (((uint32_t)bit + 1u) % 8u));
	}
}

uint64_t vendor_npt_leaf(uint8_t access, bool device)
{
	return x86_npt_attrs(access, device);
}

uint64_t vendor_npt_table_bits(void)
{
	return X86_PTE_P | X86_PTE_W | X86_PTE_U;   /* guest accesses walk the nested tables as user accesses */
}

uint64_t vendor_npt_present_bits(void)
{
	return X86_PTE_P;
}
