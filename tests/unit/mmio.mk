# SPDX-License-Identifier: MIT
# Emulated MMIO (arch/arm64/mmio.c) on the trap fuzz target's system
# (tests/fuzz/traps_system.c): the syndrome decoded and the access completed
# as the load or store would on a device.
UNIT_TESTS += mmio
UT_mmio_SRCS := tests/unit/test_mmio.c arch/arm64/mmio.c tests/fuzz/traps_system.c tests/fuzz/fake_gic.c \
	arch/arm64/vgic.c arch/arm64/vgic_lr.c arch/arm64/vgic_sgi.c arch/arm64/vgic_dist.c arch/arm64/vgic_local.c \
	arch/arm64/vgic_v3.c arch/arm64/vgic_spi.c \
	$(CORE_HOST_SRCS) tests/unit/fake_arch.c
UT_mmio_CFLAGS := -Ipartitions/runtime/include -Iarch/arm64/include -DBH_GIC_VERSION=3 \
	-include $(srctree)/tests/fuzz/host_sysreg.h -Itests/fuzz -Itests/unit
