/* SPDX-License-Identifier: MIT */
/* The SVM world switch and vCPU loop. */
#include "gprs_asm.h"

/* vmcb.h's and the C layout's, checked in svm_exit.c. */
#define VMCB_TLB_CONTROL 0x5c
#define VMCB_EXITCODE 0x70
#define VMCB_RAX 0x5f8
#define SVM_EXIT_INTR 0x60
#define SVM_EXIT_VMMCALL 0x81
#define VMMCALL_LEN 3                 /* the ABI's unprefixed VMMCALL, 0f 01 d9 (svm_exit.c) */
#define CPU_REQUESTS 20               /* struct cpu's requests */
#define GPRS_TO_VIRQ_WORDS 168        /* struct arch_cpu's virq_words, from its gprs */

	.text
	.code64

/*
 * svm_vcpu_loop(gprs, vmcb_pa, cpu): runs the guest for the rest of this
 * life; each #VMEXIT is handled by svm_exit(cpu) (svm_exit.c) and the
 * guest resumed, but the hypercall's (x86_hypercall) and a physical
 * interrupt's that leaves nothing more to do (below, after VMRUN). Never
 * returns: a new life starts on a fresh stack
 * (arch_vcpu_enter).
 *
 * VMRUN switches rax, rsp, rip, rflags and the segment and control
 * registers (rax is copied here between the VMCB and `gprs`); the other
 * general-purpose registers are the guest's in `gprs` (struct x86_gprs).
 * Every exit stores all fifteen there, so a handler reads any of them; an
 * entry loads those C may clobber (rdi..r11), while rbx, rbp and r12-r15
 * still hold the guest's values when svm_exit returns, as C keeps them:
 * they are loaded again only when svm_exit says a handler wrote one
 * (CPUID's rbx, an emulated I/O APIC read), and at the life's start. The
 * host's own callee-saved registers need no saving: this loop never
 * returns to its caller.
 *
 * VMLOAD once per life, no VMSAVE: they switch FS, GS, TR, LDTR, their
 * hidden bases, KernelGSBase, STAR/LSTAR/CSTAR/SFMASK and the SYSENTER
 * MSRs, none of which the hypervisor uses (no TSS, no IST, no FS/GS
 * addressing, no SYSCALL: its IDT gates run at CPL 0 on the current
 * stack) nor changes, and #VMEXIT leaves the guest's values in the
 * processor. So they stay the guest's from one VMRUN to the next, as the
 * guest's own WRMSRs of them (passed through, partition.c) do, and the
 * VMCB's copy, written by vendor_vcpu_reset for the life's start, is read
 * by nobody after the VMLOAD here (docs/traps.md).
 */
	.globl svm_vcpu_loop
svm_vcpu_loop:
	push %rdx                      /* cpu at 16(%rsp) */
	push %rsi                      /* vmcb_pa at 8(%rsp) */
	push %rdi                      /* gprs at 0(%rsp); rsp is 16-byte aligned for the calls below */
	mov %rsi, %rax
	vmload %rax
.Lreload_callee:
	mov 0(%rsp), %rax
	GPRS_LOAD_CALLEE %rax
	jmp .Lresume
	/*
	 * Every exit but a physical interrupt's that leaves nothing more to do
	 * (below, after VMRUN): the guest's registers stored, then the ABI's
	 * hypercall (VMMCALL, REQ-XARCH-003) straight to x86_hypercall, as
	 * ARM64's vector slot does, the others described by svm_exit (svm_exit.c).
	 * x86_hypercall presents nothing: the pending word is tested here, and
	 * x86_virq_present called only when it names a vector.
	 */
.Lexit:
	mov 0(%rsp), %rax
	GPRS_STORE_CALLER %rax
	GPRS_STORE_CALLEE %rax
	mov 8(%rsp), %rcx
	mov VMCB_RAX(%rcx), %rdx
	mov %rdx, GPRS_RAX(%rax)
	mov 16(%rsp), %rdi
	cmpq $SVM_EXIT_VMMCALL, VMCB_EXITCODE(%rcx)
	jne .Ldescribed
	mov $VMMCALL_LEN, %esi
	call x86_hypercall
	mov 0(%rsp), %rax
	cmpq $0, GPRS_TO_VIRQ_WORDS(%rax)
	je .Lresume_gprs
	mov 16(%rsp), %rdi
	call x86_virq_present
.Lresume:
	mov 0(%rsp), %rax
.Lresume_gprs:
	mov 8(%rsp), %rcx
	mov GPRS_RAX(%rax), %rdx
	mov %rdx, VMCB_RAX(%rcx)       /* the guest's rax is the VMCB's */
	GPRS_LOAD_CALLER %rax
	/*
	 * IF set across VMRUN: with V_INTR_MASKING the host's IF at VMRUN is
	 * what lets a physical interrupt (a kick, an owned I/O APIC pin) end
	 * the guest's run with #VMEXIT(INTR); with it clear the interrupt
	 * waited for the guest's next exit of its own (a vCPU polling its
	 * doorbell saw it only at its deadline). GIF, clear from CLGI to the
	 * STGI after CLI, keeps the hypervisor itself from taking it here.
	 * STI is not right before VMRUN: QEMU carries STI's one-instruction
	 * interrupt shadow into the guest, whose first instruction then cannot
	 * take the virtual interrupt presented to it (a vCPU resuming at the
	 * CLI after its `sti; hlt` never took the IPI that ended its HLT).
	 */
.Lenter:
	clgi
	sti
	mov 8(%rsp), %rax
	vmrun %rax
	cli
	stgi
	/*
	 * #VMEXIT gave rax back its host value, the VMCB's address (the host
	 * save area's, as VMRUN left it); every other register is the guest's.
	 * The TLB control is cleared for every exit (a flush asked for, a new
	 * life or a fence, is done). A physical interrupt's exit (the core's
	 * timer armed for the guest's, a kick) is taken here, before any
	 * register is stored: the IDT's stub saves what its C handler may
	 * clobber, so they are still the guest's after it. The timer's handler
	 * presents the guest's vector itself (vtimer.c, vintr.c): when that
	 * leaves no request of another cpu and no vector pending, the guest is
	 * resumed at once, as after the whole exit (intr_exit: the interrupts
	 * taken and the requests handled; the pending vectors presented).
	 * Anything else goes the whole way, interrupts already taken.
	 */
	movl $0, VMCB_TLB_CONTROL(%rax)
	cmpq $SVM_EXIT_INTR, VMCB_EXITCODE(%rax)
	jne .Lexit
	sti
	nop
	cli
	mov 16(%rsp), %rax
	cmpl $0, CPU_REQUESTS(%rax)
	jne .Lexit
	mov 0(%rsp), %rax
	cmpq $0, GPRS_TO_VIRQ_WORDS(%rax)
	je .Lenter
	jmp .Lexit
.Ldescribed:
	call svm_exit
	test %al, %al
	jz .Lresume
	jmp .Lreload_callee
