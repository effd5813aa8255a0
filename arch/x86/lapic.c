/* SPDX-License-Identifier: MIT */
/*
 * The physical local APIC (xAPIC, at its MMIO frame): the hypervisor's
 * IPIs (kick, start) and the TSC calibration against the PIT.
 */
#include "arch.h"
#include "log.h"
#include "vtimer_calc.h"
#include "x86.h"

#define LAPIC ((volatile uint32_t *)(uintptr_t)0xfee00000u)
#define REG(off) LAPIC[(off) / 4u]
#define LAPIC_ID 0x20u
#define LAPIC_EOI 0xb0u
#define LAPIC_SVR 0xf0u
#define LAPIC_ICR_LO 0x300u
#define LAPIC_ICR_HI 0x310u
#define LAPIC_LVT_TIMER 0x320u
#define LAPIC_TIMER_INITIAL 0x380u
#define LAPIC_TIMER_CURRENT 0x390u
#define LAPIC_TIMER_DIVIDE 0x3e0u
#define TIMER_DIVIDE_1 0xbu
#define LVT_MASKED ((uint32_t)1u << 16)
#define ICR_BUSY ((uint32_t)1u << 12)
#define ICR_INIT 0x4500u      /* INIT, level assert */
#define ICR_STARTUP 0x4600u   /* STARTUP, vector = the trampoline's page number */
#define ICR_POLLS 100000u

static uint64_t tsc_hz = 1000000000u;   /* until calibrated */
static uint64_t bus_per_tsc_q32 = 1ULL << 32;   /* the timer's bus ticks per TSC tick, Q32, until calibrated */

/* The legacy 8259 PICs: moved off the exception vectors (the BIOS leaves
 * the timer on vector 8) and masked; the hypervisor takes only APIC IPIs. */
static void pic_disable(void)
{
	static const uint8_t init[2][4] = { { 0x11u, 0x20u, 0x04u, 0x01u }, { 0x11u, 0x28u, 0x02u, 0x01u } };

	for (uint32_t i = 0u; i < 4u; i++) {
		outb((uint16_t)((i == 0u) ? 0x20u : 0x21u), init[0][i]);
		outb((uint16_t)((i == 0u) ? 0xa0u : 0xa1u), init[1][i]);
	}
	outb(0x21u, 0xffu);
	outb(0xa1u, 0xffu);
}

void x86_lapic_init(void)
{
	if (x86_lapic_id() == 0u) {
		pic_disable();
	}
	REG(LAPIC_SVR) = 0x100u | X86_VEC_SPURIOUS;   /* software enable */
	REG(LAPIC_TIMER_DIVIDE) = TIMER_DIVIDE_1;
	REG(LAPIC_TIMER_INITIAL) = 0u;
	REG(LAPIC_LVT_TIMER) = X86_VEC_TIMER;          /* one-shot, stopped until armed (vtimer.c) */
}

uint32_t x86_lapic_id(void)
{
	return REG(LAPIC_ID) >> 24;
}

volatile uint32_t *const x86_lapic_eoi_reg = &REG(LAPIC_EOI);

void x86_lapic_eoi(void)
{
	x86_lapic_ack();
}

static void icr_send(uint32_t apic_id, uint32_t low)
{
	REG(LAPIC_ICR_HI) = apic_id << 24;
	REG(LAPIC_ICR_LO) = low;
	for (uint32_t i = 0u; (i < ICR_POLLS) && ((REG(LAPIC_ICR_LO) & ICR_BUSY) != 0u); i++) {
		arch_cpu_relax();
	}
}

void x86_lapic_ipi(uint32_t apic_id, uint32_t vector)
{
	icr_send(apic_id, vector & 0xffu);
}

void x86_lapic_init_sipi(uint32_t apic_id, uint32_t trampoline_page)
{
	icr_send(apic_id, ICR_INIT);
	x86_udelay(10000u);
	icr_send(apic_id, ICR_STARTUP | trampoline_page);
	x86_udelay(200u);
	icr_send(apic_id, ICR_STARTUP | trampoline_page);
}

/* PIT channel 2 counts 10 ms (11932 ticks of 1.193182 MHz) with its gate on. */
void x86_tsc_calibrate(void)
{
	const uint32_t ticks = 11932u;
	uint32_t polls = 0u;

	outb(0x61u, (uint8_t)((inb(0x61u) & ~0x02u) | 0x01u));
	outb(0x43u, 0xb0u);
	outb(0x42u, (uint8_t)ticks);
	outb(0x42u, (uint8_t)(ticks >> 8));
	uint64_t t0 = rdtsc();
	while (((inb(0x61u) & 0x20u) == 0u) && (polls < 100000000u)) {
		polls++;
	}
	uint64_t t1 = rdtsc();
	if ((t1 > t0) && (polls < 100000000u)) {
		tsc_hz = (t1 - t0) * 100u;
	} else {
		log_warning("TSC calibration failed: assuming 1 GHz");
	}
}

uint64_t arch_counter(void)
{
	return rdtsc();
}

uint64_t arch_counter_hz(void)
{
	return tsc_hz;
}

void x86_udelay(uint64_t us)
{
	uint64_t end = rdtsc() + ((tsc_hz / 1000000u) * us);

	while (rdtsc() < end) {
		arch_cpu_relax();
	}
}

/*
 * The timer's bus clock against the TSC (one for all cores), counted over
 * 1 ms with its interrupt masked, with 1/1024 added so that an arming errs
 * late rather than early (an early interrupt finds the deadline ahead and
 * arms again, a second interrupt on the guest's path).
 */
void x86_lapic_timer_calibrate(void)
{
	uint64_t span = tsc_hz / 1000u;

	REG(LAPIC_LVT_TIMER) = LVT_MASKED | X86_VEC_TIMER;
	REG(LAPIC_TIMER_INITIAL) = VTIMER_TICKS_MAX;
	uint64_t t0 = rdtsc();
	uint64_t t1 = t0;
	while ((t1 - t0) < span) {
		t1 = rdtsc();
	}
	uint64_t ticks = (uint64_t)(VTIMER_TICKS_MAX - REG(LAPIC_TIMER_CURRENT));
	t1 = rdtsc();
	REG(LAPIC_TIMER_INITIAL) = 0u;
	REG(LAPIC_LVT_TIMER) = X86_VEC_TIMER;
	if ((ticks == 0u) || (ticks >= (1ULL << 31))) {
		log_warning("local APIC timer calibration failed (%lu ticks): assuming the TSC's rate", ticks);
		return;
	}
	uint64_t q32 = (ticks << 32) / (t1 - t0);
	bus_per_tsc_q32 = q32 + (q32 / 1024u) + 1u;
}

/* Implements: REQ-XARCH-042 */
void x86_lapic_timer_arm(uint64_t tsc_delta)
{
	REG(LAPIC_TIMER_INITIAL) = vtimer_bus_ticks(tsc_delta, bus_per_tsc_q32);
}

void x86_lapic_timer_stop(void)
{
	REG(LAPIC_TIMER_INITIAL) = 0u;
}
