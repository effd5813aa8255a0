# SPDX-License-Identifier: MIT
# Cache maintenance by range and the blob load (arch/arm64/cache.c) on the host: CTR_EL0
# is host_sr_ctr_el0, and each `dc` counts itself (tests/fuzz/host_sysreg.h), so a test
# sees which lines were cleaned and which part went through the one-pass copy.
UNIT_TESTS += cache
UT_cache_SRCS := tests/unit/test_cache.c arch/arm64/cache.c
UT_cache_CFLAGS := -Iarch/arm64/include -Ipartitions/runtime/include -include $(srctree)/tests/fuzz/host_sysreg.h
