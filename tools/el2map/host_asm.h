/* SPDX-License-Identifier: MIT */
/*
 * For host builds of arch/arm64 code (tools/el2map, tests/unit/mmu.mk): the AArch64
 * instructions it issues in inline assembly assemble to nothing on the host.
 * Only code paths the tests never take (an idle loop) use them.
 */
#ifndef TESTS_HOST_ASM_H
#define TESTS_HOST_ASM_H

__asm__(".macro wfi\n.endm");

#endif
