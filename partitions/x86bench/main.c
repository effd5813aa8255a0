/* SPDX-License-Identifier: MIT */
/*
 * x86 benchmark guest (tests/bench/bench_x86.py, docs/benchmarks.md): a
 * partition of two vCPUs under Bulkhead on SVM, run in QEMU's -icount mode.
 * The figures are the hypervisor's instructions per event, counted by the
 * tracepoints plugin between the phase markers below; the guest itself only
 * makes the events happen, EVENTS of each after WARMUP:
 *
 *   hypercall  VMMCALL BH_HC_VERSION (the #VMEXIT, its dispatch, the VMRUN)
 *   ipi        vCPU 1 waits in HLT; vCPU 0 writes the x2APIC ICR with vCPU
 *              1's id and a doorbell vector, then waits until vCPU 1's IDT
 *              took it: the trapped WRMSR on core 0, the kick, the HLT exit
 *              ending and the injection on core 1
 *   timerarm   vCPU 0 arms its local APIC timer, one-shot (the trapped WRMSR
 *              of the initial count: the register written, the core's
 *              physical timer armed)
 *   timer      then spins, interrupts open, until its IDT took the timer's
 *              vector: the physical timer's interrupt exits the guest, the
 *              hypervisor raises the vector and resumes the guest with it
 *              (issue 13's "LAPIC timer interrupt", from the timer's exit to
 *              the VMRUN that presents the vector)
 *   doorbell   a round trip over channel "bell" to a second partition running
 *              this program as the channel's end 1 (the peer): vCPU 0 rings
 *              (BH_HC_DOORBELL) and waits in HLT; the peer, waiting in HLT,
 *              takes it and rings back. Two doorbells, each the VMMCALL, the
 *              raise and kick, the HLT exit ending and the injection
 *
 * The peer must be quiet while anything is measured (the plugin counts every
 * core): end 0 starts only once the peer says it waits, and stops it only
 * after its last mark. Channel "bell" is two-way, so each end writes only its
 * own page of it (docs/channels.md): the peer's flag in page 0, end 0's in
 * page 1.
 *
 * Each event starts with a call of its phase's marker function
 * (bench_phase_<name>, never inlined) that the plugin takes as its mark.
 * Output: "result <phase>: events <n>" per phase, then "bench done".
 */
#include <bulkhead/hypercall.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "bhrt.h"
#include "bhrt_channel.h"
#include "bhrt_x86.h"

#define EVENTS 1000u
#define WARMUP 16u
#define IPI_VECTOR 0x42u
#define TIMER_VECTOR 0x43u
#define TIMER_COUNT 20000u      /* TSC ticks (the timer's clock at divide 1): 20 us under -icount */
#define MSR_SVR 0x80fu
#define MSR_LVT_TIMER 0x832u
#define MSR_TIMER_INITIAL 0x838u
#define MSR_TIMER_DIVIDE 0x83eu
#define SVR_ENABLED 0x100u
#define DIVIDE_1 0xbu
#define PATIENCE_S 20u   /* a loaded host runs TCG slowly; -icount time is instructions */

#define BELL_PEER_READY 0u      /* word offsets into the channel: page 0, the peer's */
#define BELL_STOP (0x1000u / 4u) /* page 1, end 0's */

enum phase { PHASE_IDLE, PHASE_HYPERCALL, PHASE_IPI, PHASE_TIMERARM, PHASE_TIMER, PHASE_DOORBELL };

/* Written by each marker, so that no two markers are identical functions. */
volatile uint32_t bench_phase;

#define MARKER __attribute__((noipa, used))
MARKER void bench_phase_idle(void);
MARKER void bench_phase_hypercall(void);
MARKER void bench_phase_ipi(void);
MARKER void bench_phase_timerarm(void);
MARKER void bench_phase_timer(void);
MARKER void bench_phase_doorbell(void);
MARKER void bench_phase_idle(void) { bench_phase = PHASE_IDLE; }
MARKER void bench_phase_hypercall(void) { bench_phase = PHASE_HYPERCALL; }
MARKER void bench_phase_ipi(void) { bench_phase = PHASE_IPI; }
MARKER void bench_phase_doorbell(void) { bench_phase = PHASE_DOORBELL; }

static volatile uint32_t vcpu1_apic_id;
static volatile uint32_t vcpu1_ready;
static volatile uint32_t vcpu1_stop;

/* One VMMCALL BH_HC_VERSION, with nothing else around it (rt_hvc first reads the vendor). */
static int64_t null_hypercall(void)
{
	register uint64_t rax __asm__("rax") = BH_HC_VERSION;

	__asm__ volatile("vmmcall" : "+r"(rax) : : "rdi", "rsi", "rdx", "memory");
	return (int64_t)rax;
}

