/* SPDX-License-Identifier: MIT */
/*
 * A floppy boot sector that hands the hypervisor to itself as a multiboot v1
 * loader would, for bochs, which has no -kernel: bochs's optramimage options
 * have put the hypervisor's flat image and the partition images in RAM
 * already; this sector collects the BIOS's E820 memory map as multiboot
 * memory-map entries, enables A20, enters 32-bit flat protected mode and
 * jumps to the entry point that tests/system/bochs.py wrote at ENTRY_OFFSET,
 * with EAX = the multiboot magic and EBX = the information block.
 */
#define MMAP 0x1000               /* multiboot mmap entries: size (20), base, length, type */
#define SMAP 0x534d4150

	.code16
	.globl _start
_start:
	cli
	xor %ax, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov $0x7c00, %sp
	mov $(MMAP + 4), %di
	xor %ebx, %ebx
1:	mov $0xe820, %eax
	mov $SMAP, %edx
	mov $20, %ecx
	int $0x15
	jc 2f
	cmp $SMAP, %eax
	jne 2f
	movl $20, -4(%di)
	add $24, %di
	cmp $(MMAP + 4 + 24 * 100), %di  /* bounded: at most 100 entries */
	jae 2f
	test %ebx, %ebx
	jnz 1b
2:	sub $(MMAP + 4), %di
	mov %di, mbi_mmap_length
	in $0x92, %al                    /* fast A20 */
	or $2, %al
	and $0xfe, %al
	out %al, $0x92
	lgdtl gdtr
	mov %cr0, %eax
	or $1, %eax
	mov %eax, %cr0
	ljmpl $0x08, $protected

	.code32
protected:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs
	mov $0x2badb002, %eax
	mov $mbi, %ebx
	jmp *entry

	.balign 8
gdt:
	.quad 0
	.quad 0x00cf9a000000ffff
	.quad 0x00cf92000000ffff
gdtr:
	.word 23
	.long gdt

	.balign 4
mbi:
	.long 1 << 6                     /* flags: the memory map is valid */
	.fill 10, 4, 0                   /* mem_lower .. syms */
mbi_mmap_length:
	.long 0
	.long MMAP

	.org 0x1f8                       /* ENTRY_OFFSET in bochs.py */
entry:
	.long 0
	.org 0x1fe
	.byte 0x55, 0xaa
