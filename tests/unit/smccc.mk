# SPDX-License-Identifier: MIT
# The SMC Calling Convention's dispatch (arch/arm64/smccc.c) with PSCI and Bulkhead's
# hypercall table behind it, on the trap fuzz target's system: HVC and SMC traps with
# their immediates, each function owner, and the straight path from the HVC vector.
UNIT_TESTS += smccc
UT_smccc_SRCS := tests/unit/test_smccc.c arch/arm64/smccc.c arch/arm64/psci.c core/hypercall.c arch/arm64/vgic_v3.c \
	$(TRAPS_UNIT_SRCS)
UT_smccc_CFLAGS := $(TRAPS_UNIT_CFLAGS) -DBH_GIC_VERSION=3
