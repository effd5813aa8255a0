/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vectors. A trap from a guest saves x0-x30 in a struct
 * guest_frame on the cpu's stack (empty while the guest runs), calls the C
 * handler with the frame, and restores it; ELR_EL2 and SPSR_EL2 stay in
 * their registers (arm64.h). Exceptions taken at EL2 itself are hypervisor
 * bugs: they are reported and the board is stopped.
 */
#include "asm_defs.h"

.macro save_guest
	sub	sp, sp, #GUEST_FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	str	x30, [sp, #16 * 15]
	mov	x0, sp
.endm

.macro guest_vector handler
	.balign	0x80
	save_guest
	bl	\handler
	b	guest_exit
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
	guest_vector arm64_guest_sync	/* lower EL, AArch64 */
	guest_vector arm64_guest_irq
	guest_vector arm64_guest_fiq
	guest_vector arm64_guest_serror
	guest_vector arm64_guest_sync	/* lower EL, AArch32 (EL0 only: EL1 is always AArch64) */
	guest_vector arm64_guest_irq
	guest_vector arm64_guest_fiq
	guest_vector arm64_guest_serror

	.text
	.global guest_exit
guest_exit:
	ldr	x30, [sp, #16 * 15]
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	add	sp, sp, #GUEST_FRAME_SIZE
	eret
	dsb	nsh
	isb
