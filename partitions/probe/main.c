/* SPDX-License-Identifier: MIT */
/*
 * Probe partition: calls the hypervisor the way a careless or hostile guest
 * would and checks every answer. Each check prints one line
 *   check <name>: got <value>, expected <value>: PASS|FAIL
 * then the partition restarts itself once (PSCI SYSTEM_RESET) and stops
 * (PSCI SYSTEM_OFF) on its second life. Run it with at least 2 vCPUs.
 */
#include <bulkhead/hypercall.h>
#include <bulkhead/psci.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "bhrt.h"
/* The runtime's secondary entry: the probe makes one CPU_ON call by hand (cpu_on_smc32). */
#include "bhrt_start.h"

static unsigned failures;
static unsigned checks;

static void check(const char *name, int64_t got, int64_t expected)
{
	bool ok = got == expected;

	printf("check %s: got %ld, expected %ld: %s\n", name, (long)got, (long)expected,
	       ok ? "PASS" : "FAIL");
	failures += ok ? 0u : 1u;
	checks++;
}

/* Exceptions the probe provokes on purpose: counted, then stepped over. */
static volatile uint32_t undefs;
/* PSTATE.DAIF in the handler of the last: an exception entry masks all four. */
static volatile uint64_t undef_daif;

static bool on_exception(uint64_t esr, uint64_t elr, uint64_t far)
{
	(void)elr;
	(void)far;
	if ((esr >> 26) == 0u) {
		__asm__ volatile("mrs %0, daif" : "=r"(undef_daif));
		undefs++;
		return true;
	}
	return false;
}

/* Undefined instructions the hypervisor injected (counted as register incidents). */
static uint32_t injected_undefs;

static volatile uint32_t secondary_ran;

static void secondary(uint64_t arg)
{
	__atomic_store_n(&secondary_ran, (uint32_t)arg, __ATOMIC_RELEASE);
}

/* CPU_ON by the SMC32 convention: its arguments are the low halves of x1-x3 (the upper halves are
 * set here and must be ignored), and x4 is none of them (0 here: a context id of 0 would start
 * nothing in the runtime, whose vCPU 0 has no secondary function). */
static int64_t cpu_on_smc32(uint32_t vcpu)
{
	register uint64_t x0 __asm__("x0") = PSCI_CPU_ON_32;
	register uint64_t x1 __asm__("x1") = vcpu | (0xab00ull << 32);
	register uint64_t x2 __asm__("x2") = (uint64_t)(uintptr_t)rt_secondary_entry | (0x12ull << 32);
	register uint64_t x3 __asm__("x3") = vcpu | (0x56ull << 32);
	register uint64_t x4 __asm__("x4") = 0u;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : "r"(x4) : "memory");
	return (int64_t)(int32_t)x0;
}

/* AFFINITY_INFO of vCPU 1 once it is off again, or after a bound. */
static int vcpu1_off(void)
{
	int state = PSCI_AFFINITY_ON;

	for (int i = 0; (i < 100000) && (state != PSCI_AFFINITY_OFF); i++) {
		state = rt_affinity_info(1);
	}
	return state;
}

static uint32_t secondary_result(void)
{
	for (int i = 0; (i < 100000) && (__atomic_load_n(&secondary_ran, __ATOMIC_ACQUIRE) == 0); i++) {
		rt_delay_us(10);
	}
	return secondary_ran;
}

static uint64_t incidents(uint32_t kind)
{
	struct rt_smccc_res r = rt_hvc(BH_HC_INCIDENTS, kind, 0, 0);

	return (r.x0 == BH_OK) ? r.x1 : (uint64_t)r.x0;
}

