/* SPDX-License-Identifier: MIT */
/*
 * The emulated PL011 (see vuart_pl011.h): the registers of an ARM PrimeCell
 * UART (PL011 r1p5) as Linux's amba-pl011 driver, its earlycon and simple
 * polled drivers use them, over the two rings of a console channel.
 *
 * Transmit: bytes gather into one console record (a slot's payload), which
 * goes out when it ends a line, when it is full, and when the guest shows it
 * has stopped writing for now: three reads of the flag register in a row
 * (a polled driver waiting for input or for the FIFO to drain), or a write
 * of the interrupt mask, control or line control register (Linux's
 * interrupt-driven path masks the transmit interrupt when it has sent all,
 * its console write restores the control register). The ring applies
 * back-pressure: while the service partition has no room, the flag register
 * says the FIFO is full; a driver that writes on regardless loses the byte,
 * and the loss is counted. Nothing waits in the hypervisor.
 *
 * Receive: input records are taken from the channel's second ring one at a
 * time into a buffer the data register reads from. The channel half (the
 * record, back-pressure, the counted loss, the announced waits) is shared
 * with the 16550 (vuart_chan.c).
 *
 * Interrupts: the raw status holds RX and RT (data to read) and TX (room to
 * write, set again by every data write, as QEMU's PL011 does); the line is
 * raw status AND mask. The partition's virtual interrupt is raised on each
 * rising edge of the line; Linux's handler loops until the masked status
 * reads zero, so an edge is all it needs.
 */
#include "vuart_pl011.h"
#include <generated/autoconf.h>
#include "cfg.h"
#include "cpu.h"
#include "emul.h"
#include "hw/pl011.h"
#include "lib.h"
#include "partition.h"
#include "spinlock.h"
#include "virq.h"
#include "vuart_chan.h"

#define CR_RESET    0x300u      /* TXE, RXE */
#define IFLS_RESET  0x12u       /* half-full triggers */

/* The PL011's depth (r1p5: 32 entries): what a driver may write after a TX interrupt. */
#define FIFO_DEPTH  32u
/* Reads of the flag register in a row that show the guest waiting, not writing. */
#define FR_POLLS_FLUSH 3u

struct vuart {
	struct spinlock lock;
	struct partition *part;        /* whose UART it is; NULL: none */
	struct vuart_chan chan;
	uint32_t fr_polls;
	uint32_t cr;
	uint32_t lcrh;
	uint32_t ibrd;
	uint32_t fbrd;
	uint32_t ifls;
	uint32_t imsc;
	uint32_t ris;
	uint32_t dmacr;
	bool tx_blocked;               /* no room for a FIFO's worth when last looked */
	bool line;                     /* the interrupt line as last computed */
};

/* What an access did that is done after the lock is dropped. */
struct vuart_effects {
	bool ring_service;             /* a record went out, or input room came free */
	bool raise;                    /* the interrupt line rose */
	uint32_t lost;                 /* bytes lost, to report */
};

/* One per partition of the description (bhcc's BH_NUM_PARTITIONS; partitions_init checks it). */
static struct vuart vuarts[BH_NUM_PARTITIONS];

static enum core_status vuart_doorbell(struct cpu *self, uint32_t channel, void *context);

/* Takes the next input record when the receive buffer is empty. */
/* Implements: REQ-CON-104, REQ-CON-105 */
static void rx_fill(struct vuart *u, struct vuart_effects *fx)
{
	if (vchan_rx_fill(&u->chan, &fx->ring_service)) {
		u->ris |= PL011_INT_RX | PL011_INT_RT;
	}
}

/* --- Registers ------------------------------------------------------------------- */

/* Implements: REQ-CON-101, REQ-CON-102 */
static void write_dr(struct vuart *u, uint8_t c, struct vuart_effects *fx)
{
	u->fr_polls = 0u;
	vchan_put(&u->chan, c, &fx->ring_service);
	u->tx_blocked = !vchan_tx_room(&u->chan, FIFO_DEPTH);
	u->ris = u->tx_blocked ? (u->ris & ~PL011_INT_TX) : (u->ris | PL011_INT_TX);
}

/* Implements: REQ-CON-101, REQ-CON-104 */
static uint32_t read_dr(struct vuart *u, struct vuart_effects *fx)
{
	uint32_t c;

	u->fr_polls = 0u;
	rx_fill(u, fx);
	c = vchan_get(&u->chan, &fx->ring_service);
	if (vchan_rx_pending(&u->chan) == 0u) {
		u->ris &= ~(PL011_INT_RX | PL011_INT_RT);
	}
	return c;
}

/* Implements: REQ-CON-101 */
static uint32_t read_fr(struct vuart *u, struct vuart_effects *fx)
{
	uint32_t fr = 0u;
	uint32_t tx_len = u->chan.tx_len;

	u->fr_polls++;
	if ((tx_len == VCHAN_RECORD_MAX) || ((tx_len != 0u) && (u->fr_polls >= FR_POLLS_FLUSH))) {
		vchan_flush(&u->chan, &fx->ring_service);
	}
	rx_fill(u, fx);
	tx_len = u->chan.tx_len;
	fr |= (tx_len == 0u) ? PL011_FR_TXFE : 0u;
	fr |= (tx_len == VCHAN_RECORD_MAX) ? PL011_FR_TXFF : 0u;
	fr |= (vchan_rx_pending(&u->chan) == 0u) ? PL011_FR_RXFE : 0u;
	fr |= (vchan_rx_pending(&u->chan) >= FIFO_DEPTH) ? PL011_FR_RXFF : 0u;
	return fr;
}

/* Implements: REQ-CON-101 */
static uint32_t reg_read(struct vuart *u, uint32_t offset, struct vuart_effects *fx)
{
	/* UARTPeriphID0..3 (part 0x011, ARM, revision 3: r1p5) and UARTPCellID0..3. */
	static const uint8_t pl011_id[8] = { 0x11u, 0x10u, 0x34u, 0x00u, 0x0du, 0xf0u, 0x05u, 0xb1u };

	switch (offset) {
	case PL011_DR:
		return read_dr(u, fx);
	case PL011_FR:
		return read_fr(u, fx);
	case PL011_IBRD:
		return u->ibrd;
	case PL011_FBRD:
		return u->fbrd;
	case PL011_LCRH:
		return u->lcrh;
	case PL011_CR:
		return u->cr;
	case PL011_IFLS:
		return u->ifls;
	case PL011_IMSC:
		return u->imsc;
	case PL011_RIS:
		return u->ris;
	case PL011_MIS:
		return u->ris & u->imsc;
	case PL011_DMACR:
		return u->dmacr;
	default:
		if ((offset >= PL011_ID) && (offset < (PL011_ID + 32u))) {
			return pl011_id[(offset - PL011_ID) / 4u];
		}
		/* RSR (no errors ever), ILPR, reserved and write-only registers read as zero. */
		return 0u;
	}
}

/* Implements: REQ-CON-101 */
static void reg_write(struct vuart *u, uint32_t offset, uint32_t value, struct vuart_effects *fx)
{
	switch (offset) {
	case PL011_DR:
		write_dr(u, (uint8_t)value, fx);
		return;
	case PL011_IBRD:
		u->ibrd = value & 0xffffu;
		return;
	case PL011_FBRD:
		u->fbrd = value & 0x3fu;
		return;
	case PL011_IFLS:
		u->ifls = value & 0x3fu;
		return;
	case PL011_ICR:
		u->ris &= ~value;
		return;
	case PL011_DMACR:
		/* No DMA: the request bits are kept and do nothing (the device tree names no channels). */
		u->dmacr = value & 0x7u;
		return;
	case PL011_LCRH:
		u->lcrh = value & 0xffu;
		break;
	case PL011_CR:
		u->cr = value & 0xff87u;
		break;
	case PL011_IMSC:
		u->imsc = value & PL011_INT_ALL;
		break;
	default:
		/* RSR/ECR (clears errors: there are none), ILPR, reserved, read-only: ignored. */
		return;
	}
	/* A driver that reconfigures or masks has stopped writing for now: send what it wrote. */
	vchan_flush(&u->chan, &fx->ring_service);
}

/* Recomputes the interrupt line; a rising edge raises the partition's interrupt. */
/* Implements: REQ-CON-104 */
static void update_line(struct vuart *u, struct vuart_effects *fx)
{
	bool line = (u->ris & u->imsc) != 0u;

	fx->raise = line && !u->line;
	u->line = line;
}

/* What an access or a doorbell leaves to do once the lock is dropped. */
/* Implements: REQ-CON-102, REQ-CON-103, REQ-CON-104 */
static void apply(struct cpu *self, struct vuart *u, const struct vuart_effects *fx)
{
	vchan_notify(self, &u->chan, u->part, fx->ring_service, fx->lost);
	if (fx->raise) {
		/* Raised from its own vCPU when the access is its own; else where vCPU 0 runs. */
		uint32_t vcpu = (self->partition == u->part) ? self->vcpu : 0u;
		(void)core_vcpu_inject(self, u->part, vcpu, u->part->cfg->console.irq);
	}
}

