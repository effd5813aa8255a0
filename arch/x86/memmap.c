/* SPDX-License-Identifier: MIT */
/*
 * The board's memory map from the multiboot loader, checked against the
 * description before anything is loaded: the hypervisor image, the image
 * store and every region of partition RAM (its own or shared) must lie in
 * usable RAM. Anything else is a boot-time refusal that names the range,
 * never a silent overlap with firmware, ACPI tables or a memory hole.
 */
#include "cfg.h"
#include "log.h"
#include "x86.h"

#define MB_INFO_MMAP (1u << 6)
#define MB_MMAP_AVAILABLE 1u
#define MMAP_ENTRIES_MAX 128u   /* bounded walk: more entries than any board reports */

struct __attribute__((packed)) mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
};

struct __attribute__((packed)) mb_mmap_entry {
	uint32_t size;    /* of the rest of the entry */
	uint64_t base;
	uint64_t length;
	uint32_t type;
};

extern const uint8_t __image_start[], __image_end[];

/* The usable RAM entry containing `addr`, as its end; 0 when none does. */
static uint64_t usable_end(const struct mb_info *mbi, uint64_t addr)
{
	uint64_t at = mbi->mmap_addr;
	uint64_t end = (uint64_t)mbi->mmap_addr + mbi->mmap_length;

	for (uint32_t n = 0u; (n < MMAP_ENTRIES_MAX) && ((at + sizeof(struct mb_mmap_entry)) <= end); n++) {
		const struct mb_mmap_entry *e = (const struct mb_mmap_entry *)(uintptr_t)at;

		if ((e->type == MB_MMAP_AVAILABLE) && (addr >= e->base) && ((addr - e->base) < e->length)) {
			return e->base + e->length;
		}
		at += (uint64_t)e->size + sizeof(e->size);
	}
	return 0u;
}

/* Whether [base, base + size) is covered by usable RAM entries (adjacent ones joined). */
static bool usable(const struct mb_info *mbi, uint64_t base, uint64_t size)
{
	uint64_t at = base;

	for (uint32_t n = 0u; (n < MMAP_ENTRIES_MAX) && (at < (base + size)); n++) {
		uint64_t end = usable_end(mbi, at);
		if (end == 0u) {
			return false;
		}
		at = end;
	}
	return at >= (base + size);
}

/* `what` names the range in the refusal; a partition's name follows it in quotes. */
static void check(const struct mb_info *mbi, const char *what, const char *name, uint64_t base, uint64_t size)
{
	if ((size != 0u) && !usable(mbi, base, size)) {
		panic("%s%s%s%s: [0x%lx, 0x%lx) is not usable RAM on this board (the loader's memory map)", what,
		      (name != NULL) ? " '" : "", (name != NULL) ? name : "", (name != NULL) ? "'" : "", base, base + size);
	}
}

void x86_check_memory_map(uint32_t info)
{
	const struct mb_info *mbi = (const struct mb_info *)(uintptr_t)info;

	if ((mbi->flags & MB_INFO_MMAP) == 0u) {
		log_warning("the loader gave no memory map: the description's RAM is not checked against the board");
		return;
	}
	check(mbi, "the hypervisor image", NULL, (uint64_t)(uintptr_t)__image_start,
	      (uint64_t)(__image_end - __image_start));
	check(mbi, "the image store", NULL, cfg_system.store_pa, cfg_system.store_size);
	for (uint32_t i = 0u; i < cfg_system.n_partitions; i++) {
		const struct cfg_partition *p = &cfg_system.partitions[i];

		for (uint32_t r = 0u; r < p->n_regions; r++) {
			if (p->regions[r].kind != (uint8_t)CFG_REGION_DEVICE) {
				check(mbi, "partition", p->name, p->regions[r].pa, p->regions[r].size);
			}
		}
	}
}
