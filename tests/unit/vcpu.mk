# SPDX-License-Identifier: MIT
# A vCPU's (re)start (arch/arm64/vcpu.c) on the host: every EL1 and EL2 register it writes is a
# host_sr_* variable (tests/fuzz/host_sysreg.h), the vGIC and the entry into the guest are
# recorded by the test.
UNIT_TESTS += vcpu
UT_vcpu_SRCS := tests/unit/test_vcpu.c arch/arm64/vcpu.c
UT_vcpu_CFLAGS := -Iarch/arm64/include -Ipartitions/runtime/include -DBH_GIC_VERSION=3 -include $(srctree)/tests/fuzz/host_sysreg.h
