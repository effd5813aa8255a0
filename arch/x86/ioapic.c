/* SPDX-License-Identifier: MIT */
/*
 * The I/O APIC as a partition sees it (its MMIO frame is in no partition's
 * nested page tables, so each access is a nested page fault that lands
 * here): IOREGSEL and IOWIN emulated, with a register selection of the
 * partition's own. Its id, version and arbitration registers read as an
 * 82093AA's with the board's pins.
 *
 * A pin of one of the partition's devices (cfg_partition.irqs, ISA pins
 * 1..15 but 2: bhcc) is its own: its redirection entry reads back as the
 * partition wrote it, and the hypervisor programs the real entry to bring
 * the pin to the hypervisor on the destination vCPU's core, as vector
 * X86_VEC_GSI + pin, masked as the partition's is. x86_gsi_interrupt() then
 * raises the partition's vector in that vCPU (an edge: ISA interrupts are).
 * The pin of the partition's emulated console (console.irq of a "ns16550"
 * console) is its own too, but only virtually: its entry is kept and read
 * back the same way and reaches no real entry (the board's pin may be
 * another partition's: the service partition's COM1); arch_line_target()
 * raises the vector it names when the emulated device's line rises.
 * Every other pin reads as masked, and a write to any register but an own
 * pin's entry is ignored and counted as an interrupt incident. An access
 * that is not a 32-bit MOV at a register offset contains the partition, as
 * any other access outside its grants does.
 */
#include <bulkhead/hypercall.h>
#include "cfg.h"
#include "cpu.h"
#include "incident.h"
#include "insn.h"
#include "partition.h"
#include "spinlock.h"
#include "vendor.h"
#include "x86.h"

#define IOREGSEL 0x00u
#define IOWIN 0x10u
#define REG_VERSION 0x01u
#define REG_REDIR_FIRST 0x10u
#define VERSION_82093AA 0x11u
#define REDIR_MASKED 0x10000u
#define REDIR_LOGICAL 0x800u           /* destination mode: logical (an xAPIC OS's flat LDR mask) */
#define REDIR_GUEST_BITS 0x108ffu      /* what a partition's entry may hold: vector, mask, destination mode (fixed, edge, high) */
#define REDIR_DEST_SHIFT 24u           /* the high word: the destination's APIC id in bits 31:24 */

_Static_assert(CFG_X86_ISA_PINS == X86_IOAPIC_OWN_PINS, "arch_partition's entries cover the pins bhcc gives");

static struct partition *pin_owner[CFG_X86_ISA_PINS];    /* set at init, from the description */
static uint32_t pin_vcpu[CFG_X86_ISA_PINS];              /* the vCPU the pin is delivered to */

static volatile uint32_t *hw_regs(void)
{
	return (volatile uint32_t *)(uintptr_t)cfg_system.arch.ioapic.mmio.base;
}

static void hw_write(uint32_t reg, uint32_t value)
{
	static struct spinlock hw_lock;                          /* the real IOREGSEL/IOWIN pair */
	volatile uint32_t *io = hw_regs();

	spin_lock(&hw_lock);
	io[IOREGSEL / 4u] = reg;
	io[IOWIN / 4u] = value;
	spin_unlock(&hw_lock);
}

/* The real entry of `pin`: to the core of vCPU `vcpu` of its owner, X86_VEC_GSI + pin, fixed, edge. */
static void hw_program(uint32_t pin, bool masked)
{
	const struct partition *p = pin_owner[pin];
	uint32_t apic = cfg_system.cpus[p->cfg->vcpu_cpu[pin_vcpu[pin]]].arch.apic_id;

	hw_write(REG_REDIR_FIRST + (2u * pin), REDIR_MASKED);
	hw_write(REG_REDIR_FIRST + (2u * pin) + 1u, apic << REDIR_DEST_SHIFT);
	hw_write(REG_REDIR_FIRST + (2u * pin), (X86_VEC_GSI + pin) | (masked ? REDIR_MASKED : 0u));
}

/* The pin of its emulated console: its own, with no real entry behind it. */
/* Implements: REQ-XARCH-034 */
static bool owns_virtually(const struct partition *p, uint32_t pin)
{
	return (p->cfg->console.kind == (uint8_t)CFG_CONSOLE_NS16550) && (p->cfg->console.irq == pin);
}

static bool owns(const struct partition *p, uint32_t pin)
{
	return (pin < CFG_X86_ISA_PINS) && ((pin_owner[pin] == p) || owns_virtually(p, pin));
}

void x86_ioapic_partition_init(struct partition *p)
{
	for (uint32_t i = 0u; i < p->cfg->n_irqs; i++) {
		uint32_t pin = p->cfg->irqs[i];

		if ((pin < CFG_X86_ISA_PINS) && (pin < cfg_system.arch.ioapic.pins)) {
			pin_owner[pin] = p;
		}
	}
	x86_ioapic_partition_reset(p);
}

void x86_ioapic_partition_reset(struct partition *p)
{
	p->arch.ioregsel = 0u;
	for (uint32_t pin = 0u; pin < CFG_X86_ISA_PINS; pin++) {
		p->arch.redir[pin] = REDIR_MASKED;
		p->arch.redir_dest[pin] = 0u;
		if ((pin_owner[pin] == p) && !owns_virtually(p, pin)) {
			pin_vcpu[pin] = 0u;
			hw_program(pin, true);
		}
	}
}

/* Implements: REQ-XARCH-017 */
void x86_gsi_interrupt(uint32_t pin)
{
	x86_lapic_eoi();
	if (pin < CFG_X86_ISA_PINS) {
		struct partition *p = pin_owner[pin];
		uint32_t entry = (p != NULL) ? __atomic_load_n(&p->arch.redir[pin], __ATOMIC_ACQUIRE) : REDIR_MASKED;

		if ((entry & REDIR_MASKED) == 0u) {
			arch_vcpu_raise(p, pin_vcpu[pin], entry & 0xffu);
		}
	}
}

/* The vCPU of `p` whose x2APIC id is `apic`, or the number of its vCPUs when none is. */
static uint32_t vcpu_of_apic(const struct partition *p, uint32_t apic)
{
	uint32_t v = 0u;

	while ((v < p->cfg->n_vcpus) && (cfg_system.cpus[p->cfg->vcpu_cpu[v]].arch.apic_id != apic)) {
		v++;
	}
	return v;
}

/* The vCPU of `p` an entry's destination names: its APIC id, or with a logical entry its flat LDR mask. */
static uint32_t entry_vcpu(const struct partition *p, uint32_t low, uint32_t high)
{
	uint32_t v = 0u;

	if ((low & REDIR_LOGICAL) == 0u) {
		return vcpu_of_apic(p, high >> REDIR_DEST_SHIFT);
	}
	while ((v < p->cfg->n_vcpus) && !x86_apic_logical_names(p, v, high >> REDIR_DEST_SHIFT)) {
		v++;
	}
	return v;
}

/*
 * A write to an own pin's entry: the low word keeps vector and mask (a vector
 * below 32, another delivery mode, level trigger or low polarity is refused and
 * counted: only fixed edges reach a vCPU); the high word names the destination
 * vCPU by its x2APIC id, or with a logical entry by the flat LDR mask an
 * xAPIC OS wrote (none of its cores: refused and counted).
 */
/* Implements: REQ-XARCH-017 */
static void own_entry_write(struct cpu *cpu, uint32_t pin, bool high, uint32_t value)
{
	struct partition *p = cpu->partition;
	uint32_t low = high ? p->arch.redir[pin] : value;
	uint32_t dest = high ? (value & ((uint32_t)0xffu << REDIR_DEST_SHIFT)) : p->arch.redir_dest[pin];
	uint32_t v = entry_vcpu(p, low, dest);

	if (high && (v >= p->cfg->n_vcpus) && (entry_vcpu(p, low ^ REDIR_LOGICAL, dest) >= p->cfg->n_vcpus)) {
		incident_log(cpu, BH_INCIDENT_INTERRUPT, "I/O APIC pin %u destination %u refused: not its core", pin,
			     value >> REDIR_DEST_SHIFT);
		return;
	}
	if (!high && (((value & ~REDIR_GUEST_BITS) != 0u) || (((value & REDIR_MASKED) == 0u) &&
							       (((value & 0xffu) < 32u) || (v >= p->cfg->n_vcpus))))) {
		incident_log(cpu, BH_INCIDENT_INTERRUPT,
			     "I/O APIC pin %u entry 0x%x refused: only a fixed edge, vector 32-255, to its own core", pin,
			     value);
		return;
	}
	__atomic_store_n(&p->arch.redir_dest[pin], dest, __ATOMIC_RELAXED);
	__atomic_store_n(&p->arch.redir[pin], low, __ATOMIC_RELEASE);
	if (!owns_virtually(p, pin)) {
		pin_vcpu[pin] = (v < p->cfg->n_vcpus) ? v : pin_vcpu[pin];
		hw_program(pin, (low & REDIR_MASKED) != 0u);
	}
}

