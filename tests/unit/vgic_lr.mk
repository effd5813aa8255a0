# SPDX-License-Identifier: MIT
# The virtual GIC's list registers and their queue (arch/arm64/vgic_lr.c),
# GICv3 build, on the fake architecture's hooks with ARM64's objects and
# configuration (arch/arm64/include/arch_types.h and cfg_arch.h, not
# tests/unit/fake_arch/'s: the test has a one-partition system of its own);
# the list registers are memory (tests/fuzz/host_sysreg.h).
UNIT_TESTS += vgic_lr
UT_vgic_lr_SRCS := tests/unit/test_vgic_lr.c arch/arm64/vgic_lr.c $(CORE_HOST_SRCS) tests/unit/fake_arch.c
UT_vgic_lr_CFLAGS := -Iarch/arm64/include -Ipartitions/runtime/include -DBH_GIC_VERSION=3 -include $(srctree)/tests/fuzz/host_sysreg.h
