/* SPDX-License-Identifier: MIT */
/*
 * The virtual GIC's SGIs, shared by GICv2 and GICv3 (see vgic.h): sent by
 * a vCPU to vCPUs of its partition (virtual on a mediated vCPU, physical on
 * a direct one), posted to another cpu and delivered there, set and cleared
 * per sender (GICv2), and raised by the hypervisor itself (arch_vcpu_inject
 * on the vCPU's own cpu, arch_vcpu_raise from any cpu; both hand virtual
 * SPIs to vgic_spi.c).
 */
#include "vgic.h"
#include "arch.h"
#include "cfg.h"
#include "cpu.h"
#include "core.h"
#include "log.h"
#include "partition.h"

/* --- SGIs ------------------------------------------------------------------ */

/* Implements: REQ-IRQ-003, REQ-IRQ-007 */
static __attribute__((noinline)) void deliver_sgi_held(struct cpu *cpu, struct vgic_cpu *v, struct gic_lr lr)
{
	if (!vgic_lr_pending(v, lr.vintid, lr.source)) {
		vgic_lr_inject(cpu, v, lr);
	} else {
		/* Already pending: an SGI is an edge, the two merge. */
	}
}

/* Whether the vCPU holds nothing, in the list registers or the queue: what
 * goes in cannot be there already, and list register 0 is free. */
/* Implements: REQ-IRQ-007 */
static inline __attribute__((always_inline)) bool holds_nothing(const struct vgic_cpu *v)
{
	return (gic_lr_free() == gic_lr_all()) && (v->queued == 0u);
}

/* Implements: REQ-IRQ-003 */
static inline __attribute__((always_inline)) void deliver_sgi(struct cpu *cpu, uint32_t intid, uint8_t source)
{
	struct vgic_cpu *v = vgic_cpu_of(cpu);
	struct gic_lr lr = { intid, 0u, v->priority[intid], source, false };

	if (holds_nothing(v)) {
		gic_lr_write(0u, lr);
	} else {
		/* Out of line: the usual case needs no frame. */
		deliver_sgi_held(cpu, v, lr);
	}
}

/* Makes SGI `intid` from vCPU `source` pending for the vCPU on cpu `t` (mediated
 * delivery) and interrupts `t`, which delivers it from vgic_sync_sgis(). */
/* Implements: REQ-IRQ-003 */
static void post_sgi(struct cpu *t, uint32_t intid, uint8_t source)
{
	struct vgic_cpu *vt = vgic_cpu_of(t);

	if (GIC_SGI_SOURCES) {
		__atomic_fetch_or(&vt->sgi_source[intid], (uint8_t)(1u << source), __ATOMIC_RELAXED);
	}
	uint32_t was = __atomic_fetch_or(&vt->sgi_pending, (uint32_t)1u << intid, __ATOMIC_RELEASE);
	/* Already pending: the raise that set it sent the IPI, and `t` has not taken it yet. */
	if ((was & ((uint32_t)1u << intid)) == 0u) {
		/* arch_cpu_kick() without the calls: the post above must land first. */
		__asm__ volatile("dsb ish" : : : "memory");
		gic_send_ipi(t);
	}
}

/* Implements: REQ-IRQ-003 */
void vgic_send_sgi(struct cpu *cpu, uint32_t target, uint32_t intid)
{
	struct cpu *t = vgic_vcpu_cpu(cpu, target);
	struct vgic_cpu *vt = vgic_cpu_of(t);

	if (vt->direct) {
		if (intid == GIC_IPI_SGI) {
			vgic_deny(cpu, "SGI 15 (the hypervisor's) on a direct-delivery partition", 0u, intid);
		} else {
			gic_send_sgi(t, intid);
		}
		return;
	}
	uint8_t source = GIC_SGI_SOURCES ? (uint8_t)cpu->vcpu : 0u;
	if (t != cpu) {
		post_sgi(t, intid, source);
	} else if ((vt->sgi_enabled & ((uint32_t)1u << intid)) != 0u) {
		deliver_sgi(cpu, intid, source);
	} else {
		/* Disabled: pending until the guest enables it, no interrupt needed. */
		if (GIC_SGI_SOURCES) {
			__atomic_fetch_or(&vt->sgi_source[intid], (uint8_t)(1u << source), __ATOMIC_RELAXED);
		}
		__atomic_fetch_or(&vt->sgi_pending, (uint32_t)1u << intid, __ATOMIC_RELEASE);
	}
}

