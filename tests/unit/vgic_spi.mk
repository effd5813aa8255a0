# SPDX-License-Identifier: MIT
# Virtual SPIs (arch/arm64/vgic_spi.c), GICv3 build, on the trap fuzz target's
# system and fake GIC driver (tests/fuzz/traps_system.c, fake_gic.c), which
# refuse any physical write for an interrupt that is not the writer's device's.
UNIT_TESTS += vgic_spi
UT_vgic_spi_SRCS := tests/unit/test_vgic_spi.c tests/fuzz/traps_system.c tests/fuzz/fake_gic.c tests/unit/traps_unit.c \
	arch/arm64/vgic.c arch/arm64/vgic_lr.c arch/arm64/vgic_sgi.c arch/arm64/vgic_dist.c arch/arm64/vgic_local.c \
	arch/arm64/vgic_v3.c arch/arm64/vgic_spi.c arch/arm64/gic_lr_check.c \
	$(CORE_HOST_SRCS) tests/unit/fake_arch.c
UT_vgic_spi_CFLAGS := -Ipartitions/runtime/include -Iarch/arm64/include -DBH_GIC_VERSION=3 \
	-include $(srctree)/tests/fuzz/host_sysreg.h -Itests/fuzz -Itests/unit
