/* SPDX-License-Identifier: MIT */
/*
 * Call vectors: HVC and SMC with every immediate, function ids the
 * hypervisor does not serve, PSCI aimed at cores the attacker does not own,
 * its own core power cycled, and the debug console fed foreign buffers.
 */
#include <bulkhead/hypercall.h>
#include <bulkhead/psci.h>
#include "bhrt.h"
#include "bhrt_gic.h"
#include "hostile.h"

#define CALL_UNKNOWN_IDS 10000u
#define CALL_YIELDING 2000u
#define CALL_RANDOM 20000u

/* --- Generated code: one HVC or SMC instruction per immediate ------------- */

#define INSN_MOVN_X9_0   0x92800009u               /* x9 = -1 */
#define INSN_MOVZ_X10_0  0xd280000au               /* x10 = 0 */
#define INSN_MOVZ_X0(imm) (0xd2800000u | ((uint32_t)(imm) << 5))
#define INSN_MOVK_X0_16(imm) (0xf2a00000u | ((uint32_t)(imm) << 5))
#define INSN_CMP_X0_X9   0xeb09001fu
#define INSN_CINC_X10_NE 0x9a8a054au               /* x10 += (x0 != x9) */
#define INSN_MOV_X0_X10  0xaa0a03e0u
#define INSN_RET         0xd65f03c0u
#define INSN_HVC(imm)    (0xd4000002u | ((uint32_t)(imm) << 5))
#define INSN_SMC(imm)    (0xd4000003u | ((uint32_t)(imm) << 5))
#define INSN_YIELD       0xd503203fu

uint64_t run_generated(uint32_t (*insn)(uint32_t i), uint32_t n, uint64_t fid, int64_t expected)
{
	uintptr_t base = ((uintptr_t)__free_start + 0xfffu) & ~(uintptr_t)0xfffu;
	uint32_t *code = (uint32_t *)base;
	uint32_t k = 0u;

	if ((expected != -1) || ((fid >> 32) != 0u)) {
		return ~0ull;
	}
	code[k++] = INSN_MOVN_X9_0;
	code[k++] = INSN_MOVZ_X10_0;
	for (uint32_t i = 0u; i < n; i++) {
		code[k++] = INSN_MOVZ_X0(fid & 0xffffu);
		code[k++] = INSN_MOVK_X0_16(fid >> 16);
		code[k++] = insn(i);
		code[k++] = INSN_CMP_X0_X9;
		code[k++] = INSN_CINC_X10_NE;
		/* Lets QEMU's -icount round robin run the other cores (see now()). */
		code[k++] = INSN_YIELD;
	}
	code[k++] = INSN_MOV_X0_X10;
	code[k++] = INSN_RET;
	/* Make the new instructions visible to instruction fetch. */
	for (uintptr_t a = base; a < (uintptr_t)&code[k]; a += 64u) {
		__asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
	}
	__asm__ volatile("dsb ish" : : : "memory");
	for (uintptr_t a = base; a < (uintptr_t)&code[k]; a += 64u) {
		__asm__ volatile("ic ivau, %0" : : "r"(a) : "memory");
	}
	__asm__ volatile("dsb ish\n\tisb" : : : "memory");
	uint64_t (*fn)(void) = (uint64_t (*)(void))base;
	return fn();
}

static uint32_t hvc_insn(uint32_t i)
{
	return INSN_HVC(i + 1u);
}

static uint32_t smc_insn(uint32_t i)
{
	return INSN_SMC(i + 1u);
}

static void hvc_every_immediate(struct ctx *c)
{
	/* BH_HC_VERSION would succeed with #0. */
	c->detail = run_generated(hvc_insn, 0xffffu, BH_HC_VERSION, BH_ERR_NOT_SUPPORTED);
	if (c->detail != 0u) {
		c->escape = "an HVC with a non-zero immediate was served";
	}
}

static void smc_every_immediate(struct ctx *c)
{
	c->detail = run_generated(smc_insn, 0xffffu, PSCI_VERSION, BH_ERR_NOT_SUPPORTED);
	if (c->detail != 0u) {
		c->escape = "an SMC with a non-zero immediate was served";
	}
}

