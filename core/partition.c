/* SPDX-License-Identifier: MIT */
/*
 * Partitions at run time.
 *
 * Lifecycle: LOADING -> RUNNING -> (STOPPING -> STOPPED) or back to LOADING
 * on a restart. vCPU 0's core always does the loading, so an image is never
 * copied while another vCPU of the partition runs. Physical cores follow
 * their vCPU: a vCPU that is off is a core that is powered off.
 */
#include <generated/autoconf.h>
#include "partition.h"
#include "counter_rate.h"
#include "seed.h"
#include "arch.h"
#include "core.h"
#include "cpu.h"
#include "lib.h"
#include "log.h"
#include "vdisk.h"
#include "vuart_16550.h"
#include "vuart_pl011.h"

/* A stopping vCPU needs one interrupt (or one fenced access) and one
 * firmware call to stop; this bounds the wait generously without trusting
 * the guest. */
#define STOP_WAIT_POLLS 1000000u

/* Set by the one caller that says no_entropy_line. */
static uint32_t no_entropy_said;

/* As many as the description has (bhcc's BH_NUM_PARTITIONS), not CONFIG_MAX_PARTITIONS:
 * resident memory follows what the system needs. */
static struct partition partitions[BH_NUM_PARTITIONS];
/* Set by the one caller that reports "all partitions stopped". */
static uint32_t all_stopped_reported;

/* Implements: infrastructure */
struct partition *partition_get(uint32_t id)
{
	return (id < cfg_system.n_partitions) ? &partitions[id] : NULL;
}

/* Implements: REQ-LNX-007 */
static void say_no_entropy_once(void)
{
	/* A constant line, said as it is: formatting the longer line it replaces cost the core
	 * that said it about 3,400 instructions of its boot (docs/benchmarks.md, issue 16). */
	static const char no_entropy_line[] = "no entropy source on this board: no kaslr-seed, rng-seed";

	if (__atomic_exchange_n(&no_entropy_said, 1u, __ATOMIC_RELAXED) == 0u) {
		log_text(LOG_INFO, no_entropy_line, sizeof(no_entropy_line) - 1u);
	}
}

/*
 * The boot core says it when a device tree asks for seeds and the board has no
 * entropy source, before the other cores start: the core that loads such a
 * partition then starts it without the line (about 1,600 instructions, more
 * than half its boot budget; the boot core has room under its own). A source
 * that fails only later is still said by the loading core (load_boot_info).
 */
/* Implements: REQ-LNX-007 */
static void check_entropy(void)
{
	bool seeds = false;
	uint64_t unused;

	for (uint32_t i = 0u; i < cfg_system.n_partitions; i++) {
		const struct cfg_partition *c = &cfg_system.partitions[i];

		seeds = seeds || ((c->boot_info.size != 0u) && ((c->kaslr_seed != 0u) || (c->rng_seed != 0u)));
	}
	if (seeds && !arch_entropy(&unused)) {
		say_no_entropy_once();
	}
}

/* Implements: REQ-MEM-005, REQ-MEM-011, REQ-MEM-012, REQ-LNX-007 */
void partitions_init(void)
{
	if (cfg_system.n_partitions > (uint32_t)BH_NUM_PARTITIONS) {
		panic("%u partitions exceed the %u this image was built for", cfg_system.n_partitions,
		      (uint32_t)BH_NUM_PARTITIONS);
	}
	all_stopped_reported = 0u;
	no_entropy_said = 0u;
	for (uint32_t i = 0u; i < cfg_system.n_partitions; i++) {
		/* Everything else starts zero (.bss): a compound literal would
		 * zero the large architecture part again, maybe on the stack. */
		partitions[i].cfg = &cfg_system.partitions[i];
		partitions[i].id = i;
		partitions[i].state = PARTITION_LOADING;
		arch_partition_init(&partitions[i]);
		vuart_pl011_init(&partitions[i]);
		vuart_16550_init(&partitions[i]);
		vdisk_init(&partitions[i]);
	}
	check_entropy();
}

/* Implements: REQ-HC-003, REQ-MEM-001 */
bool partition_translate(const struct partition *p, ipaddr_t ipa, uint64_t size, uint8_t access, paddr_t *out)
{
	for (uint32_t i = 0u; i < p->cfg->n_regions; i++) {
		const struct cfg_region *r = &p->cfg->regions[i];

		if ((r->kind == (uint8_t)CFG_REGION_RAM) && ((r->access & access) == access) &&
		    range_within(ipa_addr(ipa), size, r->ipa, r->size)) {
			*out = pa_init(r->pa + (ipa_addr(ipa) - r->ipa));
			return true;
		}
	}
	return false;
}

/* Implements: REQ-CPU-004 */
static bool partition_ram_contains(const struct partition *p, ipaddr_t ipa, uint64_t size, uint8_t access)
{
	paddr_t unused;

	return partition_translate(p, ipa, size, access, &unused);
}

/* Implements: REQ-TRP-002 */
static void set_state(struct partition *p, enum partition_state state)
{
	spin_lock(&p->lock);
	p->state = state;
	spin_unlock(&p->lock);
}

/* Where blob `b` goes in the partition's memory (host-physical); 0 when there is none. */
/* Implements: REQ-MEM-008~2, REQ-CFG-061 */
static paddr_t blob_dst(const struct partition *p, const struct cfg_blob *b)
{
	paddr_t dst = pa_init(0u);

	if (b->size == 0u) {
		return dst;
	}
	/* The config compiler proved the blob fits; a failure here is a table bug. */
	if (!partition_translate(p, ipa_init(b->ipa), b->size, CFG_ACCESS_R, &dst)) {
		panic("partition '%s': blob at IPA 0x%lx outside its memory", p->cfg->name, b->ipa);
	}
	return dst;
}

/* Copies blob `b` from the image store into the partition's memory; 0 when there is none. Not yet cleaned. */
/* Implements: REQ-MEM-008~2, REQ-CFG-061 */
static paddr_t copy_blob(const struct partition *p, const struct cfg_blob *b)
{
	paddr_t dst = blob_dst(p, b);

	if (b->size != 0u) {
		(void)memcpy(pa_ptr(dst), pa_ptr(pa_init(b->pa)), b->size);
	}
	return dst;
}

/* The copy of blob `b` visible to a guest with caches off: copied and cleaned in one pass. */
/* Implements: REQ-MEM-008~2, REQ-CFG-061 */
static void load_blob(const struct partition *p, const struct cfg_blob *b)
{
	paddr_t dst = blob_dst(p, b);

	if (b->size != 0u) {
		arch_load_blob(dst, pa_init(b->pa), b->size);
	}
}

/*
 * True when the boot flow placed the image where it runs, for its first
 * start only: a restart always copies the store's pristine copy. The tag
 * after the image says the loader wrote this very file there in this boot
 * (it is in no store slot, so no copy can carry it); it is erased before
 * the guest's first instruction, so the guest never sees it and a reset
 * that does not place the image again finds none (docs/boot.md).
 */
/* Implements: REQ-MEM-008~2, REQ-MEM-013 */
static bool image_placed(const struct partition *p, paddr_t dst)
{
	const struct cfg_blob *b = &p->cfg->image;

	if ((b->placed_tag == 0u) || (p->restarts != 0u)) {
		return false;
	}
	paddr_t at = pa_init((pa_addr(dst) + b->size + 7u) & ~(uint64_t)7u);
	uint64_t tag;

	(void)memcpy(&tag, pa_ptr(at), sizeof(tag));
	(void)memset(pa_ptr(at), 0, sizeof(tag));
	arch_clean_to_poc(at, sizeof(uint64_t));
	return tag == b->placed_tag;
}

/* The image: where the boot flow placed it at the first start, else from the store, copied and cleaned. */
/* Implements: REQ-MEM-008~2, REQ-MEM-013 */
static void load_image(const struct partition *p)
{
	const struct cfg_blob *b = &p->cfg->image;
	paddr_t dst = blob_dst(p, b);

	if ((b->size != 0u) && !image_placed(p, dst)) {
		arch_load_blob(dst, pa_init(b->pa), b->size);
	}
}

