/* SPDX-License-Identifier: MIT */
/*
 * Partition start-up: vCPU 0 enters at _start (x0 = device tree or 0), other
 * vCPUs at rt_secondary_entry (x0 = their vCPU index, passed by rt_cpu_on).
 * Each gets its own stack at the top of RAM, FP/SIMD, its exception vectors
 * and the MMU (identity map built once by vCPU 0). vCPU 0 keeps the EL1
 * registers it found in rt_entry_el1.
 */
#include "rt_stack.h"

	.section .text.start, "ax"
	.global _start
_start:
	/* What vCPU 0 found before the runtime sets any of them: rt_entry_el1 (kept in x21-x28,
	 * which the calls below preserve, and stored once the BSS is cleared). */
	mrs	x21, sctlr_el1
	mrs	x22, tcr_el1
	mrs	x23, ttbr0_el1
	mrs	x24, ttbr1_el1
	mrs	x25, mair_el1
	mrs	x26, amair_el1
	mrs	x27, cpacr_el1
	mrs	x28, vbar_el1
	mov	x19, x0
	mov	x20, #1
	b	common

	.text
	.global rt_secondary_entry
rt_secondary_entry:
	mov	x19, x0
	mov	x20, #0

common:
	msr	daifset, #0xf
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	ldr	x2, =__stack_top
	mov	x3, #RT_STACK_SIZE
	msub	x2, x1, x3, x2
	/* Lines left in the cache by this memory's previous life must not hide
	 * what is written now with the MMU (and so the cache) off. */
	sub	x0, x2, x3
	mov	x1, x2
	bl	inval_range
	mov	sp, x2
	mov	x1, #(3 << 20)		/* CPACR_EL1.FPEN: no FP/SIMD traps */
	msr	cpacr_el1, x1
	adrp	x1, rt_vectors
	add	x1, x1, :lo12:rt_vectors
	msr	vbar_el1, x1
	isb
	cbz	x20, 1f
	adrp	x0, __pagetables_start
	add	x0, x0, :lo12:__pagetables_start
	adrp	x1, __pagetables_end
	add	x1, x1, :lo12:__pagetables_end
	bl	inval_range
	bl	rt_mmu_build
1:	bl	rt_mmu_enable
	cbz	x20, 3f
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
2:	cmp	x1, x2
	b.hs	4f
	stp	xzr, xzr, [x1], #16
	b	2b
4:	adrp	x1, rt_entry_el1
	add	x1, x1, :lo12:rt_entry_el1
	stp	x21, x22, [x1]
	stp	x23, x24, [x1, #16]
	stp	x25, x26, [x1, #32]
	stp	x27, x28, [x1, #48]
	mov	x0, x19
	bl	rt_start
3:	mov	x0, x19
	bl	rt_secondary_start

/* inval_range(start x0, end x1): data cache invalidate by address. Uses x0, x4, x5. */
inval_range:
	mrs	x4, ctr_el0
	ubfx	x4, x4, #16, #4
	mov	x5, #4
	lsl	x5, x5, x4
	sub	x4, x5, #1
	bic	x0, x0, x4
5:	cmp	x0, x1
	b.hs	6f
	dc	ivac, x0
	add	x0, x0, x5
	b	5b
6:	dsb	sy
	ret

	.bss
	.balign	16
	.global	rt_entry_el1
rt_entry_el1:
	.zero	64
