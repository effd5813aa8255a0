/* SPDX-License-Identifier: MIT */
/*
 * The board's memory map from the multiboot (v1 or 2) loader, checked against the
 * description before anything is loaded: the hypervisor image, the image
 * store and every region of partition RAM (its own or shared) must lie in
 * usable RAM. Anything else is a boot-time refusal that names the range,
 * never a silent overlap with firmware, ACPI tables or a memory hole.
 */
#include "cfg.h"
#include "log.h"
#include "x86.h"

#define MB_INFO_MMAP ((uint32_t)1u << 6)
#define MB_MMAP_AVAILABLE 1u
#define MMAP_ENTRIES_MAX 128u   /* bounded walk: more entries than any board reports */
#define MB2_TAG_END 0u
#define MB2_TAG_MMAP 6u
#define MB2_INFO_MAX 0x10000u   /* bounded walk of the multiboot2 information */

struct __attribute__((packed)) mb_info {
	uint32_t flags;
	uint32_t mem_lower;
	uint32_t mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count;
	uint32_t mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length;
	uint32_t mmap_addr;
};

struct __attribute__((packed)) mb_mmap_entry {
	uint32_t size;    /* of the rest of the entry */
	uint64_t base;
	uint64_t length;
	uint32_t type;
};

/* Multiboot2: the information is tags (8-byte aligned); tag 6 is the memory map. */
struct __attribute__((packed)) mb2_tag {
	uint32_t type;
	uint32_t size;
};

struct __attribute__((packed)) mb2_mmap {
	uint32_t type;
	uint32_t size;
	uint32_t entry_size;
	uint32_t entry_version;
};

struct __attribute__((packed)) mb2_mmap_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type;
	uint32_t reserved;
};

extern const uint8_t __image_start[], __image_end[];

/* The usable RAM the loader reported, whichever protocol: [base, end) each. */
struct ram_range {
	uint64_t base;
	uint64_t end;
};

static struct ram_range ram[MMAP_ENTRIES_MAX];
static uint32_t n_ram;

static void add_ram(uint64_t base, uint64_t length, uint32_t type)
{
	if ((type == MB_MMAP_AVAILABLE) && (length != 0u) && (n_ram < MMAP_ENTRIES_MAX) && (base <= (UINT64_MAX - length))) {
		ram[n_ram].base = base;
		ram[n_ram].end = base + length;
		n_ram++;
	}
}

/* Multiboot v1: false when the loader gave no memory map. */
static bool read_mb1(uint32_t info)
{
	const struct mb_info *mbi = (const struct mb_info *)(uintptr_t)info;
	uint64_t at = mbi->mmap_addr;
	uint64_t end = (uint64_t)mbi->mmap_addr + mbi->mmap_length;

	if ((mbi->flags & MB_INFO_MMAP) == 0u) {
		return false;
	}
	for (uint32_t n = 0u; (n < MMAP_ENTRIES_MAX) && ((at + sizeof(struct mb_mmap_entry)) <= end); n++) {
		const struct mb_mmap_entry *e = (const struct mb_mmap_entry *)(uintptr_t)at;

		add_ram(e->base, e->length, e->type);
		at += (uint64_t)e->size + sizeof(e->size);
	}
	return true;
}

/* Multiboot2: false when the information has no memory map tag. */
/* Implements: REQ-XARCH-021 */
static bool read_mb2(uint32_t info)
{
	uint32_t total = *(const uint32_t *)(uintptr_t)info;
	uint32_t at = 8u;   /* total_size, reserved */
	bool found = false;

	total = (total < MB2_INFO_MAX) ? total : MB2_INFO_MAX;
	for (uint32_t n = 0u; (n < MMAP_ENTRIES_MAX) && ((at + sizeof(struct mb2_tag)) <= total); n++) {
		const struct mb2_tag *t = (const struct mb2_tag *)((uintptr_t)info + at);

		if ((t->type == MB2_TAG_END) || (t->size < sizeof(struct mb2_tag)) || (t->size > (total - at))) {
			break;
		}
		if ((t->type == MB2_TAG_MMAP) && (t->size >= sizeof(struct mb2_mmap))) {
			const struct mb2_mmap *m = (const struct mb2_mmap *)((uintptr_t)info + at);
			uint32_t esize = (m->entry_size >= sizeof(struct mb2_mmap_entry)) ? m->entry_size : 0u;

			for (uint32_t e = sizeof(struct mb2_mmap); (esize != 0u) && ((e + esize) <= t->size); e += esize) {
				const struct mb2_mmap_entry *r = (const struct mb2_mmap_entry *)((uintptr_t)info + at + e);

				add_ram(r->base, r->length, r->type);
			}
			found = true;
		}
		at += (t->size + 7u) & ~7u;
	}
	return found;
}

/* The usable RAM entry containing `addr`, as its end; 0 when none does. */
static uint64_t usable_end(uint64_t addr)
{
	for (uint32_t i = 0u; i < n_ram; i++) {
		if ((addr >= ram[i].base) && (addr < ram[i].end)) {
			return ram[i].end;
		}
	}
	return 0u;
}

/* Whether [base, base + size) is covered by usable RAM entries (adjacent ones joined). */
static bool usable(uint64_t base, uint64_t size)
{
	uint64_t at = base;

	for (uint32_t n = 0u; (n < MMAP_ENTRIES_MAX) && (at < (base + size)); n++) {
		uint64_t end = usable_end(at);
		if (end == 0u) {
			return false;
		}
		at = end;
	}
	return at >= (base + size);
}

/* `what` names the range in the refusal; a partition's name follows it in quotes. */
static void check(const char *what, const char *name, uint64_t base, uint64_t size)
{
	if ((size != 0u) && !usable(base, size)) {
		panic("%s%s%s%s: [0x%lx, 0x%lx) is not usable RAM on this board (the loader's memory map)", what,
		      (name != NULL) ? " '" : "", (name != NULL) ? name : "", (name != NULL) ? "'" : "", base, base + size);
	}
}

void x86_check_memory_map(bool multiboot2, uint32_t info)
{
	if (!(multiboot2 ? read_mb2(info) : read_mb1(info))) {
		log_warning("the loader gave no memory map: the description's RAM is not checked against the board");
		return;
	}
	check("the hypervisor image", NULL, (uint64_t)(uintptr_t)__image_start,
	      (uint64_t)(uintptr_t)__image_end - (uint64_t)(uintptr_t)__image_start);
	check("the image store", NULL, cfg_system.store_pa, cfg_system.store_size);
	for (uint32_t i = 0u; i < cfg_system.n_partitions; i++) {
		const struct cfg_partition *p = &cfg_system.partitions[i];

		for (uint32_t r = 0u; r < p->n_regions; r++) {
			if (p->regions[r].kind != (uint8_t)CFG_REGION_DEVICE) {
				check("partition", p->name, p->regions[r].pa, p->regions[r].size);
			}
		}
	}
}