/* The device tree with fresh seeds (core/seed.c); the board's lack of an entropy source is said once;
 * the counter's rate where the partition's boot information has room for it (core/counter_rate.c). */
/* Implements: REQ-LNX-007, REQ-LNX-017 */
static void load_boot_info(const struct partition *p)
{
	const struct cfg_blob *b = &p->cfg->boot_info;
	paddr_t dst = copy_blob(p, b);

	if (b->size == 0u) {
		return;
	}
	enum seed_result r = seeds_fill(p, pa_ptr(dst), b->size);
	if (r == SEED_BAD_TABLE) {
		log_error("partition '%s': its device tree's seeds are not where the configuration says; left alone",
			  p->cfg->name);
	} else if (r == SEED_REMOVED) {
		say_no_entropy_once();
	} else {
		/* Filled, or none asked for. */
	}
	if (!counter_rate_fill(p, pa_ptr(dst), b->size)) {
		log_error("partition '%s': no room for the counter's rate where the configuration says; left alone",
			  p->cfg->name);
	} else if (p->cfg->counter_khz != 0u) {
		log_info("partition '%s': counter rate %lu kHz given in its boot information", p->cfg->name,
			 arch_counter_hz() / 1000u);
	} else {
		/* none asked for */
	}
	arch_clean_to_poc(dst, b->size);
}

/* Implements: REQ-MEM-004, REQ-MEM-005, REQ-FSF-002~2 */
static void map_memory(struct partition *p)
{
	if (arch_s2_build(p) != 0) {
		panic("partition '%s': no stage-2 tables (table pool exhausted)", p->cfg->name);
	}
	p->mapped = true;
}

/* A new life in zeroed writable RAM: nothing of the last one survives in it. */
/* Implements: REQ-CPU-015 */
static void scrub_ram(const struct partition *p)
{
	for (uint32_t i = 0u; i < p->cfg->n_regions; i++) {
		const struct cfg_region *r = &p->cfg->regions[i];

		/* Read-only RAM holds only what the image store gave it; shared memory is the peers' too. */
		if ((r->kind == (uint8_t)CFG_REGION_RAM) && ((r->access & CFG_ACCESS_W) != 0u)) {
			(void)memset(pa_ptr(pa_init(r->pa)), 0, r->size);
			arch_clean_to_poc(pa_init(r->pa), r->size);
		}
	}
}

/* Implements: REQ-MEM-008~2, REQ-IRQ-009~2, REQ-CPU-015, REQ-CON-101, REQ-CON-107, REQ-DSK-008 */
void partition_load(struct partition *p)
{
	if (!p->mapped) {
		map_memory(p);
	}
	if (__atomic_load_n(&p->fenced, __ATOMIC_ACQUIRE) == true) {
		/* Every other vCPU was seen off before the restart went on. */
		arch_s2_unfence(p);
		p->fenced = false;
	}
	if ((p->restarts != 0u) && (p->cfg->scrub_on_restart != 0u)) {
		scrub_ram(p);
	}
	load_image(p);
	load_boot_info(p);
	load_blob(p, &p->cfg->initrd);
	arch_partition_reset(p);
	vuart_pl011_reset(p);
	vuart_16550_reset(p);
	vdisk_reset(p);
	set_state(p, PARTITION_RUNNING);
}

/*
 * True for exactly one caller once every partition is stopped: two partitions
 * stopping together both see the last state change, and the second one's
 * report would be cut off by the first one's power-off. Final: with every
 * partition stopped (the service partition included) nothing can start one.
 * Implements: REQ-CPU-006
 */
static bool all_partitions_stopped(void)
{
	for (uint32_t i = 0u; i < cfg_system.n_partitions; i++) {
		if (__atomic_load_n(&partitions[i].state, __ATOMIC_ACQUIRE) != PARTITION_STOPPED) {
			return false;
		}
	}
	return __atomic_exchange_n(&all_stopped_reported, 1u, __ATOMIC_ACQ_REL) == 0u;
}

