/* SPDX-License-Identifier: MIT */
/*
 * x86-64 private interfaces of the hypervisor: port I/O, MSRs, control
 * registers, and the entry points between the assembly and C.
 */
#ifndef X86_X86_H
#define X86_X86_H

#include "insn.h"
#include "types.h"

struct cpu;
struct partition;
struct x86_gprs;

#define X86_CR0_PE   (1ULL << 0)
#define X86_CR0_ET   (1ULL << 4)
#define X86_CR0_WP   (1ULL << 16)
#define X86_CR0_PG   (1ULL << 31)
#define X86_CR4_PAE  (1ULL << 5)

#define MSR_EFER        0xc0000080u
#define MSR_STAR        0xc0000081u
#define MSR_LSTAR       0xc0000082u
#define MSR_CSTAR       0xc0000083u
#define MSR_SFMASK      0xc0000084u
#define MSR_FS_BASE     0xc0000100u
#define MSR_GS_BASE     0xc0000101u
#define MSR_KERNEL_GS   0xc0000102u
#define MSR_VM_CR       0xc0010114u
#define MSR_VM_HSAVE_PA 0xc0010117u
#define MSR_TSC         0x00000010u
#define MSR_PAT         0x00000277u
#define MSR_SYSENTER_CS  0x174u
#define MSR_SYSENTER_ESP 0x175u
#define MSR_SYSENTER_EIP 0x176u

#define EFER_SCE  (1ULL << 0)
#define EFER_LME  (1ULL << 8)
#define EFER_LMA  (1ULL << 10)
#define EFER_NXE  (1ULL << 11)
#define EFER_SVME (1ULL << 12)

/* Exceptions the hypervisor injects into guests. */
#define X86_EXC_UD 6u
#define X86_EXC_GP 13u

/* Interrupt vectors of the hypervisor's own IDT. */
#define X86_VEC_GSI      0x30u   /* + pin: an I/O APIC pin a partition owns (ioapic.c), 16 vectors */
#define X86_VEC_TIMER    0xefu   /* the core's local APIC timer, armed for its guest's (vtimer.c) */
#define X86_VEC_KICK     0xf0u   /* arch_cpu_kick / arch_cpu_start's wake-up */
#define X86_VEC_SPURIOUS 0xffu

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
/* The operands are copied in C so that no parameter is used only inside the assembly (MISRA 2.7). */
static inline void outl(uint16_t port, uint32_t v)
{
	uint16_t p = port;
	uint32_t value = v;

	__asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(p));
}
static inline uint32_t inl(uint16_t port)
{
	uint16_t p = port;
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(p));
	return v;
}
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo;
	uint32_t hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo;
	uint32_t hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/** Top of physical cpu `index`'s hypervisor stack. */
uint64_t x86_stack_top(uint32_t index);

/** Calls fn(arg) on the stack whose top is `sp`; never returns (boot.S). */
/* The operand of LGDT/LIDT/SGDT/SIDT: the table's limit and address, unpadded as the processor reads it. */
struct __attribute__((packed)) x86_desc_ptr {
	uint16_t limit;
	uint64_t base;
};

NORETURN void x86_call_on_stack(uint64_t sp, void (*fn)(struct cpu *), struct cpu *arg);

/** Builds and loads the hypervisor's W^X page tables; returns the root (setup.c). */
/** The root of the hypervisor's page tables, for the application processors. */
uint64_t x86_host_cr3(void);

/** Loads the IDT and enables the local APIC on the calling cpu (idt.c, lapic.c). */
void x86_idt_load(void);
void x86_lapic_init(void);
void x86_lapic_eoi(void);

/* The physical local APIC's EOI register (lapic.c, the MMIO frame mapped one to one). */
extern volatile uint32_t *const x86_lapic_eoi_reg;

/* x86_lapic_eoi inline, for the core's timer interrupt (vtimer.c): its way to the guest makes no call. */
static inline void x86_lapic_ack(void)
{
	*x86_lapic_eoi_reg = 0u;
}

/** Sends an IPI: fixed `vector` to `apic_id` (lapic.c); INIT and STARTUP below. */
void x86_lapic_ipi(uint32_t apic_id, uint32_t vector);
void x86_lapic_init_sipi(uint32_t apic_id, uint32_t trampoline_page);
/** This cpu's local APIC id. */
uint32_t x86_lapic_id(void);
/** Busy-waits `us` microseconds (on the TSC calibrated at boot). */
void x86_udelay(uint64_t us);
void x86_tsc_calibrate(void);

/** The application processors' real-mode entry, copied below 1 MiB (boot.S). */
extern const uint8_t x86_trampoline_start[], x86_trampoline_end[];
#define X86_TRAMPOLINE_PA 0x8000u    /* its code page (RX) */
#define X86_TRAMPOLINE_DATA 0x9000u  /* its variables (RW): cr3, stack, cpu */

/** Records the boot cpu as on (cpu.c). */
void x86_cpu_booted(uint32_t index);

/** A physical cpu that arch_cpu_start() powered on for the first time enters here. */
NORETURN void x86_ap_main(uint64_t index);

/**
 * The guest's code at its current CS:RIP, found through its own page tables
 * and its nested ones (guest_mem.c): up to X86_INSN_MAX bytes, where they
 * are in the partition's memory when they lie in one page, else copied into
 * `buf`. `*n` says how many are readable (0: not executable memory of the
 * partition).
 */
const uint8_t *x86_fetch_code(const struct cpu *cpu, uint8_t buf[X86_INSN_MAX], uint32_t *n);

/**
 * A PSCI call through the hypercall instruction (registers as
 * hypercall_dispatch takes them, psci.c): answered in r[0] (true), or false
 * when `r[0]` names no PSCI function. SYSTEM_OFF, SYSTEM_RESET and CPU_OFF
 * do not return.
 */
bool x86_psci(struct cpu *cpu, uint64_t r[7]);

/**
 * Virtual interrupts (vintr.c): whether a vector waits for the calling
 * cpu's vCPU (pending or presented, not taken); presents the highest
 * pending one through V_IRQ before VMRUN when none is presented; clears
 * them all for a new life of the vCPU.
 */
bool x86_virq_waiting(const struct cpu *cpu);
void x86_virq_present(struct cpu *cpu);
void x86_virq_reset(struct cpu *cpu);

/**
 * The guest's x2APIC MSRs (x2apic.c): true when `msr` is one it emulates,
 * with the value read in *value (RDMSR) or the write applied or refused
 * and counted (WRMSR); false leaves the access to the caller's refusal.
 */
bool x2apic_msr(struct cpu *cpu, uint32_t msr, bool write, uint64_t *value);

/*
 * A vCPU started by a STARTUP IPI (x2apic.c) rather than PSCI CPU_ON: the
 * start argument core passes to arch_vcpu_enter() carries this bit, and the
 * vCPU starts in real mode at CS = entry >> 4, IP 0, as an application
 * processor does. PSCI's context id is 32 bits (psci.c), so it never sets it.
 */
#define X86_START_SIPI ((uint64_t)1u << 32)

/**
 * Whether vCPU `v` of `p` is named by the xAPIC flat logical destination
 * `dest` (bits 31:24 of its LDR as it wrote them, x2apic.c): the logical
 * destinations of an OS that turned x2APIC off.
 */
bool x86_apic_logical_names(const struct partition *p, uint32_t v, uint32_t dest);

/**
 * The local APIC's xAPIC page (xapic.c): true when `gpa` is in it and the
 * vCPU turned x2APIC mode off, the access emulated as the x2APIC register
 * it names; false leaves the nested page fault to containment.
 */
bool x86_xapic_access(struct cpu *cpu, uint64_t gpa);

/** The guest's registers by a decoded MOV's register number (mmio.c). */
uint64_t x86_gpr_read(const struct cpu *cpu, uint32_t reg);
void x86_gpr_write32(struct cpu *cpu, uint32_t reg, uint32_t value);

/** The guest's other x2APIC registers (x2apic_regs.c), then its timer's: as x2apic_msr. */
bool x86_vlapic_msr(struct cpu *cpu, uint32_t msr, bool write, uint64_t *value);

/*
 * The guest's local APIC timer (vtimer.c): its registers read and written
 * (false: not a timer register, or a write refused), the core's timer
 * interrupt, and the reset state of all its local APIC's registers (a new
 * life of the vCPU, or its core stopping).
 */
#define X86_MSR_TSC_DEADLINE   0x6e0u
#define X86_MSR_LVT_TIMER      0x832u
#define X86_MSR_TIMER_INITIAL  0x838u
#define X86_MSR_TIMER_CURRENT  0x839u
#define X86_MSR_TIMER_DIVIDE   0x83eu
bool x86_vtimer_read(const struct cpu *cpu, uint32_t msr, uint64_t *value);
bool x86_vtimer_write(struct cpu *cpu, uint32_t msr, uint64_t value);
void x86_vtimer_interrupt(void);
void x86_vlapic_reset(struct cpu *cpu);

