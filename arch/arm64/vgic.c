/*
 * The virtual GIC, parts shared by GICv2 and GICv3 (see vgic.h).
 */
#include "vgic.h"
#include "arch.h"
#include "cfg.h"
#include "core.h"
#include "cpu.h"
#include "incident.h"
#include "log.h"
#include "partition.h"

bool vgic_owns_spi(const struct vgic_dist *d, uint32_t intid)
{
	return (intid >= GIC_FIRST_SPI) && (intid < GIC_MAX_INTID) &&
	       ((d->owned[intid / 32u] & ((uint32_t)1u << (intid % 32u))) != 0u);
}

static uint8_t physical_priority(uint64_t guest)
{
	return (uint8_t)((guest < VGIC_MIN_PRIORITY) ? VGIC_MIN_PRIORITY : guest);
}

void vgic_deny(struct cpu *cpu, const char *what, uint32_t offset, uint64_t value)
{
	/* Counted always, logged rate-limited: a hostile loop cannot flood the console. */
	incident_log(cpu, BH_INCIDENT_INTERRUPT, "%s refused (offset 0x%x, value 0x%lx)", what, offset, value);
}

/* --- Partition and vCPU reset --------------------------------------------- */

void vgic_partition_reset(struct partition *part)
{
	struct vgic_dist *d = &part->arch.vgic;
	const struct cfg_partition *p = part->cfg;

	if (p->n_irqs > VGIC_MAX_SPIS) {
		/* bhcc refuses such a description: an image built otherwise is inconsistent. */
		panic("partition '%s' owns %u SPIs, the vGIC holds %u", p->name, p->n_irqs, VGIC_MAX_SPIS);
	}
	spin_lock(&d->lock);
	d->ctlr = 0u;
	for (uint32_t w = 0u; w < VGIC_WORDS; w++) {
		d->owned[w] = 0u;
		d->enabled[w] = 0u;
		d->irm[w] = 0u;
	}
	for (uint32_t i = 0u; i < p->n_irqs; i++) {
		uint32_t intid = p->irqs[i];
		uint32_t bit = (uint32_t)1u << (intid % 32u);
		uint32_t word = 4u * (intid / 32u);

		d->owned[intid / 32u] |= bit;
		d->priority[intid] = 0u;
		d->target[intid] = 0u;
		/* Nothing from the previous life of the partition survives. */
		gic_dist_write(GICD_ICENABLER + word, bit);
		gic_dist_write(GICD_ICPENDR + word, bit);
		gic_dist_write(GICD_ICACTIVER + word, bit);
		gic_dist_write8(GICD_IPRIORITYR + intid, VGIC_MIN_PRIORITY);
		gic_spi_route(intid, p->vcpu_cpu[0]);
	}
	spin_unlock(&d->lock);
}

void vgic_vcpu_reset(struct cpu *cpu)
{
	struct vgic_cpu *v = vgic_cpu_of(cpu);

	__atomic_store_n(&v->sgi_pending, 0u, __ATOMIC_RELAXED);
	if (!GIC_PPI_REGS_BANKED) {
		v->ppi_config = gic_local_read(cpu, GICD_ICFGR + 4u);
	}
	for (uint32_t i = 0u; i < 32u; i++) {
		v->priority[i] = 0u;
	}
	for (uint32_t i = 0u; i < 16u; i++) {
		v->sgi_source[i] = 0u;
	}
	v->queued = 0u;
	v->asleep = true;
	v->direct = cpu->partition->cfg->arch.irq_delivery == (uint8_t)CFG_IRQ_DIRECT;
	vgic_version_vcpu_reset(v);
	/* The cpu may restart its vCPU without stopping: clear what the guest owned. */
	uint32_t local = VGIC_OWNED_PPIS | (v->direct ? 0x7fffu : 0u);
	gic_local_write(cpu, GICD_ICENABLER, local);
	if (GIC_PPI_REGS_BANKED) {
		gic_local_write(cpu, GICD_ICPENDR, local);
	}
	gic_local_write(cpu, GICD_ICACTIVER, local);
	for (uint32_t i = 0u; i < 32u; i++) {
		if ((local & ((uint32_t)1u << i)) != 0u) {
			gic_local_write8(cpu, GICD_IPRIORITYR + i, VGIC_MIN_PRIORITY);
		}
	}
	gic_vif_reset(v->direct);
}

