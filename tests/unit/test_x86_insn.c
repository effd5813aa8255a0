/* SPDX-License-Identifier: MIT */
/*
 * The instruction-length decoder of the SVM back end (arch/x86/insn.c):
 * QEMU TCG gives no next-RIP, so these lengths are what the hypervisor
 * steps the guest over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "insn.h"

static uint32_t decode(const uint8_t *b, uint32_t n, enum x86_code_mode mode, enum x86_insn_op *op)
{
	return x86_insn_decode(b, n, mode, op);
}

/* Verifies: REQ-XARCH-003~2 */
static void test_plain_forms(void **state)
{
	static const struct { uint8_t bytes[4]; uint32_t n; enum x86_insn_op op; uint32_t len; } cases[] = {
		{ { 0x0f, 0x01, 0xd9 }, 3, X86_OP_VMMCALL, 3 },
		{ { 0x0f, 0xa2 }, 2, X86_OP_CPUID, 2 },
		{ { 0xf4 }, 1, X86_OP_HLT, 1 },
		{ { 0x0f, 0x32 }, 2, X86_OP_RDMSR, 2 },
		{ { 0x0f, 0x30 }, 2, X86_OP_WRMSR, 2 },
		{ { 0x0f, 0x01, 0xd1 }, 3, X86_OP_XSETBV, 3 },
		{ { 0xf3, 0x90 }, 2, X86_OP_PAUSE, 2 },
		{ { 0x0f, 0x09 }, 2, X86_OP_WBINVD, 2 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum x86_insn_op op;
		assert_int_equal(decode(cases[i].bytes, cases[i].n, X86_MODE_32, &op), cases[i].len);
		assert_int_equal(op, cases[i].op);
	}
}

/* Verifies: REQ-XARCH-003~2 */
static void test_prefixes_count(void **state)
{
	static const uint8_t opsize[] = { 0x66, 0x0f, 0x01, 0xd9 };
	static const uint8_t seg_lock[] = { 0x2e, 0xf0, 0x67, 0x0f, 0xa2 };
	static const uint8_t rex[] = { 0x48, 0x0f, 0x01, 0xd9 };
	static const uint8_t legacy_then_rex[] = { 0x66, 0x41, 0x0f, 0x32 };
	enum x86_insn_op op;

	(void)state;
	assert_int_equal(decode(opsize, sizeof(opsize), X86_MODE_64, &op), 4);
	assert_int_equal(op, X86_OP_VMMCALL);
	assert_int_equal(decode(seg_lock, sizeof(seg_lock), X86_MODE_16, &op), 5);
	assert_int_equal(op, X86_OP_CPUID);
	assert_int_equal(decode(rex, sizeof(rex), X86_MODE_64, &op), 4);
	assert_int_equal(op, X86_OP_VMMCALL);
	assert_int_equal(decode(legacy_then_rex, sizeof(legacy_then_rex), X86_MODE_64, &op), 4);
	assert_int_equal(op, X86_OP_RDMSR);
	/* Outside 64-bit mode 0x48 is DEC eax: not a prefix, not a trapped instruction. */
	assert_int_equal(decode(rex, sizeof(rex), X86_MODE_32, &op), 0);
	assert_int_equal(op, X86_OP_UNKNOWN);
}

/* Verifies: REQ-XARCH-003~2 */
static void test_unknown_and_truncated(void **state)
{
	static const uint8_t nop[] = { 0x90 };
	static const uint8_t ud2[] = { 0x0f, 0x0b };
	static const uint8_t vmmcall[] = { 0x0f, 0x01, 0xd9 };
	uint8_t prefixes[16];
	enum x86_insn_op op;

	(void)state;
	assert_int_equal(decode(nop, sizeof(nop), X86_MODE_32, &op), 0);   /* PAUSE needs its F3 */
	assert_int_equal(decode(ud2, sizeof(ud2), X86_MODE_32, &op), 0);
	assert_int_equal(op, X86_OP_UNKNOWN);
	assert_int_equal(decode(vmmcall, 2, X86_MODE_32, &op), 0);          /* not all readable */
	/* 13 prefixes + 3 opcode bytes = 16 > 15: not an instruction. */
	for (int i = 0; i < 13; i++) {
		prefixes[i] = 0x66;
	}
	prefixes[13] = 0x0f;
	prefixes[14] = 0x01;
	prefixes[15] = 0xd9;
	assert_int_equal(decode(prefixes, sizeof(prefixes), X86_MODE_32, &op), 0);
	/* 12 prefixes + 3 = 15: the longest one there is. */
	assert_int_equal(decode(&prefixes[1], 15, X86_MODE_32, &op), 15);
	assert_int_equal(op, X86_OP_VMMCALL);
}

/* Verifies: REQ-XARCH-016 */
static void test_mmio_movs(void **state)
{
	static const struct {
		uint8_t bytes[12];
		uint32_t n;
		enum x86_code_mode mode;
		uint32_t len, reg;
		int store, has_imm;
		uint32_t imm;
	} cases[] = {
		{ { 0x89, 0x10 }, 2, X86_MODE_64, 2, 2, 1, 0, 0 },                          /* mov %edx, (%rax) */
		{ { 0x8b, 0x40, 0x10 }, 3, X86_MODE_64, 3, 0, 0, 0, 0 },                    /* mov 0x10(%rax), %eax */
		{ { 0x44, 0x8b, 0x4c, 0x24, 0x08 }, 5, X86_MODE_64, 5, 9, 0, 0, 0 },        /* mov 8(%rsp), %r9d: REX.R, SIB */
		{ { 0xc7, 0x00, 0x01, 0x00, 0x00, 0x00 }, 6, X86_MODE_64, 6, 0, 1, 1, 1 },  /* movl $1, (%rax) */
		{ { 0xc7, 0x05, 0, 0, 0xc0, 0xfe, 0x18, 0, 0, 0 }, 10, X86_MODE_32, 10, 0, 1, 1, 0x18 },   /* movl $0x18, 0xfec00000 */
		{ { 0x3e, 0x89, 0x8a, 0x10, 0, 0, 0 }, 7, X86_MODE_32, 7, 1, 1, 0, 0 },     /* ds: mov %ecx, 0x10(%edx) */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct x86_mov m = { 99u, -1, -1, 0u };

		assert_int_equal(x86_insn_decode_mov(cases[i].bytes, cases[i].n, cases[i].mode, &m), cases[i].len);
		assert_int_equal(m.reg, cases[i].reg);
		assert_int_equal(m.store, cases[i].store);
		assert_int_equal(m.has_imm, cases[i].has_imm);
		assert_int_equal(m.imm, cases[i].imm);
	}
}

/* Verifies: REQ-XARCH-016 */
static void test_mmio_movs_refused(void **state)
{
	static const struct { uint8_t bytes[8]; uint32_t n; enum x86_code_mode mode; } cases[] = {
		{ { 0x48, 0x89, 0x10 }, 3, X86_MODE_64 },   /* REX.W: 64-bit */
		{ { 0x66, 0x89, 0x10 }, 3, X86_MODE_64 },   /* 16-bit operand */
		{ { 0x89, 0xd0 }, 2, X86_MODE_64 },         /* register to register */
		{ { 0xc7, 0x08, 1, 0, 0, 0 }, 6, X86_MODE_64 },   /* c7 /1: no MOV */
		{ { 0x89, 0x10 }, 2, X86_MODE_16 },         /* 16-bit code */
		{ { 0x8b, 0x80, 0x10 }, 3, X86_MODE_32 },   /* disp32 cut short */
		{ { 0x88, 0x10 }, 2, X86_MODE_32 },         /* a byte store */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct x86_mov m;

		assert_int_equal(x86_insn_decode_mov(cases[i].bytes, cases[i].n, cases[i].mode, &m), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_forms),
		cmocka_unit_test(test_prefixes_count),
		cmocka_unit_test(test_unknown_and_truncated),
		cmocka_unit_test(test_mmio_movs),
		cmocka_unit_test(test_mmio_movs_refused),
	};
	return cmocka_run_group_tests_name("x86_insn", tests, NULL, NULL);
}
