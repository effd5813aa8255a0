/* SPDX-License-Identifier: MIT */
/*
 * The AMD SVM virtual machine control block (AMD64 APM vol. 2, appendix B):
 * the fields the hypervisor uses, as offsets into the 4 KiB block.
 */
#ifndef X86_VMCB_H
#define X86_VMCB_H

#include <stdint.h>

/* Control area. */
#define VMCB_INTERCEPT_CR      0x000u   /* u32: reads 0-15, writes 16-31 */
#define VMCB_INTERCEPT_EXC     0x008u   /* u32 */
#define VMCB_INTERCEPT_MISC1   0x00cu   /* u32 */
#define VMCB_INTERCEPT_MISC2   0x010u   /* u32 */
#define VMCB_IOPM_BASE         0x040u
#define VMCB_MSRPM_BASE        0x048u
#define VMCB_TSC_OFFSET        0x050u
#define VMCB_ASID              0x058u   /* u32 */
#define VMCB_TLB_CONTROL       0x05cu   /* u8 */
/* u64: V_IRQ bit 8, V_INTR_PRIO 19:16, V_IGN_TPR 20, V_INTR_MASKING 24, V_INTR_VECTOR 39:32 */
#define VMCB_VINTR             0x060u
/* VMCB_VINTR's fields. */
#define VINTR_MASKING (1ULL << 24)   /* the guest's IF masks only virtual interrupts */
#define VINTR_IGN_TPR (1ULL << 20)
#define VINTR_PRIO_15 (15ULL << 16)
#define VINTR_IRQ     (1ULL << 8)
#define VINTR_VECTOR_SHIFT 32u
#define VMCB_INT_SHADOW        0x068u
#define VMCB_EXITCODE          0x070u
#define VMCB_EXITINFO1         0x078u
#define VMCB_EXITINFO2         0x080u
#define VMCB_EXITINTINFO       0x088u
#define VMCB_NP_ENABLE         0x090u
#define VMCB_EVENTINJ          0x0a8u
#define VMCB_N_CR3             0x0b0u
#define VMCB_CLEAN             0x0c0u   /* u32 */

/* State-save area: segments are { u16 selector, u16 attrib, u32 limit, u64 base }. */
#define VMCB_ES    0x400u
#define VMCB_CS    0x410u
#define VMCB_SS    0x420u
#define VMCB_DS    0x430u
#define VMCB_FS    0x440u
#define VMCB_GS    0x450u
#define VMCB_GDTR  0x460u
#define VMCB_LDTR  0x470u
#define VMCB_IDTR  0x480u
#define VMCB_TR    0x490u
#define VMCB_CPL   0x4cbu   /* u8 */
#define VMCB_EFER  0x4d0u
#define VMCB_CR4   0x548u
#define VMCB_CR3   0x550u
#define VMCB_CR0   0x558u
#define VMCB_DR7   0x560u
#define VMCB_DR6   0x568u
#define VMCB_RFLAGS 0x570u
#define VMCB_RIP   0x578u
#define VMCB_RSP   0x5d8u
#define VMCB_RAX   0x5f8u
#define VMCB_CR2   0x640u
#define VMCB_G_PAT 0x668u