/*
 * One access to UART `u`. Not inlined into vuart_mmio: with `u` a parameter
 * the compiler keeps it in a register; inlined, GCC 12 recomputed
 * &vuarts[id] (a multiply by the 432-byte stride) at almost every use of
 * it, 39 more EL2 instructions per access (make bench's emulated PL011 row:
 * 349 -> 310 per access).
 */
/* Implements: REQ-CON-101, REQ-CON-103 */
static __attribute__((noinline)) bool vuart_access(struct cpu *cpu, struct vuart *u, uint64_t offset, bool write,
						   uint32_t size, uint64_t *value)
{
	struct vuart_effects fx = { false, false, 0u };

	if (size > 4u) {
		return false;   /* the PL011 has no 64-bit registers: the partition's fault */
	}
	spin_lock(&u->lock);
	if ((offset % 4u) != 0u) {
		/* Inside a register: not a register access the PL011 defines; read as zero, ignored. */
		if (!write) {
			*value = 0u;
		}
	} else if (write) {
		reg_write(u, (uint32_t)offset, (uint32_t)*value, &fx);
	} else {
		*value = reg_read(u, (uint32_t)offset, &fx);
	}
	update_line(u, &fx);
	fx.lost = vchan_take_lost(&u->chan);
	spin_unlock(&u->lock);
	apply(cpu, u, &fx);
	return true;
}

/* The emulated registers (emul.h handler). */
/* Implements: REQ-CON-101 */
static bool vuart_mmio(struct cpu *cpu, void *context, uint64_t offset, bool write, uint32_t size,
		       uint64_t *value)
{
	UNUSED(context);
	/* The region was registered for the partition's own UART (vuart_pl011_init). */
	return vuart_access(cpu, &vuarts[cpu->partition->id], offset, write, size, value);
}

/* --- Life cycle ---------------------------------------------------------------- */

/* Implements: REQ-CON-101 */
static void registers_reset(struct vuart *u)
{
	vchan_reset(&u->chan);
	u->fr_polls = 0u;
	u->cr = CR_RESET;
	u->lcrh = 0u;
	u->ibrd = 0u;
	u->fbrd = 0u;
	u->ifls = IFLS_RESET;
	u->imsc = 0u;
	u->ris = 0u;
	u->dmacr = 0u;
	u->tx_blocked = false;
	u->line = false;
}

/* Implements: REQ-CON-101, REQ-CON-105 */
void vuart_pl011_init(struct partition *p)
{
	const struct cfg_partition_console *con = &p->cfg->console;
	struct vuart *u = &vuarts[p->id];

	if (con->kind != (uint8_t)CFG_CONSOLE_PL011) {
		return;
	}
	(void)memset(u, 0, sizeof(struct vuart));
	u->part = p;
	vchan_init(&u->chan, p, vuart_doorbell, NULL);
	if (emul_register(p, EMUL_MMIO, con->ipa, VUART_PL011_SIZE, vuart_mmio, NULL) != CORE_OK) {
		panic("partition '%s': its emulated UART cannot be set up", p->cfg->name);
	}
	registers_reset(u);
}

/* Implements: REQ-CON-101 */
void vuart_pl011_reset(struct partition *p)
{
	struct vuart *u = &vuarts[p->id];

	if (u->part == NULL) {
		return;
	}
	spin_lock(&u->lock);
	registers_reset(u);
	spin_unlock(&u->lock);
}

/* The service partition rang the UART's channel (channel_hyp_ring_t): input
 * may have arrived, output room freed up. Bounded work, never waits. */
/* Implements: REQ-CON-102, REQ-CON-103, REQ-CON-104 */
static enum core_status vuart_doorbell(struct cpu *self, uint32_t channel, void *context)
{
	struct vuart *u;
	struct vuart_effects fx = { false, false, 0u };

	UNUSED(context);
	/* channel_ring calls a bound end only for a channel of the table, and vchan_init bound this
	 * one after checking that its end 0 is the hypervisor's for the UART's partition. */
	u = &vuarts[cfg_system.channels[channel].end[0].partition];
	spin_lock(&u->lock);
	bool input = vchan_doorbell(&u->chan, &fx.ring_service);
	if (u->tx_blocked && vchan_tx_room(&u->chan, FIFO_DEPTH)) {
		/* The FIFO drained below its trigger level: the transmit interrupt. */
		u->tx_blocked = false;
		u->ris |= PL011_INT_TX;
	}
	if (input) {
		u->ris |= PL011_INT_RX | PL011_INT_RT;
	}
	update_line(u, &fx);
	fx.lost = vchan_take_lost(&u->chan);
	spin_unlock(&u->lock);
	apply(self, u, &fx);
	return CORE_OK;
}
