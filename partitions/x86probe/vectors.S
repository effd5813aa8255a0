/* SPDX-License-Identifier: MIT */
/*
 * x86probe's #GP gate (main.c installs it; its IPI vector is a doorbell of
 * the runtime): counts the refusal of a trapped MSR access and steps over
 * it (RDMSR and WRMSR are two bytes, no prefix in main.c).
 */
	.text
	.code64
	.globl	x86probe_gp_gate
x86probe_gp_gate:
	lock incl x86probe_gps(%rip)
	addq	$2, 8(%rsp)		/* the saved RIP, above the error code */
	addq	$8, %rsp		/* the error code */
	iretq

	.section .note.GNU-stack, "", @progbits
