/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vectors. A trap from a guest saves the guest's registers in
 * a struct guest_frame on the cpu's stack (empty while the guest runs),
 * calls the C handler with the frame, and restores them; which registers
 * the frame holds is said at save_caller. ELR_EL2 and SPSR_EL2 stay in
 * their registers (arm64.h). Exceptions taken at EL2 itself are hypervisor
 * bugs: they are reported and the board is stopped.
 */
#include "asm_defs.h"

/*
 * What the C handlers may clobber (AAPCS64): x0-x18 and x30. x19-x29 are
 * callee-saved, so C code gives them back unchanged and they stay live in
 * their registers across the handler; only the handlers that read or write
 * a guest register by number (a trapped system-register access, an
 * emulated MMIO access: EC_SYSREG, EC_DABT_LOW) get them in the frame too,
 * when the register they address is one of them (guest_sync_regs). The
 * first store allocates the frame, the last load frees it.
 */
.macro save_caller
	stp	x0, x1, [sp, #-GUEST_FRAME_SIZE]!
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	str	x18, [sp, #8 * 18]
	str	x30, [sp, #8 * 30]
.endm

.macro restore_caller
	ldr	x30, [sp, #8 * 30]
	ldr	x18, [sp, #8 * 18]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x0, x1, [sp], #GUEST_FRAME_SIZE
.endm

/* An interrupt, FIQ or SError: the handler never reads the frame. */
.macro guest_vector handler
	.balign	0x80
	save_caller
	mov	x0, sp
	bl	\handler
	restore_caller
	eret
	dsb	nsh
	isb
.endm

/*
 * A synchronous exception. ESR_EL2 is read once, here, and passed on. An
 * HVC (EC_HVC64), the guest's call and the most frequent trap, is handled
 * in the vector's own slot: arm64_guest_hvc(frame, esr) and back. Anything
 * else: guest_sync_other.
 */
.macro guest_sync_vector
	.balign	0x80
	save_caller
	mrs	x1, esr_el2
	lsr	x2, x1, #26
	cmp	x2, #FULL_FRAME_EC_HVC64
	b.ne	guest_sync_other
	mov	x0, sp
	bl	arm64_guest_hvc
	restore_caller
	eret
	dsb	nsh
	isb
.endm

.macro hyp_vector kind
	.balign	0x80
	mov	x0, #\kind
	b	arm64_hyp_fault
.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.global arm64_vectors
arm64_vectors:
	hyp_vector 0		/* EL2 with SP_EL0: synchronous */
	hyp_vector 1		/* IRQ */
	hyp_vector 2		/* FIQ */
	hyp_vector 3		/* SError */
	hyp_vector 4		/* EL2 with SP_EL2: synchronous */
	hyp_vector 5		/* IRQ */
	hyp_vector 6		/* FIQ */
	hyp_vector 7		/* SError */
	guest_sync_vector		/* lower EL, AArch64 */
	guest_vector arm64_guest_irq
	guest_vector arm64_guest_fiq
	guest_vector arm64_guest_serror
	guest_sync_vector		/* lower EL, AArch32 (EL0 only: EL1 is always AArch64) */
	guest_vector arm64_guest_irq
	guest_vector arm64_guest_fiq
	guest_vector arm64_guest_serror

	.text
/*
 * arm64_guest_sync(frame, esr). A trapped system-register access or an
 * emulated MMIO access whose register (Rt, SRT: ISS bits 9:5, 20:16) is one
 * of x19-x29 takes the full frame (guest_sync_regs): only these handlers
 * address a register by number. For a data abort without a valid syndrome
 * (ISV 0) the field is not a register and the handler does not use it; the
 * test errs on the safe side.
 */
guest_sync_other:
	cmp	x2, #FULL_FRAME_EC_SYSREG
	b.eq	guest_sync_sysreg
	cmp	x2, #FULL_FRAME_EC_DABT
	b.eq	guest_sync_dabt
	mov	x0, sp
	bl	arm64_guest_sync
	b	guest_exit
guest_sync_sysreg:
	ubfx	x3, x1, #5, #5
	sub	x3, x3, #19
	cmp	x3, #(29 - 19)
	b.ls	guest_sync_regs
	mov	x0, sp
	bl	arm64_guest_sysreg	/* the class is known: no table */
	b	guest_exit
guest_sync_dabt:
	ubfx	x3, x1, #16, #5
	sub	x3, x3, #19
	cmp	x3, #(29 - 19)
	b.ls	guest_sync_regs
	mov	x0, sp
	bl	arm64_guest_dabt	/* the class is known: no table */
	b	guest_exit

/* x19-x29 into and out of the frame around the handler: it reads or writes one of them. */
guest_sync_regs:
	stp	x19, x20, [sp, #8 * 19]
	stp	x21, x22, [sp, #8 * 21]
	stp	x23, x24, [sp, #8 * 23]
	stp	x25, x26, [sp, #8 * 25]
	stp	x27, x28, [sp, #8 * 27]
	str	x29, [sp, #8 * 29]
	mov	x0, sp
	bl	arm64_guest_sync
	ldp	x19, x20, [sp, #8 * 19]
	ldp	x21, x22, [sp, #8 * 21]
	ldp	x23, x24, [sp, #8 * 23]
	ldp	x25, x26, [sp, #8 * 25]
	ldp	x27, x28, [sp, #8 * 27]
	ldr	x29, [sp, #8 * 29]

	.global guest_exit
guest_exit:
	restore_caller
	eret
	dsb	nsh
	isb
