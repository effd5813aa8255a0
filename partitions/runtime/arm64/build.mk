# SPDX-License-Identifier: MIT
# The partition runtime's arm64 part: start-up, vectors, the stage-1 map, the
# GIC and timer drivers, SMCCC calls and the services built on PSCI, and how
# to compile and link for arm64.
GUEST_CROSS_COMPILE ?= aarch64-linux-gnu-
GUEST_ARCH_CFLAGS := -march=armv8-a -mno-outline-atomics -mstrict-align
GUEST_ARCH_ASFLAGS := -march=armv8-a
# The GIC's guest-physical addresses are the board's (bhcc's gen/system.mk; a
# board without a GICv3 has no redistributors and keeps the runtime's default).
# The objects depend on a stamp rewritten only when the addresses change, so
# that a build directory moved to another board recompiles its partitions.
GUEST_GIC_FLAGS := $(if $(BH_GICD_BASE),-DRT_GICD_BASE=$(BH_GICD_BASE)u) \
	$(if $(BH_GICC_BASE),-DRT_GICC_BASE=$(BH_GICC_BASE)u) $(if $(BH_GICR_BASE),-DRT_GICR_BASE=$(BH_GICR_BASE)u)
GUEST_ARCH_CFLAGS += $(GUEST_GIC_FLAGS)
GUEST_ARCH_DEPS := $(O)/partitions/gic.flags

$(O)/partitions/gic.flags: FORCE
	$(Q)mkdir -p $(dir $@)
	$(Q)echo '$(GUEST_GIC_FLAGS)' | cmp -s - $@ || echo '$(GUEST_GIC_FLAGS)' > $@