/*
 * Stops every other vCPU of the partition and waits until each cpu reads
 * off. A stop request and a kick reach a cpu whatever its guest does, except
 * where the guest can hold the kick off (direct delivery, docs/interrupts.md).
 * So whenever another cpu of the partition is on, the partition is fenced
 * first (arch_s2_fence): that cpu's next access to guest memory traps, and
 * health_fault() stops it. Returns false if one would not stop (a cpu asleep
 * that nothing wakes): the partition then stays fenced.
 * Implements: REQ-TRP-002, REQ-TRP-010, REQ-FSF-005
 */
static bool stop_other_vcpus(struct partition *p, const struct cpu *self)
{
	bool any_on = false;
	bool all_off = true;

	for (uint32_t v = 0u; v < p->cfg->n_vcpus; v++) {
		struct cpu *c = cpu_get(p->cfg->vcpu_cpu[v]);

		if (c != self) {
			__atomic_fetch_or(&c->requests, CPU_REQ_STOP, __ATOMIC_RELEASE);
			any_on = any_on || (arch_cpu_power_state(c->index) != CPU_POWER_OFF);
		}
	}
	if (any_on) {
		arch_s2_fence(p);
		__atomic_store_n(&p->fenced, true, __ATOMIC_RELEASE);
	}
	for (uint32_t v = 0u; v < p->cfg->n_vcpus; v++) {
		const struct cpu *c = cpu_get(p->cfg->vcpu_cpu[v]);

		if (c != self) {
			arch_cpu_kick(c->index);
		}
	}
	for (uint32_t v = 0u; v < p->cfg->n_vcpus; v++) {
		const struct cpu *c = cpu_get(p->cfg->vcpu_cpu[v]);
		uint32_t polls = 0u;

		if (c == self) {
			continue;
		}
		while ((arch_cpu_power_state(c->index) != CPU_POWER_OFF) && (polls < STOP_WAIT_POLLS)) {
			arch_cpu_relax();
			polls++;
		}
		if (polls == STOP_WAIT_POLLS) {
			log_error("partition '%s': core %u did not power off; it can run nothing of the partition (fenced)",
				  p->cfg->name, c->index);
			all_off = false;
		}
	}
	return all_off;
}

/* Implements: REQ-TRP-001, REQ-TRP-002, REQ-CPU-006, REQ-CPU-007 */
NORETURN void partition_shutdown(struct cpu *self, bool restart)
{
	struct partition *p = self->partition;
	bool reload = restart;

	spin_lock(&p->lock);
	if (p->state != PARTITION_RUNNING) {
		/* Another vCPU is already stopping or restarting this partition. */
		spin_unlock(&p->lock);
		arch_cpu_stop();
	}
	p->state = PARTITION_STOPPING;
	spin_unlock(&p->lock);

	bool quiet = stop_other_vcpus(p, self);
	if (reload && !quiet) {
		/* Reloading under a running vCPU would corrupt it: stop instead. */
		log_error("partition '%s': restart abandoned, partition stopped", p->cfg->name);
		reload = false;
	}
	if (!reload) {
		log_service_leftovers(p);
		/* The line goes out before the state others read: the core that finds
		 * every partition stopped then reports it after every "stopped" line. */
		log_partition_stopped(p);
		set_state(p, PARTITION_STOPPED);
		if (all_partitions_stopped()) {
			log_info("all partitions stopped");
#ifdef CONFIG_POWEROFF_WHEN_ALL_STOPPED
			arch_system_off();
#endif
		}
		arch_cpu_stop();
	}

	spin_lock(&p->lock);
	/* A new life: requests posted for the old one are dropped (service_control_received). */
	__atomic_store_n(&p->restarts, p->restarts + 1u, __ATOMIC_RELEASE);
	p->state = PARTITION_LOADING;
	p->online = 0u;
	spin_unlock(&p->lock);
	log_info("partition '%s' restarting (restart %u)", p->cfg->name, p->restarts);
	struct cpu *boot = cpu_get(p->cfg->vcpu_cpu[0]);
	boot->start_reason = CPU_START_BOOT;
	if (boot == self) {
		core_cpu_started(self);
	}
	if (arch_cpu_start(boot->index) != CORE_OK) {
		log_error("partition '%s': core %u would not power on", p->cfg->name, boot->index);
		set_state(p, PARTITION_STOPPED);
	}
	arch_cpu_stop();
}

