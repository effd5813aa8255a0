# SPDX-License-Identifier: MIT
# The system register trap (arch/arm64/sysreg_trap.c) and the undefined
# instruction it injects (arch/arm64/inject.c), GICv3 build, on the trap fuzz
# target's system: the EL1/EL2 registers are the host_sr_* variables of
# tests/fuzz/host_sysreg.h, so each test sets what the trap reads and reads
# back the exception it leaves the guest to take.
UNIT_TESTS += sysreg_trap
UT_sysreg_trap_SRCS := tests/unit/test_sysreg_trap.c tests/fuzz/traps_system.c tests/fuzz/fake_gic.c tests/unit/traps_unit.c \
	arch/arm64/sysreg_trap.c arch/arm64/inject.c \
	arch/arm64/vgic.c arch/arm64/vgic_lr.c arch/arm64/vgic_sgi.c arch/arm64/vgic_dist.c arch/arm64/vgic_local.c \
	arch/arm64/vgic_v3.c arch/arm64/vgic_spi.c arch/arm64/gic_lr_check.c \
	$(CORE_HOST_SRCS) tests/unit/fake_arch.c
UT_sysreg_trap_CFLAGS := -Ipartitions/runtime/include -Iarch/arm64/include -DBH_GIC_VERSION=3 \
	-include $(srctree)/tests/fuzz/host_sysreg.h -Itests/fuzz -Itests/unit
