# SPDX-License-Identifier: MIT
# Partition programs (partitions/<program>/, and partitions/<program>/$(ARCH)/
# for what only one architecture has) with the runtime (partitions/runtime/,
# its architecture's part in partitions/runtime/$(ARCH)/) and newlib, linked per
# partition at the addresses the system description gives.

GUEST_ARCH := $(ARCH)
GUEST_RT_ARCH := partitions/runtime/$(GUEST_ARCH)
include $(GUEST_RT_ARCH)/build.mk
GUEST_CC := $(GUEST_CROSS_COMPILE)gcc
GUEST_OBJCOPY := $(GUEST_CROSS_COMPILE)objcopy
GUEST_CPPFLAGS := -nostdinc -isystem $(NEWLIB_SYSROOT)/include \
	-isystem $(shell $(GUEST_CC) -print-file-name=include) \
	-Iinclude -Ipartitions/runtime/include -I$(GUEST_RT_ARCH)/include
GUEST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror $(GUEST_ARCH_CFLAGS) \
	-ffunction-sections -fdata-sections -fno-pie -fno-stack-protector -fno-common \
	-fno-asynchronous-unwind-tables -fno-unwind-tables
# Each object's frame sizes and call graph, beside it: the service partition's stack bound
# (tools/cert/stack.py --partition, make cert-stack-service) reads them.
GUEST_CFLAGS += -fstack-usage -fcallgraph-info=su
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments -Wl,-z,max-page-size=4096
GUEST_LIBS := -L$(NEWLIB_SYSROOT)/lib -Wl,--start-group -lc -lm -lgcc -Wl,--end-group

# Other architectures' objects apart from arm64's (same sources, same names).
GUEST_OBJDIR := $(O)/partitions$(if $(filter-out arm64,$(GUEST_ARCH)),/$(GUEST_ARCH))
RT_SRCS := $(wildcard partitions/runtime/*.c $(GUEST_RT_ARCH)/*.c $(GUEST_RT_ARCH)/*.S)
RT_OBJS := $(patsubst %,$(GUEST_OBJDIR)/%.o,$(RT_SRCS))

$(GUEST_OBJDIR)/%.c.o: %.c $(NEWLIB_LIBC) partitions/build.mk $(GUEST_ARCH_DEPS)
	@echo "  CC      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GUEST_CC) $(GUEST_CPPFLAGS) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(GUEST_OBJDIR)/%.S.o: %.S partitions/build.mk
	@echo "  AS      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GUEST_CC) $(GUEST_CPPFLAGS) $(GUEST_ARCH_ASFLAGS) -MMD -MP -c $< -o $@

PARTITION_IMAGES :=
PARTITION_PROGRAMS :=

define partition_image_rules
ifeq ($(wildcard partitions/$(BH_PART_$(1)_PROGRAM)/*.c),)
$$(error $(SYSTEM): partition '$(1)': program '$(BH_PART_$(1)_PROGRAM)' has no sources in partitions/$(BH_PART_$(1)_PROGRAM)/)
endif
PARTITION_PROGRAMS += $(BH_PART_$(1)_PROGRAM)
$(1)_OBJS := $(RT_OBJS) $$(patsubst %,$(GUEST_OBJDIR)/%.o,$$(wildcard partitions/$(BH_PART_$(1)_PROGRAM)/*.c partitions/$(BH_PART_$(1)_PROGRAM)/*.S \
	partitions/$(BH_PART_$(1)_PROGRAM)/$(GUEST_ARCH)/*.c))

$(IMAGES)/$(1).ld: $(GUEST_RT_ARCH)/partition.lds $(GEN)/system.mk
	$(Q)mkdir -p $$(dir $$@)
	$(Q)$(GUEST_CC) -E -P -x c -nostdinc -DBH_LOAD=$(BH_PART_$(1)_LOAD) \
		-DBH_RAM_BASE=$(BH_PART_$(1)_RAM_BASE) -DBH_RAM_SIZE=$(BH_PART_$(1)_RAM_SIZE) \
		-DBH_VCPUS=$(BH_PART_$(1)_VCPUS) $$< -o $$@

$(IMAGES)/$(1).elf: $$($(1)_OBJS) $(IMAGES)/$(1).ld $(NEWLIB_LIBC)
	@echo "  LD      $$@ ($(BH_PART_$(1)_PROGRAM) at $(BH_PART_$(1)_LOAD))"
	$(Q)$(GUEST_CC) $(GUEST_LDFLAGS) -T $(IMAGES)/$(1).ld $$($(1)_OBJS) $(GUEST_LIBS) -o $$@

$(IMAGES)/$(1).bin: $(IMAGES)/$(1).elf
	$(Q)$(GUEST_OBJCOPY) -O binary $$< $$@

PARTITION_IMAGES += $(IMAGES)/$(1).bin
endef

$(foreach p,$(BH_PARTITIONS),$(if $(BH_PART_$(p)_PROGRAM),$(eval $(call partition_image_rules,$(p)))))

-include $(patsubst %.o,%.d,$(RT_OBJS) $(foreach p,$(BH_PARTITIONS),$($(p)_OBJS)))
