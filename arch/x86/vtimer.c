/* SPDX-License-Identifier: MIT */
/*
 * The guest's local APIC timer: its LVT entry (x2APIC MSR 0x832), initial
 * and current count (0x838, 0x839), divide configuration (0x83e) and
 * IA32_TSC_DEADLINE (0x6e0), in one-shot, periodic and TSC-deadline mode.
 * The vCPU owns its core, so the core's own physical timer (lapic.c) is
 * armed for the guest's next expiry; its interrupt exits the guest, or
 * ends the hypervisor's wait of a HLT exit, and raises the guest's vector
 * (vintr.c), presented at the next entry. The guest's count runs at the
 * TSC's rate over its divisor (vtimer_calc.h; CPUID 0x40000010 gives the
 * rate); a new divide configuration applies from the next initial count.
 * Refused (#GP, counted by the caller): reserved bits, mode 3, an unmasked
 * vector below 32 (the hypervisor presents 32-255 only), a count above
 * 32 bits. As on hardware, a change to or from TSC-deadline mode disarms
 * the timer, an initial count in TSC-deadline mode and a deadline in the
 * count modes are ignored, and a software-disabled APIC (SVR bit 8 clear)
 * or a masked entry delivers nothing while the timer still runs.
 */
#include "arch.h"
#include "cpu.h"
#include "lib.h"
#include "vtimer_calc.h"
#include "this_cpu.h"
#include "x86.h"

#define LVT_VECTOR(v)  ((v) & 0xffu)
#define LVT_MASKED     ((uint32_t)1u << 16)
#define LVT_MODE(v)    (((v) >> 17) & 3u)
#define LVT_WRITABLE   0x000700ffULL   /* vector, mask, mode */
#define MODE_PERIODIC  1u
#define MODE_DEADLINE  2u
#define MODE_RESERVED  3u
#define SVR_ENABLED    ((uint32_t)1u << 8)
#define VECTOR_FIRST   32u

/* The core's physical timer follows the guest's: armed for its expiry, or stopped. */
static void rearm(const struct x86_vlapic *t)
{
	if (!t->armed) {
		x86_lapic_timer_stop();
		return;
	}
	uint64_t now = rdtsc();
	x86_lapic_timer_arm((t->deadline > now) ? (t->deadline - now) : 0u);
}

static void disarm(struct x86_vlapic *t)
{
	t->armed = false;
	t->initial = 0u;
	t->tsc_deadline = 0u;
	rearm(t);
}

static bool lvt_write(struct x86_vlapic *t, uint64_t value)
{
	uint32_t v = (uint32_t)value;
	bool unmasked_low = ((v & LVT_MASKED) == 0u) && (LVT_VECTOR(v) < VECTOR_FIRST);

	if (((value & ~LVT_WRITABLE) != 0u) || (LVT_MODE(v) == MODE_RESERVED) || unmasked_low) {
		return false;
	}
	bool was_deadline = LVT_MODE(t->lvt_timer) == MODE_DEADLINE;
	bool is_deadline = LVT_MODE(v) == MODE_DEADLINE;

	t->lvt_timer = v;
	if (was_deadline != is_deadline) {
		disarm(t);
	}
	return true;
}

static void count_start(struct x86_vlapic *t, uint32_t initial)
{
	t->initial = initial;
	t->shift = vtimer_divide_shift(t->dcr);
	t->start = rdtsc();
	t->deadline = t->start + vtimer_period(initial, t->shift);
	t->armed = initial != 0u;   /* 0 stops it */
	rearm(t);
}

static void deadline_set(struct x86_vlapic *t, uint64_t tsc)
{
	t->tsc_deadline = tsc;
	t->deadline = tsc;
	t->armed = tsc != 0u;       /* 0 disarms; one passed expires at once */
	rearm(t);
}