/* An emulated device's line is its partition's virtual pin: the vector and vCPU its entry names. */
/* Implements: REQ-XARCH-034 */
bool arch_line_target(const struct partition *p, uint32_t line, uint32_t *vcpu, uint32_t *virq)
{
	uint32_t entry;

	if ((line >= CFG_X86_ISA_PINS) || !owns_virtually(p, line)) {
		return false;
	}
	entry = __atomic_load_n(&p->arch.redir[line], __ATOMIC_ACQUIRE);
	*vcpu = entry_vcpu(p, entry, __atomic_load_n(&p->arch.redir_dest[line], __ATOMIC_RELAXED));
	*virq = entry & 0xffu;
	return ((entry & REDIR_MASKED) == 0u) && (*vcpu < p->cfg->n_vcpus);
}

static uint32_t window_read(const struct partition *p, uint32_t sel)
{
	uint32_t pins = cfg_system.arch.ioapic.pins;
	uint32_t pin = (sel - REG_REDIR_FIRST) / 2u;
	bool entry = (sel >= REG_REDIR_FIRST) && (sel < (REG_REDIR_FIRST + (2u * pins)));
	bool high = ((sel - REG_REDIR_FIRST) & 1u) != 0u;

	if (sel == REG_VERSION) {
		return VERSION_82093AA | ((pins - 1u) << 16);
	}
	if (entry && owns(p, pin)) {
		return high ? p->arch.redir_dest[pin] : p->arch.redir[pin];
	}
	if (entry && !high) {
		return REDIR_MASKED;   /* the low word of an entry: masked, as the pin is another's or nobody's */
	}
	return 0u;   /* id, arbitration, an entry's destination word, or no register */
}

bool x86_ioapic_access(struct cpu *cpu, uint64_t gpa)
{
	const struct cfg_mmio *m = &cfg_system.arch.ioapic.mmio;
	uint8_t buf[X86_INSN_MAX];
	uint32_t n = 0u;
	struct x86_mov mov = { 0u, 0, 0, 0u };
	uint32_t len;
	uint32_t offset;

	if ((m->size == 0u) || (gpa < m->base) || ((gpa - m->base) >= m->size)) {
		return false;
	}
	offset = (uint32_t)(gpa - m->base);
	const uint8_t *code = x86_fetch_code(cpu, buf, &n);   /* sets n: a call of its own, before n is read */

	len = x86_insn_decode_mov(code, n, vendor_code_mode(cpu), &mov);
	if ((len == 0u) || ((offset != IOREGSEL) && (offset != IOWIN))) {
		return false;
	}
	uint32_t value = mov.has_imm ? mov.imm : (uint32_t)x86_gpr_read(cpu, mov.reg);
	uint32_t *sel = &cpu->partition->arch.ioregsel;

	if (!mov.store && (offset == IOREGSEL)) {
		x86_gpr_write32(cpu, mov.reg, __atomic_load_n(sel, __ATOMIC_RELAXED));
	} else if (!mov.store) {
		x86_gpr_write32(cpu, mov.reg, window_read(cpu->partition, __atomic_load_n(sel, __ATOMIC_RELAXED)));
	} else if (offset == IOREGSEL) {
		__atomic_store_n(sel, value & 0xffu, __ATOMIC_RELAXED);
	} else {
		uint32_t reg = __atomic_load_n(sel, __ATOMIC_RELAXED);
		uint32_t pin = (reg - REG_REDIR_FIRST) / 2u;

		if ((reg >= REG_REDIR_FIRST) && owns(cpu->partition, pin)) {
			own_entry_write(cpu, pin, ((reg - REG_REDIR_FIRST) & 1u) != 0u, value);
		} else {
			incident_log(cpu, BH_INCIDENT_INTERRUPT, "I/O APIC register 0x%x write 0x%x refused: not its pin",
				     reg, value);
		}
	}
	vendor_reg_write(cpu, X86_REG_RIP, vendor_reg_read(cpu, X86_REG_RIP) + len);
	return true;
}
