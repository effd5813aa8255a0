/* SPDX-License-Identifier: MIT */
/*
 * Assigned PCI functions (docs/traps.md, "PCI configuration space"). The
 * hypervisor places each function's memory BARs where the description says
 * (firmware's placement is not trusted), and the owning partition's nested
 * tables map exactly those windows (bhcc made them device regions). The
 * partition reaches configuration space only through mechanism #1's ports,
 * 0xcf8-0xcff, which are an emulated device of the partition (core's
 * registry): its function answers at its own BDF (no virtual BDF: the
 * description names the board's, and a driver that follows it finds the
 * function), every other BDF reads all ones. The filter lets through what
 * cannot reach outside the function's windows: reads of the identity and
 * class, memory space enable and INTx disable. BARs read the described
 * addresses and are sized without moving; bus mastering only where the
 * board's IOMMU translates the function's DMA (iommu.c): without one a bus
 * master could write anywhere; the capability
 * list is hidden (MSI is a write to any core's interrupt address), and
 * everything else is ignored and counted.
 *
 * The filter lives in arch/x86: it is mechanism #1's port protocol around
 * a register filter; ARM64's ECAM would share the filter, not the ports,
 * once it exists (then the register part moves to core).
 */
#include "arch.h"
#include "cfg.h"
#include "cpu.h"
#include "emul.h"
#include "incident.h"
#include "log.h"
#include "partition.h"
#include "spinlock.h"
#include "x86.h"

_Static_assert(X86_PCI_FUNCS == CFG_X86_MAX_PCI_FUNCS, "arch_types.h's count is the contract's");

#define PCI_PORTS 0xcf8u              /* CONFIG_ADDRESS; CONFIG_DATA at + 4 */
#define PCI_PORT_COUNT 8u
#define PCI_ENABLE 0x80000000u
#define PCI_ADDRESS_BITS 0x80fffffcu  /* enable, bus, device, function, dword register */
#define PCI_REG_ID 0x00u
#define PCI_REG_COMMAND 0x04u         /* command (low half), status (high half) */
#define PCI_REG_BAR0 0x10u
#define PCI_REG_BAR_END 0x28u
#define PCI_REG_ROM 0x30u
#define PCI_REG_INTERRUPT 0x3cu       /* line, pin, min grant, max latency */
#define CMD_MEMORY 0x0002u
#define CMD_INTX_DISABLE 0x0400u
#define CMD_BUS_MASTER 0x0004u        /* only where the IOMMU translates its DMA (iommu.c) */
#define CMD_ALLOWED (CMD_MEMORY | CMD_INTX_DISABLE)
#define STATUS_CAP_LIST 0x00100000u   /* bit 4 of the status register */
#define BAR_FLAGS 0xfu                /* memory BAR: space, type, prefetchable */
#define BAR_IO 0x1u
#define BAR_TYPE 0x6u                 /* 0: 32-bit */
#define NO_INTERRUPT 0x000000ffu      /* line 0xff (none), pin 0 (none): no interrupt is routed */

/* Every configuration access of the hypervisor pairs an address and a data access. */
static struct spinlock pci_lock = SPINLOCK_INIT;

/* Implements: REQ-DEV-002, REQ-DEV-003~2 */
uint32_t x86_pci_config_read(uint32_t bdf, uint32_t reg)
{
	uint32_t v;

	spin_lock(&pci_lock);
	outl(PCI_PORTS, PCI_ENABLE | (bdf << 8) | reg);
	v = inl(PCI_PORTS + 4u);
	spin_unlock(&pci_lock);
	return v;
}

/* Implements: REQ-DEV-002, REQ-DEV-003~2 */
void x86_pci_config_write(uint32_t bdf, uint32_t reg, uint32_t v)
{
	spin_lock(&pci_lock);
	outl(PCI_PORTS, PCI_ENABLE | (bdf << 8) | reg);
	outl(PCI_PORTS + 4u, v);
	spin_unlock(&pci_lock);
}

/* The described BAR at configuration register `reg`, or NULL. */
static const struct cfg_pci_bar *bar_at(const struct cfg_pci_function *f, uint32_t reg)
{
	const struct cfg_pci_bar *bar = NULL;

	for (uint32_t i = 0u; (i < f->n_bars) && (i < CFG_X86_PCI_BARS); i++) {
		if ((PCI_REG_BAR0 + (4u * f->bars[i].index)) == reg) {
			bar = &f->bars[i];
		}
	}
	return bar;
}

/*
 * A function that is not the description's refuses the boot: it may decode
 * somewhere no window of the partition's covers.
 */
