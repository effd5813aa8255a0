# SPDX-License-Identifier: MIT
# The GICv2 driver (arch/arm64/gicv2.c) on the host: its distributor, CPU
# interface and virtual interface control frames are host memory, so each
# test reads back what the driver wrote.
UNIT_TESTS += gicv2
UT_gicv2_SRCS := tests/unit/test_gicv2.c arch/arm64/gicv2.c
UT_gicv2_CFLAGS := -Ipartitions/runtime/include -Iarch/arm64/include -DBH_GIC_VERSION=2 \
	-include $(srctree)/tests/fuzz/host_sysreg.h
