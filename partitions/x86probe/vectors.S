/* SPDX-License-Identifier: MIT */
/*
 * x86probe's two interrupt gates (main.c installs them): the IPI vector
 * counts what it takes; #GP counts the refusal of a trapped MSR access and
 * steps over it (RDMSR and WRMSR are two bytes, no prefix in main.c).
 * No EOI: Bulkhead's x2APIC keeps no in-service state (arch/x86/x2apic.c).
 */
	.text
	.code64
	.globl	x86probe_ipi_gate
x86probe_ipi_gate:
	lock incl x86probe_ipis(%rip)
	iretq

	.globl	x86probe_gp_gate
x86probe_gp_gate:
	lock incl x86probe_gps(%rip)
	addq	$2, 8(%rsp)		/* the saved RIP, above the error code */
	addq	$8, %rsp		/* the error code */
	iretq

	.section .note.GNU-stack, "", @progbits