/* Implements: REQ-DEV-002 */
static void check_function(const struct cfg_pci_function *f)
{
	uint32_t bdf = f->bdf;

	if ((x86_pci_config_read(bdf, PCI_REG_ID) & 0xffffu) == 0xffffu) {
		panic("PCI %x:%x.%x: no function there, but the description assigns one", bdf >> 8, (bdf >> 3) & 0x1fu, bdf & 7u);
	}
	x86_pci_config_write(bdf, PCI_REG_COMMAND, 0u);   /* nothing decodes while its BARs are sized */
	for (uint32_t reg = PCI_REG_BAR0; reg < PCI_REG_BAR_END; reg += 4u) {
		const struct cfg_pci_bar *bar = bar_at(f, reg);
		uint32_t old = x86_pci_config_read(bdf, reg);
		uint32_t mask;

		x86_pci_config_write(bdf, reg, 0xffffffffu);
		mask = x86_pci_config_read(bdf, reg);
		x86_pci_config_write(bdf, reg, old);
		if (bar != NULL) {
			log_info("PCI %x:%x.%x BAR%u: firmware's 0x%x, the description's 0x%x", bdf >> 8, (bdf >> 3) & 0x1fu,
				 bdf & 7u, bar->index, old & ~BAR_FLAGS, bar->base);
		}
		if ((bar == NULL) && (mask != 0u)) {
			panic("PCI %x:%x.%x: BAR%u decodes, but the description does not place it", bdf >> 8,
			      (bdf >> 3) & 0x1fu, bdf & 7u, (reg - PCI_REG_BAR0) / 4u);
		}
		if ((bar != NULL) && (((mask & (BAR_IO | BAR_TYPE)) != 0u) || ((~(mask & ~BAR_FLAGS) + 1u) != bar->size))) {
			panic("PCI %x:%x.%x: BAR%u is not a 32-bit memory BAR of 0x%x bytes (sizing reads 0x%x)", bdf >> 8,
			      (bdf >> 3) & 0x1fu, bdf & 7u, bar->index, bar->size, mask);
		}
	}
}

/* Decoding off, then each BAR where the description says. */
/* Implements: REQ-DEV-002 */
static void place_function(const struct cfg_pci_function *f)
{
	x86_pci_config_write(f->bdf, PCI_REG_COMMAND, 0u);
	for (uint32_t i = 0u; (i < f->n_bars) && (i < CFG_X86_PCI_BARS); i++) {
		x86_pci_config_write(f->bdf, PCI_REG_BAR0 + (4u * f->bars[i].index), f->bars[i].base);
	}
}

/* The partition's function the configuration address selects, or -1 (another BDF, or the enable bit clear). */
static int32_t selected(const struct partition *p, uint32_t address)
{
	const struct cfg_arch_partition *a = &p->cfg->arch;
	int32_t found = -1;

	for (uint32_t i = 0u; ((address & PCI_ENABLE) != 0u) && (i < a->n_pci) && (i < CFG_X86_MAX_PCI_FUNCS); i++) {
		if (((address >> 8) & 0xffffu) == a->pci[i].bdf) {
			found = (int32_t)i;
		}
	}
	return found;
}

/* What the partition reads in register `reg` of its function `fi`. */
/* Implements: REQ-DEV-003~2 */
static uint32_t filtered_read(const struct partition *p, uint32_t fi, uint32_t reg)
{
	const struct cfg_pci_function *f = &p->cfg->arch.pci[fi];
	uint32_t v = 0u;

	if ((reg >= PCI_REG_BAR0) && (reg < PCI_REG_BAR_END)) {
		const struct cfg_pci_bar *bar = bar_at(f, reg);

		if (bar != NULL) {
			bool sizing = (p->arch.pci_sizing[fi] & (1u << bar->index)) != 0u;

			v = (sizing ? ~(bar->size - 1u) : bar->base) | (x86_pci_config_read(f->bdf, reg) & BAR_FLAGS);
		}
	} else if (reg == PCI_REG_COMMAND) {
		v = x86_pci_config_read(f->bdf, reg) & ~STATUS_CAP_LIST;
	} else if (reg == PCI_REG_INTERRUPT) {
		v = (x86_pci_config_read(f->bdf, reg) & 0xffff0000u) | NO_INTERRUPT;
	} else if ((reg < PCI_REG_ROM) && (reg != PCI_REG_BAR_END)) {
		v = x86_pci_config_read(f->bdf, reg);   /* identity, class, header type, subsystem */
	} else {
		/* expansion ROM, capability pointer, the rest: absent */
	}
	return v;
}

/*
 * A write of `v` (the bytes of `mask`) to register `reg` of function `fi`:
 * the BARs stay, the command keeps its allowed bits, the rest is ignored.
 * Returns false for what it refused (counted by the caller).
 */