/* --- List registers -------------------------------------------------------- */

static void queue_push(const struct cpu *cpu, struct vgic_cpu *v, const struct gic_lr *lr)
{
	uint32_t i = v->queued;

	if (i == VGIC_QUEUE) {
		/* Cannot happen: each interrupt (SGI: per sender) is held at most once,
		 * in a list register or here (vgic_irq, deliver_sgi), and VGIC_QUEUE
		 * counts them all. Should it ever, the loss is counted and logged
		 * rate-limited, never a flood. */
		incident_log(cpu, BH_INCIDENT_INTERFERENCE, "vGIC queue full, interrupt %u lost", lr->vintid);
		return;
	}
	/* Sorted by priority; equal priorities keep their arrival order. */
	while ((i > 0u) && (v->queue[i - 1u].priority > lr->priority)) {
		v->queue[i] = v->queue[i - 1u];
		i--;
	}
	v->queue[i] = *lr;
	v->queued++;
}

/* All list registers in use: a higher-priority interrupt takes the place of
 * the lowest-priority one that is only pending, which waits in the queue. */
static __attribute__((noinline)) void inject_full(const struct cpu *cpu, struct vgic_cpu *v, struct gic_lr lr)
{
	uint32_t n = gic_lr_count();
	uint32_t victim = n;
	struct gic_lr worst = { 0u, 0u, 0u, 0u, false };
	for (uint32_t i = 0u; i < n; i++) {
		struct gic_lr cur;
		if (gic_lr_pending(i, &cur) && (cur.priority > lr.priority) &&
		    ((victim == n) || (cur.priority > worst.priority))) {
			victim = i;
			worst = cur;
		}
	}
	if (victim != n) {
		queue_push(cpu, v, &worst);
		gic_lr_write(victim, lr);
	} else {
		queue_push(cpu, v, &lr);
	}
	gic_vif_underflow(true);
}

/* A free list register if there is one, else inject_full(). */
static inline __attribute__((always_inline)) void inject(const struct cpu *cpu, struct vgic_cpu *v, struct gic_lr lr)
{
	uint32_t free = gic_lr_free();

	if (__builtin_expect((long)(free != 0u), 1L) != 0L) {
		gic_lr_write((uint32_t)__builtin_ctz(free), lr);
	} else {
		inject_full(cpu, v, lr);
	}
}

/* Maintenance interrupt: list registers have freed up; refill from the queue. */
static void refill(struct vgic_cpu *v)
{
	uint32_t free = gic_lr_free();
	uint32_t head = 0u;

	while ((head < v->queued) && (free != 0u)) {
		uint32_t n = (uint32_t)__builtin_ctz(free);
		gic_lr_write(n, v->queue[head]);
		free &= ~((uint32_t)1u << n);
		head++;
	}
	for (uint32_t i = head; i < v->queued; i++) {
		v->queue[i - head] = v->queue[i];
	}
	v->queued -= head;
	gic_vif_underflow(v->queued != 0u);
}

/* True when virtual interrupt `vintid` (from `source`) is already pending here. */
static __attribute__((noinline)) bool already_pending(const struct vgic_cpu *v, uint32_t vintid, uint8_t source)
{
	/* Only list registers in use can hold it; usually none is. */
	uint32_t used = ~gic_lr_free() & gic_lr_all();

	while (used != 0u) {
		uint32_t i = (uint32_t)__builtin_ctz(used);
		struct gic_lr cur;

		used &= used - 1u;
		if (gic_lr_pending(i, &cur) && (cur.vintid == vintid) && (cur.source == source)) {
			return true;
		}
	}
	for (uint32_t i = 0u; i < v->queued; i++) {
		if ((v->queue[i].vintid == vintid) && (v->queue[i].source == source)) {
			return true;
		}
	}
	return false;
}

/* True when the vCPU holds physical interrupt `pintid`, in a list register
 * (pending or active) or in its queue. */
