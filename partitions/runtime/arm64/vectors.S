/* SPDX-License-Identifier: MIT */
/*
 * The partition's EL1 exception vectors: every exception goes to
 * rt_exception(kind, esr, elr, far, entry_counter); a non-zero return
 * resumes after the faulting instruction (used to observe refused
 * operations). The second instruction of every vector reads the virtual
 * counter (entry_counter), so interrupt latency can be measured exactly.
 */
.macro vector kind
	.balign	0x80
	stp	x29, x30, [sp, #-16]!
	mrs	x30, cntvct_el0
	mov	x29, #\kind
	b	vector_common
.endm

	.text
	.balign	0x800
	.global rt_vectors
rt_vectors:
	vector 0
	vector 1
	vector 2
	vector 3
	vector 4
	vector 5
	vector 6
	vector 7
	vector 8
	vector 9
	vector 10
	vector 11
	vector 12
	vector 13
	vector 14
	vector 15

vector_common:
	stp	x0, x1, [sp, #-16]!
	stp	x2, x3, [sp, #-16]!
	stp	x4, x5, [sp, #-16]!
	stp	x6, x7, [sp, #-16]!
	stp	x8, x9, [sp, #-16]!
	stp	x10, x11, [sp, #-16]!
	stp	x12, x13, [sp, #-16]!
	stp	x14, x15, [sp, #-16]!
	stp	x16, x17, [sp, #-16]!
	stp	x18, xzr, [sp, #-16]!
	mov	x0, x29
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	mov	x4, x30
	bl	rt_exception
	cbz	x0, 1f
	mrs	x1, elr_el1
	add	x1, x1, #4
	msr	elr_el1, x1
1:	ldp	x18, xzr, [sp], #16
	ldp	x16, x17, [sp], #16
	ldp	x14, x15, [sp], #16
	ldp	x12, x13, [sp], #16
	ldp	x10, x11, [sp], #16
	ldp	x8, x9, [sp], #16
	ldp	x6, x7, [sp], #16
	ldp	x4, x5, [sp], #16
	ldp	x2, x3, [sp], #16
	ldp	x0, x1, [sp], #16
	ldp	x29, x30, [sp], #16
	eret
