/* SPDX-License-Identifier: MIT */
/*
 * x86 isolation probe (configs/qemu-x86_64.dts): uses the I/O ports it was
 * given (COM2, polled), then tries what its description does not allow,
 * in this order:
 *   1. OUT to COM1 (0x3f8), the hypervisor's console: refused and counted,
 *      and the partition goes on;
 *   2. x2APIC IPIs (arch/x86/x2apic.c): one to its own x2APIC id, which it
 *      takes through its IDT, then a fixed IPI and an INIT to talker's core
 *      (x2APIC id 0): refused and counted, and talker runs on;
 *   3. MSRs that must trap (microcode update, MTRR default type, debug
 *      control): each refused with #GP, which its IDT counts and steps over;
 *   4. CR0.NE, which VMX holds set and shadows: the guest reads back what
 *      it wrote, both ways;
 *   5. the I/O APIC: COM1's pin (4, the hypervisor's) reads as masked, and
 *      an unmask of it is ignored and counted;
 *   5b. the xAPIC page (arch/x86/xapic.c), x2APIC mode turned off: its own
 *      flat LDR and an IPI by broadcast and by that LDR, which it takes;
 *      then a write of its id, a fixed IPI to talker's id, a logical
 *      destination none of its LDRs match, INIT and STARTUP to talker's id
 *      and by shorthand, and a STARTUP to itself: each refused and counted,
 *      reaching nobody (talker, with no IDT, would triple-fault); then
 *      x2APIC mode again;
 *   6. a CS-prefixed VMMCALL (AMD only), which breaks the hypercall ABI: it
 *      resumes at its own third byte, in its own code;
 *      then its own exceptions through the runtime's exception hook: UD2
 *      (#UD) and a division by zero (#DE), resumed after the instruction,
 *      and INT3 (#BP), a trap, resumed where the processor left it;
 *   7. a store to guest-physical 64 MiB, where talker's RAM is in host
 *      memory but nothing is in its own map: a nested page fault, and its
 *      fault policy (stop) ends it.
 * "ESCAPED" on the console would mean an attempt got through. First it
 * prints what the Bulkhead CPUID leaves say (include/bulkhead/x86_cpuid.h)
 * and the counter frequency the runtime took from them.
 */
#include <stdint.h>
#include <stdio.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/x86_cpuid.h>
#include "bhrt.h"
#include "bhrt_channel.h"
#include "bhrt_x86.h"

#define COM1 0x3f8u
#define COM2 0x2f8u
#define UART_LSR 5u
#define UART_LSR_THRE 0x20u
#define VICTIM_ADDRESS 0x4000000u   /* talker's host-address in configs/qemu-x86_64.dts */
#define TALKER_APIC_ID 0u           /* cpu0's x2APIC id (configs/boards/qemu-x86_64.dtsi) */
#define IPI_VECTOR 0x40u
#define ICR_INIT 0x500u
#define ICR_STARTUP 0x600u
#define ICR_LOGICAL 0x800u
#define ICR_ASSERT_LEVEL 0xc000u    /* level-triggered, asserted: Linux's INIT */
#define ICR_ALL_BUT_SELF 0xc0000u
#define APIC_BASE_EXTD 0x400u
#define XAPIC_PAGE 0xfee00000u
#define XAPIC_ID (0x020u / 4u)      /* register indexes in 32-bit words */
#define XAPIC_LDR (0x0d0u / 4u)
#define XAPIC_DFR (0x0e0u / 4u)
#define XAPIC_ICR_LOW (0x300u / 4u)
#define XAPIC_ICR_HIGH (0x310u / 4u)
#define OWN_LDR 0x02000000u         /* flat logical bit 1 */
#define SIPI_PAGE 0x08u             /* a vector page below 1 MiB */
#define IOAPIC_BASE 0xfec00000u    /* configs/boards/qemu-x86_64.dtsi */
#define IOAPIC_WINDOW 4u           /* IOWIN at +0x10, in 32-bit words */
#define COM1_PIN 4u
#define CPUID_EBX_AMD 0x68747541u  /* "Auth" of "AuthenticAMD" */


/* Waits up to 100 ms for the IPI vector's count (a doorbell of the runtime) to differ from `seen`. */
static uint32_t wait_ipis(uint32_t seen)
{
	(void)rt_doorbell_wait(IPI_VECTOR, &seen, rt_counter() + rt_counter_hz() / 10u);
	return seen;
}

static void x2apic_ipis(void)
{
	uint64_t base = x86_rdmsr(X86_MSR_APIC_BASE);
	uint32_t id = (uint32_t)x86_rdmsr(X86_MSR_X2APIC_ID);

	x86_msr_refusals_catch();
	if (rt_doorbell_enable(IPI_VECTOR) != 0) {   /* loads the IDT, takes interrupts */
		printf("x86probe: vector 0x%x is no doorbell\n", IPI_VECTOR);
	}
	printf("x86probe: APIC base 0x%x, x2APIC id %u; an IPI to itself\n", (unsigned)base, (unsigned)id);
	x86_wrmsr(X86_MSR_X2APIC_ICR, ((uint64_t)id << 32) | IPI_VECTOR);
	printf("x86probe: IPIs taken: %u\n", (unsigned)wait_ipis(0u));
	printf("x86probe: now an IPI and an INIT to x2APIC id %u (talker's core)\n", TALKER_APIC_ID);
	x86_wrmsr(X86_MSR_X2APIC_ICR, ((uint64_t)TALKER_APIC_ID << 32) | IPI_VECTOR);
	x86_wrmsr(X86_MSR_X2APIC_ICR, ((uint64_t)TALKER_APIC_ID << 32) | ICR_INIT);
	printf("x86probe: ICR writes to talker's core done, IPIs taken: %u\n", (unsigned)wait_ipis(1u));
}

/*
 * The page's registers by a MOV through a register, the form the hypervisor
 * decodes (as Linux's accessors compile): a compiler may pick a MOV with a
 * 64-bit absolute address for a constant one, which it does not decode, and
 * that access would be a nested page fault stopping the probe.
 */
static uint32_t xapic_read(uint32_t reg)
{
	uint32_t v;

	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"((uintptr_t)XAPIC_PAGE + (reg * 4u)) : "memory");
	return v;
}

static void xapic_write(uint32_t reg, uint32_t v)
{
	__asm__ volatile("movl %1, (%0)" : : "r"((uintptr_t)XAPIC_PAGE + (reg * 4u)), "r"(v) : "memory");
}

static void xapic_icr(uint32_t dest, uint32_t low)
{
	xapic_write(XAPIC_ICR_HIGH, dest << 24);
	xapic_write(XAPIC_ICR_LOW, low);
}

static void xapic_page(void)
{
	uint64_t base = x86_rdmsr(X86_MSR_APIC_BASE);
	uint32_t id;
	uint32_t seen;

	x86_wrmsr(X86_MSR_APIC_BASE, base & ~(uint64_t)APIC_BASE_EXTD);
	id = xapic_read(XAPIC_ID) >> 24;
	xapic_write(XAPIC_DFR, 0xffffffffu);
	xapic_write(XAPIC_LDR, OWN_LDR);
	printf("x86probe: xAPIC page: id %u, LDR 0x%x, DFR 0x%x; IPIs by broadcast and by its LDR\n", (unsigned)id,
	       (unsigned)xapic_read(XAPIC_LDR), (unsigned)xapic_read(XAPIC_DFR));
	xapic_icr(0xffu, IPI_VECTOR);
	seen = wait_ipis(1u);
	xapic_icr(OWN_LDR >> 24, ICR_LOGICAL | IPI_VECTOR);
	printf("x86probe: xAPIC IPIs taken: %u\n", (unsigned)wait_ipis(seen));
	xapic_write(XAPIC_ID, TALKER_APIC_ID << 24);
	xapic_icr(TALKER_APIC_ID, IPI_VECTOR);
	xapic_icr(0x01u, ICR_LOGICAL | IPI_VECTOR);
	xapic_icr(TALKER_APIC_ID, ICR_ASSERT_LEVEL | ICR_INIT);
	xapic_icr(TALKER_APIC_ID, ICR_STARTUP | SIPI_PAGE);
	xapic_icr(0u, ICR_ALL_BUT_SELF | ICR_ASSERT_LEVEL | ICR_INIT);
	xapic_icr(0u, ICR_ALL_BUT_SELF | ICR_STARTUP | SIPI_PAGE);
	xapic_icr(id, ICR_STARTUP | SIPI_PAGE);
	printf("x86probe: xAPIC writes to talker's core done, id now %u, IPIs taken: %u\n",
	       (unsigned)(xapic_read(XAPIC_ID) >> 24), (unsigned)wait_ipis(seen + 1u));
	x86_wrmsr(X86_MSR_APIC_BASE, base);
}