/* --- Function ids ---------------------------------------------------------- */

static void expect_refused(struct ctx *c, bool smc, uint64_t fid, int64_t error)
{
	int64_t r = call3(smc, fid, 0, 0, 0);

	if (r != error) {
		c->detail++;
		c->escape = "a call that must be refused was served";
	}
}

static void unknown_hypercalls(struct ctx *c)
{
	for (uint32_t i = 0u; (i < CALL_UNKNOWN_IDS) && !past_deadline(c); i++) {
		/* From the first function number no call has (0x0005..0x0007 are the channel and
		 * service partition calls of <bulkhead/hypercall.h>). */
		expect_refused(c, (i & 1u) != 0u, BH_HC_ID(0x0008u + i), BH_ERR_NOT_SUPPORTED);
	}
}

static void yielding_calls(struct ctx *c)
{
	for (uint32_t i = 0u; (i < CALL_YIELDING) && !past_deadline(c); i++) {
		/* Fast bit clear: every owner, every number. */
		expect_refused(c, (i & 1u) != 0u, ((uint64_t)(i % 64u) << 24) | (i * 7u), BH_ERR_NOT_SUPPORTED);
	}
}

static void firmware_calls(struct ctx *c)
{
	/* ARCH_WORKAROUND_1..3, then SiP, OEM, standard secure, hypervisor
	 * standard and trusted OS services: nothing reaches the firmware. */
	static const uint32_t fids[] = {
		0x80008000u, 0x80007fffu, 0x80003fffu, 0x82000000u, 0xc2000001u, 0x83000000u, 0x84000005u,
		0x8400000bu, 0x8400000eu, 0x84000012u, 0x85000000u, 0xb2000000u, 0xbf00ff01u, 0xc5000000u,
	};

	for (uint32_t i = 0u; i < (sizeof(fids) / sizeof(fids[0])); i++) {
		expect_refused(c, false, fids[i], BH_ERR_NOT_SUPPORTED);
		expect_refused(c, true, fids[i], BH_ERR_NOT_SUPPORTED);
	}
}

static bool ends_the_caller(uint32_t fid)
{
	uint32_t psci = fid & ~0x40000000u;

	return (psci == PSCI_CPU_SUSPEND_32) || (psci == PSCI_CPU_OFF) || (psci == PSCI_SYSTEM_OFF) ||
	       (psci == PSCI_SYSTEM_RESET) || (psci == PSCI_CPU_ON_32) || (fid == BH_HC_CONSOLE_PUTC) ||
	       (fid == BH_HC_CONSOLE_WRITE);
}

static void random_calls(struct ctx *c)
{
	static const uint32_t bases[] = { 0x80000000u, 0x84000000u, 0xc4000000u, BH_HC_ID(0u), 0x8600ff00u };

	rt_random_seed(9);
	for (uint32_t i = 0u; (i < CALL_RANDOM) && !past_deadline(c); i++) {
		uint64_t r = rt_random();
		uint32_t fid = ((r & 1u) == 0u) ? (uint32_t)(r >> 32)
						: (bases[(r >> 1) % 5u] + (uint32_t)((r >> 8) & 0x1fu));
		if (!ends_the_caller(fid)) {
			(void)call3(((r >> 16) & 1u) != 0u, fid, rt_random(), rt_random(), rt_random());
		}
	}
}

/* --- PSCI -------------------------------------------------------------------- */

static void cpu_on_foreign(struct ctx *c)
{
	/* vCPUs it does not have, other clusters, Aff3, stray bits. */
	static const uint64_t mpidrs[] = { 2u, 3u, 4u, 0xffu, 0x100u, 0x101u, 0x10000u, 0x100000000ull, 0x80000000u };

	for (uint32_t i = 0u; i < (sizeof(mpidrs) / sizeof(mpidrs[0])); i++) {
		if (call3(false, PSCI_CPU_ON_64, mpidrs[i], (uint64_t)(uintptr_t)__ram_start, 0) !=
		    PSCI_RET_INVALID_PARAMETERS) {
			c->escape = "CPU_ON of a core it does not own was not refused";
		}
		/* The 32-bit call sees only the low half: Aff3 alone would name vCPU 0, itself. */
		if ((mpidrs[i] >> 32) == 0u) {
			if (call3(true, PSCI_CPU_ON_32, mpidrs[i], (uint64_t)(uintptr_t)__ram_start, 0) !=
			    PSCI_RET_INVALID_PARAMETERS) {
				c->escape = "CPU_ON (SMC, 32-bit) of a core it does not own was not refused";
			}
		}
	}
}