static int bench_hypercall(void)
{
	for (uint32_t i = 0; i < WARMUP; i++) {
		(void)null_hypercall();
	}
	int64_t version = 0;
	for (uint32_t i = 0; i < EVENTS; i++) {
		bench_phase_hypercall();
		version |= null_hypercall();
	}
	bench_phase_idle();
	if (version < 0) {
		printf("x86bench: BH_HC_VERSION failed: %lld\n", (long long)version);
		return -1;
	}
	printf("result hypercall: events %u\n", EVENTS);
	return 0;
}

static void vcpu1(uint64_t arg)
{
	(void)arg;
	if (rt_doorbell_enable(IPI_VECTOR) != 0) {
		rt_cpu_off();
	}
	vcpu1_apic_id = (uint32_t)x86_rdmsr(X86_MSR_X2APIC_ID);
	__atomic_store_n(&vcpu1_ready, 1u, __ATOMIC_RELEASE);
	while (__atomic_load_n(&vcpu1_stop, __ATOMIC_ACQUIRE) == 0u) {
		__asm__ volatile("sti; hlt; cli");   /* the HLT exit waits in the hypervisor for the IPI */
	}
	rt_cpu_off();
}

/* Waits up to PATIENCE_S seconds for rt_doorbell_count(IPI_VECTOR) on vCPU 1 to reach `n`. */
static int wait_taken(uint32_t n)
{
	uint64_t end = rt_counter() + PATIENCE_S * rt_counter_hz();

	while (rt_doorbell_count(IPI_VECTOR) < n) {
		if (rt_counter() >= end) {
			return -1;
		}
		__asm__ volatile("pause");
	}
	return 0;
}

static int bench_ipi(void)
{
	if (rt_cpu_on(1u, vcpu1, 0u) != 0) {
		printf("result ipi: skipped (CPU_ON of vCPU 1 refused)\n");
		return -1;
	}
	uint64_t end = rt_counter() + PATIENCE_S * rt_counter_hz();
	while (__atomic_load_n(&vcpu1_ready, __ATOMIC_ACQUIRE) == 0u) {
		if (rt_counter() >= end) {
			printf("result ipi: skipped (vCPU 1 never came up)\n");
			return -1;
		}
		__asm__ volatile("pause");
	}
	uint64_t icr = ((uint64_t)vcpu1_apic_id << 32) | IPI_VECTOR;
	for (uint32_t i = 0; i < WARMUP + EVENTS; i++) {
		if (i >= WARMUP) {
			bench_phase_ipi();
		}
		x86_wrmsr(X86_MSR_X2APIC_ICR, icr);
		if (wait_taken(i + 1u) != 0) {
			bench_phase_idle();
			printf("result ipi: skipped (IPI %u never taken)\n", (unsigned)i);
			return -1;
		}
	}
	bench_phase_idle();
	__atomic_store_n(&vcpu1_stop, 1u, __ATOMIC_RELEASE);
	x86_wrmsr(X86_MSR_X2APIC_ICR, icr);
	printf("result ipi: events %u\n", EVENTS);
	return 0;
}

/* Waits in HLT, up to PATIENCE_S seconds, until `vector` has rung `n` times on this vCPU. */
/*
 * The doorbell phase's HLTs, in a function of their own on a 256-byte
 * boundary: the SVM back end decodes each trapped HLT from the 15 bytes at
 * RIP, and when they cross a page it walks both pages and copies (about
 * 430 instructions more per HLT), so where the compiler happened to put an
 * inlined HLT would decide the doorbell's figure.
 */
static __attribute__((noinline, aligned(256))) int halt_until_rung(uint32_t vector, uint32_t n, uint64_t end)
{
	while (rt_doorbell_count(vector) < n) {
		if (rt_counter() >= end) {
			return -1;
		}
		__asm__ volatile("sti; hlt; cli");   /* a doorbell that rang before the HLT ends it at once */
	}
	return 0;
}

static int sleep_until_rung(uint32_t vector, uint32_t n)
{
	return halt_until_rung(vector, n, rt_counter() + PATIENCE_S * rt_counter_hz());
}

static int ring(const struct rt_channel_info *bell)
{
	return (int)rt_hvc(BH_HC_DOORBELL, bell->id, 0u, 0u).x0;
}

/* End 1 of "bell": answers each doorbell with one until end 0 raises its stop flag. */
static int bell_peer(const struct rt_channel_info *bell)
{
	volatile uint32_t *shared = (volatile uint32_t *)(uintptr_t)bell->ipa;
	uint32_t answered = 0u;

	if (rt_doorbell_enable(bell->doorbell) != 0) {
		printf("peer: doorbell 0x%x refused\n", (unsigned)bell->doorbell);
		return 1;
	}
	printf("peer: waiting on 0x%x\n", (unsigned)bell->doorbell);
	__atomic_store_n(&shared[BELL_PEER_READY], 1u, __ATOMIC_RELEASE);
	for (;;) {
		(void)halt_until_rung(bell->doorbell, answered + 1u, ~0ULL);   /* no deadline: end 0 may measure a while */
		answered++;
		if (__atomic_load_n(&shared[BELL_STOP], __ATOMIC_ACQUIRE) != 0u) {
			break;
		}
		if (ring(bell) != BH_OK) {
			printf("peer: ring back refused\n");
			return 1;
		}
	}
	printf("peer: answered %u doorbells\n", (unsigned)(answered - 1u));
	return 0;
}

