/* SPDX-License-Identifier: MIT */
/*
 * The physical GIC driver (arch/arm64/include/gic.h) on the host, for the trap
 * fuzz target and the vGIC's unit tests: distributor, redistributors (GICv2:
 * the banked registers) and list registers kept in memory with the hardware's
 * set/clear semantics, and every write checked against what the trapping
 * vCPU's partition owns (traps_system.h). The list registers the inline fast
 * path (gic_fast.h) uses are the host_sr_* variables of host_sysreg.h on a
 * GICv3, the GICH frame fake_gich (its CPU interface: fake_gicc) on a GICv2.
 */
#include <string.h>

#include "cpu.h"
#include "fake_arch.h"
#include "gic.h"
#include "partition.h"
#include "traps_system.h"

#define WORDS 32u
#define LRS 4u

uint32_t gic_n_lrs = LRS;
uint32_t gic_lr_mask = (1u << LRS) - 1u;

#if BH_GIC_VERSION == 3
extern uint64_t host_sr_ich_lr0_el2, host_sr_ich_lr1_el2, host_sr_ich_lr2_el2, host_sr_ich_lr3_el2;
extern uint64_t host_sr_ich_elrsr_el2;

static uint64_t *const lr_reg[LRS] = {
	&host_sr_ich_lr0_el2, &host_sr_ich_lr1_el2, &host_sr_ich_lr2_el2, &host_sr_ich_lr3_el2,
};

static uint64_t lr_get(uint32_t n)
{
	return *lr_reg[n];
}

static void lr_set(uint32_t n, uint64_t v)
{
	*lr_reg[n] = v;
}

static uint32_t lr_state_of(uint64_t v)
{
	return (uint32_t)(v >> ICH_LR_STATE_SHIFT);
}

static void set_elrsr(uint64_t free)
{
	host_sr_ich_elrsr_el2 = free;
}
#else
uint32_t fake_gich[0x200u / 4u] __attribute__((aligned(4096)));
uint32_t fake_gicc[0x2000u / 4u] __attribute__((aligned(4096)));

static uint64_t lr_get(uint32_t n)
{
	return fake_gich[(GICH_LR / 4u) + n];
}

static void lr_set(uint32_t n, uint64_t v)
{
	fake_gich[(GICH_LR / 4u) + n] = (uint32_t)v;
}

static uint32_t lr_state_of(uint64_t v)
{
	return (uint32_t)(v >> 28) & 3u;
}

static void set_elrsr(uint64_t free)
{
	fake_gich[GICH_ELRSR0 / 4u] = (uint32_t)free;
}

/* The CPU interface targets each SPI was given (GICD_ITARGETSR). */
uint8_t fake_gic_targets[32u * 32u];
#endif

/* One interrupt controller frame's per-interrupt state. */
struct bank {
	uint32_t group[WORDS], enable[WORDS], pend[WORDS], active[WORDS];
	uint8_t priority[32u * WORDS];
	uint32_t config[2u * WORDS];
};

static struct bank dist;
static struct bank local[TRAPS_CORES];
uint32_t fake_gic_sgis_sent[TRAPS_CORES];
uint8_t fake_gic_routes[32u * WORDS];
uint32_t fake_gic_fiq_ack, fake_gic_fiq_eois, fake_gic_fiq_eoi_last;

void fake_gic_reset(void)
{
	memset(&dist, 0, sizeof(dist));
	memset(local, 0, sizeof(local));
	memset(fake_gic_sgis_sent, 0, sizeof(fake_gic_sgis_sent));
	memset(fake_gic_routes, 0, sizeof(fake_gic_routes));
	fake_gic_fiq_ack = GIC_IPI_SGI;
	fake_gic_fiq_eois = 0u;
	fake_gic_fiq_eoi_last = 0u;
	/* SGIs are edges; whether a PPI's trigger is programmable is IMPLEMENTATION DEFINED:
	 * here every PPI resets to edge, so that a guest could tell another PPI's mode. */
	for (uint32_t c = 0; c < TRAPS_CORES; c++) {
		local[c].config[0] = 0xaaaaaaaau;
		local[c].config[1] = 0xaaaaaaaau;
	}
#if BH_GIC_VERSION == 2
	memset(fake_gic_targets, 0, sizeof(fake_gic_targets));
#endif
	for (uint32_t n = 0; n < LRS; n++)
		lr_set(n, 0);
	fake_gic_sync_elrsr();
}

