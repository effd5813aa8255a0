/* SPDX-License-Identifier: MIT */
/*
 * The VMX world switch. vmx_vmenter(gprs, launched) records its stack as
 * the VMCS's host RSP, loads the guest's general-purpose registers from
 * `gprs` (struct x86_gprs: rbx, rcx, rdx, rsi, rdi, rbp, r8-r15, rax) and
 * enters the guest; the processor switches rsp, rip, rflags and the
 * segment and control registers. A VM exit lands at vmx_exit_landing
 * (the VMCS's host RIP) on that same stack, with interrupts masked (RFLAGS
 * is cleared), where the guest's registers are saved back to `gprs` and
 * vmx_vmenter returns 0. A VMLAUNCH/VMRESUME that fails returns 1.
 */
#define HOST_RSP 0x6c14

	.text
	.code64
	.globl vmx_vmenter
vmx_vmenter:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdi                      /* gprs, at 0(%rsp) from here to the exit */
	mov $HOST_RSP, %eax
	vmwrite %rsp, %rax
	jbe 2f                         /* VMfail: the VMCS is not usable */
	mov %rdi, %rax
	cmp $0, %esi                   /* flags survive the MOVs below */
	mov 0(%rax), %rbx
	mov 8(%rax), %rcx
	mov 16(%rax), %rdx
	mov 24(%rax), %rsi
	mov 32(%rax), %rdi
	mov 40(%rax), %rbp
	mov 48(%rax), %r8
	mov 56(%rax), %r9
	mov 64(%rax), %r10
	mov 72(%rax), %r11
	mov 80(%rax), %r12
	mov 88(%rax), %r13
	mov 96(%rax), %r14
	mov 104(%rax), %r15
	mov 112(%rax), %rax
	jne 1f
	vmlaunch
	jmp 2f
1:	vmresume
2:	/* VMfail: the guest did not run; its registers need not be kept. */
	pop %rdi
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	mov $1, %eax
	ret

	.globl vmx_exit_landing
vmx_exit_landing:
	push %rax                      /* the guest's rax; gprs is now at 8(%rsp) */
	mov 8(%rsp), %rax
	mov %rbx, 0(%rax)
	mov %rcx, 8(%rax)
	mov %rdx, 16(%rax)
	mov %rsi, 24(%rax)
	mov %rdi, 32(%rax)
	mov %rbp, 40(%rax)
	mov %r8, 48(%rax)
	mov %r9, 56(%rax)
	mov %r10, 64(%rax)
	mov %r11, 72(%rax)
	mov %r12, 80(%rax)
	mov %r13, 88(%rax)
	mov %r14, 96(%rax)
	mov %r15, 104(%rax)
	pop %rbx
	mov %rbx, 112(%rax)
	add $8, %rsp                   /* gprs */
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	xor %eax, %eax
	ret
