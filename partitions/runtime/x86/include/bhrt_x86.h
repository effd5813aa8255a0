/* SPDX-License-Identifier: MIT */
/* The few x86 instructions the runtime and x86 programs need (port I/O, CPUID, MSRs), and an IDT. */
#ifndef BHRT_X86_H
#define BHRT_X86_H

#include <stdbool.h>
#include <stdint.h>

struct x86_cpuid {
	uint32_t eax;
	uint32_t ebx;
	uint32_t ecx;
	uint32_t edx;
};

static inline struct x86_cpuid x86_cpuid(uint32_t leaf)
{
	struct x86_cpuid r;

	__asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(0u));
	return r;
}

static inline uint8_t x86_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void x86_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void x86_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t x86_inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t x86_inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void x86_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

/* Under Bulkhead every MSR but a few traps (arch/x86/README.md): these are for the x2APIC's. */
static inline uint64_t x86_rdmsr(uint32_t msr)
{
	uint32_t lo;
	uint32_t hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void x86_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static inline uint64_t x86_rdtsc(void)
{
	uint32_t lo;
	uint32_t hi;

	__asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/*
 * x2APIC MSRs (Bulkhead gives each vCPU an x2APIC: arch/x86/x2apic.c). An
 * ICR value: destination x2APIC id in bits 63:32, vector in 7:0.
 */
#define X86_MSR_APIC_BASE  0x01bu
#define X86_MSR_X2APIC_ID  0x802u
#define X86_MSR_X2APIC_ICR 0x830u

/**
 * Sets the gate of `vector` in the partition's IDT to `entry`, the first
 * instruction of an assembly routine that ends in IRETQ (an interrupt gate:
 * IF is clear inside it). Such a routine is no C function (C must not call
 * it), so it is declared as the address of its code, `const uint8_t x[]`.
 */
void x86_idt_set(uint8_t vector, const uint8_t *entry);
/**
 * Interrupts taken through rt_doorbell_enable()'s gates so far, all vectors
 * together (each vector's own count: rt_doorbell_count()).
 */
extern uint32_t rt_x86_irq_total;
/* Each vector's count (irq_vectors.S counts, rt_doorbell_count() reads). */
extern uint32_t rt_x86_irq_counts[256];

/** Whether `vector` has a gate already (rt_set_exception_hook() leaves such a vector's gate alone). */
bool x86_idt_present(uint8_t vector);
/**
 * From an exception hook (bhrt.h) that returns true: resume at `rip`
 * rather than at the saved RIP (the faulting instruction's for a fault),
 * since x86 instructions have no fixed length (exception.c).
 */
void rt_exception_resume(uint64_t rip);

/** Loads the partition's IDT on the calling vCPU (each vCPU loads it once). */
void x86_idt_load(void);

/**
 * Sets the #GP gate to one that counts the #GP and steps over the two-byte
 * RDMSR or WRMSR (no prefix) that raised it: for a program that checks which
 * MSR accesses the hypervisor refuses. Any other #GP would be stepped over
 * wrongly, so only a program whose #GP can come from nothing else sets it.
 * Taken once the IDT is loaded (x86_idt_load(), rt_doorbell_enable()).
 */
void x86_msr_refusals_catch(void);
/** The #GP that x86_msr_refusals_catch()'s gate took so far. */
uint32_t x86_msr_refusals(void);

#endif /* BHRT_X86_H */