static void affinity_foreign(struct ctx *c)
{
	static const uint64_t mpidrs[] = { 2u, 3u, 0x100u, 0x10000u, 0x100000000ull };

	for (uint32_t i = 0u; i < (sizeof(mpidrs) / sizeof(mpidrs[0])); i++) {
		if (call3(false, PSCI_AFFINITY_INFO_64, mpidrs[i], 0, 0) != PSCI_RET_INVALID_PARAMETERS) {
			c->escape = "AFFINITY_INFO of a core it does not own answered";
		}
	}
	if (call3(false, PSCI_AFFINITY_INFO_64, 0, 1, 0) != PSCI_RET_INVALID_PARAMETERS) {
		c->escape = "AFFINITY_INFO of a cluster answered";
	}
}

static void cpu_on_bad_entry(struct ctx *c)
{
	uint64_t entries[] = { c->victim, c->hyp, c->ro, c->nx, 0u, ~0ull - 3u };

	for (uint32_t i = 0u; i < (sizeof(entries) / sizeof(entries[0])); i++) {
		if (call3(false, PSCI_CPU_ON_64, 1u, entries[i], 0) != PSCI_RET_INVALID_ADDRESS) {
			c->escape = "CPU_ON with an entry outside its executable memory was not refused";
		}
	}
}

static volatile uint32_t vcpu1_runs;

static void vcpu1_once(uint64_t arg)
{
	(void)arg;
	__atomic_fetch_add(&vcpu1_runs, 1u, __ATOMIC_RELEASE);
}

static void cpu_on_off_cycles(struct ctx *c)
{
	uint32_t cycles = 0u;

	vcpu1_runs = 0u;
	for (uint32_t i = 0u; (i < 40u) && !past_deadline(c); i++) {
		if (rt_cpu_on(1, vcpu1_once, 0) != PSCI_RET_SUCCESS) {
			c->escape = "CPU_ON of its own powered-off vCPU failed";
			return;
		}
		while ((rt_affinity_info(1) != PSCI_AFFINITY_OFF) && !past_deadline(c)) {
			__asm__ volatile("yield" : : : "memory");
		}
		cycles++;
	}
	c->detail = vcpu1_runs;
	if (vcpu1_runs != cycles) {
		c->escape = "its vCPU 1 did not run each time";
	}
}

static void on_own_timer(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	rt_timer_stop(RT_TIMER_VIRT);
}

static void suspend_storm(struct ctx *c)
{
	/* Each CPU_SUSPEND waits at EL2 for an interrupt: its own timer, due at
	 * once, which it then takes and ends, so that the next one can come. */
	rt_irq_set_handler(RT_IRQ_VTIMER, on_own_timer, NULL);
	rt_gic_enable(RT_IRQ_VTIMER);
	for (uint32_t i = 0u; (i < 1000u) && !past_deadline(c); i++) {
		rt_timer_start_at(RT_TIMER_VIRT, 0);
		if (call3((i & 1u) != 0u, PSCI_CPU_SUSPEND_64, 0, 0, 0) != PSCI_RET_SUCCESS) {
			c->escape = "CPU_SUSPEND failed";
		}
		rt_irq_unmask();
		__asm__ volatile("isb" : : : "memory");
		rt_irq_mask();
	}
	rt_timer_stop(RT_TIMER_VIRT);
	rt_gic_disable(RT_IRQ_VTIMER);
}

static void system_reset(struct ctx *c)
{
	(void)call3(false, PSCI_SYSTEM_RESET, 0, 0, 0);
	c->escape = "SYSTEM_RESET returned";
}

/* --- Console ---------------------------------------------------------------- */

