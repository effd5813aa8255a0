/* SPDX-License-Identifier: MIT */
/*
 * For host builds of arch/arm64 code (force-included by tests/fuzz/build.mk):
 * the AArch64 instructions it issues in inline assembly become x86-64 moves
 * to and from memory. `mrs xN, <reg>` loads and `msr <reg>, xN` stores the
 * 64-bit variable host_sr_<reg>, which the first use defines (.comm), so the
 * code under test keeps its own register accesses and the harness reads and
 * sets the same registers by name. Barriers, hints and TLB maintenance
 * assemble to nothing.
 */
#ifndef TESTS_FUZZ_HOST_SYSREG_H
#define TESTS_FUZZ_HOST_SYSREG_H

__asm__(".macro mrs dst, src\n\t.comm host_sr_\\src, 8, 8\n\tmovq host_sr_\\src(%rip), \\dst\n.endm\n"
	".macro msr dst, src\n\t.comm host_sr_\\dst, 8, 8\n\tmovq \\src, host_sr_\\dst(%rip)\n.endm\n"
	".macro isb\n.endm\n"
	".macro dsb opt\n.endm\n"
	".macro wfi\n.endm\n"
	".macro wfe\n.endm\n"
	".macro sev\n.endm\n"
	".macro tlbi op\n.endm\n");

#endif
