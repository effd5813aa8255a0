/* SPDX-License-Identifier: MIT */
/*
 * Boot of the x86-64 hypervisor on the boot cpu: console, the W^X map,
 * the IDT, the local APIC, SVM, then core_boot() on the cpu's own stack.
 * Also what every cpu shares: its stack (which also says which cpu it is)
 * and the hypervisor's exception report.
 */
#include <generated/autoconf.h>
#include "arch.h"
#include "cfg.h"
#include "core.h"
#include "cpu.h"
#include "lib.h"
#include "log.h"
#include "vendor.h"
#include "x86.h"
#include "x86_pt.h"
#include "this_cpu.h"

#define MULTIBOOT_MAGIC 0x2badb002u
#define MULTIBOOT2_MAGIC 0x36d76289u   /* GRUB's multiboot2 (boot.S's second header) */

/* One stack per physical cpu: the stack a cpu runs on says which cpu it is (this_cpu.h). */
static uint8_t stacks[BH_NUM_CORES][CONFIG_CPU_STACK_SIZE]
	__attribute__((aligned(4096), section(".noload.stacks")));
uint64_t x86_cpu_stacks_base;
struct cpu *x86_cpu_of_stack[BH_NUM_CORES];

uint64_t x86_stack_top(uint32_t index)
{
	return (uint64_t)(uintptr_t)&stacks[index][CONFIG_CPU_STACK_SIZE];
}

/* --- The hypervisor's map: one to one, W^X ------------------------------- */

#define HOST_POOL_PAGES 16u
#define LAPIC_PA 0xfee00000ULL
#define LOW_MEMORY 0x100000ULL   /* below it: only the trampoline's two pages */

extern const uint8_t __image_start[], __text_end[], __rodata_end[], __image_end[];

static pte_t host_pages[HOST_POOL_PAGES][PT_ENTRIES] __attribute__((aligned(4096), section(".noload.host_pt")));
static struct pt_pool host_pool = { host_pages, HOST_POOL_PAGES, 0u };
static pte_t *host_root;

static void host_map(uint64_t base, uint64_t end, uint64_t attrs)
{
	if (end <= base) {
		return;
	}
	int ret = x86_pt_map(&host_pool, host_root, base, base, end - base, attrs | X86_PTE_P, X86_PTE_W, false);
	if (ret != PT_OK) {
		panic("hypervisor map [0x%lx, 0x%lx): error %d", base, end, ret);
	}
}

static void x86_mmu_init(void)
{
	uint64_t img = (uint64_t)(uintptr_t)__image_start;
	uint64_t text_end = (uint64_t)(uintptr_t)__text_end;
	uint64_t ro_end = (uint64_t)(uintptr_t)__rodata_end;
	uint64_t img_end = (uint64_t)(uintptr_t)__image_end;
	uint64_t ram = ((uint64_t)BH_RAM_BASE > LOW_MEMORY) ? (uint64_t)BH_RAM_BASE : LOW_MEMORY;
	uint64_t ram_end = (uint64_t)BH_RAM_BASE + (uint64_t)BH_RAM_SIZE;

	host_root = pt_alloc(&host_pool);
	host_map(X86_TRAMPOLINE_PA, X86_TRAMPOLINE_PA + 0x1000u, 0u);
	host_map(X86_TRAMPOLINE_DATA, X86_TRAMPOLINE_DATA + 0x1000u, X86_PTE_W | X86_PTE_NX);
	host_map(ram, img, X86_PTE_W | X86_PTE_NX);
	host_map(img, text_end, 0u);
	host_map(text_end, ro_end, X86_PTE_NX);
	host_map(ro_end, img_end, X86_PTE_W | X86_PTE_NX);
	host_map(img_end, ram_end, X86_PTE_W | X86_PTE_NX);
	host_map(LAPIC_PA, LAPIC_PA + 0x1000u, X86_PTE_W | X86_PTE_NX | X86_PTE_PCD | X86_PTE_PWT);
	/* The I/O APIC: partitions' own pins are programmed here (ioapic.c). */
	host_map(cfg_system.arch.ioapic.mmio.base, cfg_system.arch.ioapic.mmio.base + cfg_system.arch.ioapic.mmio.size,
		 X86_PTE_W | X86_PTE_NX | X86_PTE_PCD | X86_PTE_PWT);
	if (cfg_system.arch.iommu.size != 0u) {   /* the IOMMU's registers (amdvi.c), in the I/O APIC's 2 MiB on q35 */
		host_map(cfg_system.arch.iommu.base, cfg_system.arch.iommu.base + cfg_system.arch.iommu.size,
			 X86_PTE_W | X86_PTE_NX | X86_PTE_PCD | X86_PTE_PWT);
	}
	__asm__ volatile("mov %0, %%cr3" : : "r"(pt_table_addr(host_root)) : "memory");
}

