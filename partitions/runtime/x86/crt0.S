/* SPDX-License-Identifier: MIT */
/*
 * Partition start-up from the entry state of arch/x86/README.md: 32-bit flat
 * protected mode, paging and interrupts off, ESI = the device tree (vCPU 0
 * at _start) or the vCPU index (others, at rt_secondary_entry, passed by
 * rt_cpu_on). vCPU 0 builds an identity map of the low 4 GiB in 2 MiB pages
 * (write-back: what memory really is, device or RAM, is the nested page
 * tables' business); every vCPU enables it, PAE and long mode, SSE (newlib
 * and the x86_64 ABI use it for floating point), loads a 64-bit GDT and
 * takes its own 64 KiB stack at the top of RAM.
 *
 * The same state is what a multiboot v1 loader leaves, so a partition can
 * also run natively under `qemu-system-x86_64 -kernel` (as ELF32); the
 * multiboot header below is for that only. A multiboot loader puts its
 * magic in EAX and nothing in ESI: then the partition has no device tree.
 */
#include "rt_stack.h"
#define MULTIBOOT_MAGIC 0x1badb002
#define MULTIBOOT_LOADER_MAGIC 0x2badb002
#define PTE_PRESENT 0x1
#define PTE_WRITE 0x2
#define PTE_LARGE 0x80
#define CR0_PG 0x80000000
#define CR0_EM 0x4
#define CR0_MP 0x2
#define CR4_PAE 0x20
#define CR4_OSFXSR 0x200
#define CR4_OSXMMEXCPT 0x400
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define SEL_CODE64 0x08
#define SEL_DATA 0x10

	.section .text.start, "ax"
	.code32
	.global _start
_start:
	jmp	1f
	.balign	4
multiboot_header:
	.long	MULTIBOOT_MAGIC
	.long	0
	.long	-MULTIBOOT_MAGIC
1:	cli
	cld
	mov	%esi, %ebp
	cmp	$MULTIBOOT_LOADER_MAGIC, %eax
	jne	2f
	xor	%ebp, %ebp
2:	mov	$1, %ebx
	jmp	build_map

	.global rt_secondary_entry
rt_secondary_entry:
	cli
	cld
	mov	%esi, %ebp
	xor	%ebx, %ebx

/* EBP: the argument for C, EBX: 1 on vCPU 0. No stack yet: the entry state has none. */
common:
	mov	%cr4, %eax
	or	$(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	mov	%eax, %cr4
	mov	$rt_pt_pml4, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	and	$~CR0_EM, %eax
	or	$(CR0_PG | CR0_MP), %eax
	mov	%eax, %cr0
	lgdt	gdt_pointer
	ljmp	$SEL_CODE64, $long_mode

/* The identity map of [0, 4 GiB): one PML4 entry, four PDPT entries, 2048 2 MiB pages. */
build_map:
	xor	%eax, %eax
	mov	$rt_pt_pml4, %edx
	mov	%edx, %edi
	mov	$(2 * 4096 / 4), %ecx
	rep stosl
	/* rt_pt_pml4 and rt_pt_pdpt are consecutive pages (linker script). */
	mov	$rt_pt_pdpt, %eax
	or	$(PTE_PRESENT | PTE_WRITE), %eax
	mov	%eax, (%edx)
	mov	$rt_pt_pd, %eax
	or	$(PTE_PRESENT | PTE_WRITE), %eax
	mov	$rt_pt_pdpt, %edx
	mov	$4, %ecx
3:	mov	%eax, (%edx)
	movl	$0, 4(%edx)
	add	$4096, %eax
	add	$8, %edx
	loop	3b
	mov	$rt_pt_pd, %edx
	mov	$(PTE_PRESENT | PTE_WRITE | PTE_LARGE), %eax
	mov	$2048, %ecx
4:	mov	%eax, (%edx)
	movl	$0, 4(%edx)
	add	$0x200000, %eax
	add	$8, %edx
	loop	4b
	jmp	common

	.code64
long_mode:
	mov	$SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	fninit
	/* Stack: vCPU 0 at the top, vCPU n RT_STACK_SIZE * n below. */
	mov	%ebp, %edi
	xor	%eax, %eax
	test	%ebx, %ebx
	cmovz	%rdi, %rax
	imul	$RT_STACK_SIZE, %rax, %rax
	mov	$__stack_top, %rsp
	sub	%rax, %rsp
	test	%ebx, %ebx
	jz	6f
	/* vCPU 0 clears .bss; EDI (the device tree) survives in R12. */
	mov	%rdi, %r12
	mov	$__bss_start, %rdi
	mov	$__bss_end, %rcx
	sub	%rdi, %rcx
	xor	%eax, %eax
	rep stosb
	mov	%r12, %rdi
	call	rt_start
6:	call	rt_secondary_start
7:	hlt
	jmp	7b

	.section .rodata
	.balign	8
gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 64-bit code, DPL 0 */
	.quad	0x00cf92000000ffff	/* flat data */
gdt_end:
gdt_pointer:
	.word	gdt_end - gdt - 1
	.long	gdt

	.section .pagetables, "aw", @nobits
	.balign	4096
	.global rt_pt_pml4, rt_pt_pdpt, rt_pt_pd
rt_pt_pml4:
	.skip	4096
rt_pt_pdpt:
	.skip	4096
rt_pt_pd:
	.skip	4 * 4096