/**
 * The core's physical local APIC timer (lapic.c), one-shot on X86_VEC_TIMER:
 * its bus clock measured against the TSC at boot; armed to interrupt about
 * `tsc_delta` TSC ticks from now (never later; a long delta interrupts
 * early, vtimer_calc.h); stopped.
 */
void x86_lapic_timer_calibrate(void);
void x86_lapic_timer_arm(uint64_t tsc_delta);
void x86_lapic_timer_stop(void);

/**
 * A partition's data access to guest-physical `gpa` that faulted in its
 * nested page tables: emulated when it is the I/O APIC's (ioapic.c), with
 * the guest stepped over it; false leaves it to the fault policy.
 */
bool x86_ioapic_access(struct cpu *cpu, uint64_t gpa);

/** Takes the partition's own I/O APIC pins (its devices' GSIs) and masks them (ioapic.c). */
void x86_ioapic_partition_init(struct partition *p);
/** Masks the partition's own pins, in its view and in the I/O APIC. */
void x86_ioapic_partition_reset(struct partition *p);
/**
 * Places the partition's assigned PCI functions' BARs where the description
 * says (refusing the boot on a function that does not match it) and
 * registers its filtered configuration ports (pci.c).
 */
void x86_pci_partition_init(struct partition *p);
/** Its functions' decoding off and their BARs placed again, the filter's state cleared (a restart). */
void x86_pci_partition_reset(struct partition *p);
/** Configuration register `reg` of function `bdf` (bus << 8 | devfn), as the hypervisor reads and writes it (pci.c). */
uint32_t x86_pci_config_read(uint32_t bdf, uint32_t reg);
void x86_pci_config_write(uint32_t bdf, uint32_t reg, uint32_t v);
/**
 * Function `bdf` of partition `p` translated by the board's IOMMU through
 * the partition's RAM, the IOMMU enabled with every other requester
 * blocked on first use; nothing without an IOMMU (iommu.c: amdvi.c or vtd.c).
 */
void x86_iommu_assign(struct partition *p, uint32_t bdf);
/** Whether the IOMMU translates assigned functions' DMA (then they may master the bus). */
bool x86_iommu_active(void);
/** The IOMMU's recorded DMA faults read, counted and logged, the records freed (iommu.c). */
void x86_iommu_poll(void);
/** One register access of the board's IOMMU at `offset` in its frame, of the width named (iommu.c). */
uint32_t x86_iommu_read32(uint32_t offset);
uint64_t x86_iommu_read64(uint32_t offset);
void x86_iommu_write32(uint32_t offset, uint32_t v);
void x86_iommu_write64(uint32_t offset, uint64_t v);

/** An IOMMU's encoding of iopt.c's entries: a table's, a 2 MiB page's (readable) and its write permission. */
struct x86_iopt_format {
	uint64_t table;
	uint64_t leaf;
	uint64_t write;
};
/** Partition `p`'s RAM as 2 MiB pages at its guest-physical addresses, in `f`'s encoding; the root's address (iopt.c). */
uint64_t x86_iopt_build(const struct partition *p, const struct x86_iopt_format *f);
/** The drivers iommu.c picks between by the board's kind. */
void amdvi_assign(const struct partition *p, uint32_t bdf);
bool amdvi_active(void);
void vtd_assign(const struct partition *p, uint32_t bdf);
bool vtd_active(void);
void vtd_poll(void);
/** The hypervisor's handler of vector X86_VEC_GSI + `pin`: EOI, then the owner's vector raised, unless masked. */
void x86_gsi_interrupt(uint32_t pin);

/** Refuses to boot when the description's RAM is not usable RAM in the multiboot memory map (memmap.c). */
void x86_check_memory_map(bool multiboot2, uint32_t info);

/** The 16550's output for panic paths that cannot use the log. */
void x86_uart_init(void);

/** Makes the calling cpu wait for an interrupt with interrupts enabled for that instant only. */
static inline void x86_wait_interrupt(void)
{
	/* STI's one-instruction shadow: an interrupt pending at STI wakes HLT. */
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}

/** Lets a pending interrupt be taken by the hypervisor's handler now. */
static inline void x86_take_interrupts(void)
{
	__asm__ volatile("sti; nop; cli" : : : "memory");
}

#endif /* X86_X86_H */
