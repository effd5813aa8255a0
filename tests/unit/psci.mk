# SPDX-License-Identifier: MIT
# PSCI (arch/arm64/psci.c) on the trap fuzz target's system: a call is a guest frame
# handed to arm64_psci, core's power model answers through the fake architecture, and a
# refusal is a call incident of the caller.
UNIT_TESTS += psci
UT_psci_SRCS := tests/unit/test_psci.c arch/arm64/psci.c arch/arm64/vgic_v3.c $(TRAPS_UNIT_SRCS)
UT_psci_CFLAGS := $(TRAPS_UNIT_CFLAGS) -DBH_GIC_VERSION=3
