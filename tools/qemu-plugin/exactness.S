/* SPDX-License-Identifier: MIT */
/*
 * The measuring plugin's exactness check (tests/system/test_plugin_exact.py).
 *
 * A bare-metal program for QEMU's virt board at EL1, one CPU, MMU off. Each
 * span below runs between two reads of the virtual counter (CNTVCT_EL0);
 * under -icount shift=4 the counter counts instructions, so t1 - t0 is the
 * number of instructions executed after the first read, up to and including
 * the second. The span's first and last labels (spanN_begin, spanN_end) are
 * where the plugin's points and marks go, so the plugin counts the same
 * instructions. Each span has a count known by construction (the test
 * computes it) and cuts or re-enters translation blocks in one of the ways
 * that defeat counting by blocks:
 *
 *   1  a loop of 3 instructions, LOOP_N times, whose head starts a block
 *   2  the same loop entered by falling through: the back-edge lands in the
 *      middle of the block translated first
 *   3  a load that faults in the middle of a block (alignment fault: SCTLR.A)
 *   4  a device read (PL011 UARTFR) in the middle of a block, which -icount
 *      executes again in a block of its own
 *   5  3 and 4 in a loop of MIXED_N iterations, back-edge into a block's middle
 *   6  an SVC in the middle of a straight line of code: it executes
 *   7  a store into the block being executed (the same word back), which
 *      invalidates the block while it runs
 *   8  a mark, a point and a range end in the middle of a block
 *      (span8_mark, span8_point), and a load that ends a block at a page
 *      end, followed by an address shaped like an exception vector
 *      (512-byte aligned) that it falls through to
 *
 * The fault handler, with the branch in the vector, skips a faulting load
 * (10 instructions) or returns after an SVC (7 instructions) and counts both
 * in x28.
 *
 * Registers: x3 an unaligned address (a load faults), x7 an aligned one, x4
 * a device register (PL011 UARTFR), x20 and x21 the counter reads, x28 the
 * exceptions taken.
 *
 * Output on the PL011: "cntfrq HEX", "span N HEX" for each span, "faults HEX",
 * "total HEX" (the counter at the end), then PSCI SYSTEM_OFF.
 */
#define UART_BASE        0x09000000
#define UARTFR           0x18
#define PSCI_SYSTEM_OFF  0x84000008
#define LOOP_N           1000
#define MIXED_N          100

.macro span_begin n
	mrs	x20, cntvct_el0
	.global span\n\()_begin
span\n\()_begin:
.endm

.macro span_end n
	mrs	x21, cntvct_el0
	.global span\n\()_end
span\n\()_end:
	mov	x0, #\n
	sub	x1, x21, x20
	bl	print_span
.endm

	.text
	.global _start
_start:
	adr	x0, vectors
	msr	vbar_el1, x0
	mrs	x0, sctlr_el1
	orr	x0, x0, #(1 << 1)		/* A: every unaligned access faults */
	msr	sctlr_el1, x0
	isb
	mov	x28, #0
	adr	x3, scratch
	add	x7, x3, #0			/* aligned: a load from it does not */
	add	x3, x3, #1			/* unaligned: a load from it faults */
	mov	x4, #UART_BASE
	add	x4, x4, #UARTFR			/* a device register: reading it is I/O */
	mrs	x1, cntfrq_el0
	adr	x0, str_cntfrq
	bl	print_hex

	span_begin 1
	mov	x0, #LOOP_N
	b	1f				/* ends the block: the loop head starts one */
1:	add	x1, x1, #1
	sub	x0, x0, #1
	cbnz	x0, 1b
	span_end 1

	span_begin 2
	mov	x0, #LOOP_N
2:	add	x1, x1, #1			/* the back-edge target, inside the block of the mov */
	sub	x0, x0, #1
	cbnz	x0, 2b
	span_end 2

	span_begin 3
	add	x1, x1, #1
	ldr	x2, [x3]			/* faults, skipped by the handler */
	add	x1, x1, #1
	add	x1, x1, #1
	span_end 3

	span_begin 4
	add	x1, x1, #1
	ldr	w2, [x4]			/* I/O before the end of the block */
	add	x1, x1, #1
	add	x1, x1, #1
	span_end 4

	span_begin 5
	mov	x0, #MIXED_N
