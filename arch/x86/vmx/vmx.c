/* SPDX-License-Identifier: MIT */
/*
 * Intel VMX, the vendor hooks of vendor.h: VMXON on each cpu, one VMCS per
 * cpu in the partition entry state of the contract (arch/x86/README.md)
 * with unrestricted guest (the guest starts in 32-bit protected mode with
 * paging off, under EPT), the VM entry, the guest state in the VMCS, and
 * virtual interrupts by event injection at an open interrupt window.
 *
 * VMX holds some CR0/CR4 bits fixed while a guest runs (NE, VMXE): they
 * are masked, the guest reads its own value from the read shadow, and its
 * write of a masked bit exits and is applied here (vmx_cr_write). Unlike
 * SVM's VMSAVE, VMX does not switch STAR, LSTAR, CSTAR, SFMASK and
 * KERNEL_GS_BASE, which the partition reaches directly: the hypervisor
 * uses none of them, and a new life of the vCPU starts with them zero.
 */
#include <generated/autoconf.h>
#include "arch.h"
#include "cfg.h"
#include "cpu.h"
#include "lib.h"
#include "log.h"
#include "partition.h"
#include "vendor.h"
#include "vmcs.h"
#include "vmx_internal.h"
#include "x86.h"
#include "x86_pt.h"

/* Each cpu's own GDT (the hypervisor's, plus a TSS: VMX needs a host TR) and TSS. */
#define HOST_GDT_ENTRIES 6u          /* null, code32, data, code64, TSS (two entries) */
#define SEL_DATA 0x10u
#define SEL_CODE64 0x18u
#define SEL_TSS 0x20u
#define TSS_SIZE 104u
static uint64_t host_gdts[BH_NUM_CORES][HOST_GDT_ENTRIES] __attribute__((aligned(16)));
static uint8_t host_tss[BH_NUM_CORES][TSS_SIZE] __attribute__((aligned(16)));
extern const uint64_t x86_gdt[], x86_gdt_end[];

static uint32_t presented[BH_NUM_CORES];   /* a vector for the guest's next interrupt window; 0: none */
static uint32_t proc_now[BH_NUM_CORES];    /* the primary controls as written (the window bit varies) */

/* The controls, the same on every cpu (computed by each from its capability MSRs). */
static uint32_t pin_ctls;
static uint32_t proc_ctls;
static uint32_t proc2_ctls;
static uint32_t exit_ctls;
static uint32_t entry_ctls;
static uint64_t cr0_fixed0;
static uint64_t cr0_fixed1;
static uint64_t cr4_fixed0;
static uint64_t cr4_fixed1;

#define CPUID_VMX_ECX ((uint32_t)1u << 5)
#define FEATURE_LOCK (1ULL << 0)
#define FEATURE_VMXON (1ULL << 2)
#define BASIC_TRUE_CTLS (1ULL << 55)
#define EPT_CAP_WALK4 (1ULL << 6)
#define EPT_CAP_WB (1ULL << 14)
#define EPT_CAP_2M (1ULL << 16)
#define EPT_CAP_INVEPT (1ULL << 20)
#define EPT_CAP_INVEPT_ALL (1ULL << 26)
#define EPTP_WB_WALK4 (6ULL | (3ULL << 3))
#define INVEPT_ALL 2ULL
#define X86_CR4_VMXE (1ULL << 13)
#define RFLAGS_IF (1ULL << 9)
#define GUEST_PAT 0x0007040600070406ULL

/* Segment access rights (VMX format: type, S, DPL, P, then AVL, L, D/B, G; bit 16 unusable). */
#define AR_CODE32 0xc09bu
#define AR_DATA32 0xc093u
#define AR_UNUSABLE 0x10000u
#define AR_TSS32_BUSY 0x008bu
#define AR_CODE16 0x009bu
#define AR_DATA16 0x0093u
#define REAL_LIMIT 0xffffu

/* VMXON, VMCLEAR, VMPTRLD of the region at `pa`; false on VMfail (CF or ZF). */
static bool vmxon(uint64_t pa)
{
	uint8_t fail;

	__asm__ volatile("vmxon %1; setbe %0" : "=q"(fail) : "m"(pa) : "cc", "memory");
	return fail == 0u;
}