/* Implements: REQ-DEV-003~2 */
static bool filtered_write(struct partition *p, uint32_t fi, uint32_t reg, uint32_t v, uint32_t mask)
{
	const struct cfg_pci_function *f = &p->cfg->arch.pci[fi];
	uint32_t merged = (filtered_read(p, fi, reg) & ~mask) | (v & mask);
	const struct cfg_pci_bar *bar = bar_at(f, reg);
	bool taken = false;

	if (bar != NULL) {
		uint32_t bit = 1u << bar->index;

		if ((mask == 0xffffffffu) && (v == 0xffffffffu)) {
			p->arch.pci_sizing[fi] |= bit;
			taken = true;
		} else {
			p->arch.pci_sizing[fi] &= ~bit;
			taken = (merged & ~BAR_FLAGS) == bar->base;   /* its own address back: no move */
		}
	} else if (reg == PCI_REG_COMMAND) {
		uint32_t allowed = CMD_ALLOWED | (x86_iommu_active() ? CMD_BUS_MASTER : 0u);

		x86_pci_config_write(f->bdf, reg, merged & allowed);   /* status: zero clears nothing */
		taken = (merged & 0xffffu & ~allowed) == 0u;
	} else {
		/* ignored */
	}
	return taken;
}

static uint32_t size_mask(uint32_t size)
{
	return (size == 4u) ? 0xffffffffu : ((1u << (size * 8u)) - 1u);
}

/*
 * Mechanism #1 for one partition: a four-byte access to 0xcf8 is its
 * configuration address (its own latch), an access to 0xcfc-0xcff inside
 * the dword and aligned to its size reaches that address's register
 * through the filter. Anything else (0xcf9's reset control among it) is
 * refused: io_exit counts it and reads all ones.
 */
/* Implements: REQ-DEV-003~2 */
static bool pci_config_pio(struct cpu *cpu, void *context, uint64_t offset, bool write, uint32_t size, uint64_t *value)
{
	struct partition *p = cpu->partition;
	uint32_t address = __atomic_load_n(&p->arch.pci_address, __ATOMIC_RELAXED);
	uint32_t byte = (uint32_t)offset - 4u;
	int32_t fi = selected(p, address);
	bool ok = true;

	(void)context;
	x86_iommu_poll();   /* the DMA faults of a function since its owner last got here */
	if (offset < 4u) {
		ok = (offset == 0u) && (size == 4u);
		if (ok && write) {
			__atomic_store_n(&p->arch.pci_address, (uint32_t)*value & PCI_ADDRESS_BITS, __ATOMIC_RELAXED);
		} else if (ok) {
			*value = address;
		} else {
			/* refused */
		}
	} else if (((size != 1u) && (size != 2u) && (size != 4u)) || ((byte % size) != 0u)) {
		ok = false;   /* io_exit passes 1, 2 or 4; nothing else reaches the division */
	} else if (fi < 0) {
		if (write) {
			incident_log(cpu, BH_INCIDENT_REGISTER, "PCI configuration write to address 0x%x refused (not its function)", address);
		}
		*value = size_mask(size);
	} else if (!write) {
		*value = (filtered_read(p, (uint32_t)fi, address & 0xfcu) >> (byte * 8u)) & size_mask(size);
	} else if (!filtered_write(p, (uint32_t)fi, address & 0xfcu, (uint32_t)*value << (byte * 8u),
				   size_mask(size) << (byte * 8u))) {
		incident_log(cpu, BH_INCIDENT_REGISTER, "PCI configuration write 0x%lx to address 0x%x refused", *value, address + byte);
	} else {
		/* taken */
	}
	return ok;
}

/* Implements: REQ-DEV-002, REQ-DEV-003~2 */
void x86_pci_partition_init(struct partition *p)
{
	const struct cfg_arch_partition *a = &p->cfg->arch;

	if (a->n_pci == 0u) {
		return;   /* configuration ports denied like every port it does not own */
	}
	for (uint32_t i = 0u; (i < a->n_pci) && (i < CFG_X86_MAX_PCI_FUNCS); i++) {
		check_function(&a->pci[i]);
		x86_iommu_assign(p, a->pci[i].bdf);
	}
	if (emul_register(p, EMUL_PIO, PCI_PORTS, PCI_PORT_COUNT, pci_config_pio, NULL) != CORE_OK) {
		panic("partition '%s': PCI configuration ports 0x%x-0x%x not registered", p->cfg->name, PCI_PORTS,
		      PCI_PORTS + PCI_PORT_COUNT - 1u);
	}
}

/* Implements: REQ-DEV-002 */
void x86_pci_partition_reset(struct partition *p)
{
	const struct cfg_arch_partition *a = &p->cfg->arch;

	x86_iommu_poll();
	p->arch.pci_address = 0u;
	for (uint32_t i = 0u; (i < a->n_pci) && (i < CFG_X86_MAX_PCI_FUNCS); i++) {
		p->arch.pci_sizing[i] = 0u;
		place_function(&a->pci[i]);
	}
}
