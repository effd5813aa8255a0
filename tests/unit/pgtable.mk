# SPDX-License-Identifier: MIT
# The translation-table builder (core/include/pgtable_build.h) in the ARM64
# format and an x86-64 one, each checked on the host by a software walker of its
# own; bhcc's walker of dry-run tables (pt_table_depth) with them.
UNIT_TESTS += pgtable
UT_pgtable_SRCS := tests/unit/test_pgtable.c core/pgtable.c arch/arm64/vmsa.c tools/configc/count_pool.c
UT_pgtable_CFLAGS := -Iarch/arm64/include -Itools/configc