static bool vmcs_load(uint64_t pa)
{
	uint8_t fail;

	__asm__ volatile("vmclear %1; vmptrld %1; setbe %0" : "=q"(fail) : "m"(pa) : "cc", "memory");
	return fail == 0u;
}

/* VMWRITE during setup: a field the processor refuses is a hypervisor defect. */
static void vmwrite_setup(uint32_t field, uint64_t value)
{
	uint8_t fail;

	__asm__ volatile("vmwrite %2, %1; setbe %0" : "=q"(fail) : "r"((uint64_t)field), "r"(value) : "cc", "memory");
	if (fail != 0u) {
		panic("VMWRITE of VMCS field 0x%x failed (VM-instruction error %lu)", field, vmread(VMCS_INSN_ERROR));
	}
}

/* A control value that the capability MSR allows, with the bits `need` required. */
static uint32_t adjust(uint32_t msr, uint32_t want, uint32_t need, const char *what)
{
	uint64_t cap = rdmsr(msr);
	uint32_t v = (want | (uint32_t)cap) & (uint32_t)(cap >> 32);

	if ((v & need) != need) {
		panic("VMX: the cpu lacks %s controls 0x%x (allowed 0x%x)", what, need & ~v, (uint32_t)(cap >> 32));
	}
	return v;
}

static void controls_init(void)
{
	bool true_ctls = (rdmsr(MSR_VMX_BASIC) & BASIC_TRUE_CTLS) != 0u;
	uint32_t pin_msr = MSR_VMX_PINBASED;
	uint32_t proc_msr = MSR_VMX_PROCBASED;
	uint32_t exit_msr = MSR_VMX_EXIT;
	uint32_t entry_msr = MSR_VMX_ENTRY;

	if (true_ctls) {
		pin_msr = MSR_VMX_TRUE_PINBASED;
		proc_msr = MSR_VMX_TRUE_PINBASED + 1u;
		exit_msr = MSR_VMX_TRUE_PINBASED + 2u;
		entry_msr = MSR_VMX_TRUE_PINBASED + 3u;
	}
	uint32_t pin = PIN_EXT_INTR | PIN_NMI;
	uint32_t proc = PROC_HLT | PROC_MWAIT | PROC_MONITOR | PROC_IO_BITMAPS | PROC_MSR_BITMAPS | PROC_SECONDARY;
	uint32_t proc2 = PROC2_EPT | PROC2_VPID | PROC2_WBINVD | PROC2_UNRESTRICTED;
	uint32_t exits = EXIT_HOST_64 | EXIT_SAVE_PAT | EXIT_LOAD_PAT | EXIT_SAVE_EFER | EXIT_LOAD_EFER;
	uint32_t entry = ENTRY_LOAD_PAT | ENTRY_LOAD_EFER;
	uint64_t ept = rdmsr(MSR_VMX_EPT_VPID_CAP);
	uint64_t need_ept = EPT_CAP_WALK4 | EPT_CAP_WB | EPT_CAP_2M | EPT_CAP_INVEPT | EPT_CAP_INVEPT_ALL;

	pin_ctls = adjust(pin_msr, pin, pin, "pin-based");
	proc_ctls = adjust(proc_msr, proc, proc, "processor-based");
	proc2_ctls = adjust(MSR_VMX_PROCBASED2, proc2, proc2, "secondary processor-based");
	exit_ctls = adjust(exit_msr, exits, exits, "VM-exit");
	entry_ctls = adjust(entry_msr, entry, entry, "VM-entry");
	if ((ept & need_ept) != need_ept) {
		panic("VMX: EPT lacks 4-level walks, write-back, 2 MiB pages or INVEPT (capabilities 0x%lx)", ept);
	}
	/* Bits the processor may not hold at 0 while in VMX operation; PE and PG are the guest's (unrestricted). */
	cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0) & ~(X86_CR0_PE | X86_CR0_PG);
	cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
	cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
	cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
}

