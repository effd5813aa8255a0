# SPDX-License-Identifier: MIT
# Everything that depends on the configuration and the system description:
# device tree -> config compiler -> partition images -> hypervisor image.

-include $(O)/.config
# Without a configuration, make first creates it (scripts/kconfig.mk) and restarts.
ifneq ($(wildcard $(O)/.config),)
unquote = $(patsubst "%",%,$(1))

# override: `make ARCH=x86_64` (Makefile) only picks the build folder and defconfig.
override ARCH := $(call unquote,$(CONFIG_ARCH))
# BOARD=<name> (make flash BOARD=zcu102) picks configs/<name>.dts, the board's default system.
SYSTEM ?= $(if $(BOARD),configs/$(BOARD).dts,$(call unquote,$(CONFIG_SYSTEM_DESCRIPTION)))

GEN := $(O)/gen
IMAGES := $(O)/images

# Rebuild the device tree when SYSTEM names another file.
$(O)/system.path: FORCE
	$(Q)mkdir -p $(O)
	$(Q)echo '$(SYSTEM)' | cmp -s - $@ || echo '$(SYSTEM)' > $@

# The description goes through cpp first so that boards can be shared as .dtsi files.
$(O)/system.dtb: $(SYSTEM) $(O)/system.path
	$(Q)test -f $(SYSTEM) || { echo "$(SYSTEM): system description not found" >&2; exit 1; }
	@echo "  DTC     $(SYSTEM)"
	$(Q)cpp -nostdinc -undef -x assembler-with-cpp -I configs -I include \
		-MD -MF $(O)/system.d -MT $@ $(SYSTEM) -o $(O)/system.dts.pp
	$(Q)dtc -q -I dts -O dtb -o $@ $(O)/system.dts.pp
-include $(O)/system.d

BHCC_LIMITS := --max-cores $(CONFIG_MAX_CORES) --max-partitions $(CONFIG_MAX_PARTITIONS)
BHCC_ARGS := --dtb $(O)/system.dtb --source $(SYSTEM) --out $(GEN) $(BHCC_LIMITS)

# Pass 1 validates everything but image sizes and tells make where each
# partition program must be linked.
$(GEN)/system.mk: $(O)/system.dtb $(BHCC) $(O)/.config
	@echo "  BHCC    $(SYSTEM) (layout)"
	$(Q)$(BHCC) $(BHCC_ARGS) --layout-only
include $(GEN)/system.mk
# The layout keeps room in the image store for each prebuilt image at its size.
$(GEN)/system.mk: $(BH_STORE_INPUTS)

include partitions/build.mk
include scripts/linux/linux.mk

# Pass 2 checks the images against their regions and writes the tables and
# the load list (what the boot flow loads into the image store).
GEN_TABLES := $(GEN)/config.c $(GEN)/load.list $(GEN)/isolation.md $(GEN)/bounds.mk
$(GEN)/config.c: $(O)/system.dtb $(BHCC) $(PARTITION_IMAGES) $(O)/.config
	@echo "  BHCC    $(SYSTEM) (tables)"
	$(Q)$(BHCC) $(BHCC_ARGS) --images $(IMAGES) --srctree $(srctree)
	$(Q)grep -qx '# image store $(BH_STORE_BASE) size $(BH_STORE_SIZE)' $(GEN)/load.list || { \
		echo "$(SYSTEM): the image store moved between bhcc's two passes (a prebuilt image changed): build again" >&2; \
		rm -f $@; exit 1; }
$(GEN)/load.list $(GEN)/isolation.md $(GEN)/bounds.mk: $(GEN)/config.c

include core/build.mk
include arch/$(ARCH)/build.mk

.PHONY: report FORCE
FORCE:

# The memory map, drawn from the isolation report (scripts/memory_map.py): beside it in gen/.
$(GEN)/memory-map.svg: $(GEN)/isolation.md scripts/memory_map.py
	$(Q)$(PYTHON) scripts/memory_map.py --report $< --out $@

report: $(GEN)/isolation.md $(GEN)/memory-map.svg
	$(Q)cat $<
	@echo "  (memory map: $(GEN)/memory-map.svg)"

endif # configured