void fake_gic_sync_elrsr(void)
{
	uint64_t free = 0;

	for (uint32_t n = 0; n < LRS; n++)
		if (lr_state_of(lr_get(n)) == 0)
			free |= UINT64_C(1) << n;
	set_elrsr(free);
}

#if BH_GIC_VERSION == 2
/* tests/unit/gic_model/mmio.h (the GICv2 vGIC's unit test): a list register written through the
 * GICH frame updates GICH_ELRSR0 at once, as the hardware's does; reads change nothing. */
void gic_model_read(uint64_t addr)
{
	(void)addr;
}

void gic_model_write(uint64_t addr)
{
	uint64_t lr0 = (uint64_t)(uintptr_t)&fake_gich[GICH_LR / 4u];

	if ((addr >= lr0) && (addr < (lr0 + (4u * LRS))))
		fake_gic_sync_elrsr();
}
#endif

static struct cpu *current(void)
{
	if (!fake.current || !fake.current->partition)
		traps_violation("GIC driver called without a vCPU");
	return fake.current;
}

static uint32_t *bitmap(struct bank *b, uint32_t offset, uint32_t *set)
{
	uint32_t word = (offset & 0x7fu) / 4u;
	uint32_t reg = offset & ~0x7fu;

	*set = 0;
	if (word >= WORDS)
		return NULL;
	switch (reg) {
	case GICD_IGROUPR: *set = 2; return &b->group[word];
	case GICD_ISENABLER: *set = 1; return &b->enable[word];
	case GICD_ICENABLER: return &b->enable[word];
	case GICD_ISPENDR: *set = 1; return &b->pend[word];
	case GICD_ICPENDR: return &b->pend[word];
	case GICD_ISACTIVER: *set = 1; return &b->active[word];
	case GICD_ICACTIVER: return &b->active[word];
	default: return NULL;
	}
}

static uint32_t bank_read(struct bank *b, uint32_t offset)
{
	uint32_t set, *w = bitmap(b, offset, &set);

	/* Word registers take aligned accesses only (GIC architecture: others are UNPREDICTABLE). */
	if ((offset % 4u) != 0u)
		traps_violation("GIC: word read at unaligned offset 0x%x", offset);
	if (w)
		return *w;
	if (offset >= GICD_IPRIORITYR && offset < GICD_IPRIORITYR + 32u * WORDS - 3u) {
		uint32_t v;

		memcpy(&v, &b->priority[offset - GICD_IPRIORITYR], 4);
		return v;
	}
	if (offset >= GICD_ICFGR && offset < GICD_ICFGR + 8u * WORDS)
		return b->config[(offset - GICD_ICFGR) / 4u];
	return 0;
}

