/* SPDX-License-Identifier: MIT */
/*
 * arm64_copy_clean256(dst x0, src x1, blocks x2): copies blocks * 256 bytes
 * and cleans each 64-byte line of the copy to the point of coherency as
 * soon as it is written (arch_load_blob, cache.c: a partition's image at
 * each load). Both addresses 64-byte aligned, blocks > 0, 64-byte lines.
 *
 * It moves 32 bytes an instruction through the FP/SIMD registers v0-v7:
 * only at a partition's load, on its own core, whose guest registers are
 * being reset (EL2 does not trap FP/SIMD: CPTR_EL2.TFP is clear). They are
 * zeroed at the end, so no byte of the image store stays in them.
 * 23 instructions per 256 bytes: half those of memcpy and a separate
 * cleaning pass.
 */
	.section .text.arm64_copy_clean256, "ax"
	.global arm64_copy_clean256
	.type arm64_copy_clean256, %function
	.balign 64
arm64_copy_clean256:
1:	ldp	q0, q1, [x1], #32
	ldp	q2, q3, [x1], #32
	ldp	q4, q5, [x1], #32
	ldp	q6, q7, [x1], #32
	stp	q0, q1, [x0]
	stp	q2, q3, [x0, #32]
	dc	cvac, x0
	stp	q4, q5, [x0, #64]!
	stp	q6, q7, [x0, #32]
	dc	cvac, x0
	ldp	q0, q1, [x1], #32
	ldp	q2, q3, [x1], #32
	ldp	q4, q5, [x1], #32
	ldp	q6, q7, [x1], #32
	stp	q0, q1, [x0, #64]!
	stp	q2, q3, [x0, #32]
	dc	cvac, x0
	stp	q4, q5, [x0, #64]!
	stp	q6, q7, [x0, #32]
	dc	cvac, x0
	add	x0, x0, #64
	subs	x2, x2, #1
	b.ne	1b
	movi	v0.2d, #0
	movi	v1.2d, #0
	movi	v2.2d, #0
	movi	v3.2d, #0
	movi	v4.2d, #0
	movi	v5.2d, #0
	movi	v6.2d, #0
	movi	v7.2d, #0
	ret
	.size arm64_copy_clean256, . - arm64_copy_clean256
