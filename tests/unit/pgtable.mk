# SPDX-License-Identifier: MIT
# The translation-table builder (core/pgtable.c) in the ARM64 format and an x86-64
# one, each checked on the host by a software walker of its own.
UNIT_TESTS += pgtable
UT_pgtable_SRCS := tests/unit/test_pgtable.c core/pgtable.c arch/arm64/vmsa.c
UT_pgtable_CFLAGS := -Iarch/arm64/include
