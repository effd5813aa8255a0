/* SPDX-License-Identifier: MIT */
/*
 * struct x86_gprs (arch_types.h) for the assembly that fills and empties it:
 * its offsets (exit.c checks them against the C layout) and the loads and
 * stores of the world switches, shared by svm_entry.S and vmx_entry.S, and
 * the pushes of the registers C may clobber around an interrupt stub's call
 * (entry.S). rax is left to each user: SVM keeps it in the VMCB, VMX loads
 * it last, as the base register's own value.
 */
#ifndef X86_GPRS_ASM_H
#define X86_GPRS_ASM_H

#define GPRS_RAX 0
#define GPRS_RDI 8
#define GPRS_RSI 16
#define GPRS_RDX 24
#define GPRS_RCX 32
#define GPRS_R8  40
#define GPRS_R9  48
#define GPRS_R10 56
#define GPRS_R11 64
#define GPRS_RBX 72
#define GPRS_RBP 80
#define GPRS_R12 88
#define GPRS_R13 96
#define GPRS_R14 104
#define GPRS_R15 112
#define GPRS_SIZE 120

#ifdef __ASSEMBLER__
/*
 * The registers of the struct in its order, each set of them named once:
 * GPRS_EACH applies \op (GPRS_LD or GPRS_ST) to each register of the list
 * with the struct at \base, the first at offset \first and each next one
 * 8 bytes on, so that the loads and the stores cannot name different slots.
 */
#define GPRS_CALLER_REGS %rdi, %rsi, %rdx, %rcx, %r8, %r9, %r10, %r11   /* but rax */
#define GPRS_CALLEE_REGS %rbx, %rbp, %r12, %r13, %r14, %r15
.macro GPRS_EACH op, base, first, regs:vararg
	.set gprs_off, \first
	.irp reg, \regs
	\op \base, gprs_off, \reg
	.set gprs_off, gprs_off + 8
	.endr
.endm
.macro GPRS_LD base, off, reg
	mov \off(\base), \reg
.endm
.macro GPRS_ST base, off, reg
	mov \reg, \off(\base)
.endm
.macro GPRS_LOAD_CALLER base
	GPRS_EACH GPRS_LD, \base, GPRS_RDI, GPRS_CALLER_REGS
.endm
.macro GPRS_STORE_CALLER base
	GPRS_EACH GPRS_ST, \base, GPRS_RDI, GPRS_CALLER_REGS
.endm
.macro GPRS_LOAD_CALLEE base
	GPRS_EACH GPRS_LD, \base, GPRS_RBX, GPRS_CALLEE_REGS
.endm
.macro GPRS_STORE_CALLEE base
	GPRS_EACH GPRS_ST, \base, GPRS_RBX, GPRS_CALLEE_REGS
.endm
/* The host's callee-saved registers, around a world switch that returns (VMX). */
.macro PUSH_CALLEE
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
.endm
.macro POP_CALLEE
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
.endm
/* What an interrupt stub's C call may clobber (72 bytes). */
.macro PUSH_CALLER
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
.endm
.macro POP_CALLER
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
.endm
#endif

#endif /* X86_GPRS_ASM_H */
