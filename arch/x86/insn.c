/* SPDX-License-Identifier: MIT */
/*
 * The instruction-length decoder of the trapped instructions (insn.h).
 * None of them takes a ModRM memory operand, so a length is prefixes plus
 * a fixed opcode; the table below is the whole of what it knows.
 */
#include "insn.h"

struct insn_form {
	uint8_t len;             /* opcode bytes */
	uint8_t code[3];
	uint8_t op;              /* enum x86_insn_op */
	uint8_t needs_rep;       /* 1: only with an F3 prefix (PAUSE is F3 90) */
};

static const struct insn_form forms[] = {
	{ 3u, { 0x0fu, 0x01u, 0xd9u }, (uint8_t)X86_OP_VMMCALL, 0u },
	{ 3u, { 0x0fu, 0x01u, 0xc1u }, (uint8_t)X86_OP_VMCALL, 0u },
	{ 3u, { 0x0fu, 0x01u, 0xd1u }, (uint8_t)X86_OP_XSETBV, 0u },
	{ 3u, { 0x0fu, 0x01u, 0xc8u }, (uint8_t)X86_OP_MONITOR, 0u },
	{ 3u, { 0x0fu, 0x01u, 0xc9u }, (uint8_t)X86_OP_MWAIT, 0u },
	{ 3u, { 0x0fu, 0x01u, 0xf9u }, (uint8_t)X86_OP_RDTSCP, 0u },
	{ 2u, { 0x0fu, 0xa2u, 0x00u }, (uint8_t)X86_OP_CPUID, 0u },
	{ 2u, { 0x0fu, 0x32u, 0x00u }, (uint8_t)X86_OP_RDMSR, 0u },
	{ 2u, { 0x0fu, 0x30u, 0x00u }, (uint8_t)X86_OP_WRMSR, 0u },
	{ 2u, { 0x0fu, 0x09u, 0x00u }, (uint8_t)X86_OP_WBINVD, 0u },
	{ 2u, { 0x0fu, 0x08u, 0x00u }, (uint8_t)X86_OP_INVD, 0u },
	{ 1u, { 0xf4u, 0x00u, 0x00u }, (uint8_t)X86_OP_HLT, 0u },
	{ 1u, { 0x90u, 0x00u, 0x00u }, (uint8_t)X86_OP_PAUSE, 1u },
};

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

static int matches(const struct insn_form *f, const uint8_t *at, uint32_t left)
{
	if (left < f->len) {
		return 0;
	}
	for (uint32_t i = 0u; i < f->len; i++) {
		if (at[i] != f->code[i]) {
			return 0;
		}
	}
	return 1;
}

uint32_t x86_insn_decode(const uint8_t *bytes, uint32_t n, enum x86_code_mode mode, enum x86_insn_op *op)
{
	uint32_t limit = (n < X86_INSN_MAX) ? n : X86_INSN_MAX;
	uint32_t i = 0u;
	int rep = 0;

	*op = X86_OP_UNKNOWN;
	while ((i < limit) && (is_legacy_prefix(bytes[i]) != 0)) {
		rep = rep || (bytes[i] == 0xf3u);
		i++;
	}
	/* REX (40-4f) is a prefix only in 64-bit mode and only right before the opcode. */
	if ((mode == X86_MODE_64) && (i < limit) && ((bytes[i] & 0xf0u) == 0x40u)) {
		i++;
	}
	for (uint32_t k = 0u; k < (uint32_t)(sizeof(forms) / sizeof(forms[0])); k++) {
		const struct insn_form *f = &forms[k];

		if ((matches(f, &bytes[i], limit - i) != 0) && ((f->needs_rep == 0u) || (rep != 0))) {
			*op = (enum x86_insn_op)f->op;
			return i + f->len;
		}
	}
	return 0u;
}
