# SPDX-License-Identifier: MIT
# The GICv3 driver (arch/arm64/gicv3.c) on the host: distributor and
# redistributor frames are host memory (tests/unit/gic_model/mmio.h, included
# first so that its guard keeps the real one out: each 32-bit read is reported
# to the test, which models a busy bit), the ICH_/ICC_
# system registers variables (tests/fuzz/host_sysreg.h), so each test reads
# back what the driver wrote and sets what it reads.
UNIT_TESTS += gicv3
UT_gicv3_SRCS := tests/unit/test_gicv3.c arch/arm64/gicv3.c
UT_gicv3_CFLAGS := -Ipartitions/runtime/include -Iarch/arm64/include -DBH_GIC_VERSION=3 \
	-include $(srctree)/tests/fuzz/host_sysreg.h -include $(srctree)/tests/unit/gic_model/mmio.h
