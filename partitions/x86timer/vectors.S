/* SPDX-License-Identifier: MIT */
/*
 * x86timer's #GP gate (main.c installs it; its timer vector is a doorbell of
 * the runtime): counts a refused local APIC write and steps over it (WRMSR
 * is two bytes, no prefix in main.c).
 */
	.text
	.code64
	.globl	x86timer_gp_gate
x86timer_gp_gate:
	lock incl x86timer_gps(%rip)
	addq	$2, 8(%rsp)		/* the saved RIP, above the error code */
	addq	$8, %rsp		/* the error code */
	iretq

	.section .note.GNU-stack, "", @progbits