static uint32_t ioapic_read(volatile uint32_t *io, uint32_t reg)
{
	io[0] = reg;
	return io[IOAPIC_WINDOW];
}

static void ioapic_pins(void)
{
	volatile uint32_t *io = (volatile uint32_t *)(uintptr_t)IOAPIC_BASE;
	uint32_t version = ioapic_read(io, 1u);
	uint32_t before = ioapic_read(io, 0x10u + 2u * COM1_PIN);

	io[IOAPIC_WINDOW] = before & ~0x10000u;   /* unmask COM1's pin */
	printf("x86probe: I/O APIC version 0x%x; pin %u 0x%x, after an unmask 0x%x\n", (unsigned)version, COM1_PIN,
	       (unsigned)before, (unsigned)ioapic_read(io, 0x10u + 2u * COM1_PIN));
}

static void trapped_msrs(void)
{
	x86_wrmsr(0x79u, 0x1000u);        /* microcode update trigger */
	(void)x86_rdmsr(0x2ffu);          /* MTRR default type */
	x86_wrmsr(0x1d9u, 1u);            /* debug control: LBR */
	printf("x86probe: 3 MSR accesses that must trap, %u #GP taken\n", (unsigned)x86_msr_refusals());
}

#define CR0_NE (1u << 5)

static void control_registers(void)
{
	uint64_t cr0;

	__asm__ volatile("mov %%cr0, %0" : "=a"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "a"(cr0 ^ CR0_NE) : "memory");
	__asm__ volatile("mov %%cr0, %0" : "=a"(cr0));
	unsigned flipped = (unsigned)((cr0 >> 5) & 1u);
	__asm__ volatile("mov %0, %%cr0" : : "a"(cr0 ^ CR0_NE) : "memory");
	__asm__ volatile("mov %%cr0, %0" : "=a"(cr0));
	printf("x86probe: CR0.NE flipped reads %u, flipped back %u\n", flipped, (unsigned)((cr0 >> 5) & 1u));
}

/*
 * The ABI's hypercall is the unprefixed VMMCALL, stepped over by its three
 * bytes without reading them (REQ-XARCH-003~2), so a CS-prefixed one resumes
 * at its own d9 byte. The bytes after it read as FLD1 (d9 e8) and NOPs from
 * there, but as a CALL (e8 rel32) out of the partition's code from the end of
 * all four: 1.0 on top of the x87 stack says where the guest resumed. Only on
 * AMD: VMMCALL is #UD on Intel, where the runtime uses VMCALL.
 */
static void prefixed_vmmcall(void)
{
	uint64_t rax = BH_HC_VERSION;
	double top = 0.0;

	if (x86_cpuid(0u).ebx != CPUID_EBX_AMD) {
		printf("x86probe: no prefixed VMMCALL: not an AMD processor\n");
		return;
	}
	__asm__ volatile(".byte 0x2e, 0x0f, 0x01, 0xd9, 0xe8, 0x90, 0x90, 0x90, 0x90\n\tfstpl %1"
			 : "+a"(rax), "=m"(top) : : "rdi", "rsi", "rdx", "memory");
	printf("x86probe: CS-prefixed VMMCALL: rax 0x%lx, then the x87 top %s\n", (unsigned long)rax,
	       (top == 1.0) ? "is 1.0: resumed at its third byte" : "is not 1.0");
}

