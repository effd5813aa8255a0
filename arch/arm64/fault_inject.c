/* SPDX-License-Identifier: MIT */
/*
 * ARM64's fault injection points that fire on the way back from a
 * synchronous trap (CONFIG_FAULT_INJECTION only; core/fault_inject.c arms
 * them). Each makes the real failure happen and lets the hypervisor's own
 * path handle it.
 */
#include "fault_inject.h"
#include "arm64.h"
#include "cpu.h"
#include "gic.h"
#include "log.h"
#include "sysreg.h"
#include "vgic.h"

/* Far above any RAM or device of the boards: the EL2 map has nothing there. */
#define UNMAPPED_VA 0x0000dead00000000UL
/* ESR_EL2 of an SError: EC 0x2f, IL, ISS 0 (uncategorized). */
#define ESR_SERROR ((0x2fUL << 26) | (1UL << 25))
/* The vector of an SError from a lower exception level in AArch64. */
#define VECTOR_LOWER_SERROR 0x580UL

/* A load at EL2 that the EL2 map cannot translate: a data abort taken at EL2. */
/* Implements: infrastructure */
static NORETURN void el2_sync(void)
{
	uint64_t value;

	log_warning("fault injection: a load at EL2 from 0x%lx", UNMAPPED_VA);
	__asm__ volatile("ldr %0, [%1]" : "=r"(value) : "r"(UNMAPPED_VA) : "memory");
	panic("fault injection: the load at EL2 returned 0x%lx", value);
}

/*
 * QEMU 7.2 raises no physical SError (docs/safety/fault-injection.md): the
 * closest is to enter the vector of one from the partition with ESR_EL2
 * saying SError, which runs the whole of the hypervisor's handling of it.
 * Implements: infrastructure
 */
static NORETURN void guest_serror(void)
{
	uint64_t vector = read_sysreg(vbar_el2) + VECTOR_LOWER_SERROR;

	log_warning("fault injection: an SError of the partition, through its vector at 0x%lx", vector);
	__asm__ volatile("msr esr_el2, %0\n\tisb\n\tbr %1" : : "r"(ESR_SERROR), "r"(vector) : "memory");
	panic("fault injection: the SError vector returned");
}

/* The first list register in use is made to hold, with the hardware bit, an SPI the partition does not own. */
/* Implements: infrastructure */
static void lr_corrupt(const struct cpu *cpu)
{
	uint32_t foreign = GIC_FIRST_SPI;

	while ((foreign < 1020u) && vgic_owns(cpu, foreign)) {
		foreign++;
	}
	for (uint32_t n = 0u; n < gic_lr_count(); n++) {
		struct gic_lr lr = { 0u, 0u, 0u, 0u, false };

		if (gic_lr_pending(n, &lr)) {
			log_warning("fault injection: list register %u (interrupt %u) corrupted to hold physical interrupt %u",
				    n, lr.vintid, foreign);
			lr.hw = true;
			lr.pintid = foreign;
			gic_lr_write(n, lr);
			return;
		}
	}
	log_warning("fault injection: no list register pending to corrupt");
}

/* Implements: infrastructure */
void arm64_fault_inject_trap_exit(struct cpu *cpu)
{
	if (fault_inject_fires(BH_FAULT_EL2_SYNC)) {
		el2_sync();
	}
	if (fault_inject_fires(BH_FAULT_GUEST_SERROR)) {
		guest_serror();
	}
	if (fault_inject_fires(BH_FAULT_LR_CORRUPT)) {
		lr_corrupt(cpu);
	}
}

/* A word whose every bit reads set: a controller register whose busy bits never clear. */
static const uint32_t busy_for_good = 0xffffffffu;

/* Implements: infrastructure */
uint64_t arm64_fault_inject_gic_wait(uint64_t reg)
{
	if (fault_inject_fires(BH_FAULT_GIC_STUCK)) {
		log_warning("fault injection: the GICv3 register at 0x%lx reads busy for good", reg);
		return (uint64_t)(uintptr_t)&busy_for_good;
	}
	return reg;
}
