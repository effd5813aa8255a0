# SPDX-License-Identifier: MIT
# One partition program built for x86_64 without a system description, to
# run the runtime natively as a multiboot kernel (crt0.S):
#
#   make -f partitions/runtime/x86/native.mk PROGRAM=talker [O=build]
#   then boot build/x86-native/talker.elf32 on scripts/qemu.py's q35 machine
#   (x86_native_command(), what tests/system/test_x86_sdk.py does)
#
# It is linked at 2 MiB in a 30 MiB RAM region with one vCPU: below QEMU's
# default 128 MiB and above the BIOS area a multiboot loader leaves alone.
srctree := $(CURDIR)
O ?= build
override O := $(abspath $(O))
Q := $(if $(V),,@)
MAKEFLAGS += --no-print-directory
.DELETE_ON_ERROR:
.SUFFIXES:

PROGRAM ?= talker
NATIVE_LOAD := 0x200000
NATIVE_RAM_BASE := 0x200000
NATIVE_RAM_SIZE := 0x1e00000
NATIVE_DIR := $(O)/x86-native

ARCH := x86
NEWLIB_ARCH := x86
BH_PARTITIONS :=
include partitions/newlib.mk
include partitions/build.mk

NATIVE_OBJS := $(RT_OBJS) $(patsubst %,$(GUEST_OBJDIR)/%.o,$(wildcard partitions/$(PROGRAM)/*.c))
ifeq ($(wildcard partitions/$(PROGRAM)/*.c),)
$(error partitions/$(PROGRAM)/ has no program)
endif

.DEFAULT_GOAL := $(NATIVE_DIR)/$(PROGRAM).elf32

$(NATIVE_DIR)/$(PROGRAM).ld: $(GUEST_RT_ARCH)/partition.lds partitions/runtime/x86/native.mk
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GUEST_CC) -E -P -x c -nostdinc -DBH_LOAD=$(NATIVE_LOAD) -DBH_RAM_BASE=$(NATIVE_RAM_BASE) \
		-DBH_RAM_SIZE=$(NATIVE_RAM_SIZE) -DBH_VCPUS=1 $< -o $@

$(NATIVE_DIR)/$(PROGRAM).elf: $(NATIVE_OBJS) $(NATIVE_DIR)/$(PROGRAM).ld $(NEWLIB_LIBC)
	@echo "  LD      $@"
	$(Q)$(GUEST_CC) $(GUEST_LDFLAGS) -T $(NATIVE_DIR)/$(PROGRAM).ld $(NATIVE_OBJS) $(GUEST_LIBS) -o $@

# QEMU's multiboot loader takes ELF32 only; the code is the same.
$(NATIVE_DIR)/$(PROGRAM).elf32: $(NATIVE_DIR)/$(PROGRAM).elf
	$(Q)$(GUEST_OBJCOPY) -O elf32-i386 $< $@
