/* SPDX-License-Identifier: MIT */
/*
 * One interrupt gate per exception vector 0-31 (exception.c installs them
 * when a program sets an exception hook): each pushes a zero where the
 * processor pushes no error code, then its vector, and joins the common
 * path. 16 bytes per stub, so the stub of vector v is at
 * rt_x86_exception_stubs + 16 * v. The common path saves what the C
 * handler may change (the caller-saved registers and, since the hook is
 * ordinary C that may use SSE, the x87/SSE state with FXSAVE), passes the
 * vector, the error code and the saved RIP's slot, and returns with IRETQ
 * to the RIP the handler left there.
 */
	.text
	.code64
	.globl	rt_x86_exception_stubs
	.p2align 4
rt_x86_exception_stubs:
	.set	vector, 0
	.rept	32
	.p2align 4
	/* #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX push an error code */
	.if (vector == 8) || ((vector >= 10) && (vector <= 14)) || (vector == 17) || (vector == 21) || (vector == 29) || (vector == 30)
	.else
	pushq	$0
	.endif
	pushq	$vector
	jmp	exception_common
	.set	vector, vector + 1
	.endr

/*
 * On entry the processor aligned RSP to 16 and pushed 5 quadwords (SS, RSP,
 * RFLAGS, CS, RIP), the stub 2 (error code, vector): 56 bytes. Nine saved
 * registers make 128, a multiple of 16, so the FXSAVE area and the call
 * are aligned as they must be.
 */
exception_common:
	push	%rax
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	mov	72(%rsp), %rdi			/* the vector */
	mov	80(%rsp), %rsi			/* the error code */
	lea	88(%rsp), %rdx			/* the saved RIP */
	sub	$512, %rsp
	fxsave64 (%rsp)
	call	rt_x86_exception
	fxrstor64 (%rsp)
	add	$512, %rsp
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
	add	$16, %rsp			/* the vector and the error code */
	iretq

	.section .note.GNU-stack, "", @progbits