uint64_t x86_host_cr3(void)
{
	return pt_table_addr(host_root);
}

/* --- Exceptions ------------------------------------------------------------ */

struct exc_frame {
	uint64_t vector;
	uint64_t error;
	uint64_t rip;
	uint64_t cs;
	uint64_t rflags;
	uint64_t rsp;
	uint64_t ss;
};

void x86_exception(const struct exc_frame *f);

void x86_exception(const struct exc_frame *f)
{
	uint64_t cr2;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	panic("hypervisor exception %lu (error 0x%lx) at rip 0x%lx, rsp 0x%lx, cr2 0x%lx",
	      f->vector, f->error, f->rip, f->rsp, cr2);
}

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
};

extern const uint8_t x86_exc_stubs[], x86_kick_stub[], x86_timer_stub[], x86_spurious_stub[], x86_gsi_stubs[];
static struct idt_gate idt[256] __attribute__((aligned(16)));

static void idt_set(uint32_t vec, const void *fn)
{
	uint64_t a = pa_from_ptr(fn).pa;

	idt[vec] = (struct idt_gate){ (uint16_t)a, 0x18u, 0u, 0x8eu, (uint16_t)(a >> 16), (uint32_t)(a >> 32), 0u };
}

static void idt_build(void)
{
	for (uint32_t v = 0u; v < 32u; v++) {
		idt_set(v, &x86_exc_stubs[v * 16u]);
	}
	/* The 8259s' vectors after pic_disable(), should a masked one still arrive (spurious IRQ 7/15). */
	for (uint32_t v = 0x20u; v < 0x30u; v++) {
		idt_set(v, x86_spurious_stub);
	}
	for (uint32_t pin = 0u; pin < CFG_X86_ISA_PINS; pin++) {
		idt_set(X86_VEC_GSI + pin, &x86_gsi_stubs[pin * 16u]);
	}
	idt_set(X86_VEC_TIMER, x86_timer_stub);
	idt_set(X86_VEC_KICK, x86_kick_stub);
	idt_set(X86_VEC_SPURIOUS, x86_spurious_stub);
}

void x86_idt_load(void)
{
	struct x86_desc_ptr d = { sizeof(idt) - 1u, (uint64_t)(uintptr_t)idt };

	__asm__ volatile("lidt %0" : : "m"(d));
}

/* --- Boot ------------------------------------------------------------------- */

/* The cfg_cpu of the calling cpu, from its local APIC id; panics when the description lacks it. */
static uint32_t cpu_index_of_apic(uint32_t apic_id)
{
	for (uint32_t i = 0u; i < cfg_system.n_cpus; i++) {
		if (cfg_system.cpus[i].arch.apic_id == apic_id) {
			return i;
		}
	}
	panic("the boot cpu (APIC id %u) is not a core of the system description", apic_id);
}

void x86_boot_main(uint32_t magic, uint32_t info);

void x86_boot_main(uint32_t magic, uint32_t info)
{
	/* Before any cpu runs on its stack (x86_this_cpu). */
	x86_cpu_stacks_base = (uint64_t)(uintptr_t)&stacks[0][0];
	for (uint32_t i = 0u; i < (uint32_t)BH_NUM_CORES; i++) {
		x86_cpu_of_stack[i] = cpu_get(i);
	}
	x86_uart_init();
	if ((magic != MULTIBOOT_MAGIC) && (magic != MULTIBOOT2_MAGIC)) {
		panic("not started by a multiboot (v1 or 2) loader (eax 0x%x)", magic);
	}
	x86_check_memory_map(magic == MULTIBOOT2_MAGIC, info);
	/* Below 1 MiB while the boot map still lets us write there. */
	(void)memcpy((void *)(uintptr_t)X86_TRAMPOLINE_PA, x86_trampoline_start,
		     (size_t)((uintptr_t)x86_trampoline_end - (uintptr_t)x86_trampoline_start));
	x86_mmu_init();
	idt_build();
	x86_idt_load();
	x86_lapic_init();
	x86_tsc_calibrate();
	x86_lapic_timer_calibrate();

	uint32_t index = cpu_index_of_apic(x86_lapic_id());
	struct cpu *self = cpu_get(index);

	self->arch.apic_id = x86_lapic_id();
	x86_cpu_booted(index);
	vendor_cpu_init(self);
	x86_call_on_stack(x86_stack_top(index), core_boot, self);
}