static void console_foreign_buffers(struct ctx *c)
{
	uint64_t bufs[] = { c->victim, c->hyp, 0x09000000u, (uint64_t)(uintptr_t)__ram_end - 8u, ~0ull - 7u };

	for (uint32_t i = 0u; i < (sizeof(bufs) / sizeof(bufs[0])); i++) {
		if (call3(false, BH_HC_CONSOLE_WRITE, bufs[i], 16, 0) != BH_ERR_INVALID_ADDRESS) {
			c->escape = "a console write of a foreign buffer was not refused";
		}
	}
}

static void console_bad_characters(struct ctx *c)
{
	static const uint64_t chars[] = { 0x100u, 0xffffffffu, ~0ull };

	for (uint32_t i = 0u; i < (sizeof(chars) / sizeof(chars[0])); i++) {
		if (call3(false, BH_HC_CONSOLE_PUTC, chars[i], 0, 0) != BH_ERR_INVALID_PARAM) {
			c->escape = "an out-of-range character was not refused";
		}
	}
}

static void console_flood(struct ctx *c)
{
	static char line[BH_CONSOLE_WRITE_MAX];

	for (uint32_t i = 0u; i < sizeof(line); i++) {
		/* Control characters too: the hypervisor must print them harmless. */
		line[i] = (char)((i % 64u == 63u) ? '\n' : ((i % 16u == 7u) ? '\x1b' : ('a' + (char)(i % 26u))));
	}
	for (uint32_t i = 0u; (i < 20u) && !past_deadline(c); i++) {
		(void)call3(false, BH_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)line, sizeof(line), 0);
	}
}

static void incidents_bad_kind(struct ctx *c)
{
	if ((call3(false, BH_HC_INCIDENTS, BH_INCIDENT_KINDS, 0, 0) != BH_ERR_INVALID_PARAM) ||
	    (call3(true, BH_HC_INCIDENTS, ~0ull, 0, 0) != BH_ERR_INVALID_PARAM)) {
		c->escape = "INCIDENTS of an unknown kind answered";
	}
}

const struct vector call_vectors[] = {
	{ "HVC with every non-zero immediate", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_CALL, 0xffffu, 8, hvc_every_immediate },
	{ "SMC with every non-zero immediate", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_CALL, 0xffffu, 8, smc_every_immediate },
	{ "unknown hypercalls", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_CALL, CALL_UNKNOWN_IDS, 2, unknown_hypercalls },
	{ "yielding calls of every owner", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_CALL, CALL_YIELDING, 1, yielding_calls },
	{ "firmware workarounds, SiP, OEM, secure and unknown PSCI calls", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_CALL,
	  28, 1, firmware_calls },
	{ "random SMCCC calls", ON_ANY, EXPECT_ANY, 0, 0, 2, random_calls },
	{ "PSCI CPU_ON of cores it does not own", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_CALL, 17, 1, cpu_on_foreign },
	{ "PSCI AFFINITY_INFO of cores it does not own", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_CALL, 6, 1,
	  affinity_foreign },
	{ "PSCI CPU_ON with entries outside its memory", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_CALL, 6, 1,
	  cpu_on_bad_entry },
	{ "PSCI CPU_ON and CPU_OFF cycles of its own vCPU", ON_ANY, EXPECT_NOTHING, 0, 0, 2, cpu_on_off_cycles },
	{ "PSCI CPU_SUSPEND storm", ON_ANY, EXPECT_NOTHING, 0, 0, 1, suspend_storm },
	{ "PSCI SYSTEM_RESET of itself", ON_ANY, EXPECT_RESTART, 0, 0, 1, system_reset },
	{ "console writes of buffers it does not own", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_CONSOLE, 5, 1,
	  console_foreign_buffers },
	{ "console characters out of range", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_CONSOLE, 3, 1, console_bad_characters },
	{ "console flood with control characters", ON_ANY, EXPECT_NOTHING, 0, 0, 1, console_flood },
	{ "incident counters of unknown kinds", ON_ANY, EXPECT_REFUSED, BH_INCIDENT_CALL, 2, 1, incidents_bad_kind },
	{ NULL, 0, EXPECT_ANY, 0, 0, 0, NULL },
};