/* Checks that a write changes only interrupts @may allows, then applies it. */
static void bank_write(struct bank *b, uint32_t offset, uint32_t value, uint32_t base,
		       bool (*may)(const struct cpu *, uint32_t), const char *where)
{
	struct cpu *cpu = current();
	uint32_t set, *w = bitmap(b, offset, &set);

	if ((offset % 4u) != 0u)
		traps_violation("%s: word write at unaligned offset 0x%x", where, offset);
	if (w) {
		for (uint32_t bit = 0; bit < 32u; bit++)
			if ((value >> bit) & 1u && !may(cpu, base + 32u * ((offset & 0x7fu) / 4u) + bit))
				traps_violation("%s: partition '%s' wrote bit %u of 0x%x (interrupt %u)", where,
						cpu->partition->cfg->name, bit, offset,
						base + 32u * ((offset & 0x7fu) / 4u) + bit);
		*w = set == 2 ? value : set ? (*w | value) : (*w & ~value);
		return;
	}
	if (offset >= GICD_ICFGR && offset < GICD_ICFGR + 8u * WORDS) {
		uint32_t *cfg = &b->config[(offset - GICD_ICFGR) / 4u];

		for (uint32_t i = 0; i < 16u; i++)
			if (((*cfg ^ value) >> (2u * i)) & 3u && !may(cpu, base + 16u * ((offset - GICD_ICFGR) / 4u) + i))
				traps_violation("%s: partition '%s' changed the trigger of interrupt %u", where,
						cpu->partition->cfg->name, base + 16u * ((offset - GICD_ICFGR) / 4u) + i);
		*cfg = value;
		return;
	}
	traps_violation("%s: partition '%s' wrote 0x%x at 0x%x, which is global", where,
			cpu->partition->cfg->name, value, offset);
}

static bool may_spi(const struct cpu *cpu, uint32_t intid)
{
	return intid >= GIC_FIRST_SPI && traps_owns_spi(cpu, intid);
}

static bool may_local(const struct cpu *cpu, uint32_t intid)
{
	return intid < GIC_FIRST_SPI && traps_owns_local(cpu, intid);
}

/* The identification registers (traps_system.h). */
uint32_t gic_dist_read(uint32_t offset)
{
	if (offset == GICD_TYPER)
		return FAKE_GICD_TYPER;
	if (offset == GICD_IIDR)
		return FAKE_GICD_IIDR;
	if (offset == FAKE_GICD_PIDR2_OFFSET)
		return FAKE_GICD_PIDR2;
	return bank_read(&dist, offset);
}

void gic_dist_write(uint32_t offset, uint32_t value)
{
	bank_write(&dist, offset, value, 0, may_spi, "GICD");
}

void gic_dist_write8(uint32_t offset, uint8_t value)
{
	struct cpu *cpu = current();
	uint32_t intid = offset - GICD_IPRIORITYR;

	if (offset < GICD_IPRIORITYR || intid >= 32u * WORDS || !may_spi(cpu, intid))
		traps_violation("GICD: partition '%s' wrote byte 0x%x at 0x%x", cpu->partition->cfg->name, value,
				offset);
	dist.priority[intid] = value;
}

void gic_spi_route(uint32_t intid, uint32_t core)
{
	struct cpu *cpu = current();

	if (!may_spi(cpu, intid) || !traps_owns_core(cpu, core))
		traps_violation("partition '%s' routed interrupt %u to core %u", cpu->partition->cfg->name, intid,
				core);
	fake_gic_routes[intid] = (uint8_t)core;
}

void gic_spi_targets(uint32_t intid, uint8_t mask)
{
#if BH_GIC_VERSION == 2
	struct cpu *cpu = current();

	for (uint32_t core = 0; core < 8u; core++)
		if (((mask >> core) & 1u) != 0u && !traps_owns_core(cpu, core))
			traps_violation("partition '%s' targeted interrupt %u at core %u", cpu->partition->cfg->name,
					intid, core);
	if (!may_spi(cpu, intid) || intid >= sizeof(fake_gic_targets))
		traps_violation("partition '%s' targeted interrupt %u", cpu->partition->cfg->name, intid);
	fake_gic_targets[intid] = mask;
#else
	traps_violation("GICv2 routing (interrupt %u, targets 0x%x) on a GICv3", intid, mask);
#endif
}

uint8_t gic_cpuif_mask(uint32_t cpu)
{
	return (uint8_t)(1u << cpu);
}

static struct bank *local_bank(uint32_t core, const char *what)
{
	struct cpu *cpu = current();

