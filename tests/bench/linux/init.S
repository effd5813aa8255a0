/* SPDX-License-Identifier: MIT */
/*
 * The Linux boot benchmark's /init (tests/bench/bench_linux.py): its first
 * instruction, at a fixed address (linked non-PIE, no ASLR to move it), is
 * the point where Linux's boot ends; it prints a marker and powers off.
 */
	.text
	.global _start
_start:
	mov	x0, #1				/* write(1, marker, len) */
	adr	x1, marker
	mov	x2, #(marker_end - marker)
	mov	x8, #64
	svc	#0
	movz	w0, #0xdead			/* reboot(MAGIC1, MAGIC2, POWER_OFF, 0) */
	movk	w0, #0xfee1, lsl #16
	movz	w1, #0x1969
	movk	w1, #0x2812, lsl #16
	movz	w2, #0xfedc
	movk	w2, #0x4321, lsl #16
	mov	x3, #0
	mov	x8, #142
	svc	#0
1:	b	1b

marker:
	.ascii	"BULKHEAD-BENCH-INIT\n"
marker_end:
