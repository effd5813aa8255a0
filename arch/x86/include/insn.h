/* SPDX-License-Identifier: MIT */
/*
 * Length decoding of the instructions the SVM back end emulates or steps
 * over. QEMU TCG does not fill the VMCB's next-RIP, so the hypervisor reads
 * the guest's instruction bytes and decodes them itself. It knows only the
 * instructions it traps; anything else is "unknown" (length 0), and the
 * caller contains the partition rather than guess. Pure C for the host tests.
 */
#ifndef X86_INSN_H
#define X86_INSN_H

#include <stdbool.h>
#include <stdint.h>

#define X86_INSN_MAX 15u   /* the architectural maximum length */

/** The code segment's default operand size: what a prefix byte means depends on it. */
enum x86_code_mode {
	X86_MODE_16 = 0,
	X86_MODE_32 = 1,
	X86_MODE_64 = 2,
};

/** The trapped instructions the decoder recognises. */
enum x86_insn_op {
	X86_OP_UNKNOWN = 0,
	X86_OP_VMMCALL,    /* 0f 01 d9 */
	X86_OP_VMCALL,     /* 0f 01 c1 (Intel's; #UD under SVM) */
	X86_OP_CPUID,      /* 0f a2 */
	X86_OP_HLT,        /* f4 */
	X86_OP_RDMSR,      /* 0f 32 */
	X86_OP_WRMSR,      /* 0f 30 */
	X86_OP_XSETBV,     /* 0f 01 d1 */
	X86_OP_PAUSE,      /* f3 90 */
	X86_OP_WBINVD,     /* 0f 09 */
	X86_OP_INVD,       /* 0f 08 */
	X86_OP_MONITOR,    /* 0f 01 c8 */
	X86_OP_MWAIT,      /* 0f 01 c9 */
	X86_OP_RDTSCP,     /* 0f 01 f9 */
};

/**
 * Decodes the instruction at the start of `bytes` (`n` of them readable,
 * at most X86_INSN_MAX used) in code mode `mode`: its operation in `*op`
 * and its length in bytes, legacy and REX prefixes included. Returns 0 (and
 * X86_OP_UNKNOWN) for anything it does not recognise, for more than 14
 * prefixes and for an instruction that does not fit in `n` bytes.
 */
uint32_t x86_insn_decode(const uint8_t *bytes, uint32_t n, enum x86_code_mode mode, enum x86_insn_op *op);

/** A 32-bit MOV between a register and memory: what an MMIO access the hypervisor emulates must be. */
struct x86_mov {
	uint32_t reg;    /* the register operand: 0 rax, 1 rcx, 2 rdx, 3 rbx, 4 rsp, 5 rbp, 6 rsi, 7 rdi, 8-15 r8-r15 */
	bool store;      /* 89 /r or c7 /0 (to memory); false: 8b /r (memory to register) */
	bool has_imm;    /* c7 /0: the stored value is `imm`, not a register */
	uint32_t imm;
};

/**
 * Decodes a 32-bit MOV between a general register and memory (89 /r or
 * 8b /r) or of an immediate to memory (c7 /0), segment prefixes and a REX
 * without W allowed, any ModRM memory
 * form with its SIB and displacement) in code mode 32 or 64. Returns its
 * length with the operands in `*out`, or 0 for anything else (another
 * operand size, a register-to-register form, 16-bit code, too few bytes).
 */
uint32_t x86_insn_decode_mov(const uint8_t *bytes, uint32_t n, enum x86_code_mode mode, struct x86_mov *out);

#endif /* X86_INSN_H */
