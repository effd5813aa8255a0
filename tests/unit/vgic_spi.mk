# SPDX-License-Identifier: MIT
# Virtual SPIs (arch/arm64/vgic_spi.c), GICv3 build, on the trap fuzz target's
# system and fake GIC driver (tests/fuzz/traps_system.c, fake_gic.c), which
# refuse any physical write for an interrupt that is not the writer's device's.
UNIT_TESTS += vgic_spi
UT_vgic_spi_SRCS := tests/unit/test_vgic_spi.c arch/arm64/vgic_v3.c $(TRAPS_UNIT_SRCS)
UT_vgic_spi_CFLAGS := $(TRAPS_UNIT_CFLAGS) -DBH_GIC_VERSION=3