/* This cpu's GDT with a TSS descriptor, loaded with the TSS in TR (VM exits load a non-null TR). */
static void host_tr_init(uint32_t index)
{
	uint64_t *gdt = host_gdts[index];
	uint64_t tss = (uint64_t)(uintptr_t)host_tss[index];
	struct x86_desc_ptr gdtr = {
		(uint16_t)(sizeof(host_gdts[0]) - 1u), (uint64_t)(uintptr_t)gdt };

	uint32_t entries = (uint32_t)(((uintptr_t)x86_gdt_end - (uintptr_t)x86_gdt) / sizeof(x86_gdt[0]));

	for (uint32_t i = 0u; i < entries; i++) {
		gdt[i] = x86_gdt[i];
	}
	(void)memset(host_tss[index], 0, TSS_SIZE);
	host_tss[index][102] = TSS_SIZE;   /* I/O map base past the limit: no I/O map */
	gdt[SEL_TSS / 8u] = (TSS_SIZE - 1u) | ((tss & 0xffffffu) << 16) | (0x89ULL << 40) | ((tss >> 24) & 0xffu) << 56;
	gdt[(SEL_TSS / 8u) + 1u] = tss >> 32;
	__asm__ volatile("lgdt %0; ltr %w1" : : "m"(gdtr), "r"(SEL_TSS) : "memory");
}

void vendor_cpu_init(struct cpu *cpu)
{
	static uint8_t vmcs_regions[BH_NUM_CORES][4096] __attribute__((aligned(4096), section(".noload.vmcs")));
	static uint8_t vmxon_regions[BH_NUM_CORES][4096] __attribute__((aligned(4096), section(".noload.vmxon")));
	uint32_t i = cpu->index;
	uint32_t r[4];
	uint64_t cr0;
	uint64_t cr4;
	uint64_t feature;
	uint32_t revision;

	cpuid(1u, 0u, r);
	if ((r[2] & CPUID_VMX_ECX) == 0u) {
		panic("core %u: no Intel VMX (CPUID 1 ECX.VMX clear)", i);
	}
	feature = rdmsr(MSR_FEATURE_CONTROL);
	if ((feature & FEATURE_LOCK) == 0u) {
		wrmsr(MSR_FEATURE_CONTROL, feature | FEATURE_LOCK | FEATURE_VMXON);
	} else if ((feature & FEATURE_VMXON) == 0u) {
		panic("core %u: VMX disabled by the firmware (IA32_FEATURE_CONTROL locked)", i);
	} else {
		/* locked with VMXON allowed */
	}
	controls_init();
	__asm__ volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
	cr0 = (cr0 | cr0_fixed0 | X86_CR0_PE | X86_CR0_PG) & cr0_fixed1;
	cr4 = (cr4 | cr4_fixed0 | X86_CR4_VMXE) & cr4_fixed1;
	__asm__ volatile("mov %0, %%cr0; mov %1, %%cr4" : : "r"(cr0), "r"(cr4) : "memory");

	revision = (uint32_t)rdmsr(MSR_VMX_BASIC) & 0x7fffffffu;
	*(volatile uint32_t *)(void *)vmxon_regions[i] = revision;
	*(volatile uint32_t *)(void *)vmcs_regions[i] = revision;
	if (!vmxon((uint64_t)(uintptr_t)vmxon_regions[i])) {
		panic("core %u: VMXON failed", i);
	}
	host_tr_init(i);
	if (!vmcs_load((uint64_t)(uintptr_t)vmcs_regions[i])) {
		panic("core %u: VMCLEAR/VMPTRLD failed", i);
	}
	cpu->arch.vctl = vmcs_regions[i];
}

