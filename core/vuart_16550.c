/* SPDX-License-Identifier: MIT */
/*
 * The emulated 16550 (see vuart_16550.h): the registers of an
 * 8250-compatible UART with FIFOs (a 16550A, PC16550D data sheet) as Linux's
 * 8250 driver, its earlycon and simple polled drivers use them, over the two
 * rings of a console channel (vuart_chan.c, shared with the PL011).
 *
 * Transmit: the holding register is empty (LSR THRE) while the channel has
 * room for a FIFO's worth of bytes, so a driver that waits for THRE before
 * each byte or each FIFO load never loses one; the shifter is empty (TEMT)
 * once the record is sent. The record goes out at a line's end, when full,
 * and when the guest shows it has stopped writing for now: a second read of
 * LSR with no write between (earlycon reads it once per byte; a driver
 * waiting for TEMT reads it again), or a write of IER, FCR, LCR or MCR.
 *
 * Interrupts: the 8250's priorities (IIR): received data (IER RDI and input
 * buffered), then the transmitter (IER THRI and the holding register empty
 * since IIR last named it, or since THRI was enabled, or since room came
 * back); no line-status or modem-status events ever occur. The interrupt
 * output reaches the partition's pin only with MCR OUT2 set, as on a PC;
 * each rising edge raises the pin's vector (arch_line_target). Linux's
 * handler loops until IIR says no interrupt, so an edge is all it needs.
 */
#include "vuart_16550.h"
#include <generated/autoconf.h>
#include "arch.h"
#include "cfg.h"
#include "cpu.h"
#include "emul.h"
#include "hw/ns16550.h"
#include "lib.h"
#include "partition.h"
#include "spinlock.h"
#include "virq.h"
#include "vuart_chan.h"

/* The 16550A's FIFO: what a driver may write after a THRE interrupt. */
#define FIFO_DEPTH 16u
/* Reads of LSR with no write between that show the guest waiting, not writing. */
#define LSR_POLLS_FLUSH 2u
/* The divisor at reset: 9600 baud from 1.8432 MHz, as QEMU's model and PC firmware leave it. */
#define DIVISOR_RESET 0x0cu
#define IER_BITS 0x0fu
#define MCR_BITS 0x1fu
#define FCR_KEPT 0xc9u            /* enable, DMA mode, trigger level; the clear bits act once */

struct u16550 {
	struct spinlock lock;
	struct partition *part;        /* whose UART it is; NULL: none */
	struct vuart_chan chan;
	uint32_t lsr_polls;
	uint32_t ier;
	uint32_t fcr;
	uint32_t lcr;
	uint32_t mcr;
	uint32_t scr;
	uint32_t dll;
	uint32_t dlm;
	bool thr_pending;              /* the transmitter's interrupt, until IIR names it or THR is written */
	bool tx_blocked;               /* no room for a FIFO's worth when last looked */
	bool line;                     /* the interrupt output, gated by OUT2, as last computed */
};

/* What an access did that is done after the lock is dropped. */
struct u16550_effects {
	bool ring_service;             /* a record went out, or input room came free */
	bool raise;                    /* the interrupt line rose */
	uint32_t lost;                 /* bytes lost, to report */
};

/* One per partition of the description (bhcc's BH_NUM_PARTITIONS; partitions_init checks it). */
static struct u16550 uarts[BH_NUM_PARTITIONS];

/* --- Registers ------------------------------------------------------------------- */

/* The pending interrupt of the highest priority, as IIR reads (without the FIFO bits). */
/* Implements: REQ-CON-108 */
static uint32_t pending(const struct u16550 *u)
{
	if (((u->ier & UART16550_IER_RDI) != 0u) && (vchan_rx_pending(&u->chan) != 0u)) {
		return UART16550_IIR_RDI;
	}
	if (((u->ier & UART16550_IER_THRI) != 0u) && u->thr_pending) {
		return UART16550_IIR_THRI;
	}
	return UART16550_IIR_NO_INT;
}

/* Implements: REQ-CON-107 */
static void write_thr(struct u16550 *u, uint8_t c, struct u16550_effects *fx)
{
	u->lsr_polls = 0u;
	vchan_put(&u->chan, c, &fx->ring_service);
	u->tx_blocked = !vchan_tx_room(&u->chan, FIFO_DEPTH);
	u->thr_pending = !u->tx_blocked;
}

/* Implements: REQ-CON-107 */
static uint32_t read_lsr(struct u16550 *u, struct u16550_effects *fx)
{
	uint32_t lsr = 0u;

	u->lsr_polls++;
	if ((u->chan.tx_len == VCHAN_RECORD_MAX) || ((u->chan.tx_len != 0u) && (u->lsr_polls >= LSR_POLLS_FLUSH))) {
		vchan_flush(&u->chan, &fx->ring_service);
	}
	(void)vchan_rx_fill(&u->chan, &fx->ring_service);
	lsr |= (vchan_rx_pending(&u->chan) != 0u) ? UART16550_LSR_DR : 0u;
	if (vchan_tx_room(&u->chan, FIFO_DEPTH)) {
		lsr |= UART16550_LSR_THRE;
		lsr |= (u->chan.tx_len == 0u) ? UART16550_LSR_TEMT : 0u;
	}
	return lsr;
}

