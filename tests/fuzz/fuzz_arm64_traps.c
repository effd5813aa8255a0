/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the hypervisor's decoders of trapped guest accesses, on the
 * host: the stage-2 data abort syndrome decoder (arch/arm64/mmio.c), the
 * system register trap decoder (arch/arm64/sysreg_trap.c) and the virtual GIC's
 * distributor, redistributor and CPU interface emulation (arch/arm64/vgic*.c,
 * vgic_v3.c), as they run on the fake architecture (tests/unit/fake_arch.c)
 * with a GIC in memory (fake_gic.c).
 *
 * The input is a sequence of operations, each by one vCPU of the system in
 * traps_system.h: a trapped MMIO access (syndrome, address and registers
 * from the input, addresses mostly in the GIC), a trapped system register
 * access, a physical interrupt or kick reaching EL2, or the guest completing
 * list registers. Besides ASan and UBSan, the oracle checks that a trap
 * writes no guest register but its target, that every physical GIC write,
 * route, SGI and deactivation concerns only what the partition owns, that a
 * direct core's priority mask never hides the kick, and that cache
 * maintenance stays inside the partition's memory.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64.h"
#include "cpu.h"
#include "fake_arch.h"
#include "partition.h"
#include "sysreg.h"
#include "traps_system.h"
#include "vgic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern uint64_t host_sr_icc_iar1_el1, host_sr_icc_dir_el1, host_sr_icc_eoir1_el1, host_sr_icc_pmr_el1;
extern uint64_t host_sr_ich_lr0_el2, host_sr_ich_lr1_el2, host_sr_ich_lr2_el2, host_sr_ich_lr3_el2;

#define SENTINEL UINT64_C(0xfeedfacedeadbeef)
#define MAX_OPS 64u

struct input {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct input *in, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes && in->n; i++, in->n--, in->p++)
		v |= (uint64_t)*in->p << (8u * i);
	return v;
}

static bool undef_injected;
static bool trace;   /* FUZZ_TRACE=1: each operation on stderr, to follow a crash */
/* FUZZ_OPEN lists open findings (tests/fuzz/open-findings.txt) whose operations
 * the run leaves out, so that it can find others until they are fixed. */
static bool skip_direct_icc_dir;

void arm64_inject_undef(struct guest_frame *f)
{
	(void)f;
	undef_injected = true;
}

/* Set/way emulation cleans the partition's own memory, nothing else. */
void arm64_clean_inval_range(uint64_t va, uint64_t size)
{
	const struct cfg_partition *p = fake.current->partition->cfg;

	for (uint32_t i = 0; i < p->n_regions; i++)
		if (va >= p->regions[i].pa && size <= p->regions[i].size && va - p->regions[i].pa <= p->regions[i].size - size)
			return;
	traps_violation("partition '%s' had 0x%lx+0x%lx cleaned, not its memory", p->name, (unsigned long)va,
			(unsigned long)size);
}

void arm64_inval_range(uint64_t va, uint64_t size)
{
	(void)va;
	(void)size;
}

/* Where a trapped MMIO access goes: mostly the GIC's frames, sometimes anywhere. */
static uint64_t mmio_address(struct input *in)
{
	switch (take(in, 1) % 6) {
	case 0: return TRAPS_GICD + (take(in, 2) & 0xffff);
	case 1: return TRAPS_GICR + (take(in, 1) % 6) * 0x20000u + (take(in, 3) & 0x1ffff);
	case 2: return take(in, 8);
	case 3: return TRAPS_GICD + 0x6000u + (take(in, 2) & 0x1fff);   /* GICD_IROUTER */
	default: return TRAPS_GICD + 0x80u + (take(in, 2) & 0xf7cu);    /* per-interrupt words */
	}
}

/* ESR_EL2 of a data abort: mostly with a valid syndrome. */
static uint64_t dabt_syndrome(struct input *in)
{
	uint64_t bits = take(in, 4);
	/* SAS, SSE, SRT, SF, AR (bits 23..14), S1PTW, WnR, DFSC (7..0). */
	uint64_t esr = ((uint64_t)EC_DABT_LOW << ESR_EC_SHIFT) | ESR_IL | (bits & 0xffc0ffu);

	if ((bits >> 24) % 8 != 0)
		esr |= ISS_DABT_ISV;
	if ((bits >> 30) != 0)
		esr = (esr & ~(UINT64_C(3) << ISS_DABT_SAS_SHIFT)) | (UINT64_C(2) << ISS_DABT_SAS_SHIFT);   /* 32 bits */
	if ((bits >> 27) % 8 != 0)
		esr &= ~ISS_DABT_S1PTW;
	return esr;
}