static void host_state(uint32_t index)
{
	uint64_t cr0;
	uint64_t cr3;
	uint64_t cr4;
	struct x86_desc_ptr idtr;

	__asm__ volatile("mov %%cr0, %0; mov %%cr3, %1; mov %%cr4, %2; sidt %3"
			 : "=r"(cr0), "=r"(cr3), "=r"(cr4), "=m"(idtr));
	vmwrite_setup(VMCS_HOST_CR0, cr0);
	vmwrite_setup(VMCS_HOST_CR3, cr3);
	vmwrite_setup(VMCS_HOST_CR4, cr4);
	vmwrite_setup(VMCS_HOST_CS_SEL, SEL_CODE64);
	vmwrite_setup(VMCS_HOST_SS_SEL, SEL_DATA);
	vmwrite_setup(VMCS_HOST_DS_SEL, SEL_DATA);
	vmwrite_setup(VMCS_HOST_ES_SEL, SEL_DATA);
	vmwrite_setup(VMCS_HOST_FS_SEL, 0u);
	vmwrite_setup(VMCS_HOST_GS_SEL, 0u);
	vmwrite_setup(VMCS_HOST_TR_SEL, SEL_TSS);
	vmwrite_setup(VMCS_HOST_FS_BASE, 0u);
	vmwrite_setup(VMCS_HOST_GS_BASE, 0u);
	vmwrite_setup(VMCS_HOST_TR_BASE, (uint64_t)(uintptr_t)host_tss[index]);
	vmwrite_setup(VMCS_HOST_GDTR_BASE, (uint64_t)(uintptr_t)host_gdts[index]);
	vmwrite_setup(VMCS_HOST_IDTR_BASE, idtr.base);
	vmwrite_setup(VMCS_HOST_PAT, rdmsr(MSR_PAT));
	vmwrite_setup(VMCS_HOST_EFER, rdmsr(MSR_EFER));
	vmwrite_setup(VMCS_HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_landing);
}

/* Segment `seg` (0 ES, 1 CS, 2 SS, 3 DS, 4 FS, 5 GS, 6 LDTR, 7 TR) of the guest. */
static void guest_segment(uint32_t seg, uint16_t sel, uint32_t ar, uint32_t limit)
{
	vmwrite_setup(VMCS_GUEST_ES_SEL + (seg * VMCS_SEG_STRIDE), sel);
	vmwrite_setup(VMCS_GUEST_ES_AR + (seg * VMCS_SEG_STRIDE), ar);
	vmwrite_setup(VMCS_GUEST_ES_LIMIT + (seg * VMCS_SEG_STRIDE), limit);
	vmwrite_setup(VMCS_GUEST_ES_BASE + (seg * VMCS_SEG_STRIDE), 0u);
}

