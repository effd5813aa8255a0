/* SPDX-License-Identifier: MIT */
/*
 * Virtual SPIs, shared by GICv2 and GICv3 (see vgic.h): interrupt ids above
 * 31 that no device of the partition owns but a channel's doorbell or its
 * emulated UART names (cfg_system.channels, cfg_partition.console). The
 * guest programs them through the same distributor registers as its device
 * SPIs; nothing of them reaches the physical distributor. A raise makes one
 * pending (vpending) and pokes the vCPU it is routed to, which moves it into
 * a list register (software, no hardware bit) when the guest has it and the
 * distributor enabled. Raises merge while one is pending: an edge.
 */
#include "vgic.h"
#include "arch.h"
#include "cfg.h"
#include "cpu.h"
#include "log.h"
#include "partition.h"

/* Implements: REQ-IRQ-014 */
static void mark(uint32_t *words, uint32_t intid)
{
	words[intid / 32u] |= (uint32_t)1u << (intid % 32u);
}

/* An end of channel `c` that is partition `id`'s and rings an SPI. */
/* Implements: REQ-IRQ-014 */
static uint32_t channel_spi(const struct cfg_channel *c, uint32_t id, uint32_t e)
{
	const struct cfg_channel_end *end = &c->end[e];

	if ((end->kind == (uint8_t)CFG_END_PARTITION) && (end->partition == id) && (end->doorbell >= GIC_FIRST_SPI) &&
	    (end->doorbell < GIC_MAX_INTID)) {
		return end->doorbell;
	}
	return 0u;
}

/* The interrupts of the devices the hypervisor emulates for the partition: its PL011, its disk. */
/* Implements: REQ-IRQ-014 */
static void mark_emulated_devices(struct vgic_dist *d, const struct cfg_partition *p)
{
	if ((p->console.kind == (uint8_t)CFG_CONSOLE_PL011) && (p->console.irq >= GIC_FIRST_SPI) &&
	    (p->console.irq < GIC_MAX_INTID)) {
		mark(d->virt, p->console.irq);
	}
	if ((p->disk.present != 0u) && (p->disk.irq >= GIC_FIRST_SPI) && (p->disk.irq < GIC_MAX_INTID)) {
		mark(d->virt, p->disk.irq);
	}
}

/* Implements: REQ-IRQ-014 */
void vgic_spi_init(struct partition *part)
{
	struct vgic_dist *d = &part->arch.vgic;
	const struct cfg_partition *p = part->cfg;
	uint32_t n = p->n_irqs;

	for (uint32_t w = 0u; w < VGIC_WORDS; w++) {
		d->virt[w] = 0u;
	}
	/* A direct-delivery partition takes its interrupts on the physical
	 * interface: it has no list registers to put a virtual SPI in. */
	if (p->arch.irq_delivery == (uint8_t)CFG_IRQ_DIRECT) {
		return;
	}
	for (uint32_t i = 0u; i < cfg_system.n_channels; i++) {
		for (uint32_t e = 0u; e < 2u; e++) {
			uint32_t intid = channel_spi(&cfg_system.channels[i], part->id, e);
			if (intid != 0u) {
				mark(d->virt, intid);
			}
		}
	}
	mark_emulated_devices(d, p);
	for (uint32_t i = 0u; i < p->n_irqs; i++) {
		uint32_t intid = p->irqs[i];
		if ((d->virt[intid / 32u] & ((uint32_t)1u << (intid % 32u))) != 0u) {
			/* bhcc refuses a doorbell on an interrupt a device of the partition owns. */
			panic("partition '%s': SPI %u is both a device's and virtual", p->name, intid);
		}
	}
	for (uint32_t w = 0u; w < VGIC_WORDS; w++) {
		for (uint32_t left = d->virt[w]; left != 0u; left &= left - 1u) {
			n++;
		}
	}
	if (n > VGIC_MAX_SPIS) {
		/* bhcc refuses such a description: an image built otherwise is inconsistent. */
		panic("partition '%s' owns %u SPIs, the vGIC holds %u", p->name, n, VGIC_MAX_SPIS);
	}
}

/* Implements: REQ-IRQ-014 */
bool vgic_spi_virtual(const struct partition *part, uint32_t intid)
{
	return (intid >= GIC_FIRST_SPI) && (intid < GIC_MAX_INTID) &&
	       ((part->arch.vgic.virt[intid / 32u] & ((uint32_t)1u << (intid % 32u))) != 0u);
}

/* Moves what is pending, enabled and routed to the calling cpu's vCPU of word `w` into its list registers. */
/* Implements: REQ-IRQ-014 */
static void sync_word(struct cpu *cpu, struct vgic_dist *d, uint32_t w)
{
	struct vgic_cpu *v = vgic_cpu_of(cpu);
	uint32_t ready = __atomic_load_n(&d->vpending[w], __ATOMIC_ACQUIRE) & d->enabled[w] & d->virt[w];

	while (ready != 0u) {
		uint32_t bit = (uint32_t)1u << (uint32_t)__builtin_ctz(ready);
		uint32_t intid = (32u * w) + (uint32_t)__builtin_ctz(ready);

		ready &= ~bit;
		if (vgic_spi_target(cpu->partition, intid) != cpu->vcpu) {
			continue;
		}
		if ((__atomic_fetch_and(&d->vpending[w], ~bit, __ATOMIC_ACQ_REL) & bit) == 0u) {
			continue;   /* withdrawn meanwhile (the guest cleared it) */
		}
		/* Already pending in a list register or the queue: the raises merge. */
		if (!vgic_lr_pending(v, intid, 0u)) {
			struct gic_lr lr = { intid, 0u, d->priority[intid], 0u, false };
			vgic_lr_inject(cpu, v, lr);
		}
	}
}

