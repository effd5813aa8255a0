/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own EL2 stage-1 map, identity mapped:
 *   its image with W^X (text read-only executable, rodata read-only,
 *   data/bss/stacks read-write non-executable), the RAM of every partition
 *   (read-write, never executable: the hypervisor copies images and reads
 *   hypercall buffers there) and the devices it drives.
 * Nothing else is mapped, so a stray hypervisor access faults.
 *
 * Built at build time: tools/el2map runs this file on the host against the
 * first link's symbols and the generated tables, and the second link places
 * the result in the image (gen/el2_tables.S); the boot core only installs
 * it. A map that cannot be built fails the build with the line below.
 */
#include "arch.h"
#include "arm64.h"
#include "cfg.h"
#include "vmsa.h"

/* bhcc counts the tables this map needs for the system description
 * (gen/system.mk): the pool is exactly that large. */
#ifndef BH_EL2_POOL_PAGES
#error "BH_EL2_POOL_PAGES comes from gen/system.mk (bhcc counts the EL2 map)"
#endif
#define EL2_POOL_PAGES ((uint32_t)BH_EL2_POOL_PAGES)

pte_t el2_root[PT_ENTRIES] __attribute__((aligned(4096), section(".noload.el2_root")));
/* Its next-level tables, taken in order (tools/el2map places them after the root). */
pte_t el2_pool[EL2_POOL_PAGES][PT_ENTRIES] __attribute__((aligned(4096), section(".noload.el2_pool")));

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];
extern char boot_stack_top[];

#define S1_NORMAL (PTE_S1_ATTR(0) | PTE_SH_INNER | PTE_AF | PTE_S1_AP1)
#define S1_DEVICE (PTE_S1_ATTR(1) | PTE_AF | PTE_S1_AP1 | PTE_S1_XN)

/* The MMU is off and only this core runs: the console is just its registers,
 * written without the console lock (an exclusive access is not allowed here). */
/* Implements: REQ-MEM-009 */
static void early_puts(const char *s)
{
	for (uint32_t i = 0u; s[i] != '\0'; i++) {
		arch_console_putc(s[i]);
	}
}

/* Without leading zeros: `base` 16 or 10. */
/* Implements: REQ-MEM-009 */
static void early_number(uint64_t v, uint64_t base)
{
	static const char digits[] = "0123456789abcdef";
	char buf[20];
	uint32_t n = 0u;
	uint64_t rest = v;

	do {
		buf[n] = digits[rest % base];
		n++;
		rest /= base;
	} while (rest != 0u);
	while (n > 0u) {
		n--;
		arch_console_putc(buf[n]);
	}
}

/* Implements: REQ-MEM-009 */
static void early_hex(uint64_t v)
{
	early_puts("0x");
	early_number(v, 16u);
}

/* bhcc refuses descriptions this cannot map: reaching here means the image
 * and its tables disagree. Say so, then stop: nothing else is safe yet. */
/* Implements: REQ-MEM-009 */
static NORETURN void build_failed(int err, uint64_t base, uint64_t end)
{
	early_puts("[bulkhead] EL2 map: cannot map ");
	early_hex(base);
	early_puts("-");
	early_hex(end - 1u);
	if (err == PT_ERR_NOMEM) {
		early_puts(": its table pool (");
		early_number(EL2_POOL_PAGES, 10u);
		early_puts(" pages) is exhausted");
	} else if (err == PT_ERR_ALIGN) {
		early_puts(": not 4 KiB aligned or beyond the 39-bit map");
	} else {
		early_puts(": overlaps what is mapped already");
	}
	early_puts("; parked\r\n");
	for (;;) {
		__asm__ volatile("wfi");
	}
}

/* Implements: REQ-MEM-007 */
static void map(struct pt_pool *pool, uint64_t base, uint64_t end, uint64_t attrs)
{
	if (end > base) {
		int err = vmsa_map(pool, el2_root, base, base, end - base, attrs);
		if (err != PT_OK) {
			build_failed(err, base, end);
		}
	}
}

/* Implements: REQ-MEM-007 */
static void map_device(struct pt_pool *pool, uint64_t mbase, uint64_t msize)
{
	const uint64_t page = 4096u;
	uint64_t base = mbase & ~(page - 1u);
	uint64_t end = (mbase + msize + page - 1u) & ~(page - 1u);

	if (msize != 0u) {
		map(pool, base, end, S1_DEVICE);
	}
}

/* The MMU is off: the image's addresses are its physical addresses. */
/* Implements: infrastructure */
static uint64_t addr_of(const char *symbol)
{
	return pa_addr(pa_from_ptr(symbol));
}

/* Implements: REQ-MEM-007, REQ-MEM-009 */
void arm64_early_init(void)
{
	struct pt_pool pool = { el2_pool, EL2_POOL_PAGES, 0u };

	for (uint32_t i = 0u; i < PT_ENTRIES; i++) {
		el2_root[i] = 0u;
	}
	map(&pool, addr_of(__image_start), addr_of(__text_end), S1_NORMAL | PTE_S1_AP_RO);
	map(&pool, addr_of(__text_end), addr_of(__rodata_end), S1_NORMAL | PTE_S1_AP_RO | PTE_S1_XN);
	map(&pool, addr_of(__rodata_end), addr_of(__image_end), S1_NORMAL | PTE_S1_XN);
	for (uint32_t p = 0u; p < cfg_system.n_partitions; p++) {
		const struct cfg_partition *part = &cfg_system.partitions[p];

		for (uint32_t r = 0u; r < part->n_regions; r++) {
			const struct cfg_region *reg = &part->regions[r];
			if (reg->kind == (uint8_t)CFG_REGION_RAM) {
				map(&pool, reg->pa, reg->pa + reg->size, S1_NORMAL | PTE_S1_XN);
			}
		}
	}
	/* The image store: the pristine copies it loads partitions from, never written. */
	map(&pool, cfg_system.store_pa, cfg_system.store_pa + cfg_system.store_size,
	    S1_NORMAL | PTE_S1_AP_RO | PTE_S1_XN);
	/* Channels the hypervisor is an end of (its log, emulated UARTs): it reads and writes their rings. */
	for (uint32_t c = 0u; c < cfg_system.n_channels; c++) {
		const struct cfg_channel *ch = &cfg_system.channels[c];
		if (ch->end[0].kind == (uint8_t)CFG_END_HYPERVISOR) {
			map(&pool, ch->pa, ch->pa + ch->size, S1_NORMAL | PTE_S1_XN);
		}
	}
	map_device(&pool, cfg_system.console.base, cfg_system.console.size);
	map_device(&pool, cfg_system.arch.gic.dist.base, cfg_system.arch.gic.dist.size);
	map_device(&pool, cfg_system.arch.gic.redist.base, cfg_system.arch.gic.redist.size);
	map_device(&pool, cfg_system.arch.gic.cpu.base, cfg_system.arch.gic.cpu.size);
	map_device(&pool, cfg_system.arch.gic.hyp.base, cfg_system.arch.gic.hyp.size);

	arm64_inval_range(pa_addr(pa_from_ptr(el2_root)), sizeof(el2_root));
	arm64_inval_range(pa_addr(pa_from_ptr(el2_pool)), (uint64_t)pool.used * sizeof(el2_pool[0]));
	arm64_inval_range(addr_of(boot_stack_top) - 4096u, 4096u);
}
