/* SPDX-License-Identifier: MIT */
/*
 * Trapped accesses through the callee-saved registers x19-x29, which the
 * hypervisor's vectors put in the frame only when a trap's syndrome names
 * one of them (arch/arm64/vectors.S). Written in assembly so that each
 * access uses exactly the register it means to.
 */

/* Bulkhead's null hypercall (BH_HC_VERSION); natively QEMU's firmware refuses it. */
#define HC_VERSION 0xc6000000

/*
 * regs_mmio(byte, out): for each of x19..x29 in turn, stores a distinct value
 * (0x10, 0x20, ... 0xb0) from it into the byte register at `byte`, zeroes it
 * and loads the byte back into it; then makes a null hypercall and writes
 * x19..x29 to out[0..10]. Each register must come back holding its own value:
 * the store used it, the load wrote it, and nothing since lost it.
 */
.macro through reg, value
	mov	\reg, #\value
	strb	\reg, [x0]
	mov	\reg, #0
	ldrb	\reg, [x0]
.endm

	.text
	.global regs_mmio
regs_mmio:
	stp	x19, x20, [sp, #-96]!
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x1, [sp, #80]
	through	w19, 0x10
	through	w20, 0x20
	through	w21, 0x30
	through	w22, 0x40
	through	w23, 0x50
	through	w24, 0x60
	through	w25, 0x70
	through	w26, 0x80
	through	w27, 0x90
	through	w28, 0xa0
	through	w29, 0xb0
	mov	x0, #HC_VERSION
	hvc	#0
	ldr	x1, [sp, #88]
	stp	x19, x20, [x1, #0]
	stp	x21, x22, [x1, #16]
	stp	x23, x24, [x1, #32]
	stp	x25, x26, [x1, #48]
	stp	x27, x28, [x1, #64]
	str	x29, [x1, #80]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldr	x29, [sp, #80]
	ldp	x19, x20, [sp], #96
	ret

/*
 * regs_sgi(version, value): sends an SGI with the register value in x27:
 * GICv3 through ICC_SGI1R_EL1 (a trapped system-register write), GICv2
 * through GICD_SGIR at `sgir` (an emulated store).
 */
	.global regs_sgi
regs_sgi:
	str	x27, [sp, #-16]!
	mov	x27, x1
	dsb	ish
	cmp	x0, #3
	b.ne	1f
	msr	S3_0_C12_C11_5, x27
	b	2f
1:	str	w27, [x2]
2:	isb
	ldr	x27, [sp], #16
	ret