static void psci_checks(const struct rt_info *info)
{
	check("psci-version", rt_hvc(PSCI_VERSION, 0, 0, 0).x0, 0x10001);
	check("psci-version-via-smc", rt_smc(PSCI_VERSION, 0, 0, 0).x0, 0x10001);
	check("psci-features-cpu-on", rt_hvc(PSCI_FEATURES, PSCI_CPU_ON_64, 0, 0).x0, PSCI_RET_SUCCESS);
	check("psci-features-unknown", rt_hvc(PSCI_FEATURES, 0x84000005u, 0, 0).x0, PSCI_RET_NOT_SUPPORTED);
	check("psci-migrate-info-type", rt_hvc(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0).x0, PSCI_TOS_NOT_PRESENT_MP);
	check("cpu-on-foreign-core", rt_hvc(PSCI_CPU_ON_64, info->n_vcpus, 0x40000000u, 0).x0,
	      PSCI_RET_INVALID_PARAMETERS);
	check("cpu-on-foreign-cluster", rt_hvc(PSCI_CPU_ON_64, 0x100, 0x40000000u, 0).x0, PSCI_RET_INVALID_PARAMETERS);
	check("cpu-on-self", rt_hvc(PSCI_CPU_ON_64, 0, 0x40000000u, 0).x0, PSCI_RET_ALREADY_ON);
	check("cpu-on-bad-entry", rt_hvc(PSCI_CPU_ON_64, 1, 0x0, 0).x0, PSCI_RET_INVALID_ADDRESS);
	check("cpu-on-entry-past-ram", rt_hvc(PSCI_CPU_ON_64, 1, (uint64_t)(uintptr_t)__ram_end, 0).x0,
	      PSCI_RET_INVALID_ADDRESS);
	uint64_t refused_before = incidents(BH_INCIDENT_CALL);
	check("affinity-info-foreign", rt_hvc(PSCI_AFFINITY_INFO_64, info->n_vcpus, 0, 0).x0,
	      PSCI_RET_INVALID_PARAMETERS);
	check("affinity-info-level", rt_hvc(PSCI_AFFINITY_INFO_64, 0, 1, 0).x0, PSCI_RET_INVALID_PARAMETERS);
	uint64_t refused_after = incidents(BH_INCIDENT_CALL);
	check("affinity-info-off", rt_affinity_info(1), PSCI_AFFINITY_OFF);
	/* A refusal is an incident; an answer, whatever the state it gives, is not. */
	check("affinity-info-refusals-counted", (int64_t)(refused_after - refused_before), 2);
	check("affinity-info-answer-not-counted", (int64_t)(incidents(BH_INCIDENT_CALL) - refused_after), 0);
	check("cpu-on-own", rt_cpu_on(1, secondary, 42), PSCI_RET_SUCCESS);
	check("secondary-ran", secondary_result(), 42);
	check("affinity-info-after-cpu-off", vcpu1_off(), PSCI_AFFINITY_OFF);
	__atomic_store_n(&secondary_ran, 0u, __ATOMIC_RELEASE);
	rt_secondary_set(1, secondary, 43);
	check("cpu-on-smc32", cpu_on_smc32(1), PSCI_RET_SUCCESS);
	check("secondary-ran-smc32", secondary_result(), 43);
	check("affinity-info-after-smc32-cpu-off", vcpu1_off(), PSCI_AFFINITY_OFF);
}

static void hypercall_checks(const struct rt_info *info)
{
	static const char msg[] = "console write through a buffer\n";

	check("smccc-version", rt_hvc(0x80000000u, 0, 0, 0).x0, 0x10001);
	struct rt_smccc_res uid = rt_hvc(BH_HC_CALL_UID, 0, 0, 0);
	check("call-uid", (uid.x0 == BH_UID_0) && (uid.x1 == BH_UID_1) && (uid.x2 == BH_UID_2) && (uid.x3 == BH_UID_3), 1);
	struct rt_smccc_res v = rt_hvc(BH_HC_VERSION, 0, 0, 0);
	check("version", v.x0 == BH_OK ? (int64_t)v.x1 : v.x0, (BH_ABI_MAJOR << 16) | BH_ABI_MINOR);
	check("info-vcpus", info->n_vcpus, 2);
	check("unknown-hypercall", rt_hvc(BH_HC_ID(0x7777u), 0, 0, 0).x0, BH_ERR_NOT_SUPPORTED);
	check("unknown-smc", rt_smc(0xc2000000u, 0, 0, 0).x0, BH_ERR_NOT_SUPPORTED);
	check("yielding-call", rt_hvc(0x06000000u, 0, 0, 0).x0, BH_ERR_NOT_SUPPORTED);
	register uint64_t x0 __asm__("x0") = BH_HC_VERSION;
	__asm__ volatile("hvc #1" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	check("hvc-nonzero-immediate", (int64_t)x0, BH_ERR_NOT_SUPPORTED);
	/* A trapped SMC with a non-zero immediate is refused alike, even with a served function id. */
	x0 = PSCI_VERSION;
	__asm__ volatile("smc #1" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	check("smc-nonzero-immediate", (int64_t)x0, BH_ERR_NOT_SUPPORTED);
	check("putc-out-of-range", rt_hvc(BH_HC_CONSOLE_PUTC, 0x1000, 0, 0).x0, BH_ERR_INVALID_PARAM);
	check("write-null", rt_hvc(BH_HC_CONSOLE_WRITE, 0, 16, 0).x0, BH_ERR_INVALID_ADDRESS);
	check("write-past-ram", rt_hvc(BH_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)__ram_end - 8u, 16, 0).x0,
	      BH_ERR_INVALID_ADDRESS);
	check("write-wrapping", rt_hvc(BH_HC_CONSOLE_WRITE, ~0ull - 7u, 16, 0).x0, BH_ERR_INVALID_ADDRESS);
	check("write-zero-length", rt_hvc(BH_HC_CONSOLE_WRITE, 0, 0, 0).x0, BH_OK);
	struct rt_smccc_res w = rt_hvc(BH_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)msg, strlen(msg), 0);
	check("write-buffer", w.x0 == BH_OK ? (int64_t)w.x1 : w.x0, (int64_t)strlen(msg));
	memset(__free_start, '-', 1024);
	w = rt_hvc(BH_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)__free_start, 1u << 20, 0);
	(void)rt_hvc(BH_HC_CONSOLE_PUTC, '\n', 0, 0);
	check("write-clamped", w.x0 == BH_OK ? (int64_t)w.x1 : w.x0, BH_CONSOLE_WRITE_MAX);
}

static uint64_t field(uint64_t v, unsigned shift)
{
	return (v >> shift) & 0xfu;
}

static void trap_checks(void)
{
	uint64_t v;

	/* Every feature REQ-TRP-005 lists, field by field. */
	__asm__ volatile("mrs %0, id_aa64dfr0_el1" : "=r"(v));
	check("trace-hidden", (int64_t)field(v, 4), 0);
	check("pmu-hidden", (int64_t)field(v, 8), 0);
	check("spe-hidden", (int64_t)field(v, 32), 0);
	check("trace-filter-hidden", (int64_t)field(v, 40), 0);
	check("trace-buffer-hidden", (int64_t)field(v, 44), 0);
	__asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(v));
	/* What is not hidden is the cpu's own: EL0 and EL1 are AArch64 (1 or 2), read from
	 * this very register (the trap decodes op2, CRm: not a neighbour's). */
	check("pfr0-el0-el1-aarch64", (field(v, 0) != 0u) && (field(v, 4) != 0u), 1);
	check("sve-hidden", (int64_t)field(v, 32), 0);
	check("mpam-hidden", (int64_t)field(v, 40), 0);
	check("amu-hidden", (int64_t)field(v, 44), 0);
	__asm__ volatile("mrs %0, id_aa64pfr1_el1" : "=r"(v));
	check("mte-hidden", (int64_t)field(v, 8), 0);
	check("mpam-frac-hidden", (int64_t)field(v, 16), 0);
	check("sme-hidden", (int64_t)field(v, 24), 0);
	__asm__ volatile("mrs %0, id_aa64mmfr1_el1" : "=r"(v));
	check("lor-hidden", (int64_t)field(v, 16), 0);
	__asm__ volatile("mrs %0, s3_0_c0_c1_2" : "=r"(v));     /* ID_DFR0_EL1 */
	check("pmu32-hidden", (int64_t)field(v, 24), 0);

	rt_set_exception_hook(on_exception);
	uint32_t before = undefs;
	__asm__ volatile("mrs %0, s3_1_c15_c2_1" : "=r"(v) : : "memory");   /* implementation defined */
	check("impdef-register-undefined", undefs - before, 1);
	before = undefs;
	/* Taken with IRQs unmasked (none is enabled): the injected exception must mask them again. */
	uint64_t daif;
	__asm__ volatile("mrs %0, daif\n\tmsr daifclr, #2\n\tmrs %1, pmcr_el0\n\tmsr daif, %0"
			 : "=&r"(daif), "=r"(v) : : "memory");
	check("pmu-register-undefined", undefs - before, 1);
	check("undefined-masks-exceptions", (int64_t)((undef_daif >> 6) & 0xfu), 0xf);
	/* Injected by the hypervisor as the cpu would raise it: at the current EL's SPx vector (4). */
	check("undefined-at-current-el-vector", rt_exception_vector(), 4);
	/* These two trap to the hypervisor, which injects the exception; an ID register
	 * write below is undefined at EL1 by the core itself. */
	injected_undefs = undefs;
	before = undefs;
	__asm__ volatile("msr s3_0_c0_c4_0, %0" : : "r"(0ul) : "memory");  /* ID_AA64PFR0_EL1 */
	check("id-register-write-undefined", undefs - before, 1);
	before = undefs;
	__asm__ volatile("msr actlr_el1, %0\n\tmrs %0, actlr_el1" : "+r"(v) : : "memory");
	check("actlr-reads-zero", (int64_t)v, 0);
	/* A trapped MSR reads its source register and leaves it as it was. */
	v = 0x5a5aul;
	__asm__ volatile("msr actlr_el1, %0" : "+r"(v) : : "memory");
	check("msr-keeps-its-source", (int64_t)v, 0x5a5a);
	/* Set/way 0 twice, the first from XZR: the trap must read that operand as 0 too. */
	__asm__ volatile("dc cisw, xzr\n\tdc isw, %0" : : "r"(0ul) : "memory");
	__asm__ volatile("dc csw, %0" : : "r"(0x40ul) : "memory");
	check("set-way-emulated", undefs - before, 0);
	rt_set_exception_hook(NULL);
}

static void dtb_checks(void)
{
	uint32_t len = 0;
	const char *model = rt_fdt_property("", "model", &len);

	check("dtb-present", rt_fdt_size() != 0, 1);
	check("dtb-model", (model != NULL) && (strcmp(model, "probe") == 0), 1);
	check("dtb-bootargs", (int64_t)rt_bootarg("answer", 0), 42);
}

/* Everything refused above was counted, by kind: 6 PSCI and 5 other calls,
 * 4 console calls, and each undefined instruction the hypervisor injected. */
static void incident_checks(void)
{
	check("incidents-call", (int64_t)incidents(BH_INCIDENT_CALL), 11);
	check("incidents-console", (int64_t)incidents(BH_INCIDENT_CONSOLE), 4);
	check("incidents-register", (int64_t)incidents(BH_INCIDENT_REGISTER), injected_undefs);
	check("incidents-unknown-kind", rt_hvc(BH_HC_INCIDENTS, BH_INCIDENT_KINDS, 0, 0).x0, BH_ERR_INVALID_PARAM);
}

/* /chosen's per-boot seeds as this life found them (REQ-LNX-007): the first 8 bytes of each, or none. */
static void print_seeds(void)
{
	uint32_t klen = 0;
	uint32_t rlen = 0;
	const uint8_t *kaslr = rt_fdt_property("chosen", "kaslr-seed", &klen);
	const uint8_t *rng = rt_fdt_property("chosen", "rng-seed", &rlen);
	uint64_t k = 0;
	uint64_t r = 0;

	if ((kaslr == NULL) && (rng == NULL)) {
		printf("seeds: none\n");
		return;
	}
	for (uint32_t i = 0; (kaslr != NULL) && (i < 8u) && (i < klen); i++) {
		k = (k << 8) | kaslr[i];
	}
	for (uint32_t i = 0; (rng != NULL) && (i < 8u) && (i < rlen); i++) {
		r = (r << 8) | rng[i];
	}
	printf("seeds: kaslr %u bytes %016lx, rng %u bytes %016lx\n", (unsigned)klen, (unsigned long)k, (unsigned)rlen,
	       (unsigned long)r);
}

/* EL1 registers a restart must reset (the hypervisor's el1_reset) that nothing before main touches:
 * no exception is taken before it, and the runtime uses none of them. Two lists, printed on a line
 * each: one line of all of them would pass a console record's length. */
#define EL1_KEPT(X) X(elr_el1) X(spsr_el1) X(afsr0_el1) X(afsr1_el1) X(contextidr_el1) X(tpidrro_el0) \
	X(esr_el1) X(far_el1)
#define EL1_KEPT_MORE(X) X(tpidr_el1) X(tpidr_el0) X(par_el1) X(csselr_el1) X(cntkctl_el1) X(mdscr_el1) \
	X(sp_el0)
#define EL1_READ(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define EL1_PRINT(r) printf(" %s 0x%lx", #r, (unsigned long)EL1_READ(r));
#define EL1_NAME(r) #r,
#define EL1_VALUE(r) EL1_READ(r),

/* EL1 registers the runtime itself sets before main (the MMU, FP/SIMD access, the vectors): the
 * values vCPU 0 found at entry are rt_entry_el1's, in this order. */
#define EL1_SET_AT_ENTRY_FIRST(X) X(sctlr_el1) X(tcr_el1) X(ttbr0_el1) X(ttbr1_el1)
#define EL1_SET_AT_ENTRY_MORE(X) X(mair_el1) X(amair_el1) X(cpacr_el1) X(vbar_el1)
#define EL1_SET_AT_ENTRY(X) EL1_SET_AT_ENTRY_FIRST(X) EL1_SET_AT_ENTRY_MORE(X)