static bool holds_physical(const struct vgic_cpu *v, uint32_t pintid)
{
	uint32_t used = ~gic_lr_free() & gic_lr_all();

	while (used != 0u) {
		uint32_t i = (uint32_t)__builtin_ctz(used);
		struct gic_lr cur = { 0u, 0u, 0u, 0u, false };

		used &= used - 1u;
		if ((gic_lr_state(i, &cur) != 0u) && cur.hw && (cur.pintid == pintid)) {
			return true;
		}
	}
	for (uint32_t i = 0u; i < v->queued; i++) {
		if (v->queue[i].hw && (v->queue[i].pintid == pintid)) {
			return true;
		}
	}
	return false;
}

/*
 * A physical interrupt to inject while the vCPU already holds something.
 * The hypervisor acknowledged the interrupt for the guest, so it stays
 * active until the guest's end of interrupt deactivates it through the
 * list register: it cannot be taken again meanwhile, unless something
 * else deactivated it. A direct-delivery partition's EOI of another
 * partition's SPI does (the active state of an SPI is global), and so does
 * the partition's own write to an active-clear register. Then the list
 * register or queue entry that holds it already stands for this new
 * activation as well, and its end of interrupt deactivates it: a second
 * entry would deliver it twice and could fill the queue.
 */
static __attribute__((noinline)) void inject_physical(const struct cpu *cpu, struct vgic_cpu *v, struct gic_lr lr)
{
	if (holds_physical(v, lr.pintid)) {
		incident_log(cpu, BH_INCIDENT_INTERFERENCE,
			     "interrupt %u taken again while the guest held it (deactivated by another agent): merged",
			     lr.pintid);
		return;
	}
	inject(cpu, v, lr);
}

/* --- Physical interrupts at EL2 ------------------------------------------- */

void vgic_irq(struct cpu *cpu)
{
	uint32_t ack = gic_ack();
	uint32_t intid = gic_intid(ack);
	struct vgic_cpu *v = vgic_cpu_of(cpu);
	uint8_t priority;

	if (intid >= GIC_SPURIOUS) {
		return;
	}
	gic_eoi(ack);
	if (intid == GIC_IPI_SGI) {
		gic_deactivate(ack);
		vgic_sync_sgis(cpu);
		core_handle_requests(cpu);
		return;
	}
	if (intid == GIC_MAINT_PPI) {
		gic_deactivate(ack);
		refill(v);
		return;
	}
	if (intid < GIC_FIRST_SPI) {
		if ((VGIC_OWNED_PPIS & ((uint32_t)1u << intid)) == 0u) {
			gic_deactivate(ack);
			log_warning("core %u: PPI %u is nobody's", cpu->index, intid);
			return;
		}
		priority = v->priority[intid];
	} else {
		const struct vgic_dist *d = vgic_dist_of(cpu);
		if (!vgic_owns_spi(d, intid)) {
			/* Never routed here by the vGIC: a stale routing, dropped. */
			gic_deactivate(ack);
			log_warning("core %u: SPI %u does not belong to '%s'", cpu->index, intid,
				    cpu->partition->cfg->name);
			return;
		}
		priority = d->priority[intid];
	}
	struct gic_lr lr = { intid, intid, priority, 0u, true };
	/* The fast path: the vCPU holds nothing, so cannot hold this one twice. */
	if ((gic_lr_free() == gic_lr_all()) && (v->queued == 0u)) {
		gic_lr_write(0u, lr);
	} else {
		inject_physical(cpu, v, lr);
	}
}

/* --- SGIs ------------------------------------------------------------------ */

static void deliver_sgi(struct cpu *cpu, uint32_t intid, uint8_t source)
{
	struct vgic_cpu *v = vgic_cpu_of(cpu);
	struct gic_lr lr = { intid, 0u, v->priority[intid], source, false };

	/* Nothing in the list registers or the queue: it cannot be there twice. */
	if ((gic_lr_free() == gic_lr_all()) && (v->queued == 0u)) {
		gic_lr_write(0u, lr);
	} else if (!already_pending(v, intid, source)) {
		inject(cpu, v, lr);
	} else {
		/* Already pending: an SGI is an edge, the two merge. */
	}
}

