/* SPDX-License-Identifier: MIT */
/*
 * The VMX world switch. vmx_vmenter(gprs, launched) records its stack as
 * the VMCS's host RSP, loads the guest's general-purpose registers from
 * `gprs` (struct x86_gprs, gprs_asm.h) and enters the guest; the processor
 * switches rsp, rip, rflags and the segment and control registers. A VM
 * exit lands at vmx_exit_landing (the VMCS's host RIP) on that same stack,
 * with interrupts masked (RFLAGS is cleared), where the guest's registers
 * are saved back to `gprs` and vmx_vmenter returns 0. A VMLAUNCH/VMRESUME
 * that fails returns 1.
 */
#include "gprs_asm.h"

#define HOST_RSP 0x6c14

	.text
	.code64
	.globl vmx_vmenter
vmx_vmenter:
	PUSH_CALLEE
	push %rdi                      /* gprs, at 0(%rsp) from here to the exit */
	mov $HOST_RSP, %eax
	vmwrite %rsp, %rax
	jbe 2f                         /* VMfail: the VMCS is not usable */
	mov %rdi, %rax
	cmp $0, %esi                   /* flags survive the MOVs below */
	GPRS_LOAD_CALLEE %rax
	GPRS_LOAD_CALLER %rax
	mov GPRS_RAX(%rax), %rax
	jne 1f
	vmlaunch
	jmp 2f
1:	vmresume
2:	/* VMfail: the guest did not run; its registers need not be kept. */
	pop %rdi
	POP_CALLEE
	mov $1, %eax
	ret

	.globl vmx_exit_landing
vmx_exit_landing:
	push %rax                      /* the guest's rax; gprs is now at 8(%rsp) */
	mov 8(%rsp), %rax
	GPRS_STORE_CALLER %rax
	GPRS_STORE_CALLEE %rax
	pop %rbx
	mov %rbx, GPRS_RAX(%rax)
	add $8, %rsp                   /* gprs */
	POP_CALLEE
	xor %eax, %eax
	ret
