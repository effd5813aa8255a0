# SPDX-License-Identifier: MIT
# The hypervisor's own EL2 map (arch/arm64/mmu.c), built on the host for a
# fixed configuration and read back by a software table walker. The image
# bounds the linker script would define are given as absolute symbols.
UNIT_TESTS += mmu
UT_mmu_SRCS := tests/unit/test_mmu.c arch/arm64/mmu.c core/pgtable.c arch/arm64/vmsa.c
# The pool is what bhcc would count for this configuration: 7 pages.
UT_mmu_CFLAGS := -Iarch/arm64/include -fno-pie -fno-toplevel-reorder -include $(srctree)/tools/el2map/host_asm.h -DBH_EL2_POOL_PAGES=7
UT_mmu_LIBS := -no-pie -Wl,--defsym,__image_start=0x40200000 -Wl,--defsym,__text_end=0x40208000 \
	-Wl,--defsym,__rodata_end=0x40216000 -Wl,--defsym,__image_end=0x40280000 \
	-Wl,--defsym,boot_stack_top=0x40240000

# The map that cannot be built: a pool one page short, and RAM beyond the 39-bit map.
UNIT_TESTS += mmu_fail_pool mmu_fail_high
UT_mmu_fail_pool_SRCS := tests/unit/test_mmu_fail.c arch/arm64/mmu.c core/pgtable.c arch/arm64/vmsa.c
UT_mmu_fail_pool_CFLAGS := $(filter-out -DBH_EL2_POOL_PAGES=%,$(UT_mmu_CFLAGS)) -DBH_EL2_POOL_PAGES=4 -DMMU_FAIL_POOL
UT_mmu_fail_pool_LIBS := $(UT_mmu_LIBS)
UT_mmu_fail_high_SRCS := $(UT_mmu_fail_pool_SRCS)
UT_mmu_fail_high_CFLAGS := $(filter-out -DBH_EL2_POOL_PAGES=%,$(UT_mmu_CFLAGS)) -DBH_EL2_POOL_PAGES=16 -DMMU_FAIL_HIGH
UT_mmu_fail_high_LIBS := $(UT_mmu_LIBS)
