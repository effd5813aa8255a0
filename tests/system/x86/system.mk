# SPDX-License-Identifier: MIT
# A hand-written stand-in for what bhcc's x86 back end will generate
# (gen/system.mk) from a description of QEMU's pc machine with 1 GiB and
# four cores: three partitions of 16 MiB, all running the test guest
# (guest.S) from one copy in the image store. Used with
# `make BH_X86_TABLES=tests/system/x86` until tools/configc/x86/ exists.
BH_NUM_CORES := 4
BH_RAM_BASE := 0x0
BH_RAM_SIZE := 0x40000000
BH_HYP_BASE := 0x100000
BH_HYP_SIZE := 0xf00000
BH_HYP_LINK := 0x200000
BH_HYP_NODE := /hypervisor@100000
BH_CONSOLE := ns16550
BH_S2_POOL_PAGES := 9
BH_STORE_BASE := 0x1000000
BH_STORE_SIZE := 0x1000
BH_PARTITIONS := hello hostile msr

# The test guest, a flat binary loaded at the image store (QEMU -device loader).
X86_GUEST := $(O)/images/x86-guest.bin
$(O)/images/x86-guest.o: tests/system/x86/guest.S include/bulkhead/hypercall.h
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc -m32 -nostdinc -Iinclude -c $< -o $@
$(O)/images/x86-guest.elf: $(O)/images/x86-guest.o
	$(Q)ld -m elf_i386 -nostdlib -Ttext=0x100000 -e _start $< -o $@
$(X86_GUEST): $(O)/images/x86-guest.elf
	@echo "  GUEST   $@"
	$(Q)objcopy -O binary $< $@
BH_X86_EXTRA_OUTPUTS := $(X86_GUEST)
