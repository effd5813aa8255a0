/* SPDX-License-Identifier: MIT */
/*
 * One interrupt gate per vector 32-255 (doorbell.c installs the ones it
 * takes): each pushes its vector and joins the common path, which counts it
 * in rt_x86_irq_counts[vector] and returns. 16 bytes per stub, so that the
 * stub of vector v is at rt_x86_irq_stubs + 16 * (v - 32); rt_x86_irq_total
 * counts every vector taken (what a wait for any interrupt watches). No EOI: the
 * hypervisor's x2APIC keeps no in-service state (arch/x86/x2apic.c).
 */
	.text
	.code64
	.globl	rt_x86_irq_stubs
	.p2align 4
rt_x86_irq_stubs:
	.set	vector, 32
	.rept	224
	.p2align 4
	pushq	$vector
	jmp	irq_common
	.set	vector, vector + 1
	.endr

irq_common:
	push	%rax
	push	%rdx
	mov	16(%rsp), %rax			/* the vector */
	lea	rt_x86_irq_counts(%rip), %rdx
	lock incl (%rdx, %rax, 4)
	lock incl rt_x86_irq_total(%rip)
	pop	%rdx
	pop	%rax
	add	$8, %rsp			/* the vector */
	iretq

	.section .note.GNU-stack, "", @progbits
