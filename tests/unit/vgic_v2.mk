# SPDX-License-Identifier: MIT
# The virtual GIC's GICv2 build (arch/arm64/vgic_v2.c and the GICv2 paths of
# the shared vGIC files) on the trap fuzz target's system, with the fake GIC
# driver's GICv2 frames (tests/fuzz/fake_gic.c: GICH list registers in host
# memory): SGIR filters, SGIs per sender, CPU targets, the SGI pending
# registers, the identification registers.
UNIT_TESTS += vgic_v2
UT_vgic_v2_SRCS := tests/unit/test_vgic_v2.c arch/arm64/vgic_v2.c $(TRAPS_UNIT_SRCS)
# tests/unit/gic_model/mmio.h: a list register written updates GICH_ELRSR0, as on the hardware.
UT_vgic_v2_CFLAGS := $(TRAPS_UNIT_CFLAGS) -DBH_GIC_VERSION=2 -include $(srctree)/tests/unit/gic_model/mmio.h
# No gcov: this GICv2 build defines gic_fast.h's inline functions and the fake GIC's list
# register accessors at other lines than the GICv3 programs do, and Debian 12's gcovr (5.2)
# cannot merge one function found at two lines (make cert's host coverage failed on it).
# The GICv2 files are measured on the target, on the GICv2 systems' coverage builds.
UT_vgic_v2_NO_COVERAGE := 1