static int bench_doorbell(const struct rt_channel_info *bell)
{
	volatile uint32_t *shared = (volatile uint32_t *)(uintptr_t)bell->ipa;

	if (rt_doorbell_enable(bell->doorbell) != 0) {
		printf("result doorbell: skipped (doorbell 0x%x refused)\n", (unsigned)bell->doorbell);
		return -1;
	}
	for (uint32_t i = 0; i < WARMUP + EVENTS; i++) {
		if (i >= WARMUP) {
			bench_phase_doorbell();
		}
		if ((ring(bell) != BH_OK) || (sleep_until_rung(bell->doorbell, i + 1u) != 0)) {
			bench_phase_idle();
			printf("result doorbell: skipped (round trip %u never came back)\n", (unsigned)i);
			return -1;
		}
	}
	bench_phase_idle();
	__atomic_store_n(&shared[BELL_STOP], 1u, __ATOMIC_RELEASE);
	(void)ring(bell);
	printf("result doorbell: events %u\n", EVENTS);
	return 0;
}

/* Waits until the peer (end 1 of "bell") waits on its doorbell, so that it adds nothing to the counts. */
static int peer_ready(const struct rt_channel_info *bell)
{
	volatile uint32_t *shared = (volatile uint32_t *)(uintptr_t)bell->ipa;
	uint64_t end = rt_counter() + PATIENCE_S * rt_counter_hz();

	while (__atomic_load_n(&shared[BELL_PEER_READY], __ATOMIC_ACQUIRE) == 0u) {
		if (rt_counter() >= end) {
			return -1;
		}
		__asm__ volatile("pause");
	}
	return 0;
}

/*
 * The timer's markers and phase come last in the file, so that the code
 * of the other phases keeps its addresses: where a trapped instruction
 * lies decides whether its decode copies it across a page boundary.
 */
MARKER void bench_phase_timerarm(void) { bench_phase = PHASE_TIMERARM; }
MARKER void bench_phase_timer(void) { bench_phase = PHASE_TIMER; }

/* Arms the one-shot timer, then spins with interrupts open until its vector was taken `n` times. */
static int timer_once(uint32_t n, bool measured)
{
	uint64_t end = rt_counter() + PATIENCE_S * rt_counter_hz();

	if (measured) {
		bench_phase_timerarm();
	}
	x86_wrmsr(MSR_TIMER_INITIAL, TIMER_COUNT);
	if (measured) {
		bench_phase_timer();
	}
	while (rt_doorbell_count(TIMER_VECTOR) < n) {
		if (rt_counter() >= end) {
			return -1;
		}
		__asm__ volatile("pause");
	}
	return 0;
}

static int bench_timer(void)
{
	if (rt_doorbell_enable(TIMER_VECTOR) != 0) {
		printf("result timer: skipped (vector 0x%x refused)\n", (unsigned)TIMER_VECTOR);
		return -1;
	}
	x86_wrmsr(MSR_SVR, SVR_ENABLED | 0xffu);
	x86_wrmsr(MSR_TIMER_DIVIDE, DIVIDE_1);
	x86_wrmsr(MSR_LVT_TIMER, TIMER_VECTOR);   /* one-shot, unmasked */
	for (uint32_t i = 0; i < WARMUP + EVENTS; i++) {
		if (timer_once(i + 1u, i >= WARMUP) != 0) {
			bench_phase_idle();
			printf("result timer: skipped (timer %u never taken)\n", (unsigned)i);
			return -1;
		}
	}
	bench_phase_idle();
	printf("result timerarm: events %u\n", EVENTS);
	printf("result timer: events %u\n", EVENTS);
	return 0;
}

int main(void)
{
	struct rt_channel_info bell;
	bool have_bell = rt_channel_find("bell", &bell) == 0;
	int rc = 0;

	if (have_bell && (bell.end == 1u)) {
		return bell_peer(&bell);
	}
	if (have_bell && (peer_ready(&bell) != 0)) {
		printf("x86bench: the doorbell's peer never came up\n");
		have_bell = false;
	}
	bench_phase_idle();
	rc |= bench_hypercall();
	rc |= bench_ipi();
	rc |= bench_timer();
	if (have_bell) {
		rc |= bench_doorbell(&bell);
	} else {
		printf("result doorbell: skipped (no channel \"bell\" to a peer)\n");
	}
	printf("bench done\n");
	return rc == 0 ? 0 : 1;
}