/* Four on a line (a console record's length). */
static void print_el1_at_entry(void)
{
	static const char *const names[] = { EL1_SET_AT_ENTRY(EL1_NAME) };

	for (size_t i = 0u; i < sizeof(names) / sizeof(names[0]); i++) {
		printf("%s %s 0x%lx", ((i % 4u) == 0u) ? "EL1 at entry:" : "", names[i], (unsigned long)rt_entry_el1[i]);
		if ((i % 4u) == 3u) {
			printf("\n");
		}
	}
}

/* What this life finds in them, or (before the reset) what it leaves. */
static void print_el1_kept(const char *when)
{
	printf("EL1 %s:", when);
	EL1_KEPT(EL1_PRINT)
	printf("\nEL1 %s:", when);
	EL1_KEPT_MORE(EL1_PRINT)
	printf("\n");
}

/* Leaves a value in each for the next life to find reset (IRQs masked: no exception overwrites them).
 * CSSELR_EL1 2 selects the level 2 data cache; CNTKCTL_EL1 1 lets EL0 read the physical counter;
 * MDSCR_EL1 bit 12 (TDCC) traps EL0's debug channel; SP_EL0 is EL0's stack pointer (this life runs
 * on SP_EL1): none changes what this life still does. */
static void dirty_el1_kept(void)
{
	__asm__ volatile("msr daifset, #0xf" : : : "memory");
	__asm__ volatile("msr elr_el1, %0\n\tmsr spsr_el1, %1\n\tmsr afsr0_el1, %2\n\tmsr afsr1_el1, %2\n\t"
			 "msr contextidr_el1, %3\n\tmsr tpidrro_el0, %4\n\tmsr esr_el1, %5\n\tmsr far_el1, %6\n\tisb"
			 : : "r"(0x40001234ul), "r"(0x3c5ul), "r"(1ul), "r"(0x55ul), "r"(0x66ul), "r"(0x96000045ul),
			   "r"(0x40002000ul) : "memory");
	__asm__ volatile("msr tpidr_el1, %0\n\tmsr tpidr_el0, %1\n\tmsr par_el1, %2\n\tmsr csselr_el1, %3\n\t"
			 "msr cntkctl_el1, %4\n\tmsr mdscr_el1, %5\n\tmsr sp_el0, %6\n\tisb"
			 : : "r"(0x77ul), "r"(0x88ul), "r"(0x40003000ul), "r"(2ul), "r"(1ul), "r"(1ul << 12), "r"(0x40005000ul)
			 : "memory");
	/* TTBR1_EL1 and AMAIR_EL1, which the runtime leaves zero: TCR_EL1.EPD1 keeps TTBR1 unwalked. */
	__asm__ volatile("msr ttbr1_el1, %0\n\tmsr amair_el1, %1\n\tisb" : : "r"(0x40004000ul), "r"(0x44ul) : "memory");
	print_el1_kept("left");
	printf("EL1 set at entry, left:");
	EL1_SET_AT_ENTRY_FIRST(EL1_PRINT)
	printf("\nEL1 set at entry, left:");
	EL1_SET_AT_ENTRY_MORE(EL1_PRINT)
	printf("\n");
}

int main(void)
{
	static const char *const el1_names[] = { EL1_KEPT(EL1_NAME) EL1_KEPT_MORE(EL1_NAME) };
	uint64_t el1_kept[] = { EL1_KEPT(EL1_VALUE) EL1_KEPT_MORE(EL1_VALUE) };
	uint64_t virt = rt_counter();
	uint64_t phys;
	struct rt_info info = rt_partition_info();

	__asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(phys));
	print_seeds();
	if (info.restarts > 0) {
		printf("restarted %u time(s) after SYSTEM_RESET\n", (unsigned)info.restarts);
		/* The virtual count restarted with the partition; the physical one did not. */
		printf("counter at start: virtual %lu, physical %lu\n", (unsigned long)virt, (unsigned long)phys);
		/* Eight on the first line, the rest on a second (a console record's length). */
		for (size_t i = 0u; i < sizeof(el1_kept) / sizeof(el1_kept[0]); i++) {
			if ((i % 8u) == 0u) {
				printf("%sEL1 at start:", (i == 0u) ? "" : "\n");
			}
			printf(" %s 0x%lx", el1_names[i], (unsigned long)el1_kept[i]);
		}
		printf("\n");
		print_el1_at_entry();
		return 0;
	}
	psci_checks(&info);
	hypercall_checks(&info);
	trap_checks();
	dtb_checks();
	incident_checks();
	printf("probe finished: %u checks, %u failure(s)\n", checks, failures);
	dirty_el1_kept();
	printf("counter before the reset: virtual %lu\n", (unsigned long)rt_counter());
	fflush(stdout);
	rt_system_reset();
}