/* Implements: REQ-CPU-011~2 */
void arch_vcpu_raise(struct partition *p, uint32_t vcpu, uint32_t virq)
{
	struct cpu *t = cpu_get(p->cfg->vcpu_cpu[vcpu]);

	if (virq >= GIC_FIRST_SPI) {
		/* Pending in the partition's distributor, presented where its guest routed it. */
		vgic_spi_post(p, virq);
	} else if (p->cfg->arch.irq_delivery == (uint8_t)CFG_IRQ_DIRECT) {
		/* The partition owns SGIs 0-14 of its cores physically (arch_virq_valid refuses 15). */
		gic_send_sgi(t, virq);
	} else {
		/* From the vCPU itself, as an SGI it sent to itself (GICv2 records a sender). */
		post_sgi(t, virq, GIC_SGI_SOURCES ? (uint8_t)vcpu : 0u);
	}
}

/* Implements: REQ-CHN-009 */
bool arch_virq_valid(const struct partition *p, uint32_t virq)
{
	/* An SGI (a direct partition's SGI 15 is the kick), or one of its virtual SPIs (vgic_spi.c). */
	bool direct = p->cfg->arch.irq_delivery == (uint8_t)CFG_IRQ_DIRECT;

	if (virq < 16u) {
		return !(direct && (virq == GIC_IPI_SGI));
	}
	return vgic_spi_virtual(p, virq);
}

/* A virtual SPI goes where the partition routes it (vgic_spi.c), masked or not: vCPU 0 is a hint. */
/* Implements: infrastructure */
bool arch_line_target(const struct partition *p, uint32_t line, uint32_t *vcpu, uint32_t *virq)
{
	*vcpu = 0u;
	*virq = line;
	return arch_virq_valid(p, line);
}

/* Implements: REQ-CPU-011~2 */
void arch_vcpu_inject(struct cpu *cpu, uint32_t virq)
{
	if (virq >= GIC_FIRST_SPI) {
		/* Pending where the guest routed it, delivered when it has it enabled. */
		vgic_spi_raise(cpu, virq);
		return;
	}
	/* An SGI to itself: pending while disabled, merged while pending (GICv2: from itself). */
	vgic_send_sgi(cpu, cpu->vcpu, virq);
}

/* The SGIs in `pending`, just taken from the vCPU's sgi_pending: enabled ones
 * into the list registers, the rest back to wait until the guest enables them. */
/* Implements: REQ-IRQ-003 */
static void sync_taken(struct cpu *cpu, uint32_t taken)
{
	struct vgic_cpu *v = vgic_cpu_of(cpu);
	uint32_t waiting = taken & ~v->sgi_enabled;
	uint32_t pending = taken & v->sgi_enabled;

	while (pending != 0u) {
		uint32_t intid = (uint32_t)__builtin_ctz(pending);

		pending &= pending - 1u;
		if (!GIC_SGI_SOURCES) {
			deliver_sgi(cpu, intid, 0u);
			continue;
		}
		/* GICv2 SGIs from different senders are different interrupts. */
		uint32_t sources = __atomic_exchange_n(&v->sgi_source[intid], 0u, __ATOMIC_ACQUIRE);
		while (sources != 0u) {
			deliver_sgi(cpu, intid, (uint8_t)__builtin_ctz(sources));
			sources &= sources - 1u;
		}
	}
	if (waiting != 0u) {
		/* Disabled SGIs stay pending until the guest enables them. */
		__atomic_fetch_or(&v->sgi_pending, waiting, __ATOMIC_RELEASE);
	}
}

/* Implements: REQ-IRQ-003 */
void vgic_sync_sgis(struct cpu *cpu)
{
	sync_taken(cpu, __atomic_exchange_n(&vgic_cpu_of(cpu)->sgi_pending, 0u, __ATOMIC_ACQUIRE));
}

/* A kick's work after its SGIs were taken (`taken`, what is left of them to
 * deliver): the SGIs, the virtual SPIs other cpus poked, the requests. */
/* Implements: REQ-IRQ-002, REQ-IRQ-003 */
static __attribute__((noinline)) void kick_rest(struct cpu *cpu, uint32_t taken)
{
	sync_taken(cpu, taken);
	vgic_spi_poked(cpu);
	core_handle_requests(cpu);
}

/*
 * The kick's usual cargo is one SGI, enabled, from one sender, for a vCPU
 * that holds nothing: it goes straight into list register 0, with no frame
 * and no loop. Anything else (several SGIs or senders, a disabled one, full
 * list registers, a poked SPI, a request) takes kick_rest(), which handles
 * all of it in the order it always had. The plain loads of spi_poke and
 * requests see any poke or request this IPI was sent for: its poster wrote
 * it, then a dsb, then the IPI; one that lands after the load comes with
 * an IPI of its own (vgic_spi.c, cpu.c).
 * Implements: REQ-IRQ-002, REQ-IRQ-003, REQ-IRQ-006
 */
