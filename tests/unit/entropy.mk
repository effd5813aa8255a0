# SPDX-License-Identifier: MIT
# The hardware random number generator's reader (arch/arm64/entropy.c) on the host:
# ID_AA64ISAR0_EL1 and RNDR are host_sr_* variables, and RNDR's success flag (cset ne)
# comes from host_cset_ne one bit per read (tests/fuzz/host_sysreg.h).
UNIT_TESTS += entropy
UT_entropy_SRCS := tests/unit/test_entropy.c arch/arm64/entropy.c
UT_entropy_CFLAGS := -Iarch/arm64/include -Ipartitions/runtime/include -include $(srctree)/tests/fuzz/host_sysreg.h