void vendor_vcpu_reset(struct cpu *cpu, uint64_t entry)
{
	static const uint32_t unswitched_msrs[] = { MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK, MSR_KERNEL_GS };
	const struct partition *p = cpu->partition;
	uint32_t i = cpu->index;
	uint64_t cr0_mask = cr0_fixed0 | ~cr0_fixed1;
	uint64_t cr4_mask = cr4_fixed0 | ~cr4_fixed1;
	struct invept_desc {
		uint64_t eptp;
		uint64_t zero;
	} desc = { 0u, 0u };

	vmwrite_setup(VMCS_PIN_CTLS, pin_ctls);
	vmwrite_setup(VMCS_PROC_CTLS, proc_ctls);
	proc_now[i] = proc_ctls;
	vmwrite_setup(VMCS_PROC_CTLS2, proc2_ctls);
	vmwrite_setup(VMCS_EXIT_CTLS, exit_ctls);
	vmwrite_setup(VMCS_ENTRY_CTLS, entry_ctls);
	vmwrite_setup(VMCS_EXCEPTION_BITMAP, 0u);        /* the guest handles its own exceptions */
	vmwrite_setup(VMCS_ENTRY_INTR_INFO, 0u);
	vmwrite_setup(VMCS_IO_BITMAP_A, (uint64_t)(uintptr_t)p->arch.iopm);
	vmwrite_setup(VMCS_IO_BITMAP_B, (uint64_t)(uintptr_t)p->arch.iopm + 4096u);
	vmwrite_setup(VMCS_MSR_BITMAP, (uint64_t)(uintptr_t)p->arch.msrpm);
	vmwrite_setup(VMCS_EPTP, (uint64_t)(uintptr_t)p->arch.npt_root | EPTP_WB_WALK4);
	vmwrite_setup(VMCS_VPID, p->arch.asid);
	vmwrite_setup(VMCS_LINK_POINTER, ~0ULL);
	host_state(i);

	/* 32-bit flat protected mode, paging off, interrupts off. */
	guest_segment(0u, 0x10u, AR_DATA32, 0xffffffffu);
	guest_segment(1u, 0x08u, AR_CODE32, 0xffffffffu);
	guest_segment(2u, 0x10u, AR_DATA32, 0xffffffffu);
	guest_segment(3u, 0x10u, AR_DATA32, 0xffffffffu);
	guest_segment(4u, 0x10u, AR_DATA32, 0xffffffffu);
	guest_segment(5u, 0x10u, AR_DATA32, 0xffffffffu);
	guest_segment(6u, 0u, AR_UNUSABLE, 0u);
	guest_segment(7u, 0u, AR_TSS32_BUSY, 0xffffu);
	/* No descriptor tables: an exception before the guest loads its IDT is a triple fault. */
	vmwrite_setup(VMCS_GUEST_GDTR_BASE, 0u);
	vmwrite_setup(VMCS_GUEST_GDTR_LIMIT, 0u);
	vmwrite_setup(VMCS_GUEST_IDTR_BASE, 0u);
	vmwrite_setup(VMCS_GUEST_IDTR_LIMIT, 0u);
	vmwrite_setup(VMCS_CR0_MASK, cr0_mask);
	vmwrite_setup(VMCS_CR0_SHADOW, X86_CR0_PE | X86_CR0_ET);
	vmwrite_setup(VMCS_GUEST_CR0, ((X86_CR0_PE | X86_CR0_ET) | cr0_fixed0) & cr0_fixed1);
	vmwrite_setup(VMCS_CR4_MASK, cr4_mask);
	vmwrite_setup(VMCS_CR4_SHADOW, 0u);
	vmwrite_setup(VMCS_GUEST_CR4, cr4_fixed0 & cr4_fixed1);
	vmwrite_setup(VMCS_GUEST_CR3, 0u);
	vmwrite_setup(VMCS_GUEST_EFER, 0u);
	vmwrite_setup(VMCS_GUEST_PAT, GUEST_PAT);
	vmwrite_setup(VMCS_GUEST_DR7, 0x400u);
	vmwrite_setup(VMCS_GUEST_RFLAGS, 0x2u);
	vmwrite_setup(VMCS_GUEST_RIP, entry);
	vmwrite_setup(VMCS_GUEST_RSP, 0u);
	vmwrite_setup(VMCS_GUEST_SYSENTER_CS, 0u);
	vmwrite_setup(VMCS_GUEST_SYSENTER_ESP, 0u);
	vmwrite_setup(VMCS_GUEST_SYSENTER_EIP, 0u);
	vmwrite_setup(VMCS_GUEST_PENDING_DBG, 0u);
	vmwrite_setup(VMCS_GUEST_INTERRUPTIBILITY, 0u);
	vmwrite_setup(VMCS_GUEST_ACTIVITY, 0u);
	for (uint32_t m = 0u; m < (uint32_t)(sizeof(unswitched_msrs) / sizeof(unswitched_msrs[0])); m++) {
		wrmsr(unswitched_msrs[m], 0u);
	}
	presented[i] = 0u;
	/* A new life, or one after a fence: no translation of the partition's past survives. */
	__asm__ volatile("invept %0, %1" : : "m"(desc), "r"(INVEPT_ALL) : "cc", "memory");
}

/* Unrestricted guest: real mode runs as it is, CR0.PE clear. */
/* Implements: REQ-XARCH-050 */
void vendor_vcpu_real_mode(struct cpu *cpu, uint64_t page)
{
	(void)cpu;
	for (uint32_t seg = 0u; seg < 6u; seg++) {
		guest_segment(seg, 0u, (seg == 1u) ? AR_CODE16 : AR_DATA16, REAL_LIMIT);
	}
	vmwrite_setup(VMCS_GUEST_ES_SEL + VMCS_SEG_STRIDE, page >> 4);
	vmwrite_setup(VMCS_GUEST_CS_BASE, page);
	vmwrite_setup(VMCS_GUEST_GDTR_LIMIT, REAL_LIMIT);
	vmwrite_setup(VMCS_GUEST_IDTR_LIMIT, REAL_LIMIT);   /* the real-mode vector table at 0 */
	vmwrite_setup(VMCS_CR0_SHADOW, X86_CR0_ET);
	vmwrite_setup(VMCS_GUEST_CR0, (X86_CR0_ET | cr0_fixed0) & cr0_fixed1);
	vmwrite_setup(VMCS_GUEST_RIP, 0u);
}