/* ISS of a trapped system register access: the GIC's and the emulated ones, or any. */
static uint64_t sysreg_syndrome(struct input *in)
{
	static const uint32_t regs[] = {
		SYSREG_ISS(3, 0, 12, 11, 5), SYSREG_ISS(3, 0, 12, 11, 6), SYSREG_ISS(3, 0, 12, 11, 7),
		SYSREG_ISS(3, 0, 4, 6, 0), SYSREG_ISS(3, 0, 12, 11, 1), SYSREG_ISS(3, 0, 12, 11, 3),
		SYSREG_ISS(3, 0, 12, 12, 4), SYSREG_ISS(3, 0, 12, 12, 0), SYSREG_ISS(3, 0, 12, 12, 1),
		SYSREG_ISS(1, 0, 7, 6, 2), SYSREG_ISS(1, 0, 7, 10, 2), SYSREG_ISS(1, 0, 7, 14, 2),
		SYSREG_ISS(3, 0, 1, 0, 1), SYSREG_ISS(3, 0, 0, 4, 0), SYSREG_ISS(3, 0, 0, 7, 1),
	};
	uint8_t how = (uint8_t)take(in, 1);
	uint32_t dir_rt = (uint32_t)take(in, 1);   /* bit 0: read; bits 5..1: Rt */
	uint32_t iss = how % 4 == 0 ? (uint32_t)take(in, 4) & 0x1ffffffu
				    : regs[how % (sizeof(regs) / sizeof(regs[0]))] | (dir_rt & 1u) |
					      (((dir_rt >> 1) & 0x1fu) << 5);

	return ((uint64_t)EC_SYSREG << ESR_EC_SHIFT) | ESR_IL | iss;
}

/* The CPU interface registers that trap only where ICH_HCR_EL2.TC/TDIR are set: direct cores. */
static bool direct_only(uint64_t esr)
{
	uint32_t reg = (uint32_t)ESR_ISS(esr) & SYSREG_ISS_MASK;

	return reg == SYSREG_ISS(3, 0, 4, 6, 0) || reg == SYSREG_ISS(3, 0, 12, 12, 4) ||
	       reg == SYSREG_ISS(3, 0, 12, 11, 3) || reg == SYSREG_ISS(3, 0, 12, 11, 1);
}

static void check_frame(const struct guest_frame *before, const struct guest_frame *after, uint32_t rt)
{
	for (uint32_t i = 0; i < 31u; i++)
		if (i != rt && before->x[i] != after->x[i])
			traps_violation("a trap targeting x%u changed x%u", rt, i);
}

static uint32_t physical_intid(struct input *in, const struct cpu *cpu)
{
	const struct cfg_partition *p = cpu->partition->cfg;
	uint32_t pick = (uint32_t)take(in, 2);

	switch (pick % 5) {
	case 0: return p->irqs[(pick >> 3) % p->n_irqs];
	case 1: return (pick >> 3) % 2 ? GIC_VTIMER_PPI : GIC_PTIMER_PPI;
	case 2: return (pick >> 3) % 2 ? GIC_IPI_SGI : GIC_MAINT_PPI;
	case 3: return 1023;
	default: return (pick >> 3) % 1024;
	}
}

/* The guest acts on its list registers: takes (active) or completes (empty) some. */
static void guest_completes(struct input *in)
{
	uint64_t *lr[] = { &host_sr_ich_lr0_el2, &host_sr_ich_lr1_el2, &host_sr_ich_lr2_el2, &host_sr_ich_lr3_el2 };
	uint8_t how = (uint8_t)take(in, 1);

	for (uint32_t n = 0; n < 4; n++) {
		uint64_t state = (how >> (2 * n)) & 3u;

		if (state == 0)
			*lr[n] = 0;
		else if (state == 2 && (*lr[n] >> 62) == 1)
			*lr[n] = (*lr[n] & ~(UINT64_C(3) << 62)) | (UINT64_C(2) << 62);
	}
}

static bool deactivation_allowed(const struct cpu *cpu, uint64_t intid, uint64_t acked)
{
	return intid == acked || (intid >= 32 && traps_owns_spi(cpu, (uint32_t)intid)) ||
	       (intid < 32 && traps_owns_local(cpu, (uint32_t)intid));
}

