/* SPDX-License-Identifier: MIT */
/*
 * A fake architecture for running core/ on the host: every arch_* hook is
 * recorded, and the hooks that never return on hardware (cpu stop, vCPU
 * entry, system off) jump back to the test with fake_run(). It speaks core's
 * power model only (enum cpu_power, enum core_status): no PSCI.
 */
#ifndef FAKE_ARCH_H
#define FAKE_ARCH_H

#include <setjmp.h>
#include <stdint.h>
#include "arch.h"
#include "types.h"

enum fake_exit {
	FAKE_RETURNED = 0,     /* the code under test returned normally */
	FAKE_STOP,             /* arch_cpu_stop() */
	FAKE_VCPU_ENTER,       /* arch_vcpu_enter() */
	FAKE_SYSTEM_OFF,       /* arch_system_off() */
	FAKE_HUNG,             /* arch_cpu_relax() called FAKE_RELAX_LIMIT times: a wait that never ends */
};

/* More waiting than any bounded wait of core/ needs on the fake (STOP_WAIT_POLLS per core). */
#define FAKE_RELAX_LIMIT 50000000u

#define CONFIG_MAX_CORES_FAKE 8
/* arch_counter() ticks per second: one per microsecond. */
#define FAKE_COUNTER_HZ 1000000u

struct fake_mapping {
	uint32_t part;
	uint64_t ipa, pa, size;
	uint8_t access;
	bool device;
};

struct fake_state {
	struct cpu *current;
	uint64_t counter;              /* what arch_counter() returns */
	uint64_t counter_hz;           /* what arch_counter_hz() returns; 0: FAKE_COUNTER_HZ */
	enum cpu_power power[CONFIG_MAX_CORES_FAKE];
	enum core_status start_result; /* what arch_cpu_start() answers */
	unsigned start_calls[CONFIG_MAX_CORES_FAKE];
	unsigned kicks[CONFIG_MAX_CORES_FAKE];
	bool kick_stops;               /* a cpu kicked with a stop request stops itself, as real cpus do */
	bool no_entropy;               /* arch_entropy() fails: a board without a random number generator */
	uint64_t entropy_next;         /* arch_entropy()'s next word; each call adds 1 */
	unsigned entropy_calls;
	unsigned entropy_limit;        /* non-zero: calls after this many fail (a source failing halfway) */
	uint64_t enter_entry, enter_arg;
	struct fake_mapping maps[64];
	unsigned n_maps;
	int s2_map_result;
	unsigned cleaned_bytes;
	uint64_t poc_watch, poc_watch_size;   /* a range the test watches (host addresses) */
	uint8_t poc_seen[256];         /* the watched range as the last clean covering it left it at the
					* point of coherency: what a guest with caches off would read */
	unsigned fences[4];            /* arch_s2_fence() calls per partition */
	bool fenced[4];                /* fenced and not yet unfenced */
	bool fenced_at_kick[CONFIG_MAX_CORES_FAKE];  /* its partition was fenced when the cpu was kicked */
	bool fenced_at_enter;          /* the partition was fenced when arch_vcpu_enter() ran */
	char console[8192];
	size_t console_len;
	uint64_t relax_ticks;          /* arch_counter() advance per arch_cpu_relax(): time passes while waiting */
	uint64_t relax_calls;
	void (*relax_hook)(void);      /* called by arch_cpu_relax(): another core acting while this one waits */
	void (*putc_hook)(char c);     /* called by arch_console_putc() before it records the character */
};

extern struct fake_state fake;

/** Resets all recorded state; cpus start off. */
void fake_reset(void);

/** Runs fn(arg) and reports how it left: returned, or through a no-return hook. */
enum fake_exit fake_run(void (*fn)(void *), void *arg);

/** arch_line_target() says the line is masked (the partition's interrupt controller) while set. */
extern bool fake_line_masked;

/** The fake trap path of a kick: presents (arch_vcpu_inject) what arch_vcpu_raise() made pending at `cpu` (fake_arch_objects.c). */
void fake_present_raised(struct cpu *cpu);

#endif