/* The vector waiting for the guest goes in when its window is open; otherwise the window exits. */
static void inject_pending(uint32_t i)
{
	uint32_t proc = proc_ctls;

	if (presented[i] != 0u) {
		bool open = ((vmread(VMCS_GUEST_RFLAGS) & RFLAGS_IF) != 0u) &&
			    ((vmread(VMCS_GUEST_INTERRUPTIBILITY) & INTERRUPTIBILITY_SHADOW) == 0u) &&
			    ((vmread(VMCS_ENTRY_INTR_INFO) & INTR_INFO_VALID) == 0u);
		if (open) {
			vmwrite(VMCS_ENTRY_INTR_INFO, presented[i] | INTR_TYPE_EXT | INTR_INFO_VALID);
			presented[i] = 0u;
		} else {
			proc |= PROC_INTR_WINDOW;
		}
	}
	if (proc != proc_now[i]) {
		vmwrite(VMCS_PROC_CTLS, proc);
		proc_now[i] = proc;
	}
}

/* An event the exit interrupted in delivery is delivered again: an interrupt waits for its window. */
static void redeliver(uint32_t i)
{
	uint32_t info = (uint32_t)vmread(VMCS_IDT_VEC_INFO);

	if ((info & INTR_INFO_VALID) == 0u) {
		return;
	}
	if ((info & INTR_TYPE_MASK) == INTR_TYPE_EXT) {
		presented[i] = info & 0xffu;
		return;
	}
	vmwrite(VMCS_ENTRY_INTR_INFO, info & ~((uint32_t)1u << 12));
	vmwrite(VMCS_ENTRY_EXC_ERROR, vmread(VMCS_IDT_VEC_ERROR));
	if ((info & INTR_TYPE_MASK) >= INTR_TYPE_SOFT_FIRST) {
		vmwrite(VMCS_ENTRY_INSN_LEN, vmread(VMCS_EXIT_INSN_LEN));
	}
}

/* Runs the guest until an exit for the dispatcher (those of vmx_exit_decode's own are handled here). */
static void vcpu_run(struct cpu *cpu, struct x86_exit *e)
{
	static uint32_t launched[BH_NUM_CORES];    /* the VMCS was launched: VMRESUME next */
	uint32_t i = cpu->index;

	do {
		inject_pending(i);
		if (vmx_vmenter(&cpu->arch.gprs, launched[i]) != 0) {
			panic("core %u: VM entry failed (VM-instruction error %lu)", i, vmread(VMCS_INSN_ERROR));
		}
		launched[i] = 1u;
		redeliver(i);
	} while (!vmx_exit_decode(cpu, e));
}

NORETURN void vendor_vcpu_loop(struct cpu *cpu)
{
	struct x86_exit e;

	for (;;) {
		vcpu_run(cpu, &e);
		/* vmx_vmenter loads every register at each entry: the handlers' results need no reload. */
		if (e.reason == X86_EXIT_HYPERCALL) {
			x86_hypercall(cpu, e.insn_len);   /* the short way, as SVM's */
			x86_virq_present(cpu);
		} else {
			(void)x86_exit_handle(cpu, &e);
		}
	}
}