5:	add	x1, x1, #1
	ldr	w2, [x4]
	ldr	x2, [x3]
	sub	x0, x0, #1
	cbnz	x0, 5b
	span_end 5

	span_begin 6
	add	x1, x1, #1
	svc	#0
	add	x1, x1, #1
	span_end 6

	span_begin 7
	add	x1, x1, #1
	adr	x6, 7f
	ldr	w5, [x6]
	str	w5, [x6]			/* rewrites this block's next instruction */
7:	add	x1, x1, #1
	add	x1, x1, #1
	span_end 7

	span_begin 8
	add	x1, x1, #1
	add	x1, x1, #1
	.global span8_mark
span8_mark:
	add	x1, x1, #1
	.global span8_point
span8_point:
	b	8f
	.balign	4096
	.skip	4096 - 8			/* never executed */
8:	add	x1, x1, #1
	ldr	x2, [x7]			/* the last instruction of its page */
	add	x1, x1, #1			/* page start: 512-byte aligned */
	span_end 8

	mov	x1, x28
	adr	x0, str_faults
	bl	print_hex
	mrs	x1, cntvct_el0
	.global total_end
total_end:
	adr	x0, str_total
	bl	print_hex
	ldr	x0, =PSCI_SYSTEM_OFF
	hvc	#0
	b	.

/* print_span(x0 = span number 1..9, x1 = value): "span N HEX\n". */
print_span:
	mov	x12, x30
	mov	x10, #UART_BASE
	adr	x9, str_span
	bl	puts
	add	w11, w0, #'0'
	strb	w11, [x10]
	mov	w11, #' '
	strb	w11, [x10]
	mov	x30, x12
	b	hex

/* print_hex(x0 = label, x1 = value): "LABEL HEX\n". */
print_hex:
	mov	x12, x30
	mov	x10, #UART_BASE
	mov	x9, x0
	bl	puts
	mov	x30, x12
	/* fall through */
/* The 16 hex digits of x1, then a newline, to the UART at x10. */
hex:
	mov	x13, #60
1:	lsr	x11, x1, x13
	and	x11, x11, #0xf
	cmp	x11, #10
	add	x14, x11, #'0'
	add	x11, x11, #('a' - 10)
	csel	x11, x14, x11, lo
	strb	w11, [x10]
	subs	x13, x13, #4
	b.pl	1b
	mov	w11, #'\n'
	strb	w11, [x10]
	ret

/* The NUL-terminated string at x9 to the UART at x10. */
puts:
	ldrb	w11, [x9], #1
	cbz	w11, 1f
	strb	w11, [x10]
	b	puts
1:	ret

/* Synchronous exceptions from EL1 (SP_EL0 or SP_EL1): skip a faulting load, return from an SVC. */
sync:
	mrs	x9, esr_el1
	lsr	x9, x9, #26
	cmp	x9, #0x15			/* EC: SVC from AArch64 */
	b.eq	1f
	mrs	x9, elr_el1
	add	x9, x9, #4
	msr	elr_el1, x9
1:	add	x28, x28, #1
	eret

unexpected:
	mov	x10, #UART_BASE
	adr	x9, str_unexpected
	bl	puts
	ldr	x0, =PSCI_SYSTEM_OFF
	hvc	#0
	b	.

	.balign	2048
vectors:
	b	sync				/* current EL, SP_EL0 */
	.balign	0x80
	b	unexpected
	.balign	0x80
	b	unexpected
	.balign	0x80
	b	unexpected
	.balign	0x80
	b	sync				/* current EL, SP_ELx */
	.balign	0x80
	b	unexpected
	.balign	0x80
	b	unexpected
	.balign	0x80
	b	unexpected
	.balign	0x80
	b	unexpected			/* lower EL: never */
	.global text_end
text_end:

	.section .rodata
str_cntfrq:	.asciz	"cntfrq "
str_span:	.asciz	"span "
str_faults:	.asciz	"faults "
str_total:	.asciz	"total "
str_unexpected:	.asciz	"unexpected exception\n"

	.data
	.balign	16
scratch:	.quad	0, 0
