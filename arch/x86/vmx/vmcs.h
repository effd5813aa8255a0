/* SPDX-License-Identifier: MIT */
/*
 * Intel VMX: the VMCS field encodings, control bits, exit reasons and
 * capability MSRs the back end uses (Intel SDM vol. 3C, appendices A-C),
 * and VMREAD/VMWRITE.
 */
#ifndef X86_VMCS_H
#define X86_VMCS_H

#include <stdint.h>

/* 16-bit fields. */
#define VMCS_VPID               0x0000u
#define VMCS_GUEST_ES_SEL       0x0800u   /* ES, CS, SS, DS, FS, GS, LDTR, TR: + 2 each */
#define VMCS_HOST_ES_SEL        0x0c00u
#define VMCS_HOST_CS_SEL        0x0c02u
#define VMCS_HOST_SS_SEL        0x0c04u
#define VMCS_HOST_DS_SEL        0x0c06u
#define VMCS_HOST_FS_SEL        0x0c08u
#define VMCS_HOST_GS_SEL        0x0c0au
#define VMCS_HOST_TR_SEL        0x0c0cu
/* 64-bit fields. */
#define VMCS_IO_BITMAP_A        0x2000u
#define VMCS_IO_BITMAP_B        0x2002u
#define VMCS_MSR_BITMAP         0x2004u
#define VMCS_EPTP               0x201au
#define VMCS_GUEST_PHYS_ADDR    0x2400u
#define VMCS_LINK_POINTER       0x2800u
#define VMCS_GUEST_PAT          0x2804u
#define VMCS_GUEST_EFER         0x2806u
#define VMCS_HOST_PAT           0x2c00u
#define VMCS_HOST_EFER          0x2c02u
/* 32-bit fields. */
#define VMCS_PIN_CTLS           0x4000u
#define VMCS_PROC_CTLS          0x4002u
#define VMCS_EXCEPTION_BITMAP   0x4004u
#define VMCS_EXIT_CTLS          0x400cu
#define VMCS_ENTRY_CTLS         0x4012u
#define VMCS_ENTRY_INTR_INFO    0x4016u
#define VMCS_ENTRY_EXC_ERROR    0x4018u
#define VMCS_ENTRY_INSN_LEN     0x401au
#define VMCS_PROC_CTLS2         0x401eu
#define VMCS_INSN_ERROR         0x4400u
#define VMCS_EXIT_REASON        0x4402u
#define VMCS_EXIT_INTR_INFO     0x4404u
#define VMCS_IDT_VEC_INFO       0x4408u
#define VMCS_IDT_VEC_ERROR      0x440au
#define VMCS_EXIT_INSN_LEN      0x440cu
#define VMCS_GUEST_ES_LIMIT     0x4800u   /* ES..TR: + 2 each; then GDTR, IDTR */
#define VMCS_GUEST_GDTR_LIMIT   0x4810u
#define VMCS_GUEST_IDTR_LIMIT   0x4812u
#define VMCS_GUEST_ES_AR        0x4814u   /* ES..TR: + 2 each */
#define VMCS_GUEST_SS_AR        0x4818u
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824u
#define VMCS_GUEST_ACTIVITY     0x4826u
#define VMCS_GUEST_SYSENTER_CS  0x482au
/* Natural-width fields. */
#define VMCS_CR0_MASK           0x6000u
#define VMCS_CR4_MASK           0x6002u
#define VMCS_CR0_SHADOW         0x6004u
#define VMCS_CR4_SHADOW         0x6006u
#define VMCS_EXIT_QUALIFICATION 0x6400u
#define VMCS_GUEST_CR0          0x6800u
#define VMCS_GUEST_CR3          0x6802u
#define VMCS_GUEST_CR4          0x6804u
#define VMCS_GUEST_ES_BASE      0x6806u   /* ES..TR: + 2 each; then GDTR, IDTR */
#define VMCS_GUEST_CS_BASE      0x6808u
#define VMCS_GUEST_GDTR_BASE    0x6816u
#define VMCS_GUEST_IDTR_BASE    0x6818u
#define VMCS_GUEST_DR7          0x681au
#define VMCS_GUEST_RSP          0x681cu
#define VMCS_GUEST_RIP          0x681eu
#define VMCS_GUEST_RFLAGS       0x6820u
#define VMCS_GUEST_PENDING_DBG  0x6822u
#define VMCS_GUEST_SYSENTER_ESP 0x6824u
#define VMCS_GUEST_SYSENTER_EIP 0x6826u
#define VMCS_HOST_CR0           0x6c00u
#define VMCS_HOST_CR3           0x6c02u
#define VMCS_HOST_CR4           0x6c04u
#define VMCS_HOST_FS_BASE       0x6c06u
#define VMCS_HOST_GS_BASE       0x6c08u
#define VMCS_HOST_TR_BASE       0x6c0au
#define VMCS_HOST_GDTR_BASE     0x6c0cu
#define VMCS_HOST_IDTR_BASE     0x6c0eu
#define VMCS_HOST_RSP           0x6c14u
#define VMCS_HOST_RIP           0x6c16u

#define VMCS_SEG_STRIDE 2u        /* ES, CS, SS, DS, FS, GS, LDTR, TR in encoding order */

/* Pin-based controls. */
#define PIN_EXT_INTR            ((uint32_t)1u << 0)
#define PIN_NMI                 ((uint32_t)1u << 3)
/* Primary processor-based controls. */
#define PROC_INTR_WINDOW        ((uint32_t)1u << 2)
#define PROC_HLT                ((uint32_t)1u << 7)
#define PROC_MWAIT              ((uint32_t)1u << 10)
#define PROC_IO_BITMAPS         ((uint32_t)1u << 25)
#define PROC_MSR_BITMAPS        ((uint32_t)1u << 28)
#define PROC_MONITOR            ((uint32_t)1u << 29)
#define PROC_SECONDARY          ((uint32_t)1u << 31)
/* Secondary processor-based controls. */
#define PROC2_EPT               ((uint32_t)1u << 1)
#define PROC2_VPID              ((uint32_t)1u << 5)
#define PROC2_WBINVD            ((uint32_t)1u << 6)
#define PROC2_UNRESTRICTED      ((uint32_t)1u << 7)
/* VM-exit controls. */
#define EXIT_HOST_64            ((uint32_t)1u << 9)
#define EXIT_SAVE_PAT           ((uint32_t)1u << 18)
#define EXIT_LOAD_PAT           ((uint32_t)1u << 19)
#define EXIT_SAVE_EFER          ((uint32_t)1u << 20)
#define EXIT_LOAD_EFER          ((uint32_t)1u << 21)
/* VM-entry controls. */
#define ENTRY_IA32E_GUEST       ((uint32_t)1u << 9)
#define ENTRY_LOAD_PAT          ((uint32_t)1u << 14)
#define ENTRY_LOAD_EFER         ((uint32_t)1u << 15)

/* Interruption information (entry, exit, IDT vectoring). */
#define INTR_INFO_VALID         ((uint32_t)1u << 31)
#define INTR_INFO_ERROR         ((uint32_t)1u << 11)
#define INTR_TYPE_EXT           ((uint32_t)0u << 8)
#define INTR_TYPE_NMI           ((uint32_t)2u << 8)
#define INTR_TYPE_HW_EXC        ((uint32_t)3u << 8)
#define INTR_TYPE_MASK          ((uint32_t)7u << 8)
#define INTR_TYPE_SOFT_FIRST    ((uint32_t)4u << 8)   /* 4, 5, 6: software interrupt/exception, with an instruction length */

/* Guest interruptibility: blocking by STI and by MOV SS. */
#define INTERRUPTIBILITY_SHADOW 0x3u

/* Exit reasons (basic, bits 15:0). */
#define VMX_EXIT_EXCEPTION_NMI  0u
#define VMX_EXIT_EXT_INTR       1u
#define VMX_EXIT_TRIPLE_FAULT   2u
#define VMX_EXIT_INIT           3u
#define VMX_EXIT_SIPI           4u
#define VMX_EXIT_INTR_WINDOW    7u
#define VMX_EXIT_CPUID          10u
#define VMX_EXIT_GETSEC         11u
#define VMX_EXIT_HLT            12u
#define VMX_EXIT_INVD           13u
#define VMX_EXIT_VMCALL         18u
#define VMX_EXIT_VMCLEAR        19u   /* 19-27: VMCLEAR .. VMXON */
#define VMX_EXIT_VMXON          27u
#define VMX_EXIT_CR_ACCESS      28u
#define VMX_EXIT_IO             30u
#define VMX_EXIT_RDMSR          31u
#define VMX_EXIT_WRMSR          32u
#define VMX_EXIT_MWAIT          36u
#define VMX_EXIT_MONITOR        39u
#define VMX_EXIT_EPT_VIOLATION  48u
#define VMX_EXIT_INVEPT         50u
#define VMX_EXIT_INVVPID        53u
#define VMX_EXIT_WBINVD         54u
#define VMX_EXIT_XSETBV         55u
#define VMX_EXIT_VMFUNC         59u
#define VMX_EXIT_ENTRY_FAILURE  ((uint32_t)1u << 31)

/* Capability and control MSRs. */
#define MSR_FEATURE_CONTROL     0x03au
#define MSR_VMX_BASIC           0x480u
#define MSR_VMX_PINBASED        0x481u
#define MSR_VMX_PROCBASED       0x482u
#define MSR_VMX_EXIT            0x483u
#define MSR_VMX_ENTRY           0x484u
#define MSR_VMX_CR0_FIXED0      0x486u
#define MSR_VMX_CR0_FIXED1      0x487u
#define MSR_VMX_CR4_FIXED0      0x488u
#define MSR_VMX_CR4_FIXED1      0x489u
#define MSR_VMX_PROCBASED2      0x48bu
#define MSR_VMX_EPT_VPID_CAP    0x48cu
#define MSR_VMX_TRUE_PINBASED   0x48du   /* the TRUE_ ones follow: PROCBASED, EXIT, ENTRY */

static inline uint64_t vmread(uint32_t field)
{
	uint64_t v;

	__asm__ volatile("vmread %1, %0" : "=r"(v) : "r"((uint64_t)field) : "cc");
	return v;
}

static inline void vmwrite(uint32_t field, uint64_t v)
{
	__asm__ volatile("vmwrite %1, %0" : : "r"((uint64_t)field), "r"(v) : "cc", "memory");
}

#endif /* X86_VMCS_H */