void vmx_cr_write(struct cpu *cpu, uint32_t cr, uint64_t value)
{
	uint64_t fixed0 = (cr == 0u) ? cr0_fixed0 : cr4_fixed0;
	uint64_t fixed1 = (cr == 0u) ? cr0_fixed1 : cr4_fixed1;
	uint64_t refused = (cr == 0u) ? ~(fixed1 | X86_CR0_PE | X86_CR0_PG) : (~fixed1 | X86_CR4_VMXE);

	bool paging = (cr == 0u) && ((value & X86_CR0_PG) != 0u);
	bool no_pae = (vmread(VMCS_GUEST_CR4) & X86_CR4_PAE) == 0u;

	/* As the processor refuses natively: paging without protection, long mode without PAE. */
	if (((value & refused) != 0u) || (paging && ((value & X86_CR0_PE) == 0u)) ||
	    (paging && no_pae && ((vmread(VMCS_GUEST_EFER) & EFER_LME) != 0u))) {
		vendor_inject_exception(cpu, X86_EXC_GP, true, 0u);
		return;
	}
	if (cr == 0u) {
		uint64_t efer = vmread(VMCS_GUEST_EFER);
		uint32_t entry = (uint32_t)vmread(VMCS_ENTRY_CTLS);

		/* The write the processor did not perform: paging with EFER.LME enters long mode. */
		if (((value & X86_CR0_PG) != 0u) && ((efer & EFER_LME) != 0u)) {
			efer |= EFER_LMA;
			entry |= ENTRY_IA32E_GUEST;
		} else if ((value & X86_CR0_PG) == 0u) {
			efer &= ~EFER_LMA;
			entry &= ~ENTRY_IA32E_GUEST;
		} else {
			/* legacy paging */
		}
		vmwrite(VMCS_GUEST_EFER, efer);
		vmwrite(VMCS_ENTRY_CTLS, entry);
		vmwrite(VMCS_CR0_SHADOW, value);
		vmwrite(VMCS_GUEST_CR0, (value | fixed0) & fixed1);
	} else {
		vmwrite(VMCS_CR4_SHADOW, value);
		vmwrite(VMCS_GUEST_CR4, (value | fixed0) & fixed1);
	}
	vendor_reg_write(cpu, X86_REG_RIP, vmread(VMCS_GUEST_RIP) + vmread(VMCS_EXIT_INSN_LEN));
}

void vendor_inject_exception(struct cpu *cpu, uint32_t vector, bool has_error, uint32_t error)
{
	uint32_t info = vector | INTR_TYPE_HW_EXC | INTR_INFO_VALID;

	UNUSED(cpu);
	/* Real mode (an unrestricted guest with PE clear) delivers no error code. */
	if (has_error && ((vmread(VMCS_GUEST_CR0) & X86_CR0_PE) != 0u)) {
		info |= INTR_INFO_ERROR;
		vmwrite(VMCS_ENTRY_EXC_ERROR, error);
	}
	vmwrite(VMCS_ENTRY_INTR_INFO, info);
}

bool vendor_virq_presented(const struct cpu *cpu)
{
	return presented[cpu->index] != 0u;
}

void vendor_virq_present(struct cpu *cpu, uint32_t vector)
{
	presented[cpu->index] = vector;
}

void vendor_virq_clear(struct cpu *cpu)
{
	presented[cpu->index] = 0u;
}

/* The VMX MSR bitmap: read bits of MSRs 0-0x1fff, then of 0xc0000000-0xc0001fff, then the write bits alike. */
void vendor_msr_pass(uint8_t *map, uint32_t msr, bool read, bool write)
{
	uint32_t bit;

	if (msr <= 0x1fffu) {
		bit = msr;
	} else if ((msr >= 0xc0000000u) && (msr <= 0xc0001fffu)) {
		bit = (0x400u * 8u) + (msr - 0xc0000000u);
	} else {
		return;   /* outside the bitmap: always traps */
	}
	if (read) {
		map[bit / 8u] &= (uint8_t)~((uint32_t)1u << (bit % 8u));
	}
	if (write) {
		map[(bit / 8u) + 0x800u] &= (uint8_t)~((uint32_t)1u << (bit % 8u));
	}
}

uint64_t vendor_npt_leaf(uint8_t access, bool device)
{
	return x86_ept_attrs(access, device);
}

uint64_t vendor_npt_table_bits(void)
{
	return X86_EPT_RWX;
}

uint64_t vendor_npt_present_bits(void)
{
	return X86_EPT_RWX;
}
