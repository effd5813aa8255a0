/* SPDX-License-Identifier: MIT */
/* x86cores' IPI gate (main.c): counts what it takes. No EOI: arch/x86/x2apic.c keeps no in-service state. */
	.text
	.code64
	.globl	x86cores_ipi_gate
x86cores_ipi_gate:
	lock incl x86cores_ipis(%rip)
	iretq

	.section .note.GNU-stack, "", @progbits
