/* SPDX-License-Identifier: MIT */
/* The SVM world switch. */
	.text
	.code64

/*
 * svm_vmrun(vmcb_pa, gprs): runs the guest until its next #VMEXIT. VMRUN
 * switches rax, rsp, rip, rflags and the segment and control registers (svm.c
 * copies rax between the VMCB and `gprs`); the other general-purpose
 * registers are loaded from and saved to `gprs` (struct x86_gprs) here. VMLOAD/VMSAVE switch the guest's FS, GS, TR,
 * LDTR and system-call MSRs, which the hypervisor does not use. GIF is
 * cleared around the switch and set again with interrupts still masked:
 * an interrupt that caused the exit stays pending for the trap path.
 */
	.globl svm_vmrun
svm_vmrun:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	push %rsi                      /* gprs */
	push %rdi                      /* vmcb_pa */
	mov 0(%rsi), %rbx
	mov 8(%rsi), %rcx
	mov 16(%rsi), %rdx
	mov 32(%rsi), %rdi
	mov 40(%rsi), %rbp
	mov 48(%rsi), %r8
	mov 56(%rsi), %r9
	mov 64(%rsi), %r10
	mov 72(%rsi), %r11
	mov 80(%rsi), %r12
	mov 88(%rsi), %r13
	mov 96(%rsi), %r14
	mov 104(%rsi), %r15
	mov 24(%rsi), %rsi
	mov (%rsp), %rax
	/*
	 * IF set across VMRUN: with V_INTR_MASKING the host's IF at VMRUN is
	 * what lets a physical interrupt (a kick, an owned I/O APIC pin) end
	 * the guest's run with #VMEXIT(INTR); with it clear the interrupt
	 * waited for the guest's next exit of its own (a vCPU polling its
	 * doorbell saw it only at its deadline). GIF, clear from CLGI to the
	 * STGI after CLI, keeps the hypervisor itself from taking it here.
	 */
	clgi
	sti
	vmload %rax
	vmrun %rax
	vmsave %rax
	cli
	stgi
	mov 8(%rsp), %rax              /* gprs */
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
	add $16, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret
