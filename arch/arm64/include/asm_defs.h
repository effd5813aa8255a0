/* SPDX-License-Identifier: MIT */
/*
 * Constants the assembly (boot.S, vectors.S) shares with C, in one place.
 * Plain numbers, so that the assembler, the C compiler and the stack gate
 * (tools/cert) read the same text; arm64.h checks them against the C types.
 */
#ifndef ARM64_ASM_DEFS_H
#define ARM64_ASM_DEFS_H

/* Bytes of the struct guest_frame the vectors save on the cpu's stack. */
#define GUEST_FRAME_SIZE 256

/* An HVC: vectors.S calls arm64_guest_hvc for it, from the vector itself. */
#define FULL_FRAME_EC_HVC64  0x16

/* The exception classes whose handlers address guest registers by number
 * (EC_SYSREG, EC_DABT_LOW): vectors.S saves x19-x29 for these only. */
#define FULL_FRAME_EC_SYSREG 0x18
#define FULL_FRAME_EC_DABT   0x24

/* SPSR of a guest entry: AArch64 EL1 with SP_EL1, all of DAIF masked. */
#define SPSR_EL1H_DAIF 0x3c5

#endif /* ARM64_ASM_DEFS_H */
