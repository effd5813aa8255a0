# The ARM64 translation-table builder, checked on the host by a software walker.
UNIT_TESTS += pgtable
UT_pgtable_SRCS := tests/unit/test_pgtable.c arch/arm64/pgtable.c
UT_pgtable_CFLAGS := -Iarch/arm64/include
