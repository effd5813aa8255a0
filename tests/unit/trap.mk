# SPDX-License-Identifier: MIT
# The trap dispatch (arch/arm64/trap.c) with the MMIO emulation it hands aborts to
# (arch/arm64/mmio.c), GICv3 build, on the trap fuzz target's system: ESR_EL2,
# HPFAR_EL2, FAR_EL2 and ELR_EL2 are the host_sr_* variables of tests/fuzz/host_sysreg.h,
# and a fault stops the partition through core's health monitor (fake_run).
UNIT_TESTS += trap
UT_trap_SRCS := tests/unit/test_trap.c arch/arm64/trap.c arch/arm64/mmio.c arch/arm64/sysreg_trap.c \
	arch/arm64/inject.c arch/arm64/vgic_v3.c $(TRAPS_UNIT_SRCS)
UT_trap_CFLAGS := $(TRAPS_UNIT_CFLAGS) -DBH_GIC_VERSION=3