/* Moves the pending, enabled virtual SPIs of the words `words` (bit w: word w)
 * routed to the calling cpu's vCPU into its list registers. */
/* Implements: REQ-IRQ-014 */
static __attribute__((noinline)) void spi_sync(struct cpu *cpu, uint32_t words)
{
	struct vgic_dist *d = vgic_dist_of(cpu);

	if (d->ctlr == 0u) {
		return;   /* the distributor is off: they stay pending */
	}
	for (uint32_t left = words; left != 0u; left &= left - 1u) {
		uint32_t w = (uint32_t)__builtin_ctz(left);

		if ((__atomic_load_n(&d->vpending[w], __ATOMIC_RELAXED) & d->enabled[w] & d->virt[w]) != 0u) {
			sync_word(cpu, d, w);
		}
	}
}

/* Implements: REQ-IRQ-014 */
void vgic_spi_poked(struct cpu *cpu)
{
	struct vgic_cpu *v = vgic_cpu_of(cpu);

	/*
	 * Most IPIs carry no poke (an SGI, a doorbell, a request): a plain load
	 * first, the exchange only when it sees one. A poke this IPI was sent
	 * for is seen: its poker's fetch_or and dsb come before the IPI (spi_poke).
	 * One that lands after the load sent an IPI of its own, since it found
	 * its bit clear.
	 */
	if (__atomic_load_n(&v->spi_poke, __ATOMIC_RELAXED) != 0u) {
		uint32_t words = __atomic_exchange_n(&v->spi_poke, 0u, __ATOMIC_ACQUIRE);

		spi_sync(cpu, words);
	}
}

_Static_assert(VGIC_WORDS <= 32u, "a poke names the words to look at in one 32-bit mask");

/* Makes cpu `t` look at the pending virtual SPIs of word intid / 32: the word's
 * bit in its poke mask and, when that bit was clear, the IPI. */
/* Implements: REQ-IRQ-014 */
static void spi_poke(struct cpu *t, uint32_t intid)
{
	uint32_t word = (uint32_t)1u << (intid / 32u);

	/* A poke of that word still waiting: its IPI is on its way, `t` looks at the word later. */
	if ((__atomic_fetch_or(&vgic_cpu_of(t)->spi_poke, word, __ATOMIC_RELEASE) & word) == 0u) {
		/* The poke above must land before the interrupt that makes the target look. */
		__asm__ volatile("dsb ish" : : : "memory");
		gic_send_ipi(t);
	}
}

/* The cpu of the vCPU that virtual SPI `intid` of partition `part` is routed to. */
/* Implements: REQ-IRQ-014 */
static struct cpu *spi_target_cpu(const struct partition *part, uint32_t intid)
{
	return cpu_get(part->cfg->vcpu_cpu[vgic_spi_target(part, intid)]);
}

/* Implements: REQ-IRQ-014 */
void vgic_spi_kick(struct cpu *cpu, uint32_t intid)
{
	struct cpu *t = spi_target_cpu(cpu->partition, intid);

	if (t != cpu) {
		spi_poke(t, intid);
		return;
	}
	struct vgic_dist *d = vgic_dist_of(cpu);
	if (d->ctlr != 0u) {
		sync_word(cpu, d, intid / 32u);
	}
}

/* Implements: REQ-IRQ-014 */
void vgic_spi_raise(struct cpu *cpu, uint32_t intid)
{
	struct vgic_dist *d = vgic_dist_of(cpu);

	__atomic_fetch_or(&d->vpending[intid / 32u], (uint32_t)1u << (intid % 32u), __ATOMIC_RELEASE);
	vgic_spi_kick(cpu, intid);
}

/* Implements: REQ-IRQ-014 */
void vgic_spi_post(struct partition *part, uint32_t intid)
{
	__atomic_fetch_or(&part->arch.vgic.vpending[intid / 32u], (uint32_t)1u << (intid % 32u), __ATOMIC_RELEASE);
	/* Never presented in place, not even on the caller's own cpu: the caller may be the log (arch.h). */
	spi_poke(spi_target_cpu(part, intid), intid);
}

/* Implements: REQ-IRQ-014 */
void vgic_spi_kick_pending(struct cpu *cpu, uint32_t word, uint32_t bits)
{
	struct vgic_dist *d = vgic_dist_of(cpu);
	uint32_t left = bits & d->virt[word] & __atomic_load_n(&d->vpending[word], __ATOMIC_ACQUIRE);

	while (left != 0u) {
		vgic_spi_kick(cpu, (32u * word) + (uint32_t)__builtin_ctz(left));
		left &= left - 1u;
	}
}

/* Implements: REQ-IRQ-014, REQ-IRQ-009~2 */
void vgic_spi_clear(struct cpu *cpu, uint32_t word, uint32_t bits)
{
	struct vgic_dist *d = vgic_dist_of(cpu);

	__atomic_fetch_and(&d->vpending[word], ~(bits & d->virt[word]), __ATOMIC_ACQ_REL);
}