/* Implements: REQ-CPU-007, REQ-HC-010 */
enum core_status partition_start_stopped(struct partition *p)
{
	bool all_off = true;

	for (uint32_t v = 0u; v < p->cfg->n_vcpus; v++) {
		all_off = all_off && (arch_cpu_power_state(p->cfg->vcpu_cpu[v]) == CPU_POWER_OFF);
	}
	spin_lock(&p->lock);
	bool stopped = all_off && (p->state == PARTITION_STOPPED);
	if (stopped) {
		__atomic_store_n(&p->restarts, p->restarts + 1u, __ATOMIC_RELEASE);
		p->state = PARTITION_LOADING;
		p->online = 0u;
	}
	spin_unlock(&p->lock);
	if (!stopped) {
		return CORE_ERR_DENIED;
	}
	log_info("partition '%s' restarting (restart %u)", p->cfg->name, p->restarts);
	struct cpu *boot = cpu_get(p->cfg->vcpu_cpu[0]);
	boot->start_reason = CPU_START_BOOT;
	enum core_status s = arch_cpu_start(boot->index);
	if (s != CORE_OK) {
		log_error("partition '%s': core %u would not power on", p->cfg->name, boot->index);
		set_state(p, PARTITION_STOPPED);
	}
	return s;
}

/* Implements: REQ-CPU-003, REQ-CPU-004 */
enum core_status partition_vcpu_on(struct cpu *self, uint32_t vcpu, ipaddr_t entry, uint64_t arg)
{
	struct partition *p = self->partition;
	enum core_status ret;

	if (vcpu >= p->cfg->n_vcpus) {
		return CORE_ERR_INVALID;
	}
	if (!partition_ram_contains(p, entry, 4u, CFG_ACCESS_X)) {
		return CORE_ERR_ADDRESS;
	}
	struct cpu *target = cpu_get(p->cfg->vcpu_cpu[vcpu]);

	spin_lock(&p->lock);
	if (p->state != PARTITION_RUNNING) {
		ret = CORE_ERR_DENIED;
	} else {
		enum cpu_power state = arch_cpu_power_state(target->index);
		if (state == CPU_POWER_ON) {
			ret = CORE_ERR_ALREADY_ON;
		} else if (state == CPU_POWER_ON_PENDING) {
			ret = CORE_ERR_ON_PENDING;
		} else {
			target->start_reason = CPU_START_VCPU_ON;
			target->start_entry = ipa_addr(entry);
			target->start_arg = arg;
			ret = arch_cpu_start(target->index);
		}
	}
	spin_unlock(&p->lock);
	return ret;
}

/* Implements: REQ-CPU-003 */
enum core_status partition_vcpu_state(const struct cpu *self, uint32_t vcpu, enum cpu_power *state)
{
	const struct partition *p = self->partition;

	if (vcpu >= p->cfg->n_vcpus) {
		return CORE_ERR_INVALID;
	}
	*state = arch_cpu_power_state(p->cfg->vcpu_cpu[vcpu]);
	return CORE_OK;
}

/* Implements: REQ-CPU-002 */
bool partition_vcpu_online(struct cpu *self)
{
	struct partition *p = self->partition;
	bool running;

	spin_lock(&p->lock);
	running = (p->state == PARTITION_RUNNING);
	if (running) {
		p->online |= (uint64_t)1u << self->vcpu;
	}
	spin_unlock(&p->lock);
	return running;
}

/* Implements: REQ-CPU-003 */
NORETURN void partition_vcpu_off(struct cpu *self)
{
	struct partition *p = self->partition;
	bool last;

	spin_lock(&p->lock);
	p->online &= ~((uint64_t)1u << self->vcpu);
	last = (p->online == 0u);
	spin_unlock(&p->lock);
	if (!last) {
		arch_cpu_stop();
	}
	/* The last vCPU going off leaves nothing that could turn the partition on again. */
	log_info("partition '%s': last vCPU powered off", p->cfg->name);
	partition_shutdown(self, false);
}
