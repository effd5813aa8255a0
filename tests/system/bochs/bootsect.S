/* SPDX-License-Identifier: MIT */
/*
 * The boot sector of the disk image tests/system/bochs.py builds for bochs,
 * which has no -kernel. It loads as a real loader would, so that a system of
 * any number and size of images boots: bochs's optramimage options have only
 * four slots, and one larger than bochs's 128 KiB memory block loads wrongly.
 *
 * The disk: this sector (LBA 0); the load table from LBA 1 (TABLE_SECTORS
 * sectors, which bochs.py writes at its offset below), entries of
 * { first LBA, sectors, physical address } (u32 each) ended by one of zero
 * sectors; then the hypervisor's flat image and every load-list image, each
 * from a sector boundary. Each entry is read with BIOS int 13h extended reads
 * (LBA) into a bounce buffer below 1 MiB, CHUNK sectors at a time, and
 * copied to its address by BIOS int 15h AH=87h (a block move whose
 * descriptors carry a 32-bit base). Then, as a multiboot v1 loader: the
 * BIOS's E820 map as multiboot memory-map entries, A20 on, 32-bit flat
 * protected mode, a jump to the entry point bochs.py wrote at ENTRY_OFFSET
 * with EAX = the multiboot magic and EBX = the information block.
 */
#define MMAP 0x1000               /* multiboot mmap entries: size (20), base, length, type */
#define TABLE 0x7e00              /* the load table, TABLE_SECTORS sectors (below BOUNCE) */
#define BOUNCE_SEG 0x1000         /* the bounce buffer at 0x10000 */
#define CHUNK 64                  /* sectors per read and move: 32 KiB, under AH=87h's 64 KiB */
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
	sti
	mov %dl, drive
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

	mov table_sectors, %ax
	mov %ax, dap_count
	movw $TABLE, dap_off
	movl $1, dap_lba
	call read
	mov $TABLE, %si
next:
	mov 4(%si), %ecx                 /* sectors left of this entry */
	test %ecx, %ecx
	jnz chunk
	add $12, %si                     /* the next entry; none left after the terminator */
	cmpl $0, 4(%si)
	je loaded
	jmp next
chunk:
	cmp $CHUNK, %ecx
	jbe 3f
	mov $CHUNK, %ecx
3:	mov %cx, dap_count
	movw $0, dap_off
	movw $BOUNCE_SEG, dap_seg
	mov (%si), %eax
	mov %eax, dap_lba
	call read
	mov 8(%si), %eax                 /* the destination's descriptor base */
	mov %ax, move_dst + 2
	shr $16, %eax
	mov %al, move_dst + 4
	mov %ah, move_dst + 7
	push %cx
	push %si
	shl $8, %cx                      /* words */
	mov $move_gdt, %si
	mov $0x87, %ah
	int $0x15
	pop %si
	pop %cx
	jc fail
	movzx %cx, %ecx
	add %ecx, (%si)
	sub %ecx, 4(%si)
	shl $9, %ecx
	add %ecx, 8(%si)
	jmp next

read:	push %si
	mov $dap, %si
	mov drive, %dl
	mov $0x42, %ah
	int $0x13
	pop %si
	jc fail
	ret

fail:	mov $0x3f8, %dx                 /* "!" on COM1: the test sees no banner and shows it */
	mov $'!', %al
	out %al, %dx
	cli
4:	hlt
	jmp 4b

loaded:
	cli
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

	.balign 8
move_gdt:                                /* int 15h AH=87h: the BIOS fills the rest */
	.quad 0, 0
	.quad 0x000093010000ffff         /* source: the bounce buffer, 64 KiB, data */
move_dst:
	.quad 0x000093000000ffff         /* destination: base written per chunk */
	.quad 0, 0

dap:	.byte 16, 0                      /* int 13h AH=42h disk address packet */
dap_count:
	.word 0
dap_off:
	.word 0
dap_seg:
	.word 0
dap_lba:
	.quad 0
drive:
	.byte 0

	.balign 4
mbi:
	.long 1 << 6                     /* flags: the memory map is valid */
	.fill 10, 4, 0                   /* mem_lower .. syms */
mbi_mmap_length:
	.long 0
	.long MMAP

	.org 0x1f4                       /* TABLE_SECTORS_OFFSET in bochs.py */
table_sectors:
	.word 0
	.org 0x1f8                       /* ENTRY_OFFSET in bochs.py */
entry:
	.long 0
	.org 0x1fe
	.byte 0x55, 0xaa
