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
/* The caller-saved registers but rax, from or to the struct at \base (rax). */
.macro GPRS_LOAD_CALLER base
	mov GPRS_RDI(\base), %rdi
	mov GPRS_RSI(\base), %rsi
	mov GPRS_RDX(\base), %rdx
	mov GPRS_RCX(\base), %rcx
	mov GPRS_R8(\base), %r8
	mov GPRS_R9(\base), %r9
	mov GPRS_R10(\base), %r10
	mov GPRS_R11(\base), %r11
.endm
.macro GPRS_STORE_CALLER base
	mov %rdi, GPRS_RDI(\base)
	mov %rsi, GPRS_RSI(\base)
	mov %rdx, GPRS_RDX(\base)
	mov %rcx, GPRS_RCX(\base)
	mov %r8, GPRS_R8(\base)
	mov %r9, GPRS_R9(\base)
	mov %r10, GPRS_R10(\base)
	mov %r11, GPRS_R11(\base)
.endm
/* The callee-saved ones. */
.macro GPRS_LOAD_CALLEE base
	mov GPRS_RBX(\base), %rbx
	mov GPRS_RBP(\base), %rbp
	mov GPRS_R12(\base), %r12
	mov GPRS_R13(\base), %r13
	mov GPRS_R14(\base), %r14
	mov GPRS_R15(\base), %r15
.endm
.macro GPRS_STORE_CALLEE base
	mov %rbx, GPRS_RBX(\base)
	mov %rbp, GPRS_RBP(\base)
	mov %r12, GPRS_R12(\base)
	mov %r13, GPRS_R13(\base)
	mov %r14, GPRS_R14(\base)
	mov %r15, GPRS_R15(\base)
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
