/* SPDX-License-Identifier: MIT */
/*
 * The fake architecture (see fake_arch.h).
 */
#include <string.h>
#include "arch.h"
#include "cpu.h"
#include "partition.h"
#include "fake_arch.h"

struct fake_state fake;
static jmp_buf *exit_point;

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	for (int i = 0; i < CONFIG_MAX_CORES_FAKE; i++) {
		fake.power[i] = CPU_POWER_OFF;
	}
	fake.kick_stops = true;
	fake.entropy_next = 0x0123456789abcdefu;
}

enum fake_exit fake_run(void (*fn)(void *), void *arg)
{
	jmp_buf here;
	jmp_buf *outer = exit_point;
	int how;

	exit_point = &here;
	how = setjmp(here);
	if (how == 0) {
		fn(arg);
	}
	exit_point = outer;
	return (enum fake_exit)how;
}

static _Noreturn void leave(enum fake_exit how)
{
	longjmp(*exit_point, (int)how);
}

enum core_status arch_cpu_start(uint32_t cpu)
{
	fake.start_calls[cpu]++;
	if (fake.start_result == CORE_OK) {
		fake.power[cpu] = CPU_POWER_ON_PENDING;
	}
	return fake.start_result;
}

_Noreturn void arch_cpu_stop(void)
{
	if (fake.current != NULL) {
		fake.power[fake.current->index] = CPU_POWER_OFF;
	}
	leave(FAKE_STOP);
}

enum cpu_power arch_cpu_power_state(uint32_t cpu)
{
	return fake.power[cpu];
}

void arch_cpu_relax(void)
{
	fake.counter += fake.relax_ticks;
	fake.relax_calls++;
	if (fake.relax_hook != NULL) {
		fake.relax_hook();
	}
	if (fake.relax_calls >= FAKE_RELAX_LIMIT) {
		leave(FAKE_HUNG);
	}
}

uint64_t arch_counter(void)
{
	return fake.counter;
}

uint64_t arch_counter_hz(void)
{
	return (fake.counter_hz != 0u) ? fake.counter_hz : FAKE_COUNTER_HZ;
}

void arch_cpu_kick(uint32_t cpu)
{
	const struct partition *p = cpu_get(cpu)->partition;

	fake.kicks[cpu]++;
	fake.fenced_at_kick[cpu] = (p != NULL) && fake.fenced[p->id];
	if (fake.kick_stops && ((cpu_get(cpu)->requests & CPU_REQ_STOP) != 0u)) {
		fake.power[cpu] = CPU_POWER_OFF;
	}
}

bool arch_entropy(uint64_t *out)
{
	fake.entropy_calls++;
	if (fake.no_entropy || ((fake.entropy_limit != 0u) && (fake.entropy_calls > fake.entropy_limit))) {
		return false;
	}
	*out = fake.entropy_next++;
	return true;
}

_Noreturn void arch_system_off(void)
{
	leave(FAKE_SYSTEM_OFF);
}

/* Records each region the architecture maps for `p`, as x86 builds them at a first load. */
int arch_s2_build(struct partition *p)
{
	for (uint32_t i = 0u; (fake.s2_map_result == 0) && (i < p->cfg->n_regions); i++) {
		const struct cfg_region *r = &p->cfg->regions[i];

		if (fake.n_maps < sizeof(fake.maps) / sizeof(fake.maps[0])) {
			fake.maps[fake.n_maps++] = (struct fake_mapping){ p->id, r->ipa, r->pa, r->size, r->access,
									  r->kind == (uint8_t)CFG_REGION_DEVICE };
		}
	}
	return fake.s2_map_result;
}

void arch_s2_fence(struct partition *p)
{
	fake.fences[p->id]++;
	fake.fenced[p->id] = true;
}

void arch_s2_unfence(struct partition *p)
{
	fake.fenced[p->id] = false;
}

/* A clean of [pa, pa + size): the watched range, when inside it, is what memory holds now. */
static void clean(paddr_t pa, uint64_t size)
{
	uint64_t a = pa_addr(pa);

	fake.cleaned_bytes += (unsigned)size;
	if ((fake.poc_watch_size != 0u) && (fake.poc_watch_size <= sizeof(fake.poc_seen)) && (a <= fake.poc_watch) &&
	    (fake.poc_watch + fake.poc_watch_size <= a + size)) {
		(void)memcpy(fake.poc_seen, (const void *)(uintptr_t)fake.poc_watch, fake.poc_watch_size);
	}
}

void arch_load_blob(paddr_t dst, paddr_t src, uint64_t size)
{
	(void)memcpy(pa_ptr(dst), pa_ptr(src), size);
	clean(dst, size);
}

void arch_clean_to_poc(paddr_t pa, uint64_t size)
{
	clean(pa, size);
}

_Noreturn void arch_vcpu_enter(struct cpu *cpu, uint64_t entry, uint64_t arg)
{
	fake.power[cpu->index] = CPU_POWER_ON;
	fake.fenced_at_enter = fake.fenced[cpu->partition->id];
	fake.enter_entry = entry;
	fake.enter_arg = arg;
	leave(FAKE_VCPU_ENTER);
}

void arch_console_putc(char c)
{
	if (fake.putc_hook != NULL) {
		fake.putc_hook(c);
	}
	if (fake.console_len + 1 < sizeof(fake.console)) {
		fake.console[fake.console_len++] = c;
		fake.console[fake.console_len] = '\0';
	}
}
