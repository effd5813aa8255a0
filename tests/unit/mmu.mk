# The hypervisor's own EL2 map (arch/arm64/mmu.c), built on the host for a
# fixed configuration and read back by a software table walker. The image
# bounds the linker script would define are given as absolute symbols.
UNIT_TESTS += mmu
UT_mmu_SRCS := tests/unit/test_mmu.c arch/arm64/mmu.c arch/arm64/pgtable.c
UT_mmu_CFLAGS := -Iarch/arm64/include -fno-pie -fno-toplevel-reorder -include host_asm.h
UT_mmu_LIBS := -no-pie -Wl,--defsym,__image_start=0x40200000 -Wl,--defsym,__text_end=0x40208000 \
	-Wl,--defsym,__rodata_end=0x40216000 -Wl,--defsym,__image_end=0x40280000 \
	-Wl,--defsym,boot_stack_top=0x40240000