/* Loopback (MCR LOOP) wires DTR to DSR, RTS to CTS, OUT1 to RI, OUT2 to DCD; otherwise a cable is attached. */
/* Implements: REQ-CON-107 */
static uint32_t read_msr(const struct u16550 *u)
{
	uint32_t msr = UART16550_MSR_DCD | UART16550_MSR_DSR | UART16550_MSR_CTS;

	if ((u->mcr & UART16550_MCR_LOOP) != 0u) {
		msr = 0u;
		msr |= ((u->mcr & UART16550_MCR_DTR) != 0u) ? UART16550_MSR_DSR : 0u;
		msr |= ((u->mcr & UART16550_MCR_RTS) != 0u) ? UART16550_MSR_CTS : 0u;
		msr |= ((u->mcr & UART16550_MCR_OUT1) != 0u) ? UART16550_MSR_RI : 0u;
		msr |= ((u->mcr & UART16550_MCR_OUT2) != 0u) ? UART16550_MSR_DCD : 0u;
	}
	return msr;
}

/* Implements: REQ-CON-107, REQ-CON-108 */
static uint32_t ns_reg_read(struct u16550 *u, uint32_t reg, struct u16550_effects *fx)
{
	bool dlab = (u->lcr & UART16550_LCR_DLAB) != 0u;
	uint32_t v;

	switch (reg) {
	case UART16550_RBR:
		u->lsr_polls = 0u;
		v = dlab ? u->dll : (uint32_t)vchan_get(&u->chan, &fx->ring_service);
		break;
	case UART16550_IER:
		v = dlab ? u->dlm : u->ier;
		break;
	case UART16550_IIR:
		(void)vchan_rx_fill(&u->chan, &fx->ring_service);
		v = pending(u);
		if (v == UART16550_IIR_THRI) {
			u->thr_pending = false;   /* reading IIR that names it acknowledges the transmitter */
		}
		v |= ((u->fcr & UART16550_FCR_ENABLE) != 0u) ? UART16550_IIR_FIFOS : 0u;
		break;
	case UART16550_LCR:
		v = u->lcr;
		break;
	case UART16550_MCR:
		v = u->mcr;
		break;
	case UART16550_LSR:
		v = read_lsr(u, fx);
		break;
	case UART16550_MSR:
		v = read_msr(u);
		break;
	default:
		v = u->scr;
		break;
	}
	return v;
}

/* Implements: REQ-CON-107 */
static void write_fcr(struct u16550 *u, uint32_t value, struct u16550_effects *fx)
{
	u->fcr = value & FCR_KEPT;
	if ((value & UART16550_FCR_CLEAR_RCVR) != 0u) {
		u->chan.rx_pos = u->chan.rx_len;   /* the input not yet read is gone, as the FIFO's */
		(void)vchan_rx_fill(&u->chan, &fx->ring_service);
	}
	/* CLEAR_XMIT: what the FIFO held is on its way (it drains at once), so nothing is dropped. */
}

/* Implements: REQ-CON-107, REQ-CON-108 */
static void ns_reg_write(struct u16550 *u, uint32_t reg, uint32_t value, struct u16550_effects *fx)
{
	bool dlab = (u->lcr & UART16550_LCR_DLAB) != 0u;

	if ((reg == UART16550_THR) && !dlab) {
		write_thr(u, (uint8_t)value, fx);
		return;
	}
	switch (reg) {
	case UART16550_DLL:
		u->dll = value;
		return;
	case UART16550_IER:
		if (dlab) {
			u->dlm = value;
			return;
		}
		if (((u->ier ^ value) & UART16550_IER_THRI) != 0u) {
			/* Enabling the transmitter's interrupt with the holding register empty raises it (8250). */
			u->thr_pending = ((value & UART16550_IER_THRI) != 0u) && !u->tx_blocked;
		}
		u->ier = value & IER_BITS;
		break;
	case UART16550_FCR:
		write_fcr(u, value, fx);
		break;
	case UART16550_LCR:
		u->lcr = value;
		break;
	case UART16550_MCR:
		u->mcr = value & MCR_BITS;
		break;
	case UART16550_SCR:
		u->scr = value;
		return;
	default:
		return;   /* LSR and MSR: factory test registers, writes ignored */
	}
	/* A driver that reconfigures or masks has stopped writing for now: send what it wrote. */
	vchan_flush(&u->chan, &fx->ring_service);
}