/* Intercept bits. */
#define VMCB_MISC1_INTR      ((uint32_t)1u << 0)
#define VMCB_MISC1_NMI       ((uint32_t)1u << 1)
#define VMCB_MISC1_SMI       ((uint32_t)1u << 2)
#define VMCB_MISC1_INIT      ((uint32_t)1u << 3)
#define VMCB_MISC1_CPUID     ((uint32_t)1u << 18)
#define VMCB_MISC1_INVD      ((uint32_t)1u << 22)
#define VMCB_MISC1_PAUSE     ((uint32_t)1u << 23)
#define VMCB_MISC1_HLT       ((uint32_t)1u << 24)
#define VMCB_MISC1_IOIO      ((uint32_t)1u << 27)
#define VMCB_MISC1_MSR       ((uint32_t)1u << 28)
#define VMCB_MISC1_TASKSW    ((uint32_t)1u << 29)
#define VMCB_MISC1_SHUTDOWN  ((uint32_t)1u << 31)
#define VMCB_MISC2_VMRUN     ((uint32_t)1u << 0)
#define VMCB_MISC2_VMMCALL   ((uint32_t)1u << 1)
#define VMCB_MISC2_VMLOAD    ((uint32_t)1u << 2)
#define VMCB_MISC2_VMSAVE    ((uint32_t)1u << 3)
#define VMCB_MISC2_STGI      ((uint32_t)1u << 4)
#define VMCB_MISC2_CLGI      ((uint32_t)1u << 5)
#define VMCB_MISC2_SKINIT    ((uint32_t)1u << 6)
#define VMCB_MISC2_RDTSCP    ((uint32_t)1u << 7)
#define VMCB_MISC2_ICEBP     ((uint32_t)1u << 8)
#define VMCB_MISC2_WBINVD    ((uint32_t)1u << 9)
#define VMCB_MISC2_MONITOR   ((uint32_t)1u << 10)
#define VMCB_MISC2_MWAIT     ((uint32_t)1u << 11)
#define VMCB_MISC2_MWAIT_C   ((uint32_t)1u << 12)
#define VMCB_MISC2_XSETBV    ((uint32_t)1u << 13)

/* Exit codes. */
#define SVM_EXIT_EXCP_BASE  0x040u
#define SVM_EXIT_INTR       0x060u
#define SVM_EXIT_NMI        0x061u
#define SVM_EXIT_SMI        0x062u
#define SVM_EXIT_INIT       0x063u
#define SVM_EXIT_CPUID      0x072u
#define SVM_EXIT_INVD       0x076u
#define SVM_EXIT_PAUSE      0x077u
#define SVM_EXIT_HLT        0x078u
#define SVM_EXIT_IOIO       0x07bu
#define SVM_EXIT_MSR        0x07cu
#define SVM_EXIT_TASKSW     0x07du
#define SVM_EXIT_SHUTDOWN   0x07fu
#define SVM_EXIT_VMRUN      0x080u
#define SVM_EXIT_VMMCALL    0x081u
#define SVM_EXIT_VMLOAD     0x082u
#define SVM_EXIT_VMSAVE     0x083u
#define SVM_EXIT_STGI       0x084u
#define SVM_EXIT_CLGI       0x085u
#define SVM_EXIT_SKINIT     0x086u
#define SVM_EXIT_RDTSCP     0x087u
#define SVM_EXIT_ICEBP      0x088u
#define SVM_EXIT_WBINVD     0x089u
#define SVM_EXIT_MONITOR    0x08au
#define SVM_EXIT_MWAIT      0x08bu
#define SVM_EXIT_MWAIT_C    0x08cu
#define SVM_EXIT_XSETBV     0x08du
#define SVM_EXIT_NPF        0x400u
#define SVM_EXIT_INVALID    0xffffffffffffffffULL

/* EVENTINJ: vector, type (3: exception), error code valid, valid. */
#define SVM_EVENT_EXCEPTION (3ULL << 8)
#define SVM_EVENT_EV        (1ULL << 11)
#define SVM_EVENT_VALID     (1ULL << 31)

static inline uint64_t vmcb_read64(const void *vmcb, uint32_t off)
{
	return *(const volatile uint64_t *)((const uint8_t *)vmcb + off);
}

static inline void vmcb_write64(void *vmcb, uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)((uint8_t *)vmcb + off) = v;
}

static inline void vmcb_write32(void *vmcb, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)((uint8_t *)vmcb + off) = v;
}

static inline uint32_t vmcb_read32(const void *vmcb, uint32_t off)
{
	return *(const volatile uint32_t *)((const uint8_t *)vmcb + off);
}

/** A segment register of the state-save area. */
static inline void vmcb_segment(void *vmcb, uint32_t off, uint16_t sel, uint16_t attrib, uint32_t limit,
				uint64_t base)
{
	*(volatile uint16_t *)((uint8_t *)vmcb + off) = sel;
	*(volatile uint16_t *)((uint8_t *)vmcb + off + 2u) = attrib;
	vmcb_write32(vmcb, off + 4u, limit);
	vmcb_write64(vmcb, off + 8u, base);
}

#endif /* X86_VMCB_H */
