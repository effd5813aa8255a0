/* SPDX-License-Identifier: MIT */
/*
 * The power model without firmware (docs/arch-hooks.md): a cpu is started
 * the first time with INIT-SIPI-SIPI through the real-mode trampoline; a
 * stopped cpu halts in the hypervisor, interrupts masked but at HLT, until
 * arch_cpu_start() marks it pending and wakes it with the kick IPI. The
 * power states are the hypervisor's own record.
 */
#include <generated/autoconf.h>
#include <string.h>
#include "arch.h"
#include "cfg.h"
#include "core.h"
#include "cpu.h"
#include "coverage.h"
#include "log.h"
#include "spinlock.h"
#include "vendor.h"
#include "this_cpu.h"
#include "x86.h"

static uint32_t power[BH_NUM_CORES];        /* enum cpu_power, atomically */
static uint32_t ever_started[BH_NUM_CORES]; /* 1: past the trampoline once */

/* The trampoline's variables (boot.S): one cpu starts through it at a time. */
struct trampoline_data {
	uint64_t cr3;
	uint64_t stack;
	uint64_t index;
};

#define AP_START_POLLS 1000u   /* x 1 ms: how long a first start may take to reach x86_ap_main */

enum core_status arch_cpu_start(uint32_t index)
{
	static struct spinlock start_lock = SPINLOCK_INIT;
	uint32_t expected = (uint32_t)CPU_POWER_OFF;

	if (index >= cfg_system.n_cpus) {
		return CORE_ERR_INVALID;
	}
	if (!__atomic_compare_exchange_n(&power[index], &expected, (uint32_t)CPU_POWER_ON_PENDING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		return (expected == (uint32_t)CPU_POWER_ON) ? CORE_ERR_ALREADY_ON : CORE_ERR_ON_PENDING;
	}
	uint32_t apic = cfg_system.cpus[index].arch.apic_id;

	if (__atomic_load_n(&ever_started[index], __ATOMIC_ACQUIRE) != 0u) {
		x86_lapic_ipi(apic, X86_VEC_KICK);   /* it waits in arch_cpu_stop() */
		return CORE_OK;
	}
	spin_lock(&start_lock);
	volatile struct trampoline_data *t = (volatile struct trampoline_data *)(uintptr_t)X86_TRAMPOLINE_DATA;
	t->cr3 = x86_host_cr3();
	t->stack = x86_stack_top(index);
	t->index = index;
	x86_lapic_init_sipi(apic, X86_TRAMPOLINE_PA >> 12);
	/* The variables are shared: wait until this cpu has read them (bounded). */
	for (uint32_t i = 0u; (i < AP_START_POLLS) && (__atomic_load_n(&ever_started[index], __ATOMIC_ACQUIRE) == 0u); i++) {
		x86_udelay(1000u);
	}
	bool started = __atomic_load_n(&ever_started[index], __ATOMIC_ACQUIRE) != 0u;
	spin_unlock(&start_lock);
	if (!started) {
		__atomic_store_n(&power[index], (uint32_t)CPU_POWER_OFF, __ATOMIC_RELEASE);
		log_error("core %u (APIC id %u) did not answer INIT-SIPI-SIPI", index, apic);
		return CORE_ERR_HW;
	}
	return CORE_OK;
}

NORETURN void x86_ap_main(uint64_t index)
{
	struct cpu *self = cpu_get((uint32_t)index);
	/* Every cpu on the hypervisor's GDT (boot.S), not the trampoline's copy below 1 MiB. */
	__asm__ volatile("lgdt x86_gdtr64" : : : "memory");
	__atomic_store_n(&ever_started[index], 1u, __ATOMIC_RELEASE);
	x86_idt_load();
	x86_lapic_init();
	self->arch.apic_id = x86_lapic_id();
	vendor_cpu_init(self);
	__atomic_store_n(&power[index], (uint32_t)CPU_POWER_ON, __ATOMIC_RELEASE);
	core_cpu_started(self);
}

static NORETURN void restart_here(struct cpu *self)
{
	__atomic_store_n(&power[self->index], (uint32_t)CPU_POWER_ON, __ATOMIC_RELEASE);
	core_cpu_started(self);
}

NORETURN void arch_cpu_stop(void)
{
	struct cpu *self = x86_this_cpu();

	x86_vlapic_reset(self);   /* the stopped vCPU's timer wakes nothing */
	__atomic_store_n(&power[self->index], (uint32_t)CPU_POWER_OFF, __ATOMIC_RELEASE);
	while (__atomic_load_n(&power[self->index], __ATOMIC_ACQUIRE) != (uint32_t)CPU_POWER_ON_PENDING) {
		x86_wait_interrupt();
	}
	x86_call_on_stack(x86_stack_top(self->index), restart_here, self);
}

enum cpu_power arch_cpu_power_state(uint32_t index)
{
	if (index >= cfg_system.n_cpus) {
		return CPU_POWER_ON;
	}
	return (enum cpu_power)__atomic_load_n(&power[index], __ATOMIC_ACQUIRE);
}

void arch_cpu_kick(uint32_t index)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	x86_lapic_ipi(cfg_system.cpus[index].arch.apic_id, X86_VEC_KICK);
}

void arch_cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

/* QEMU's i440fx and q35 ACPI: PM1a control at 0x604, SLP_EN with sleep type 0 (S5). */
#define QEMU_PM1A_CNT 0x604u
#define PM1_SLP_EN_S5 0x2000u

NORETURN void arch_system_off(void)
{
#ifdef CONFIG_COVERAGE
	coverage_dump();
#endif
	outw(QEMU_PM1A_CNT, PM1_SLP_EN_S5);
	for (;;) {
		__asm__ volatile("cli; hlt");
	}
}

/* RDSEED, retried a bounded number of times; CPUID leaf 7 EBX bit 18 says whether it exists. */
bool arch_entropy(uint64_t *out)
{
	uint32_t r[4];

	cpuid(7u, 0u, r);
	if ((r[1] & ((uint32_t)1u << 18)) == 0u) {
		return false;
	}
	for (uint32_t i = 0u; i < 64u; i++) {
		uint8_t ok;
		uint64_t v = 0u;

		__asm__ volatile("rdseed %0; setc %1" : "=r"(v), "=qm"(ok));
		if (ok != 0u) {
			*out = v;
			return true;
		}
	}
	return false;
}

/* Caches are coherent with every agent that reads partition memory on x86: a copy is enough. */
void arch_load_blob(paddr_t dst, paddr_t src, uint64_t size)
{
	(void)memcpy(pa_ptr(dst), pa_ptr(src), size);
}

/* Caches are coherent with every agent that reads partition memory on x86. */
void arch_clean_to_poc(paddr_t pa, uint64_t size)
{
	UNUSED(pa);
	UNUSED(size);
}

void x86_cpu_booted(uint32_t index)
{
	__atomic_store_n(&ever_started[index], 1u, __ATOMIC_RELEASE);
	__atomic_store_n(&power[index], (uint32_t)CPU_POWER_ON, __ATOMIC_RELEASE);
}
