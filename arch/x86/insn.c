/* SPDX-License-Identifier: MIT */
/*
 * The instruction-length decoder of the trapped instructions (insn.h).
 * None of them takes a ModRM memory operand, so a length is prefixes plus
 * a fixed opcode of one to three bytes; the one exception, a MOV to or from
 * emulated MMIO, has its own decoder at the end.
 */
#include "insn.h"

/* Legacy prefixes: operand and address size, segment overrides, LOCK, REP/REPNE. */
static int is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x66u: case 0x67u: case 0x2eu: case 0x36u: case 0x3eu:
	case 0x26u: case 0x64u: case 0x65u: case 0xf0u: case 0xf2u: case 0xf3u:
		return 1;
	default:
		return 0;
	}
}

/* 0f 01 xx: the third byte names the instruction. */
static enum x86_insn_op group_0f01(uint8_t b)
{
	switch (b) {
	case 0xd9u: return X86_OP_VMMCALL;
	case 0xc1u: return X86_OP_VMCALL;
	case 0xd1u: return X86_OP_XSETBV;
	case 0xc8u: return X86_OP_MONITOR;
	case 0xc9u: return X86_OP_MWAIT;
	case 0xf9u: return X86_OP_RDTSCP;
	default: return X86_OP_UNKNOWN;
	}
}

/* 0f xx: two-byte opcodes, or the 0f 01 group (length in *len). */
static enum x86_insn_op opcode_0f(const uint8_t *at, uint32_t left, uint32_t *len)
{
	if (left < 2u) {
		return X86_OP_UNKNOWN;
	}
	*len = 2u;
	switch (at[1]) {
	case 0xa2u: return X86_OP_CPUID;
	case 0x32u: return X86_OP_RDMSR;
	case 0x30u: return X86_OP_WRMSR;
	case 0x09u: return X86_OP_WBINVD;
	case 0x08u: return X86_OP_INVD;
	case 0x01u:
		*len = 3u;
		return (left < 3u) ? X86_OP_UNKNOWN : group_0f01(at[2]);
	default: return X86_OP_UNKNOWN;
	}
}

uint32_t x86_insn_decode(const uint8_t *bytes, uint32_t n, enum x86_code_mode mode, enum x86_insn_op *op)
{
	uint32_t limit = (n < X86_INSN_MAX) ? n : X86_INSN_MAX;
	uint32_t i = 0u;
	bool rep = false;

	*op = X86_OP_UNKNOWN;
	while ((i < limit) && (is_legacy_prefix(bytes[i]) != 0)) {
		rep = rep || (bytes[i] == 0xf3u);
		i++;
	}
	/* REX (40-4f) is a prefix only in 64-bit mode and only right before the opcode. */
	if ((mode == X86_MODE_64) && (i < limit) && ((bytes[i] & 0xf0u) == 0x40u)) {
		i++;
	}
	if (i >= limit) {
		return 0u;
	}
	uint32_t len = 1u;
	enum x86_insn_op found = X86_OP_UNKNOWN;

	if (bytes[i] == 0x0fu) {
		found = opcode_0f(&bytes[i], limit - i, &len);
	} else if (bytes[i] == 0xf4u) {
		found = X86_OP_HLT;
	} else if ((bytes[i] == 0x90u) && rep) {
		found = X86_OP_PAUSE;    /* F3 90; a plain 90 is NOP, never trapped */
	} else {
		/* not an instruction the hypervisor traps */
	}
	if (found == X86_OP_UNKNOWN) {
		return 0u;
	}
	*op = found;
	return i + len;
}

static int is_segment_prefix(uint8_t b)
{
	return (b == 0x2eu) || (b == 0x36u) || (b == 0x3eu) || (b == 0x26u) || (b == 0x64u) || (b == 0x65u);
}

/* The bytes a ModRM memory operand takes after the ModRM byte (32-bit addressing): SIB and displacement. */
static uint32_t modrm_tail(uint8_t modrm, const uint8_t *after, uint32_t left)
{
	uint32_t mod = (uint32_t)modrm >> 6;
	uint32_t rm = (uint32_t)modrm & 7u;
	uint32_t len = 0u;
	uint32_t base = rm;

	if (rm == 4u) {
		if (left < 1u) {
			return X86_INSN_MAX;   /* too long: the caller refuses it */
		}
		base = (uint32_t)after[0] & 7u;
		len = 1u;
	}
	if (mod == 1u) {
		len += 1u;
	} else if ((mod == 2u) || ((mod == 0u) && (base == 5u))) {
		len += 4u;   /* disp32 (mod 0 with rm or base 5: no base register, or RIP-relative) */
	} else {
		/* no displacement */
	}
	return len;
}

/* What mov_prefixes() returns for an access the MOV decoder does not take. */
#define MOV_REFUSED 0xffffffffu

/* The segment prefixes and REX of a MOV (REX.R in *rex_r); the index of its
 * opcode, or MOV_REFUSED for 16-bit code and for REX.W (a 64-bit access). */
static uint32_t mov_prefixes(const uint8_t *bytes, uint32_t limit, enum x86_code_mode mode, uint32_t *rex_r)
{
	uint32_t i = 0u;

	if (mode == X86_MODE_16) {
		return MOV_REFUSED;
	}
	while ((i < limit) && (is_segment_prefix(bytes[i]) != 0)) {
		i++;
	}
	if ((mode == X86_MODE_64) && (i < limit) && ((bytes[i] & 0xf0u) == 0x40u)) {
		if ((bytes[i] & 0x08u) != 0u) {
			return MOV_REFUSED;
		}
		if ((bytes[i] & 0x04u) != 0u) {
			*rex_r = 8u;
		}
		i++;
	}
	return i;
}

uint32_t x86_insn_decode_mov(const uint8_t *bytes, uint32_t n, enum x86_code_mode mode, struct x86_mov *out)
{
	uint32_t limit = (n < X86_INSN_MAX) ? n : X86_INSN_MAX;
	uint32_t rex_r = 0u;
	uint32_t i = mov_prefixes(bytes, limit, mode, &rex_r);

	if (i == MOV_REFUSED) {
		return 0u;
	}
	if (((i + 2u) > limit) || ((bytes[i] != 0x89u) && (bytes[i] != 0x8bu) && (bytes[i] != 0xc7u)) ||
	    ((bytes[i + 1u] >> 6) == 3u)) {
		return 0u;
	}
	uint8_t opcode = bytes[i];
	uint32_t reg = ((uint32_t)bytes[i + 1u] >> 3) & 7u;
	uint32_t len = i + 2u + modrm_tail(bytes[i + 1u], &bytes[i + 2u], limit - (i + 2u));
	uint32_t imm_at = len;

	if (opcode == 0xc7u) {
		if (reg != 0u) {
			return 0u;   /* c7 /0 is the only MOV of the group */
		}
		len += 4u;
	}
	if (len > limit) {
		return 0u;
	}
	out->reg = reg + rex_r;
	out->store = (opcode != 0x8bu);
	out->has_imm = (opcode == 0xc7u);
	out->imm = (opcode == 0xc7u) ? ((uint32_t)bytes[imm_at] | ((uint32_t)bytes[imm_at + 1u] << 8) |
					((uint32_t)bytes[imm_at + 2u] << 16) | ((uint32_t)bytes[imm_at + 3u] << 24))
				     : 0u;
	return len;
}