	if (!traps_owns_core(cpu, core))
		traps_violation("partition '%s' %s core %u's redistributor", cpu->partition->cfg->name, what, core);
	return &local[core];
}

uint32_t gic_local_read(const struct cpu *t, uint32_t offset)
{
	return bank_read(local_bank(t->index, "read"), offset);
}

void gic_local_write(const struct cpu *t, uint32_t offset, uint32_t value)
{
	bank_write(local_bank(t->index, "wrote"), offset, value, 0, may_local, "GICR");
}

void gic_local_write8(const struct cpu *t, uint32_t offset, uint8_t value)
{
	struct bank *b = local_bank(t->index, "wrote");
	uint32_t intid = offset - GICD_IPRIORITYR;

	if (offset < GICD_IPRIORITYR || intid >= 32u || !may_local(current(), intid))
		traps_violation("GICR: partition '%s' wrote byte 0x%x at 0x%x", current()->partition->cfg->name,
				value, offset);
	b->priority[intid] = value;
}

void gic_send_sgi(const struct cpu *target, uint32_t intid)
{
	struct cpu *cpu = current();
	uint32_t core = target->index;

	if (!traps_owns_core(cpu, core) || !may_local(cpu, intid) || intid >= 16u)
		traps_violation("partition '%s' sent SGI %u to core %u", cpu->partition->cfg->name, intid, core);
	fake_gic_sgis_sent[core] |= 1u << intid;
}

void gic_send_ipi(const struct cpu *target)
{
	struct cpu *cpu = current();

	if (!traps_may_kick(cpu, target->index))
		traps_violation("partition '%s' kicked core %u", cpu->partition->cfg->name, target->index);
}

uint32_t gic_ack_fiq(void)
{
	return fake_gic_fiq_ack;
}

void gic_eoi_fiq(uint32_t ack)
{
	fake_gic_fiq_eois++;
	fake_gic_fiq_eoi_last = ack;
}

void gic_init_global(void)
{
}

void gic_init_cpu(struct cpu *cpu, bool direct)
{
	(void)cpu;
	(void)direct;
}

void gic_cpu_off(void)
{
}

void gic_vif_reset(bool direct)
{
	(void)direct;
	for (uint32_t n = 0; n < LRS; n++)
		lr_set(n, 0);
	fake_gic_sync_elrsr();
}

uint32_t gic_lr_state(uint32_t n, struct gic_lr *out)
{
	uint64_t v = n < LRS ? lr_get(n) : 0;

	if (n >= LRS)
		traps_violation("list register %u of %u", n, LRS);
#if BH_GIC_VERSION == 3
	*out = (struct gic_lr){ (uint32_t)v, (uint32_t)(v >> ICH_LR_PINTID_SHIFT) & 0x1fffu,
				(uint8_t)(v >> ICH_LR_PRIO_SHIFT), 0, (v & ICH_LR_HW) != 0 };
#else
	bool hw = (v & GICH_LR_HW) != 0;

	*out = (struct gic_lr){ (uint32_t)v & 0x3ffu, hw ? ((uint32_t)v >> GICH_LR_PHYS_SHIFT) & 0x3ffu : 0u,
				(uint8_t)((((uint32_t)v >> GICH_LR_PRIO_SHIFT) & 0x1fu) << 3),
				hw ? 0u : (uint8_t)(((uint32_t)v >> GICH_LR_SOURCE_SHIFT) & 7u), hw };
#endif
	return lr_state_of(v);
}

bool gic_lr_pending(uint32_t n, struct gic_lr *out)
{
	return gic_lr_state(n, out) == 1u;
}

void gic_lr_clear(uint32_t n)
{
	if (n >= LRS)
		traps_violation("list register %u of %u", n, LRS);
	lr_set(n, 0);
	fake_gic_sync_elrsr();
}

void gic_vif_underflow(bool enable)
{
	(void)enable;
}