/* Implements: REQ-XARCH-040, REQ-XARCH-041 */
bool x86_vtimer_write(struct cpu *cpu, uint32_t msr, uint64_t value)
{
	struct x86_vlapic *t = &cpu->arch.vlapic;
	bool deadline_mode = LVT_MODE(t->lvt_timer) == MODE_DEADLINE;

	switch (msr) {
	case X86_MSR_LVT_TIMER:
		return lvt_write(t, value);
	case X86_MSR_TIMER_INITIAL:
		if (value > 0xffffffffULL) {
			return false;
		}
		if (!deadline_mode) {
			count_start(t, (uint32_t)value);
		}
		return true;
	case X86_MSR_TIMER_DIVIDE:
		if ((value & ~(uint64_t)VTIMER_DCR_BITS) != 0u) {
			return false;
		}
		t->dcr = (uint32_t)value;
		return true;
	case X86_MSR_TSC_DEADLINE:
		if (deadline_mode) {
			deadline_set(t, value);
		}
		return true;
	default:
		return false;   /* 0x839, the current count, is read-only */
	}
}

/* Implements: REQ-XARCH-040 */
bool x86_vtimer_read(const struct cpu *cpu, uint32_t msr, uint64_t *value)
{
	const struct x86_vlapic *t = &cpu->arch.vlapic;
	uint32_t mode = LVT_MODE(t->lvt_timer);

	switch (msr) {
	case X86_MSR_LVT_TIMER:
		*value = t->lvt_timer;
		return true;
	case X86_MSR_TIMER_INITIAL:
		*value = t->initial;
		return true;
	case X86_MSR_TIMER_CURRENT:
		*value = (mode == MODE_DEADLINE) ? 0u
			 : vtimer_current(t->initial, t->shift, t->start, rdtsc(), mode == MODE_PERIODIC);
		return true;
	case X86_MSR_TIMER_DIVIDE:
		*value = t->dcr;
		return true;
	case X86_MSR_TSC_DEADLINE:
		*value = (mode == MODE_DEADLINE) ? t->tsc_deadline : 0u;
		return true;
	default:
		return false;
	}
}

/* A periodic timer's expiry: its vector raised and the next period's deadline armed (apart, so the one-shot's path keeps no frame). */
static void __attribute__((noinline)) expire_periodic(struct cpu *cpu, struct x86_vlapic *t, uint64_t now, bool deliver)
{
	if (deliver) {
		arch_vcpu_inject(cpu, LVT_VECTOR(t->lvt_timer));
	}
	t->deadline = vtimer_next_periodic(t->deadline, vtimer_period(t->initial, t->shift), now);
	x86_lapic_timer_arm(t->deadline - now);
}

/*
 * The core's timer interrupt (entry.S's x86_timer_stub): the guest's expiry,
 * when it is due. A one-shot is disarmed before its vector is raised, so
 * that the raise is the last call (a tail call: no frame on the timer's way
 * to the guest); the order is not observable, the interrupts being off.
 */
/* Implements: REQ-XARCH-042 */
void x86_vtimer_interrupt(void)
{
	struct cpu *cpu = x86_this_cpu();
	struct x86_vlapic *t = &cpu->arch.vlapic;

	x86_lapic_ack();
	if (!t->armed) {
		return;   /* a stale one: disarmed since */
	}
	uint64_t now = rdtsc();
	if (now < t->deadline) {
		x86_lapic_timer_arm(t->deadline - now);   /* a deadline beyond one physical arming */
		return;
	}
	uint32_t lvt = t->lvt_timer;
	bool deliver = ((lvt & LVT_MASKED) == 0u) && ((t->svr & SVR_ENABLED) != 0u);

	if (LVT_MODE(lvt) == MODE_PERIODIC) {
		expire_periodic(cpu, t, now, deliver);
		return;
	}
	t->armed = false;
	t->tsc_deadline = 0u;
	if (deliver) {
		arch_vcpu_inject(cpu, LVT_VECTOR(lvt));
	}
}

/* Implements: REQ-XARCH-042 */
void x86_vlapic_reset(struct cpu *cpu)
{
	struct x86_vlapic *t = &cpu->arch.vlapic;

	(void)memset(t, 0, sizeof(*t));
	t->svr = 0xffu;   /* the reset state: software-disabled, spurious vector 0xff */
	t->lvt_timer = LVT_MASKED;
	for (uint32_t i = 0u; i < X86_LVT_OTHERS; i++) {
		t->lvt_other[i] = LVT_MASKED;
	}
	rearm(t);
}
