/* SPDX-License-Identifier: MIT */
/*
 * For host builds of arch/arm64 code (force-included by tests/fuzz/build.mk):
 * the AArch64 instructions it issues in inline assembly become x86-64 moves
 * to and from memory. `mrs xN, <reg>` loads and `msr <reg>, xN` stores the
 * 64-bit variable host_sr_<reg>, which the first use defines (.comm), so the
 * code under test keeps its own register accesses and the harness reads and
 * sets the same registers by name. Hints and instruction cache maintenance
 * assemble to nothing; each DSB adds one to host_barrier_trace and each TLBI
 * doubles it, so a test reads the order of barriers and TLB invalidations
 * back (3: a DSB, a TLBI, a DSB; a TLBI's macro has no `$` immediate, which
 * clang's assembler would take for a macro argument). A data-cache operation by address
 * (`dc <op>, xN`) counts itself in host_dc_ops and leaves its address in
 * host_dc_last, so a test sees which lines were maintained. `cset xN, <cond>`
 * takes its outcome from the low bit of host_cset_<cond>, then shifts it
 * right: a test sets one bit per coming cset (RNDR's success flag, say).
 */
#ifndef TESTS_FUZZ_HOST_SYSREG_H
#define TESTS_FUZZ_HOST_SYSREG_H

__asm__(".macro mrs dst, src\n\t.comm host_sr_\\src, 8, 8\n\tmovq host_sr_\\src(%rip), \\dst\n.endm\n"
	".macro msr dst, src\n\t.comm host_sr_\\dst, 8, 8\n\tmovq \\src, host_sr_\\dst(%rip)\n.endm\n"
	".macro isb\n.endm\n"
	".macro dsb opt\n\t.comm host_barrier_trace, 8, 8\n\tincq host_barrier_trace(%rip)\n.endm\n"
	".macro wfi\n.endm\n"
	".macro wfe\n.endm\n"
	".macro sev\n.endm\n"
	".macro tlbi op\n\t.comm host_barrier_trace, 8, 8\n\tshlq host_barrier_trace(%rip)\n.endm\n"
	".macro ic op, addr\n.endm\n"
	".macro dc op, addr\n\t.comm host_dc_ops, 8, 8\n\tincq host_dc_ops(%rip)\n"
	"\t.comm host_dc_last, 8, 8\n\tmovq \\addr, host_dc_last(%rip)\n.endm\n"
	".macro cset dst, cond\n\t.comm host_cset_\\cond, 8, 8\n\tmovq host_cset_\\cond(%rip), \\dst\n"
	"\tandq $1, \\dst\n\tshrq $1, host_cset_\\cond(%rip)\n.endm\n");

#endif