/* Recomputes the interrupt output; a rising edge raises the partition's line. */
/* Implements: REQ-CON-108 */
static void ns_update_line(struct u16550 *u, struct u16550_effects *fx)
{
	bool line = ((u->mcr & UART16550_MCR_OUT2) != 0u) && (pending(u) != UART16550_IIR_NO_INT);

	fx->raise = line && !u->line;
	u->line = line;
}

/* Implements: REQ-CON-108 */
static void ns_apply(struct cpu *self, struct u16550 *u, const struct u16550_effects *fx)
{
	uint32_t vcpu = 0u;
	uint32_t virq = 0u;

	vchan_notify(self, &u->chan, u->part, fx->ring_service, fx->lost);
	if (fx->raise && arch_line_target(u->part, u->part->cfg->console.irq, &vcpu, &virq)) {
		(void)core_vcpu_inject(self, u->part, vcpu, virq);
	}
}

/*
 * The emulated ports (emul.h handler). The data registers are a byte wide:
 * a wider access is not the 16550's (on a PC the bus would split it), so it
 * is refused here and the architecture treats it as a refused port access
 * (counted; a read returns all ones, a write does nothing).
 */
/* Implements: REQ-CON-107, REQ-CON-109 */
static bool u16550_pio(struct cpu *cpu, void *context, uint64_t offset, bool write, uint32_t size,
		       uint64_t *value)
{
	struct u16550 *u = &uarts[cpu->partition->id];
	struct u16550_effects fx = { false, false, 0u };

	UNUSED(context);
	/* Registered for the partition's own UART (vuart_16550_init): another's is never reached. */
	if ((size != 1u) || (offset >= VUART_16550_PORTS) || (u->part != cpu->partition)) {
		return false;
	}
	spin_lock(&u->lock);
	if (write) {
		ns_reg_write(u, (uint32_t)offset, (uint32_t)*value & 0xffu, &fx);
	} else {
		*value = ns_reg_read(u, (uint32_t)offset, &fx);
	}
	ns_update_line(u, &fx);
	fx.lost = vchan_take_lost(&u->chan);
	spin_unlock(&u->lock);
	ns_apply(cpu, u, &fx);
	return true;
}

/* The service partition rang the UART's channel (channel_hyp_ring_t): input
 * may have arrived, output room freed up. Bounded work, never waits. */
/* Implements: REQ-CON-108 */
static enum core_status u16550_doorbell(struct cpu *self, uint32_t channel, void *context)
{
	struct u16550 *u;
	struct u16550_effects fx = { false, false, 0u };

	UNUSED(context);
	/* channel_ring calls a bound end only for a channel of the table, and vchan_init bound this
	 * one after checking that its end 0 is the hypervisor's for the UART's partition. */
	u = &uarts[cfg_system.channels[channel].end[0].partition];
	spin_lock(&u->lock);
	(void)vchan_doorbell(&u->chan, &fx.ring_service);
	if (u->tx_blocked && vchan_tx_room(&u->chan, FIFO_DEPTH)) {
		/* The FIFO drained: the holding register is empty again, the transmitter's interrupt. */
		u->tx_blocked = false;
		u->thr_pending = true;
	}
	ns_update_line(u, &fx);
	fx.lost = vchan_take_lost(&u->chan);
	spin_unlock(&u->lock);
	ns_apply(self, u, &fx);
	return CORE_OK;
}

/* --- Life cycle ---------------------------------------------------------------- */

/* Implements: REQ-CON-107 */
static void ns_registers_reset(struct u16550 *u)
{
	vchan_reset(&u->chan);
	u->lsr_polls = 0u;
	u->ier = 0u;
	u->fcr = 0u;
	u->lcr = 0u;
	u->mcr = 0u;
	u->scr = 0u;
	u->dll = DIVISOR_RESET;
	u->dlm = 0u;
	u->thr_pending = false;
	u->tx_blocked = false;
	u->line = false;
}

/* Implements: REQ-CON-107 */
void vuart_16550_init(struct partition *p)
{
	const struct cfg_partition_console *con = &p->cfg->console;
	struct u16550 *u = &uarts[p->id];

	if (con->kind != (uint8_t)CFG_CONSOLE_NS16550) {
		return;
	}
	(void)memset(u, 0, sizeof(struct u16550));
	u->part = p;
	vchan_init(&u->chan, p, u16550_doorbell, NULL);
	if (emul_register(p, EMUL_PIO, con->ipa, VUART_16550_PORTS, u16550_pio, NULL) != CORE_OK) {
		panic("partition '%s': its emulated 16550 cannot be set up", p->cfg->name);
	}
	ns_registers_reset(u);
}

/* Implements: REQ-CON-107 */
void vuart_16550_reset(struct partition *p)
{
	struct u16550 *u = &uarts[p->id];

	if (u->part == NULL) {
		return;
	}
	spin_lock(&u->lock);
	ns_registers_reset(u);
	spin_unlock(&u->lock);
}
