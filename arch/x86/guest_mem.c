/* SPDX-License-Identifier: MIT */
/*
 * The guest's instruction bytes at CS:RIP, for the instruction-length
 * decoder: a walk of the guest's own page tables (none, 32-bit, PAE or
 * four-level), every table and the code itself read through the
 * partition's regions (partition_translate), so a hostile table can only
 * name the partition's own memory.
 */
#include "cfg.h"
#include "insn.h"
#include "cpu.h"
#include "lib.h"
#include "partition.h"
#include "vendor.h"
#include "x86.h"

#define PTE_P 0x1ULL
#define PTE_PS 0x80ULL
#define PTE_ADDR 0x000ffffffffff000ULL
#define CR4_PSE (1ULL << 4)
#define MAX_LEVELS 4u

static bool read_guest(const struct partition *p, uint64_t gpa, void *out, uint64_t size, uint8_t access)
{
	paddr_t pa;

	if (!partition_translate(p, ipa_init(gpa), size, access, &pa)) {
		return false;
	}
	(void)memcpy(out, pa_ptr(pa), size);
	return true;
}

/*
 * One entry of a guest page table (4 or 8 bytes, naturally aligned: tables are
 * page-aligned and regions too) read with one load, as the processor's walker
 * reads it: another vCPU of the partition may be writing it, and the
 * hypervisor's memcpy would copy it in a loop (the entries' copies were 195 of
 * a null hypercall's 900 instructions).
 */
static bool read_entry(const struct partition *p, uint64_t gpa, uint32_t size, uint64_t *e)
{
	paddr_t pa;

	if (!partition_translate(p, ipa_init(gpa), size, CFG_ACCESS_R, &pa)) {
		return false;
	}
	*e = (size == 8u) ? __atomic_load_n((const uint64_t *)pa_ptr(pa), __ATOMIC_RELAXED)
			  : __atomic_load_n((const uint32_t *)pa_ptr(pa), __ATOMIC_RELAXED);
	return true;
}

struct walk {
	uint32_t levels;
	uint32_t entry_size;      /* 4 (32-bit paging) or 8 */
	uint32_t index_bits;      /* 10 or 9 */
	uint32_t shift[MAX_LEVELS];
	uint32_t block_from;      /* first level that may be a large page */
	uint64_t table;
};

/* The walk's shape from the guest's paging mode; false when its PAE PDPTE is absent. */
static bool walk_setup(const struct cpu *cpu, uint64_t lin, struct walk *w)
{
	const struct partition *p = cpu->partition;
	uint64_t cr3 = vendor_reg_read(cpu, X86_REG_CR3);
	uint64_t cr4 = vendor_reg_read(cpu, X86_REG_CR4);

	if ((vendor_reg_read(cpu, X86_REG_EFER) & EFER_LMA) != 0u) {
		*w = (struct walk){ 4u, 8u, 9u, { 39u, 30u, 21u, 12u }, 1u, cr3 & PTE_ADDR };
		return true;
	}
	if ((cr4 & X86_CR4_PAE) != 0u) {
		uint64_t pdpte = 0u;

		if (!read_entry(p, (cr3 & 0xffffffe0u) + (((lin >> 30) & 3u) * 8u), 8u, &pdpte) ||
		    ((pdpte & PTE_P) == 0u)) {
			return false;
		}
		*w = (struct walk){ 2u, 8u, 9u, { 21u, 12u, 0u, 0u }, 0u, pdpte & PTE_ADDR };
		return true;
	}
	*w = (struct walk){ 2u, 4u, 10u, { 22u, 12u, 0u, 0u }, ((cr4 & CR4_PSE) != 0u) ? 0u : 2u,
			    cr3 & 0xfffff000u };
	return true;
}

/* The guest-physical address of linear address `lin`; false when it is not mapped. */
static bool linear_to_gpa(const struct cpu *cpu, uint64_t lin, uint64_t *gpa)
{
	const struct partition *p = cpu->partition;
	struct walk w;

	if ((vendor_reg_read(cpu, X86_REG_CR0) & X86_CR0_PG) == 0u) {
		*gpa = lin & 0xffffffffu;
		return true;
	}
	if (!walk_setup(cpu, lin, &w)) {
		return false;
	}
	for (uint32_t l = 0u; l < w.levels; l++) {
		uint64_t e = 0u;
		uint64_t idx = (lin >> w.shift[l]) & ((1ULL << w.index_bits) - 1u);

		if (!read_entry(p, w.table + (idx * w.entry_size), w.entry_size, &e) || ((e & PTE_P) == 0u)) {
			return false;
		}
		uint64_t addr = (w.entry_size == 8u) ? (e & PTE_ADDR) : (e & 0xfffff000u);
		if (((l + 1u) < w.levels) && (l >= w.block_from) && ((e & PTE_PS) != 0u)) {
			uint64_t mask = (1ULL << w.shift[l]) - 1u;
			*gpa = (addr & ~mask) | (lin & mask);
			return true;
		}
		w.table = addr;
	}
	*gpa = w.table | (lin & 0xfffu);
	return true;
}

const uint8_t *x86_fetch_code(const struct cpu *cpu, uint8_t buf[X86_INSN_MAX], uint32_t *n)
{
	const struct partition *p = cpu->partition;
	bool long_code = vendor_code_mode(cpu) == X86_MODE_64;
	uint64_t lin = vendor_reg_read(cpu, X86_REG_CS_BASE) + vendor_reg_read(cpu, X86_REG_RIP);
	uint64_t gpa = 0u;
	paddr_t pa;

	*n = 0u;
	if (!long_code) {
		lin &= 0xffffffffu;
	}
	uint32_t first = (uint32_t)(0x1000u - (lin & 0xfffu));
	if (first > X86_INSN_MAX) {
		first = X86_INSN_MAX;
	}
	if (!linear_to_gpa(cpu, lin, &gpa) || !partition_translate(p, ipa_init(gpa), first, CFG_ACCESS_X, &pa)) {
		return buf;
	}
	*n = first;
	if (first == X86_INSN_MAX) {
		return (const uint8_t *)pa_ptr(pa);   /* within one page: decoded where it is */
	}
	/* It may straddle a page boundary: the two parts side by side. */
	(void)memcpy(buf, pa_ptr(pa), first);
	if (linear_to_gpa(cpu, lin + first, &gpa) &&
	    read_guest(p, gpa, &buf[first], X86_INSN_MAX - first, CFG_ACCESS_X)) {
		*n = X86_INSN_MAX;
	}
	return buf;
}