void vgic_send_sgi(struct cpu *cpu, uint32_t target, uint32_t intid)
{
	struct cpu *t = vgic_vcpu_cpu(cpu, target);
	struct vgic_cpu *vt = vgic_cpu_of(t);

	if (vt->direct) {
		if (intid == GIC_IPI_SGI) {
			vgic_deny(cpu, "SGI 15 (the hypervisor's) on a direct-delivery partition", 0u, intid);
		} else {
			gic_send_sgi(t->index, intid);
		}
		return;
	}
	uint8_t source = GIC_SGI_SOURCES ? (uint8_t)cpu->vcpu : 0u;
	if ((t == cpu) && ((vt->sgi_enabled & ((uint32_t)1u << intid)) != 0u)) {
		deliver_sgi(cpu, intid, source);
		return;
	}
	if (GIC_SGI_SOURCES) {
		__atomic_fetch_or(&vt->sgi_source[intid], (uint8_t)(1u << source), __ATOMIC_RELAXED);
	}
	__atomic_fetch_or(&vt->sgi_pending, (uint32_t)1u << intid, __ATOMIC_RELEASE);
	if (t != cpu) {
		/* arch_cpu_kick() without the calls: the post above must land first. */
		__asm__ volatile("dsb ish" : : : "memory");
		gic_send_ipi(t);
	}
}

bool arch_virq_valid(const struct partition *p, uint32_t virq)
{
	/* SGIs for now (virtual SPIs come with channels); a direct partition's SGI 15 is the kick. */
	bool direct = p->cfg->arch.irq_delivery == (uint8_t)CFG_IRQ_DIRECT;

	return (virq < 16u) && !(direct && (virq == GIC_IPI_SGI));
}

void arch_vcpu_inject(struct cpu *cpu, uint32_t virq)
{
	/* An SGI to itself: pending while disabled, merged while pending (GICv2: from itself). */
	vgic_send_sgi(cpu, cpu->vcpu, virq);
}

