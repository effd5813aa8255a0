# SPDX-License-Identifier: MIT
# The stage-2 address spaces (arch/arm64/stage2.c) on the host: what each
# partition's VTTBR_EL2 holds, with the system-register accesses of
# tests/fuzz/host_sysreg.h.
UNIT_TESTS += stage2
UT_stage2_SRCS := tests/unit/test_stage2.c arch/arm64/stage2.c core/pgtable.c
UT_stage2_CFLAGS := -Ipartitions/runtime/include -Iarch/arm64/include -DBH_GIC_VERSION=3 -DBH_NUM_PARTITIONS=4 \
	-include $(srctree)/tests/fuzz/host_sysreg.h
