# SPDX-License-Identifier: MIT
# The system register trap (arch/arm64/sysreg_trap.c) and the undefined
# instruction it injects (arch/arm64/inject.c), GICv3 build, on the trap fuzz
# target's system: the EL1/EL2 registers are the host_sr_* variables of
# tests/fuzz/host_sysreg.h, so each test sets what the trap reads and reads
# back the exception it leaves the guest to take.
UNIT_TESTS += sysreg_trap
UT_sysreg_trap_SRCS := tests/unit/test_sysreg_trap.c arch/arm64/sysreg_trap.c arch/arm64/inject.c arch/arm64/vgic_v3.c $(TRAPS_UNIT_SRCS)
UT_sysreg_trap_CFLAGS := $(TRAPS_UNIT_CFLAGS) -DBH_GIC_VERSION=3