void vgic_sync_sgis(struct cpu *cpu)
{
	struct vgic_cpu *v = vgic_cpu_of(cpu);
	uint32_t pending = __atomic_exchange_n(&v->sgi_pending, 0u, __ATOMIC_ACQUIRE);
	uint32_t waiting = pending & ~v->sgi_enabled;

	pending &= v->sgi_enabled;
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

/* --- The distributor ------------------------------------------------------- */

void vgic_dist_enable(struct cpu *cpu, uint32_t ctlr, bool enabled)
{
	struct vgic_dist *d = vgic_dist_of(cpu);

	spin_lock(&d->lock);
	bool was = d->ctlr != 0u;
	d->ctlr = enabled ? ctlr : 0u;
	if (enabled != was) {
		for (uint32_t w = 1u; w < VGIC_WORDS; w++) {
			if (enabled && (d->enabled[w] != 0u)) {
				gic_dist_write(GICD_ISENABLER + (4u * w), d->enabled[w]);
			} else if (!enabled && (d->owned[w] != 0u)) {
				gic_dist_write(GICD_ICENABLER + (4u * w), d->owned[w]);
			} else {
				/* Nothing of this word to change. */
			}
		}
	}
	spin_unlock(&d->lock);
}

static bool in_word(uint32_t intid, uint32_t first, uint32_t bits)
{
	return (intid >= first) && (intid < (first + 32u)) && ((bits & ((uint32_t)1u << (intid - first))) != 0u);
}

/*
 * The guest's pending or active state (register `reg`) of interrupts
 * [first, first + 32) whose physical state reads `physical`. An interrupt the
 * calling cpu holds in a list register or its queue with the hardware bit
 * was acknowledged by the hypervisor: physically active, while the guest sees
 * it pending or active as the list register says. Software interrupts (SGIs)
 * held there add their state. Other cores' list registers are out of reach:
 * their interrupts read as the hardware has them.
 */
static uint32_t guest_state(const struct cpu *cpu, uint32_t reg, uint32_t first, uint32_t physical)
{
	const struct vgic_cpu *v = &cpu->arch.vgic;
	bool pending_reg = (reg == GICD_ISPENDR) || (reg == GICD_ICPENDR);
	uint32_t hw = 0u;
	uint32_t seen = 0u;

	for (uint32_t n = 0u; n < gic_lr_count(); n++) {
		struct gic_lr lr = { 0u, 0u, 0u, 0u, false };
		uint32_t state = gic_lr_state(n, &lr);

		if ((state != 0u) && in_word(lr.vintid, first, 0xffffffffu)) {
			uint32_t bit = (uint32_t)1u << (lr.vintid - first);
			hw |= lr.hw ? bit : 0u;
			seen |= ((state & (pending_reg ? 1u : 2u)) != 0u) ? bit : 0u;
		}
	}
	for (uint32_t i = 0u; i < v->queued; i++) {
		uint32_t vintid = v->queue[i].vintid;

		if (in_word(vintid, first, 0xffffffffu)) {
			uint32_t bit = (uint32_t)1u << (vintid - first);
			hw |= v->queue[i].hw ? bit : 0u;
			seen |= pending_reg ? bit : 0u;
		}
	}
	return (physical & ~hw) | seen;
}

/*
 * The guest cleared the pending state of the interrupts `bits` of
 * [first, first + 32), from the SGI senders in `sources` (GICv2; 0xff: any):
 * what the calling cpu holds for them pending only, in a list register or
 * its queue, is withdrawn, and a physical interrupt (hardware bit), which the
 * hypervisor acknowledged for the guest, is deactivated. Active ones stay:
 * clearing pending does not end a handler.
 */
static void withdraw(struct cpu *cpu, uint32_t first, uint32_t bits, uint8_t sources)
{
	struct vgic_cpu *v = vgic_cpu_of(cpu);
	uint32_t kept = 0u;

	for (uint32_t n = 0u; n < gic_lr_count(); n++) {
		struct gic_lr lr = { 0u, 0u, 0u, 0u, false };

		if ((gic_lr_state(n, &lr) == 1u) && in_word(lr.vintid, first, bits) &&
		    (((sources >> lr.source) & 1u) != 0u)) {
			gic_lr_clear(n);
			if (lr.hw) {
				gic_deactivate(lr.pintid);
			}
		}
	}
	for (uint32_t i = 0u; i < v->queued; i++) {
		if (!in_word(v->queue[i].vintid, first, bits) || (((sources >> v->queue[i].source) & 1u) == 0u)) {
			v->queue[kept] = v->queue[i];
			kept++;
		} else if (v->queue[i].hw) {
			gic_deactivate(v->queue[i].pintid);
		} else {
			/* A software interrupt: nothing physical to end. */
		}
	}
	if (kept != v->queued) {
		/* Only a mediated vCPU queues: a direct one's ICH_HCR_EL2 holds its traps. */
		v->queued = kept;
		gic_vif_underflow(kept != 0u);
	}
}

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

void vgic_sgi_set_pending(struct cpu *cpu, uint32_t intid, uint8_t sources)
{
	for (uint32_t s = 0u; s < 8u; s++) {
		if (((sources >> s) & 1u) != 0u) {
			/* GICv3 never calls this: a constant source keeps its hot path specialised. */
			deliver_sgi(cpu, intid, GIC_SGI_SOURCES ? (uint8_t)s : 0u);
		}
	}
}

void vgic_sgi_clear_pending(struct cpu *cpu, uint32_t intid, uint8_t sources)
{
	struct vgic_cpu *v = vgic_cpu_of(cpu);
	uint8_t left = __atomic_and_fetch(&v->sgi_source[intid], (uint8_t)~sources, __ATOMIC_ACQ_REL);

	if (left == 0u) {
		__atomic_fetch_and(&v->sgi_pending, ~((uint32_t)1u << intid), __ATOMIC_RELAXED);
	}
	withdraw(cpu, 0u, (uint32_t)1u << intid, sources);
}

static bool state_reg(uint32_t reg)
{
	return (reg == GICD_ISPENDR) || (reg == GICD_ICPENDR) || (reg == GICD_ISACTIVER) || (reg == GICD_ICACTIVER);
}

/* One bit per interrupt: enable, pending, active. */
static void dist_bitmap(struct cpu *cpu, uint32_t reg, uint32_t word, bool write, uint64_t *value)
{
	struct vgic_dist *d = vgic_dist_of(cpu);
	uint32_t owned = d->owned[word];
	uint32_t offset = reg + (4u * word);

	if (!write) {
		if (state_reg(reg)) {
			*value = guest_state(cpu, reg, 32u * word, gic_dist_read(offset)) & owned;
		} else {
			*value = d->enabled[word];
		}
		return;
	}
	uint32_t bits = (uint32_t)*value & owned;
	if (((uint32_t)*value & ~owned) != 0u) {
		vgic_deny(cpu, "distributor write to interrupts it does not own", offset, *value);
	}
	if (bits == 0u) {
		return;
	}
	spin_lock(&d->lock);
	if (reg == GICD_ISENABLER) {
		d->enabled[word] |= bits;
		if (d->ctlr != 0u) {
			gic_dist_write(offset, bits);
		}
	} else if (reg == GICD_ICENABLER) {
		d->enabled[word] &= ~bits;
		gic_dist_write(offset, bits);
	} else {
		gic_dist_write(offset, bits);
	}
	spin_unlock(&d->lock);
	if (reg == GICD_ICPENDR) {
		withdraw(cpu, 32u * word, bits, 0xffu);
	}
}

static void dist_priority(struct cpu *cpu, uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	struct vgic_dist *d = vgic_dist_of(cpu);
	uint32_t first = offset - GICD_IPRIORITYR;
	uint64_t out = 0u;

	for (uint32_t i = 0u; i < size; i++) {
		uint32_t intid = first + i;
		uint32_t shift = 8u * i;
		uint8_t byte = (uint8_t)(*value >> shift);

		if (!vgic_owns_spi(d, intid)) {
			if (write && (byte != 0u)) {
				vgic_deny(cpu, "priority of an interrupt it does not own", offset + i, byte);
			}
			continue;
		}
		if (write) {
			d->priority[intid] = byte;
			gic_dist_write8(GICD_IPRIORITYR + intid, physical_priority(byte));
		} else {
			out |= (uint64_t)d->priority[intid] << shift;
		}
	}
	if (!write) {
		*value = out;
	}
}

/* Two bits per interrupt: edge or level. */
static void dist_config(struct cpu *cpu, uint32_t offset, bool write, uint64_t *value)
{
	const struct vgic_dist *d = vgic_dist_of(cpu);
	uint32_t first = (offset - GICD_ICFGR) * 4u;
	uint32_t mask = 0u;

	for (uint32_t i = 0u; i < 16u; i++) {
		if (vgic_owns_spi(d, first + i)) {
			mask |= (uint32_t)3u << (2u * i);
		}
	}
	if (!write) {
		*value = gic_dist_read(offset) & mask;
		return;
	}
	if (((uint32_t)*value & ~mask & 0xaaaaaaaau) != 0u) {
		vgic_deny(cpu, "configuration of an interrupt it does not own", offset, *value);
	}
	/* Serialises read-modify-write of physical registers that several partitions share. */
	static struct spinlock gic_rmw_lock = SPINLOCK_INIT;

	spin_lock(&gic_rmw_lock);
	uint32_t phys = gic_dist_read(offset);
	gic_dist_write(offset, (phys & ~mask) | ((uint32_t)*value & mask));
	spin_unlock(&gic_rmw_lock);
}

bool vgic_dist_common(struct cpu *cpu, uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	if ((offset >= GICD_IPRIORITYR) && (offset < GICD_ITARGETSR)) {
		if ((size != 1u) && (size != 4u)) {
			vgic_deny(cpu, "distributor access of the wrong width", offset, size);
			*value = 0u;
			return true;
		}
		dist_priority(cpu, offset, write, size, value);
		return true;
	}
	if (size != 4u) {
		if ((offset >= GICD_ISENABLER) && (offset < GICD_IPRIORITYR)) {
			vgic_deny(cpu, "distributor access of the wrong width", offset, size);
			*value = 0u;
			return true;
		}
		return false;
	}
	if ((offset >= GICD_ICFGR) && (offset < (GICD_ICFGR + 0x100u))) {
		dist_config(cpu, offset, write, value);
		return true;
	}
	if ((offset >= GICD_ISENABLER) && (offset < GICD_IPRIORITYR)) {
		uint32_t reg = offset & ~0x7fu;
		dist_bitmap(cpu, reg, (offset & 0x7fu) / 4u, write, value);
		return true;
	}
	return false;
}

/* --- Banked SGI and PPI registers ----------------------------------------- */

static uint32_t local_owned(const struct vgic_cpu *v)
{
	return VGIC_OWNED_PPIS | (v->direct ? 0x7fffu : 0xffffu);
}

bool vgic_owns(const struct cpu *cpu, uint32_t intid)
{
	if (intid < GIC_FIRST_SPI) {
		return ((local_owned(&cpu->arch.vgic) >> intid) & 1u) != 0u;
	}
	return vgic_owns_spi(vgic_dist_of(cpu), intid);
}

static void local_priority(struct cpu *cpu, uint32_t vcpu, uint32_t offset, bool write, uint32_t size,
			   uint64_t *value)
{
	struct cpu *t = vgic_vcpu_cpu(cpu, vcpu);
	struct vgic_cpu *v = vgic_cpu_of(t);
	uint32_t owned = local_owned(v);
	uint64_t out = 0u;

	for (uint32_t i = 0u; i < size; i++) {
		uint32_t intid = offset - GICD_IPRIORITYR + i;
		uint32_t shift = 8u * i;
		uint8_t byte = (uint8_t)(*value >> shift);

		if ((owned & ((uint32_t)1u << intid)) == 0u) {
			if (write && (byte != 0u)) {
				vgic_deny(cpu, "priority of an SGI or PPI it does not own", offset + i, byte);
			}
			continue;
		}
		if (write) {
			v->priority[intid] = byte;
			/* Virtual SGIs of a mediated vCPU have no physical counterpart. */
			if ((intid >= 16u) || v->direct) {
				gic_local_write8(t, GICD_IPRIORITYR + intid, physical_priority(byte));
			}
		} else {
			out |= (uint64_t)v->priority[intid] << shift;
		}
	}
	if (!write) {
		*value = out;
	}
}

static uint32_t local_bitmap_read(const struct cpu *t, const struct vgic_cpu *v, uint32_t reg)
{
	uint32_t owned = local_owned(v);
	uint32_t virt = v->direct ? 0u : 0xffffu;   /* SGIs handled in software */
	uint32_t soft = 0u;

	if ((reg == GICD_ISENABLER) || (reg == GICD_ICENABLER)) {
		soft = v->sgi_enabled;
	} else if ((reg == GICD_ISPENDR) || (reg == GICD_ICPENDR)) {
		soft = __atomic_load_n(&v->sgi_pending, __ATOMIC_RELAXED);
	} else {
		/* Active state of virtual SGIs lives in the list registers: reads as zero. */
	}
	return (soft & virt) | (gic_local_read(t, reg) & owned & ~virt);
}

/* Writes of the software SGIs `sgis` of vCPU `vcpu` (cpu `t`) through register `reg`. */
static void local_sgi_write(struct cpu *cpu, uint32_t vcpu, struct cpu *t, uint32_t reg, uint32_t sgis)
{
	struct vgic_cpu *v = vgic_cpu_of(t);

	if (reg == GICD_ISENABLER) {
		v->sgi_enabled |= sgis;
		/* SGIs posted while disabled can now be delivered. */
		if (t == cpu) {
			vgic_sync_sgis(cpu);
		} else if ((__atomic_load_n(&v->sgi_pending, __ATOMIC_RELAXED) & sgis) != 0u) {
			arch_cpu_kick(t->index);
		} else {
			/* Nothing waiting for it. */
		}
	} else if (reg == GICD_ICENABLER) {
		v->sgi_enabled &= ~sgis;
	} else if (reg == GICD_ISPENDR) {
		uint32_t left = sgis;
		while (left != 0u) {
			vgic_send_sgi(cpu, vcpu, (uint32_t)__builtin_ctz(left));
			left &= left - 1u;
		}
	} else if (reg == GICD_ICPENDR) {
		__atomic_fetch_and(&v->sgi_pending, ~sgis, __ATOMIC_RELAXED);
	} else {
		/* Active state of virtual SGIs lives in the list registers: not writable here. */
	}
}

static void local_bitmap(struct cpu *cpu, uint32_t vcpu, uint32_t reg, bool write, uint64_t *value)
{
	struct cpu *t = vgic_vcpu_cpu(cpu, vcpu);
	const struct vgic_cpu *v = vgic_cpu_of(t);
	uint32_t owned = local_owned(v);
	uint32_t virt = v->direct ? 0u : 0xffffu;   /* SGIs handled in software */
	uint32_t bits = (uint32_t)*value & owned & (GIC_SGI_BITMAPS_WRITABLE ? 0xffffffffu : 0xffff0000u);

	if (!write) {
		uint32_t state = local_bitmap_read(t, v, reg);
		/* The list registers of the calling cpu only: see guest_state(). */
		*value = ((t == cpu) && state_reg(reg)) ? (guest_state(cpu, reg, 0u, state) & owned) : state;
		return;
	}
	if (((uint32_t)*value & ~owned) != 0u) {
		vgic_deny(cpu, "SGI/PPI write outside its own", reg, *value);
	}
	/* See GIC_PPI_REGS_BANKED: without it, withdraw() alone clears PPIs. */
	if (((bits & ~virt) != 0u) && (GIC_PPI_REGS_BANKED || (reg != GICD_ICPENDR))) {
		gic_local_write(t, reg, bits & ~virt);
	}
	if ((bits & virt) != 0u) {
		local_sgi_write(cpu, vcpu, t, reg, bits & virt);
	}
	if ((reg == GICD_ICPENDR) && (t == cpu)) {
		withdraw(cpu, 0u, bits, 0xffu);
	}
}

bool vgic_dist_banked(uint32_t offset)
{
	return ((offset >= GICD_ISENABLER) && (offset < GICD_IPRIORITYR) && ((offset & 0x7fu) == 0u)) ||
	       ((offset >= GICD_IPRIORITYR) && (offset < (GICD_IPRIORITYR + 32u))) ||
	       ((offset >= GICD_ICFGR) && (offset < (GICD_ICFGR + 8u)));
}

/* GICD_ICFGR1 / GICR_ICFGR1: the trigger mode of the PPIs the partition owns. */
static void local_ppi_config(struct cpu *cpu, uint32_t vcpu, bool write, uint64_t *value)
{
	struct cpu *t = vgic_vcpu_cpu(cpu, vcpu);
	struct vgic_cpu *v = vgic_cpu_of(t);
	const uint32_t offset = GICD_ICFGR + 4u;
	uint32_t mask = 0u;

	for (uint32_t i = 0u; i < 16u; i++) {
		if ((VGIC_OWNED_PPIS & ((uint32_t)1u << (16u + i))) != 0u) {
			mask |= (uint32_t)3u << (2u * i);
		}
	}
	if (write && (((uint32_t)*value & ~mask & 0xaaaaaaaau) != 0u)) {
		vgic_deny(cpu, "configuration of a PPI it does not own", offset, *value);
	}
	if (!GIC_PPI_REGS_BANKED) {
		/* Kept per vCPU: see GIC_PPI_REGS_BANKED. */
		if (write) {
			v->ppi_config = (v->ppi_config & ~mask) | ((uint32_t)*value & mask);
		} else {
			*value = v->ppi_config & mask;
		}
	} else if (!write) {
		*value = gic_local_read(t, offset) & mask;
	} else {
		uint32_t phys = gic_local_read(t, offset);
		gic_local_write(t, offset, (phys & ~mask) | ((uint32_t)*value & mask));
	}
}

bool vgic_local_access(struct cpu *cpu, uint32_t vcpu, uint32_t offset, bool write, uint32_t size, uint64_t *value)
{
	if ((offset >= GICD_IPRIORITYR) && (offset < (GICD_IPRIORITYR + 32u))) {
		if ((size != 1u) && (size != 4u)) {
			vgic_deny(cpu, "SGI/PPI access of the wrong width", offset, size);
			*value = 0u;
			return true;
		}
		local_priority(cpu, vcpu, offset, write, size, value);
		return true;
	}
	if (size != 4u) {
		return false;
	}
	if ((offset >= GICD_ISENABLER) && (offset < GICD_IPRIORITYR) && ((offset & 0x7fu) == 0u)) {
		local_bitmap(cpu, vcpu, offset, write, value);
		return true;
	}
	if (offset == GICD_ICFGR) {
		/* SGIs are edge-triggered, read-only. */
		if (!write) {
			*value = 0xaaaaaaaau;
		}
		return true;
	}
	if (offset == (GICD_ICFGR + 4u)) {
		local_ppi_config(cpu, vcpu, write, value);
		return true;
	}
	return false;
}
