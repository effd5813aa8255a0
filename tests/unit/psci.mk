# SPDX-License-Identifier: MIT
# PSCI (arch/arm64/psci.c) on the trap fuzz target's system: a call is a guest frame
# handed to arm64_psci, core's power model answers through the fake architecture, and a
# refusal is a call incident of the caller.
UNIT_TESTS += psci
UT_psci_SRCS := tests/unit/test_psci.c arch/arm64/psci.c arch/arm64/vgic_v3.c $(TRAPS_UNIT_SRCS)
UT_psci_CFLAGS := $(TRAPS_UNIT_CFLAGS) -DBH_GIC_VERSION=3
# Once more with ASan/UBSan: a table walked one entry too far reads past its end
# (psci_codes), which only a sanitizer sees.
UNIT_TESTS += psci_san
UT_psci_san_SRCS := $(UT_psci_SRCS)
UT_psci_san_CFLAGS := $(UT_psci_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all
UT_psci_san_LIBS := -fsanitize=address,undefined
UT_psci_san_NO_COVERAGE := 1
