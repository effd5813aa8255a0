/* SPDX-License-Identifier: MIT */
/*
 * The #GP gate x86_msr_refusals_catch() installs (idt.c): counts the #GP in
 * rt_x86_msr_gp_count and steps over the instruction that raised it, which
 * must be a two-byte RDMSR or WRMSR without a prefix (the hypervisor's
 * answer to an MSR access it refuses). The test partitions that probe those
 * refusals share it instead of each carrying a copy.
 */
	.text
	.code64
	.globl	rt_x86_msr_gp_gate
rt_x86_msr_gp_gate:
	lock incl rt_x86_msr_gp_count(%rip)
	addq	$2, 8(%rsp)		/* the saved RIP, above the error code */
	addq	$8, %rsp		/* the error code */
	iretq

	.bss
	.p2align 2
	.globl	rt_x86_msr_gp_count
rt_x86_msr_gp_count:
	.long	0

	.section .note.GNU-stack, "", @progbits
