/* SPDX-License-Identifier: MIT */
/*
 * The x86 system test's guest: 32-bit flat protected mode as the partition
 * entry contract leaves it. It prints through the debug-console hypercall,
 * reads the Bulkhead CPUID leaf to learn which partition it is, then:
 * partition 0 makes 16 null hypercalls, starts its second vCPU (PSCI
 * CPU_ON), waits until that one has turned itself off (CPU_OFF,
 * AFFINITY_INFO), then powers itself off (SYSTEM_OFF);
 * partition 1 writes to COM1 (a port it does not own: refused and
 * counted), then stores to a guest-physical address outside its memory: the
 * nested page fault the hypervisor contains (the fault policy stops it);
 * partition 2 reads the APIC base MSR: refused with #GP, which without an
 * IDT becomes a triple fault, contained as well.
 */
#define __ASSEMBLER__ 1
	.code32
	.text
	.globl _start
_start:
	mov $0x200000, %esp            /* inside its own RAM */
	mov $0x40000000, %eax
	cpuid
	cmp $0x6b6c7542, %ebx          /* "Bulk" */
	jne no_bulkhead
	mov $0x40000001, %eax
	cpuid
	mov %eax, %ebp                 /* partition id */
	mov $hello, %esi
	call puts
	mov %ebp, %edi
	add $'0', %edi
	call putc
	mov $'\n', %edi
	call putc
	cmp $1, %ebp
	je hostile
	cmp $2, %ebp
	je msr
	/* 16 null hypercalls (BH_HC_VERSION): what `make bench` would time per
	 * VMMCALL round trip (tracepoints plugin, marks at these labels). */
	mov $16, %ebx
	.globl null_call
null_call:
	mov $0xc6000000, %eax
	vmmcall
	dec %ebx
	jnz null_call
	.globl null_done
null_done:
	test %eax, %eax                /* BH_OK in rax, the version in rdi */
	jnz bad_version
	test %edi, %edi
	jz bad_version
	/* Its second vCPU (core 3, never started before: INIT-SIPI-SIPI) runs
	 * secondary with ESI = 0x77, prints and powers itself off. */
	mov $0xc4000003, %eax          /* PSCI CPU_ON_64 (vCPU 1, entry, context) */
	mov $1, %edi
	mov $secondary, %esi
	mov $0x77, %edx
	vmmcall
	test %eax, %eax
	jnz bad_cpu_on
	mov $1000000, %ebx
wait_off:
	mov $0xc4000004, %eax          /* PSCI AFFINITY_INFO_64 (vCPU 1) */
	mov $1, %edi
	xor %esi, %esi
	vmmcall
	cmp $1, %eax                   /* OFF */
	je vcpu1_off
	dec %ebx
	jnz wait_off
	mov $stuck, %esi
	call puts
	jmp hang
vcpu1_off:
	mov $offmsg, %esi
	call puts
	mov $0x84000008, %eax          /* PSCI SYSTEM_OFF */
	vmmcall
	jmp hang

secondary:
	mov $0x300000, %esp
	cmp $0x77, %esi
	jne 1f
	mov $upmsg, %esi
	call puts
	mov $0x84000002, %eax          /* PSCI CPU_OFF */
	vmmcall
1:	mov $badarg, %esi
	call puts
	jmp hang

bad_cpu_on:
	mov $badon, %esi
	call puts
	jmp hang

bad_version:
	mov $badver, %esi
	call puts
	jmp hang

hostile:
	mov $0x3f8, %dx                /* the hypervisor's UART: not this partition's */
	mov $'X', %al
	out %al, %dx
	mov $tried, %esi
	call puts
	movl $0xdead, 0x8000000        /* 128 MiB: outside its 16 MiB */
	mov $escaped, %esi
	call puts
	jmp hang

msr:
	mov $0x1b, %ecx                /* IA32_APIC_BASE: the hypervisor's */
	rdmsr
	mov $escaped_msr, %esi
	call puts
	jmp hang

no_bulkhead:
	mov $nosig, %esi
	call puts
hang:
	hlt
	jmp hang

/* puts(esi): each byte through BH_HC_CONSOLE_PUTC (0xc6000001, the byte in edi). */
puts:
	movzbl (%esi), %edi
	test %edi, %edi
	jz 1f
	call putc
	inc %esi
	jmp puts
1:	ret

putc:
	push %esi
	mov $0xc6000001, %eax
	vmmcall
	pop %esi
	ret

hello:   .asciz "x86 guest: hello from partition "
tried:   .asciz "x86 guest: port write done, now a store outside my memory\n"
escaped: .asciz "x86 guest: ESCAPED: the store outside my memory completed\n"
escaped_msr: .asciz "x86 guest: ESCAPED: RDMSR of the APIC base completed\n"
badver:  .asciz "x86 guest: BH_HC_VERSION did not answer BH_OK and a version\n"
upmsg:   .asciz "x86 guest: vCPU 1 up with its context argument\n"
offmsg:  .asciz "x86 guest: vCPU 1 is off again\n"
badarg:  .asciz "x86 guest: vCPU 1 started without its context argument\n"
badon:   .asciz "x86 guest: CPU_ON refused\n"
stuck:   .asciz "x86 guest: vCPU 1 never turned off\n"
nosig:   .asciz "x86 guest: no Bulkhead CPUID leaf\n"