void vgic_kick(struct cpu *cpu, uint32_t ack)
{
	struct vgic_cpu *v = vgic_cpu_of(cpu);

	gic_deactivate(ack);
	uint32_t taken = __atomic_exchange_n(&v->sgi_pending, 0u, __ATOMIC_ACQUIRE);
	uint32_t intid = (uint32_t)__builtin_ctz(taken | 0x10000u);
	bool one = (taken != 0u) && ((taken & (taken - 1u)) == 0u) && ((taken & ~v->sgi_enabled) == 0u) &&
		   holds_nothing(v);
	uint8_t source = 0u;

	if (GIC_SGI_SOURCES && one) {
		/* Taken only when it is exactly one sender; else kick_rest() takes them all. */
		uint8_t sources = __atomic_load_n(&v->sgi_source[intid], __ATOMIC_ACQUIRE);

		one = (sources != 0u) && ((sources & (sources - 1u)) == 0u) &&
		      __atomic_compare_exchange_n(&v->sgi_source[intid], &sources, 0u, false, __ATOMIC_ACQUIRE,
						  __ATOMIC_RELAXED);
		source = (uint8_t)__builtin_ctz((uint32_t)sources | 0x100u);
	}
	if (one) {
		struct gic_lr lr = { intid, 0u, v->priority[intid], source, false };

		gic_lr_write(0u, lr);
		if ((__atomic_load_n(&v->spi_poke, __ATOMIC_RELAXED) == 0u) &&
		    (__atomic_load_n(&cpu->requests, __ATOMIC_RELAXED) == 0u)) {
			return;
		}
		taken = 0u;
	}
	kick_rest(cpu, taken);
}

/* Implements: REQ-IRQ-003 */
void vgic_sgi_init(struct partition *p)
{
	struct vgic_dist *d = &p->arch.vgic;
	uint32_t n = p->cfg->n_vcpus;

	if (n > (uint32_t)BH_NUM_CORES) {
		/* bhcc gives each vCPU a core of its own: an image built otherwise is inconsistent. */
		panic("partition '%s' has %u vCPUs, the board %u cores", p->cfg->name, n, (uint32_t)BH_NUM_CORES);
	}
	d->vcpus = (n >= 64u) ? ~0UL : ((1UL << n) - 1u);
	for (uint32_t i = 0u; i < n; i++) {
		d->vcpu_cpu[i] = cpu_get(p->cfg->vcpu_cpu[i]);
	}
}

/* Implements: REQ-IRQ-011 */
uint8_t vgic_sgi_sources(struct cpu *cpu, uint32_t intid)
{
	const struct vgic_cpu *v = vgic_cpu_of(cpu);
	uint8_t sources = __atomic_load_n(&v->sgi_source[intid], __ATOMIC_ACQUIRE);

	for (uint32_t n = 0u; n < gic_lr_count(); n++) {
		struct gic_lr lr = { 0u, 0u, 0u, 0u, false };

		if (((gic_lr_state(n, &lr) & 1u) != 0u) && !lr.hw && (lr.vintid == intid)) {
			sources |= (uint8_t)(1u << lr.source);
		}
	}
	for (uint32_t i = 0u; i < v->queued; i++) {
		if ((v->queue[i].vintid == intid) && !v->queue[i].hw) {
			sources |= (uint8_t)(1u << v->queue[i].source);
		}
	}
	return sources;
}

/* Implements: REQ-IRQ-011 */
void vgic_sgi_set_pending(struct cpu *cpu, uint32_t intid, uint8_t sources)
{
	for (uint32_t s = 0u; s < 8u; s++) {
		if (((sources >> s) & 1u) != 0u) {
			/* GICv3 never calls this: a constant source keeps its hot path specialised. */
			deliver_sgi(cpu, intid, GIC_SGI_SOURCES ? (uint8_t)s : 0u);
		}
	}
}

/* Implements: REQ-IRQ-011 */
void vgic_sgi_clear_pending(struct cpu *cpu, uint32_t intid, uint8_t sources)
{
	struct vgic_cpu *v = vgic_cpu_of(cpu);
	uint8_t left = __atomic_and_fetch(&v->sgi_source[intid], (uint8_t)~sources, __ATOMIC_ACQ_REL);

	if (left == 0u) {
		__atomic_fetch_and(&v->sgi_pending, ~((uint32_t)1u << intid), __ATOMIC_RELAXED);
	}
	vgic_lr_withdraw(cpu, 0u, (uint32_t)1u << intid, sources);
}
