/* SPDX-License-Identifier: MIT */
/*
 * Entry of the x86-64 hypervisor. QEMU's -kernel (and any multiboot v1
 * loader) or GRUB's multiboot2 enters _start in 32-bit protected mode,
 * paging off, EAX = the multiboot magic, EBX = its information block. This code zeroes .bss,
 * maps the first 4 GiB one to one with 2 MiB pages (a map used only until
 * x86_mmu_init() loads the W^X one), enters long mode and calls
 * x86_boot_main() on the boot stack.
 *
 * The application processors' real-mode trampoline is here too: it is
 * copied to X86_TRAMPOLINE_PA and reaches long mode on the hypervisor's
 * final page tables.
 */
#include <generated/autoconf.h>

#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00000000
#define MB2_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0
#define SEL_CODE32 0x08
#define SEL_DATA 0x10
#define SEL_CODE64 0x18
#define TRAMP_PA 0x8000
#define TRAMP_DATA 0x9000

	.section .text.head, "ax"
	.code32
	.balign 4
multiboot_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	/*
	 * Multiboot2 (GRUB on boards): the ELF's own headers say where to load
	 * it, so the header has only its end tag; GRUB enters _start in the
	 * same state with EAX = 0x36d76289 and EBX = its tagged information,
	 * whose memory map setup.c checks as v1's (memmap.c).
	 */
	.balign 8
multiboot2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long multiboot2_end - multiboot2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (multiboot2_end - multiboot2_header))
	.word 0, 0                     /* end tag: type 0, flags 0 */
	.long 8                        /* its size */
multiboot2_end:

	.globl _start
_start:
	cli
	cld
	mov %eax, %esi                 /* multiboot magic and info, for x86_boot_main */
	mov %ebx, %ebp
	lgdt boot_gdtr
	ljmp $SEL_CODE32, $1f
1:	mov $SEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	/* .bss: the loader zeroes it, but nothing guarantees it. */
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	rep stosb
	/* PML4[0] -> PDPT; PDPT[0..3] -> four PDs of 2 MiB pages: 4 GiB one to one. */
	mov $boot_pdpt, %eax
	or $0x3, %eax
	mov %eax, boot_pml4
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $12, %eax
	add $boot_pd, %eax
	or $0x3, %eax
	mov %eax, boot_pdpt(,%ecx,8)
	inc %ecx
	cmp $4, %ecx
	jne 2b
	xor %ecx, %ecx
3:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax                 /* P, W, PS */
	mov %eax, boot_pd(,%ecx,8)
	mov %ecx, %eax
	shr $11, %eax                  /* bits 32+ of the address: entry / 2048 */
	mov %eax, boot_pd+4(,%ecx,8)
	inc %ecx
	cmp $2048, %ecx
	jne 3b
	mov %cr4, %eax
	or $0x20, %eax                 /* PAE */
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx          /* EFER: LME, NXE */
	rdmsr
	or $0x900, %eax
	wrmsr
	mov %cr0, %eax
	or $0x80010001, %eax           /* PG, WP, PE */
	mov %eax, %cr0
	ljmp $SEL_CODE64, $long_entry

	.code64
long_entry:
	mov $SEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	lea boot_stack_top(%rip), %rsp
	mov %esi, %edi                 /* x86_boot_main(magic, info) */
	mov %ebp, %esi
	call x86_boot_main
4:	cli
	hlt
	jmp 4b

/* x86_call_on_stack(sp, fn, arg): fn(arg) on a fresh stack; never returns. */
	.text
	.globl x86_call_on_stack
x86_call_on_stack:
	mov %rdi, %rsp
	mov %rdx, %rdi
	xor %ebp, %ebp
	push $0                        /* a return address of zero ends a backtrace; keeps 16-byte alignment */
	jmp *%rsi

/* The hypervisor's GDT: 32-bit code (boot, trampoline), data, 64-bit code.
 * Accessed bits preset: a later segment load need not write to it. */
	.section .data.gdt, "aw"
	.balign 16
	.globl x86_gdt
x86_gdt:
	.quad 0
	.quad 0x00cf9b000000ffff
	.quad 0x00cf93000000ffff
	.quad 0x00af9b000000ffff
	.globl x86_gdt_end
x86_gdt_end:
boot_gdtr:
	.word x86_gdt_end - x86_gdt - 1
	.long x86_gdt
/* The same for LGDT in long mode (a 64-bit base): the application processors'. */
	.balign 8
	.globl x86_gdtr64
x86_gdtr64:
	.word x86_gdt_end - x86_gdt - 1
	.quad x86_gdt

	.section .bss.boot, "aw", @nobits
	.balign 4096
boot_pml4: .skip 4096
boot_pdpt: .skip 4096
boot_pd:   .skip 4 * 4096
boot_stack: .skip 8192
boot_stack_top:

/*
 * The application processors' trampoline: copied to TRAMP_PA (a page
 * mapped read-only and executable); its variables at TRAMP_DATA (cr3 at
 * +0, the stack top at +8, the cpu index at +16) are written by the cpu
 * that starts it (cpu.c). Position-dependent on TRAMP_PA.
 */
	.section .rodata.trampoline, "a"
	.globl x86_trampoline_start
	.globl x86_trampoline_end
#define T(label) ((label) - x86_trampoline_start + TRAMP_PA)
	.code16
x86_trampoline_start:
	cli
	cld
	xor %ax, %ax
	mov %ax, %ds
	lgdtl T(tramp_gdtr)
	mov %cr0, %eax
	or $1, %eax
	mov %eax, %cr0
	ljmpl $SEL_CODE32, $T(tramp32)
	.code32
tramp32:
	mov $SEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %cr4, %eax
	or $0x20, %eax
	mov %eax, %cr4
	mov TRAMP_DATA, %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx
	rdmsr
	or $0x900, %eax
	wrmsr
	mov %cr0, %eax
	or $0x80010001, %eax
	mov %eax, %cr0
	ljmp $SEL_CODE64, $T(tramp64)
	.code64
tramp64:
	mov TRAMP_DATA + 8, %rsp
	mov TRAMP_DATA + 16, %rdi
	movabs $x86_ap_main, %rax
	jmp *%rax
	.balign 8
tramp_gdt:
	.quad 0
	.quad 0x00cf9b000000ffff
	.quad 0x00cf93000000ffff
	.quad 0x00af9b000000ffff
tramp_gdtr:
	.word 31
	.long T(tramp_gdt)
x86_trampoline_end:
