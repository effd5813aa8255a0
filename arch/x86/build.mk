# SPDX-License-Identifier: MIT
# The x86-64 hypervisor image: core/ + arch/x86/ + the generated tables.
# bulkhead.elf is the ELF64 the tools read; bulkhead.mb.elf is the same
# image as the ELF32 that multiboot v1 loaders (QEMU -kernel) take.

HYP_CC := gcc
HYP_OBJCOPY := objcopy
HYP_SIZE := size
HYP_NM := nm

# The one vendor back end Kconfig chose (arch/x86/include/vendor.h's hooks).
X86_VENDOR := $(call unquote,$(CONFIG_X86_VENDOR))
ifeq ($(wildcard arch/x86/$(X86_VENDOR)/*.c),)
$(error CONFIG_X86_VENDOR="$(X86_VENDOR)": no back end in arch/x86/$(X86_VENDOR)/)
endif
HYP_SRCS += $(wildcard arch/x86/*.c) $(wildcard arch/x86/*.S) \
	$(wildcard arch/x86/$(X86_VENDOR)/*.c) $(wildcard arch/x86/$(X86_VENDOR)/*.S)
HYP_GEN_SRCS := $(GEN)/config.c

HYP_CPPFLAGS := -nostdinc -isystem $(shell $(HYP_CC) -print-file-name=include) \
	-I$(O)/include -Iinclude -Icore/include -Icore/include/libc -Ipartitions/runtime/include -Iarch/x86/include -Iarch/x86/$(X86_VENDOR) \
	-DBH_HYP_LINK=$(BH_HYP_LINK) -DBH_RAM_BASE=$(BH_RAM_BASE) -DBH_RAM_SIZE=$(BH_RAM_SIZE) \
	-DBH_S2_POOL_PAGES=$(BH_S2_POOL_PAGES) -DBH_NUM_CORES=$(BH_NUM_CORES) \
	-DBH_NUM_PARTITIONS=$(BH_NUM_PARTITIONS) -DBH_NUM_CHANNELS=$(BH_NUM_CHANNELS)
HYP_CFLAGS := -std=c11 -ffreestanding -fno-builtin -O2 -g -Wall -Wextra -Werror -Wvla \
	-Wmissing-prototypes -Wstrict-prototypes -Wshadow -Wundef \
	-m64 -mno-red-zone -mgeneral-regs-only -fno-common -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections \
	-fstack-usage -fcallgraph-info=su
HYP_LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments -Wl,-z,max-page-size=4096

# Structural coverage (CONFIG_COVERAGE, test builds only), as on arm64: gcc's
# freestanding gcov, dumped on the console by core/coverage.c from
# arch_system_off() (cpu.c).
HYP_COV_CFLAGS :=
HYP_LDSCRIPTS :=
HYP_LIBS :=
ifeq ($(CONFIG_COVERAGE),y)
HYP_COV_CFLAGS := --coverage -fprofile-info-section=gcov_info -fprofile-update=atomic
HYP_LDSCRIPTS := -T core/coverage.lds
HYP_LIBS := $(shell $(HYP_CC) -print-file-name=libgcov.a)
endif

HYP_OBJDIR := $(O)/obj
HYP_OBJS := $(patsubst %,$(HYP_OBJDIR)/%.o,$(HYP_SRCS)) $(HYP_OBJDIR)/gen/config.c.o

$(HYP_OBJDIR)/%.c.o: %.c $(AUTOCONF_H) $(GEN)/system.mk arch/x86/build.mk
	@echo "  CC      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HYP_CC) $(HYP_CPPFLAGS) $(HYP_CFLAGS) $(HYP_COV_CFLAGS) -MMD -MP -c $< -o $@

$(HYP_OBJDIR)/%.S.o: %.S $(AUTOCONF_H) $(GEN)/system.mk arch/x86/build.mk
	@echo "  AS      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HYP_CC) $(HYP_CPPFLAGS) -m64 -MMD -MP -c $< -o $@

$(HYP_OBJDIR)/gen/config.c.o: $(GEN)/config.c $(AUTOCONF_H)
	@echo "  CC      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HYP_CC) $(HYP_CPPFLAGS) $(HYP_CFLAGS) -MMD -MP -c $< -o $@

-include $(HYP_OBJS:.o=.d)

$(O)/linker.ld: arch/x86/hypervisor.lds $(GEN)/system.mk arch/x86/build.mk
	$(Q)$(HYP_CC) -E -P -x c -nostdinc -DBH_HYP_LINK=$(BH_HYP_LINK) -DBH_HYP_BASE=$(BH_HYP_BASE) \
		-DBH_HYP_SIZE=$(BH_HYP_SIZE) $< -o $@

$(O)/bulkhead.elf: $(HYP_OBJS) $(O)/linker.ld $(filter %.lds,$(HYP_LDSCRIPTS)) scripts/check-image-fit.py
	@echo "  LD      $@"
	$(Q)$(HYP_CC) $(HYP_LDFLAGS) $(HYP_LDSCRIPTS) -T $(O)/linker.ld $(HYP_OBJS) $(HYP_LIBS) -o $@
	$(Q)$(PYTHON) scripts/check-image-fit.py --nm $(HYP_NM) --elf $@ --source $(SYSTEM) --node $(BH_HYP_NODE) \
		--base $(BH_HYP_BASE) --size $(BH_HYP_SIZE) --link $(BH_HYP_LINK)

# Multiboot v1 loaders take ELF32 only; the code runs where it is linked either way.
$(O)/bulkhead.mb.elf: $(O)/bulkhead.elf
	@echo "  OBJCOPY $@"
	$(Q)$(HYP_OBJCOPY) -O elf32-i386 $< $@

BH_OUTPUTS := $(O)/bulkhead.elf $(O)/bulkhead.mb.elf

# `make qemu` (and `make run`): the one QEMU command line (scripts/qemu.py's
# q35 machine), shared with the tests, with the load list's images.
QEMU_RUN := $(PYTHON) $(srctree)/scripts/qemu.py --system-mk $(GEN)/system.mk --image $(O)/bulkhead.mb.elf

.PHONY: qemu size
qemu: $(BH_OUTPUTS)
	@echo "  QEMU    $(SYSTEM) (quit: Ctrl-] x)"
	$(Q)$(QEMU_RUN)

size: $(O)/bulkhead.elf
	$(Q)$(HYP_SIZE) -A $<
