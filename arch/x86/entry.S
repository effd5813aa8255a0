/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's interrupt entry (IDT stubs); the world switch is the
 * vendor back end's (vendor.h). The hypervisor runs with interrupts masked
 * except at the instants of x86_wait_interrupt() and x86_take_interrupts(); an exception
 * in it is a hypervisor bug: x86_exception() reports it and stops.
 */
#include "gprs_asm.h"

	.text
	.code64

/* Exceptions 0-31: a frame of { vector, error code, rip, cs, rflags, rsp, ss }. */
.macro EXC_NOERR vec
	.balign 16
	push $0
	push $\vec
	jmp exc_common
.endm
.macro EXC_ERR vec
	.balign 16
	push $\vec
	jmp exc_common
.endm

	.balign 16
	.globl x86_exc_stubs
x86_exc_stubs:
	EXC_NOERR 0
	EXC_NOERR 1
	EXC_NOERR 2
	EXC_NOERR 3
	EXC_NOERR 4
	EXC_NOERR 5
	EXC_NOERR 6
	EXC_NOERR 7
	EXC_ERR 8
	EXC_NOERR 9
	EXC_ERR 10
	EXC_ERR 11
	EXC_ERR 12
	EXC_ERR 13
	EXC_ERR 14
	EXC_NOERR 15
	EXC_NOERR 16
	EXC_ERR 17
	EXC_NOERR 18
	EXC_NOERR 19
	EXC_NOERR 20
	EXC_ERR 21
	EXC_NOERR 22
	EXC_NOERR 23
	EXC_NOERR 24
	EXC_NOERR 25
	EXC_NOERR 26
	EXC_NOERR 27
	EXC_NOERR 28
	EXC_ERR 29
	EXC_ERR 30
	EXC_NOERR 31

exc_common:
	mov %rsp, %rdi
	and $-16, %rsp
	call x86_exception
1:	cli
	hlt
	jmp 1b

/* The kick: its work is done by whoever took it (core_handle_requests after
 * the wait or the #VMEXIT); the handler only acknowledges it. */
	.globl x86_kick_stub
x86_kick_stub:
	PUSH_CALLER
	call x86_lapic_eoi
	POP_CALLER
	iretq

/* The core's timer, armed for its guest's (vtimer.c): x86_vtimer_interrupt acknowledges it. */
	.globl x86_timer_stub
x86_timer_stub:
	PUSH_CALLER
	call x86_vtimer_interrupt
	POP_CALLER
	iretq

/* An I/O APIC pin a partition owns: vector X86_VEC_GSI + pin (16 stubs of
 * 16 bytes), handled by x86_gsi_interrupt(pin) (ioapic.c). */
	.globl x86_gsi_stubs
	.p2align 4
x86_gsi_stubs:
	.set pin, 0
	.rept 16
	.p2align 4
	pushq $pin
	jmp gsi_common
	.set pin, pin + 1
	.endr

gsi_common:
	PUSH_CALLER
	mov 72(%rsp), %rdi
	sub $8, %rsp			/* 16-byte aligned at the call */
	call x86_gsi_interrupt
	add $8, %rsp
	POP_CALLER
	add $8, %rsp			/* the pin */
	iretq

	.globl x86_spurious_stub
x86_spurious_stub:
	iretq
