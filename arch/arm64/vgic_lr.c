/* SPDX-License-Identifier: MIT */
/*
 * The virtual GIC's list registers and the per-vCPU queue behind them: what
 * a vCPU has pending or active, shared by GICv2 and GICv3 (see vgic.h).
 * Every interrupt is held at most once, in a list register or in the queue
 * (sorted by priority), so the queue never overflows. Tested on the host
 * (tests/unit/test_vgic_lr.c).
 */
#include "vgic.h"
#include "cpu.h"
#include "incident.h"
#include "partition.h"

/* --- Injection ------------------------------------------------------------- */

/* Implements: REQ-IRQ-007 */
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
 * the lowest-priority one that is only pending (the first, on a tie), which
 * waits in the queue. */
/* Implements: REQ-IRQ-007 */
__attribute__((noinline)) void vgic_lr_inject_full(const struct cpu *cpu, struct vgic_cpu *v, struct gic_lr lr)
{
	uint32_t n = gic_lr_count();
	uint32_t victim = n;
	struct gic_lr worst = lr;   /* read only once a victim is found (it is the victim's then) */
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

/* Maintenance interrupt: list registers have freed up; refill from the queue. */
/* Implements: REQ-IRQ-007 */
void vgic_lr_refill(struct vgic_cpu *v)
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
/* Implements: REQ-IRQ-013 */
__attribute__((noinline)) bool vgic_lr_pending(const struct vgic_cpu *v, uint32_t vintid, uint8_t source)
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
/* Implements: REQ-IRQ-013 */
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
 * Implements: REQ-IRQ-013
 */
__attribute__((noinline)) void vgic_lr_inject_physical(const struct cpu *cpu, struct vgic_cpu *v, struct gic_lr lr)
{
	if (holds_physical(v, lr.pintid)) {
		incident_log(cpu, BH_INCIDENT_INTERFERENCE,
			     "interrupt %u taken again while the guest held it (deactivated by another agent): merged",
			     lr.pintid);
		return;
	}
	vgic_lr_inject(cpu, v, lr);
}

/* --- The guest's view of what the list registers and the queue hold ------- */

/* Implements: infrastructure */
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
 * Implements: REQ-IRQ-011
 */
uint32_t vgic_lr_guest_state(const struct cpu *cpu, uint32_t reg, uint32_t first, uint32_t physical)
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
 * Implements: REQ-IRQ-011
 */
void vgic_lr_withdraw(struct cpu *cpu, uint32_t first, uint32_t bits, uint8_t sources)
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
