# SPDX-License-Identifier: MIT
# bhcc's arm64 back end: the GIC and MPIDRs of the board, the 39-bit address
# spaces, the stage-2 and EL2 table pools counted by the hypervisor's own
# table builder (core/pgtable.c with arch/arm64/vmsa.c), the guest device tree.
BHCC_BACK_SRCS := $(wildcard tools/configc/arm64/*.c) core/pgtable.c arch/arm64/vmsa.c
BHCC_BACK_INCLUDES := -Itools/configc/arm64 -Iarch/arm64/include
BHCC_BACK_HEADERS := $(wildcard tools/configc/arm64/*.h) arch/arm64/include/cfg_arch.h \
	arch/arm64/include/vmsa.h core/include/pgtable.h core/include/pgtable_build.h