static void one_op(struct input *in)
{
	struct cpu *cpu = cpu_get((uint32_t)take(in, 1) % TRAPS_CORES);
	bool direct = cpu->partition->cfg->arch.irq_delivery == CFG_IRQ_DIRECT;
	struct guest_frame f, before;
	uint64_t acked = SENTINEL, esr;
	uint32_t rt = 32;

	memset(&f, 0, sizeof(f));
	for (uint32_t i = 0; i < 31u; i++)
		f.x[i] = take(in, 1) % 4 ? UINT64_C(0x0101010101010101) * i : take(in, 8);
	before = f;
	fake.current = cpu;
	host_sr_icc_dir_el1 = SENTINEL;
	host_sr_icc_eoir1_el1 = SENTINEL;
	switch (take(in, 1) % 6) {
	case 0:
	case 1: {
		uint64_t ipa;

		esr = dabt_syndrome(in);
		ipa = mmio_address(in);
		rt = (uint32_t)(esr >> ISS_DABT_SRT_SHIFT) & 0x1fu;
		if (trace)
			fprintf(stderr, "core %u: mmio esr 0x%lx ipa 0x%lx x%u 0x%lx\n", cpu->index,
				(unsigned long)esr, (unsigned long)ipa, rt, (unsigned long)(rt < 31 ? f.x[rt] : 0));
		(void)arm64_mmio_emulate(cpu, &f, esr, ipa);
		break;
	}
	case 2:
		esr = sysreg_syndrome(in);
		if (!direct && direct_only(esr))
			break;   /* ICH_HCR_EL2.TC/TDIR trap these on direct cores only */
		if (skip_direct_icc_dir && ((uint32_t)ESR_ISS(esr) & (SYSREG_ISS_MASK | 1u)) == SYSREG_ISS(3, 0, 12, 11, 1))
			break;
		rt = (uint32_t)(esr >> 5) & 0x1fu;
		if (trace)
			fprintf(stderr, "core %u: sysreg esr 0x%lx x%u 0x%lx\n", cpu->index, (unsigned long)esr, rt,
				(unsigned long)(rt < 31 ? f.x[rt] : 0));
		arm64_sysreg_trap(cpu, &f, esr);
		break;
	case 3:
		if (direct)
			break;   /* a direct core's IRQs never reach EL2 */
		acked = physical_intid(in, cpu);
		host_sr_icc_iar1_el1 = acked;
		if (trace)
			fprintf(stderr, "core %u: irq %lu\n", cpu->index, (unsigned long)acked);
		vgic_irq(cpu);
		break;
	case 4:
		if (trace)
			fprintf(stderr, "core %u: fiq\n", cpu->index);
		vgic_fiq(cpu);
		break;
	default:
		guest_completes(in);
		if (trace)
			fprintf(stderr, "lrs %lx %lx %lx %lx\n", (unsigned long)host_sr_ich_lr0_el2,
				(unsigned long)host_sr_ich_lr1_el2, (unsigned long)host_sr_ich_lr2_el2,
				(unsigned long)host_sr_ich_lr3_el2);
		break;
	}
	fake_gic_sync_elrsr();
	check_frame(&before, &f, rt);
	if (host_sr_icc_dir_el1 != SENTINEL && !deactivation_allowed(cpu, host_sr_icc_dir_el1 & 0xffffffu, acked))
		traps_violation("partition '%s' had interrupt %lu deactivated", cpu->partition->cfg->name,
				(unsigned long)(host_sr_icc_dir_el1 & 0xffffffu));
	if (host_sr_icc_eoir1_el1 != SENTINEL && (host_sr_icc_eoir1_el1 & 0xffffffu) != acked)
		traps_violation("an EOI of interrupt %lu that was not acknowledged",
				(unsigned long)(host_sr_icc_eoir1_el1 & 0xffffffu));
	if (host_sr_icc_pmr_el1 < VGIC_MIN_PRIORITY)
		traps_violation("priority mask 0x%lx hides the hypervisor's kick", (unsigned long)host_sr_icc_pmr_el1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	trace = getenv("FUZZ_TRACE") != NULL;
	skip_direct_icc_dir = getenv("FUZZ_OPEN") && strstr(getenv("FUZZ_OPEN"), "direct-icc-dir");
	traps_system_boot();
	host_sr_icc_pmr_el1 = 0xff;
	for (uint32_t ops = 0; in.n && ops < MAX_OPS; ops++)
		one_op(&in);
	return 0;
}