static uint32_t hook_calls;
static uint64_t hook_syndrome[3];

/* UD2 and DIV %ECX are two bytes; #BP's saved RIP is already past INT3. */
static bool on_exception(uint64_t esr, uint64_t elr, uint64_t far)
{
	(void)far;
	if (hook_calls < 3u) {
		hook_syndrome[hook_calls] = esr;
	}
	hook_calls++;
	if ((esr >> 32) != 3u) {
		rt_exception_resume(elr + 2u);
	}
	return true;
}

static void exceptions(void)
{
	uint32_t eax = 1u, edx = 0u;

	rt_set_exception_hook(on_exception);
	__asm__ volatile("ud2" : : : "memory");
	__asm__ volatile("divl %%ecx" : "+a"(eax), "+d"(edx) : "c"(0u) : "memory");
	__asm__ volatile("int3" : : : "memory");
	rt_set_exception_hook(NULL);
	printf("x86probe: exception hook: %u calls, vectors %u %u %u, error codes %u %u %u, then resumed\n",
	       (unsigned)hook_calls, (unsigned)(hook_syndrome[0] >> 32), (unsigned)(hook_syndrome[1] >> 32),
	       (unsigned)(hook_syndrome[2] >> 32), (unsigned)(uint32_t)hook_syndrome[0], (unsigned)(uint32_t)hook_syndrome[1],
	       (unsigned)(uint32_t)hook_syndrome[2]);
}

int main(void)
{
	static const char msg[] = "x86probe on COM2\r\n";
	struct rt_info me = rt_partition_info();
	uint8_t lsr = x86_inb((uint16_t)(COM2 + UART_LSR));

	printf("x86probe: CPUID 0x%x: max leaf 0x%x, TSC %u kHz; the runtime's counter %u kHz\n",
	       BH_X86_CPUID_BASE, (unsigned)x86_cpuid(BH_X86_CPUID_BASE).eax, (unsigned)x86_cpuid(BH_X86_CPUID_TSC_KHZ).eax,
	       (unsigned)(rt_counter_hz() / 1000u));
	printf("x86probe: CPUID 1: hypervisor %u, x2APIC %u, VMX %u; 0x80000001: SVM %u; 0x%x: partition %u, vCPU %u\n",
	       (unsigned)(x86_cpuid(1u).ecx >> 31), (unsigned)((x86_cpuid(1u).ecx >> 21) & 1u),
	       (unsigned)((x86_cpuid(1u).ecx >> 5) & 1u), (unsigned)((x86_cpuid(0x80000001u).ecx >> 2) & 1u),
	       BH_X86_CPUID_IDS, (unsigned)x86_cpuid(BH_X86_CPUID_IDS).eax, (unsigned)x86_cpuid(BH_X86_CPUID_IDS).ebx);
	printf("x86probe: partition %u, COM2 LSR 0x%02x\n", (unsigned)me.partition, (unsigned)lsr);
	for (const char *c = msg; *c != '\0'; c++) {
		while ((x86_inb((uint16_t)(COM2 + UART_LSR)) & UART_LSR_THRE) == 0u) {
		}
		x86_outb((uint16_t)COM2, (uint8_t)*c);
	}
	printf("x86probe: wrote %u bytes to COM2, now a write to COM1\n", (unsigned)(sizeof(msg) - 1u));
	x86_outb((uint16_t)COM1, (uint8_t)'X');
	printf("x86probe: COM1 write done\n");
	x2apic_ipis();
	trapped_msrs();
	control_registers();
	ioapic_pins();
	xapic_page();
	prefixed_vmmcall();
	exceptions();
	__asm__ volatile("cli");
	printf("x86probe: now a store into talker's memory at 0x%x\n", VICTIM_ADDRESS);
	*(volatile uint32_t *)(uintptr_t)VICTIM_ADDRESS = 0xdeadbeefu;
	printf("x86probe: ESCAPED: the store to 0x%x completed\n", VICTIM_ADDRESS);
	return 1;
}
