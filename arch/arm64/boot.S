/* SPDX-License-Identifier: MIT */
/*
 * Entry points. The image starts with the arm64 Linux Image header so that
 * QEMU's -kernel and U-Boot's booti load it at the address it is linked for
 * (text_offset from a 2 MiB aligned RAM base).
 *
 * Nothing is written with the MMU off (the EL2 map is part of the image,
 * computed by the build), and .bss is cleared only once the MMU and caches
 * are on, so no stale cache line can hide a write.
 */
#include <generated/autoconf.h>
#include "asm_defs.h"

#define MAIR_EL2_VALUE   0x04ff          /* attr0 Normal WB RW-allocate, attr1 Device-nGnRE */
/* TCR_EL2: RES1 bits 31 and 23, SH0 inner, ORGN0/IRGN0 write-back, 4 KiB granule, T0SZ 25 (39-bit VA) */
#define TCR_EL2_BASE     ((1 << 31) | (1 << 23) | (3 << 12) | (1 << 10) | (1 << 8) | 25)
/* SCTLR_EL2: RES1 bits, MMU, data and instruction caches, SP alignment check, write implies XN */
#define SCTLR_EL2_VALUE  (0x30c50830 | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 12) | (1 << 19))

	.section .text.head, "ax"
	.global _start
_start:
	b	primary_entry
	.long	0
	.quad	BH_HYP_LINK - BH_RAM_BASE	/* text_offset from the 2 MiB aligned RAM base */
	.quad	__image_size		/* bytes the loader must reserve, .bss included */
	.quad	0x2			/* little endian, 4 KiB pages, base close to RAM start */
	.quad	0
	.quad	0
	.quad	0
	.ascii	"ARM\x64"
	.long	0

primary_entry:
	msr	daifset, #0xf
	adrp	x1, boot_stack_top
	add	x1, x1, :lo12:boot_stack_top
	mov	sp, x1
	adrp	x1, arm64_vectors
	add	x1, x1, :lo12:arm64_vectors
	msr	vbar_el2, x1
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	wrong_el
	bl	el2_mmu_on		/* the EL2 map the build computed (tools/el2map) */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
	bl	bss_clear
	bl	arm64_boot_main

wrong_el:
	wfi
	b	wrong_el

/* Firmware's PSCI CPU_ON lands here at EL2 with x0 = the cpu index we passed. */
	.text
	.global arm64_secondary_entry
arm64_secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	cmp	x19, #BH_NUM_CORES
	b.hs	wrong_el
	adrp	x1, arm64_vectors
	add	x1, x1, :lo12:arm64_vectors
	msr	vbar_el2, x1
	bl	el2_mmu_on		/* touches no memory: safe before the MMU is on */
	adrp	x1, cpu_stacks
	add	x1, x1, :lo12:cpu_stacks
	ldr	x2, =CONFIG_CPU_STACK_SIZE
	madd	x1, x19, x2, x1
	add	sp, x1, x2
	mov	x0, x19
	bl	arm64_secondary_main

/*
 * Zeroes [x1, x2) (16-byte aligned ends) whatever the loader left there.
 * With the MMU on (DC ZVA faults on Device memory) whole cache blocks are
 * zeroed with DC ZVA, one instruction per block (DCZID_EL0.BS: 4 << BS
 * bytes), the unaligned head and tail with stores; where DCZID_EL0.DZP
 * prohibits DC ZVA, stores of 16 bytes do it all. Leaf, no stack.
 */
bss_clear:
	mrs	x3, dczid_el0
	tbnz	x3, #4, 3f		/* DZP: DC ZVA prohibited */
	and	x3, x3, #0xf
	mov	x4, #4
	lsl	x4, x4, x3		/* block bytes */
	sub	x5, x4, #1
1:	tst	x1, x5			/* head, up to the first block boundary */
	b.eq	2f
	cmp	x1, x2
	b.hs	4f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	bic	x6, x2, x5		/* whole blocks, up to the last boundary */
	cmp	x1, x6
	b.hs	3f
5:	dc	zva, x1
	add	x1, x1, x4
	cmp	x1, x6
	b.lo	5b
3:	cmp	x1, x2			/* tail, or everything where DZP is set */
	b.hs	4f
	stp	xzr, xzr, [x1], #16
	b	3b
4:	ret

/*
 * Turns the EL2 MMU and caches on with the tables the build placed in the
 * image (el2_root, gen/el2_tables.S): written by no core, so there is no
 * line to invalidate first. Leaf, no stack.
 */
el2_mmu_on:
	ldr	x1, =MAIR_EL2_VALUE
	msr	mair_el2, x1
	mrs	x1, id_aa64mmfr0_el1
	and	x1, x1, #0xf
	cmp	x1, #5			/* 52-bit output needs LPA2: stay at 48 bits */
	mov	x2, #5
	csel	x1, x1, x2, ls
	lsl	x1, x1, #16
	ldr	x2, =TCR_EL2_BASE
	orr	x1, x1, x2
	msr	tcr_el2, x1
	adrp	x1, el2_root
	msr	ttbr0_el2, x1
	isb
	tlbi	alle2
	dsb	nsh
	isb
	ldr	x1, =SCTLR_EL2_VALUE
	msr	sctlr_el2, x1
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/*
 * arm64_enter_vcpu(stack_top, entry, arg): leaves for the guest at `entry`,
 * EL1h with DAIF masked, x0 = arg, every other register zero. The stack is
 * reset: the hypervisor restarts from an empty stack on the next trap.
 */
	.global arm64_enter_vcpu
arm64_enter_vcpu:
	mov	sp, x0
	msr	elr_el2, x1
	mov	x0, x2
	mov	x1, #SPSR_EL1H_DAIF
	msr	spsr_el2, x1
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	mov	x4, xzr
	mov	x5, xzr
	mov	x6, xzr
	mov	x7, xzr
	mov	x8, xzr
	mov	x9, xzr
	mov	x10, xzr
	mov	x11, xzr
	mov	x12, xzr
	mov	x13, xzr
	mov	x14, xzr
	mov	x15, xzr
	mov	x16, xzr
	mov	x17, xzr
	mov	x18, xzr
	mov	x19, xzr
	mov	x20, xzr
	mov	x21, xzr
	mov	x22, xzr
	mov	x23, xzr
	mov	x24, xzr
	mov	x25, xzr
	mov	x26, xzr
	mov	x27, xzr
	mov	x28, xzr
	mov	x29, xzr
	mov	x30, xzr
	eret
	dsb	nsh			/* no speculation past eret */
	isb

	.section .noload.boot_stack, "aw", %nobits
	.balign	16
boot_stack:
	.skip	4096
	.global boot_stack_top
boot_stack_top:
