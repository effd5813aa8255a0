# SPDX-License-Identifier: MIT
# The ARM64 hypervisor image: core/ + arch/arm64/ + the generated tables.

CROSS_COMPILE ?= aarch64-linux-gnu-
HYP_CC := $(CROSS_COMPILE)gcc
HYP_OBJCOPY := $(CROSS_COMPILE)objcopy
HYP_SIZE := $(CROSS_COMPILE)size
HYP_NM := $(CROSS_COMPILE)nm

# The interrupt controller driver is chosen at link time from the system description.
GIC_SRC := arch/arm64/gicv$(BH_GIC_VERSION).c
ifneq ($(BH_GIC_VERSION),)
ifeq ($(wildcard $(GIC_SRC)),)
$(error $(SYSTEM): GICv$(BH_GIC_VERSION) is not supported by this build)
endif
endif

# So is the console's: arch/arm64/pl011.c, ns16550.c, cadence_uart.c or imx_uart.c.
CONSOLE_DRIVERS := arch/arm64/pl011.c arch/arm64/ns16550.c arch/arm64/cadence_uart.c arch/arm64/imx_uart.c
CONSOLE_SRC := arch/arm64/$(BH_CONSOLE).c
ifneq ($(BH_CONSOLE),)
ifeq ($(filter $(CONSOLE_SRC),$(CONSOLE_DRIVERS)),)
$(error $(SYSTEM): the console driver '$(BH_CONSOLE)' is not in this build)
endif
endif

# fault_inject.c only in CONFIG_FAULT_INJECTION builds (test instrumentation).
# mmu.c builds the EL2 map and stage2_build.c the partitions' stage-2 tables: they run on the
# host at build time (tools/el2map), not in the image.
HYP_SRCS += $(filter-out arch/arm64/gicv%.c arch/arm64/vgic_v%.c $(CONSOLE_DRIVERS) arch/arm64/mmu.c \
		arch/arm64/stage2_build.c \
		$(if $(filter y,$(CONFIG_FAULT_INJECTION)),,arch/arm64/fault_inject.c),$(wildcard arch/arm64/*.c)) \
	$(GIC_SRC) arch/arm64/vgic_v$(BH_GIC_VERSION).c $(CONSOLE_SRC) $(wildcard arch/arm64/*.S)
HYP_GEN_SRCS := $(GEN)/config.c

HYP_CPPFLAGS := -nostdinc -isystem $(shell $(HYP_CC) -print-file-name=include) \
	-I$(O)/include -Iinclude -Icore/include -Icore/include/libc -Ipartitions/runtime/include -Iarch/arm64/include \
	-DBH_HYP_LINK=$(BH_HYP_LINK) -DBH_RAM_BASE=$(BH_RAM_BASE) -DBH_GIC_VERSION=$(BH_GIC_VERSION) \
	-DBH_EL2_POOL_PAGES=$(BH_EL2_POOL_PAGES) -DBH_S2_POOL_PAGES=$(BH_S2_POOL_PAGES) -DBH_NUM_CORES=$(BH_NUM_CORES) \
	-DBH_NUM_PARTITIONS=$(BH_NUM_PARTITIONS) -DBH_NUM_CHANNELS=$(BH_NUM_CHANNELS)
HYP_CFLAGS := -std=c11 -ffreestanding -fno-builtin -O2 -g -Wall -Wextra -Werror -Wvla \
	-Wmissing-prototypes -Wstrict-prototypes -Wshadow -Wundef \
	-march=armv8-a -mno-outline-atomics -mgeneral-regs-only -mstrict-align -fno-common -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections \
	-fstack-usage -fcallgraph-info=su
HYP_LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments -Wl,-z,max-page-size=4096

# Structural coverage of the hypervisor as it runs (CONFIG_COVERAGE, test builds
# only): gcc's freestanding gcov, dumped on the console by core/coverage.c.
# Generated tables (gen/config.c) hold no code and stay uninstrumented. Counters
# are updated atomically: several cores run the same code (a lost update leaves
# counts that gcov cannot reconcile).
HYP_COV_CFLAGS :=
HYP_LDSCRIPTS :=
HYP_LIBS :=
ifeq ($(CONFIG_COVERAGE),y)
HYP_COV_CFLAGS := --coverage -fprofile-info-section=gcov_info -fprofile-update=atomic
HYP_LDSCRIPTS := -T core/coverage.lds
HYP_LIBS := $(shell $(HYP_CC) -print-file-name=libgcov.a)
endif

HYP_OBJDIR := $(O)/obj
HYP_OBJS := $(patsubst %,$(HYP_OBJDIR)/%.o,$(HYP_SRCS)) \
	$(HYP_OBJDIR)/gen/config.c.o

$(HYP_OBJDIR)/%.c.o: %.c $(AUTOCONF_H) $(GEN)/system.mk arch/arm64/build.mk
	@echo "  CC      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HYP_CC) $(HYP_CPPFLAGS) $(HYP_CFLAGS) $(HYP_COV_CFLAGS) -MMD -MP -c $< -o $@

$(HYP_OBJDIR)/%.S.o: %.S $(AUTOCONF_H) $(GEN)/system.mk arch/arm64/build.mk
	@echo "  AS      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HYP_CC) $(HYP_CPPFLAGS) -march=armv8-a -MMD -MP -c $< -o $@

$(HYP_OBJDIR)/gen/config.c.o: $(GEN)/config.c $(AUTOCONF_H)
	@echo "  CC      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HYP_CC) $(HYP_CPPFLAGS) $(HYP_CFLAGS) -MMD -MP -c $< -o $@

-include $(HYP_OBJS:.o=.d)

$(O)/linker.ld: arch/arm64/hypervisor.lds $(GEN)/system.mk arch/arm64/build.mk
	$(Q)$(HYP_CC) -E -P -x c -nostdinc -DBH_HYP_LINK=$(BH_HYP_LINK) -DBH_HYP_BASE=$(BH_HYP_BASE) \
		-DBH_HYP_SIZE=$(BH_HYP_SIZE) $< -o $@

# The EL2 map is computed at build time. Link 1 has a placeholder of the
# tables' size (the root and BH_EL2_POOL_PAGES pages); tools/el2map runs
# arch/arm64/mmu.c on the host with link 1's image symbols and the generated
# tables and writes the tables (gen/el2_tables.S); link 2 places them. Both
# links must have the same symbols at the same addresses, or the tables would
# describe another image: checked after link 2.
EL2_TABLE_BYTES = $(shell echo $$(( (1 + $(BH_EL2_POOL_PAGES)) * 4096 )))
EL2_SYMS := __image_start __text_end __rodata_end __image_end boot_stack_top

$(GEN)/el2_placeholder.S: $(GEN)/system.mk arch/arm64/build.mk
	$(Q)printf '/* The EL2 map'"'"'s place in link 1 (arch/arm64/build.mk). */\n\t.section .el2_tables, "a"\n\t.balign 4096\n\t.global el2_root\nel2_root:\n\t.space %s\n' \
		$(EL2_TABLE_BYTES) > $@

# The partitions' stage-2 tables the same way: link 1 leaves room for the pool
# (BH_S2_POOL_PAGES pages, the roots last, in .data), tools/el2map/s2map.c runs
# arch/arm64/stage2_build.c on the host for every partition of gen/config.c and
# writes them for those addresses (gen/s2_tables.S), link 2 places them.
S2_ROOT_BYTES = $(shell echo $$(( $(BH_NUM_PARTITIONS) * 4096 )))
S2_BELOW_BYTES = $(shell echo $$(( ($(BH_S2_POOL_PAGES) - $(BH_NUM_PARTITIONS)) * 4096 )))

$(GEN)/s2_placeholder.S: $(GEN)/system.mk arch/arm64/build.mk
	$(Q)printf '/* The stage-2 tables'"'"' place in link 1 (arch/arm64/build.mk). */\n\t.section .s2_tables, "a"\n\t.balign 4096\n\t.global s2_pages\ns2_pages:\n\t.space %s\n\t.section .s2_roots, "aw"\n\t.balign 4096\n\t.global s2_roots\ns2_roots:\n\t.space %s\n' \
		$(S2_BELOW_BYTES) $(S2_ROOT_BYTES) > $@

$(HYP_OBJDIR)/gen/%.S.o: $(GEN)/%.S
	@echo "  AS      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HYP_CC) $(HYP_CPPFLAGS) -march=armv8-a -c $< -o $@

# An older build of this folder compiled mmu.c into the image: its objects
# would still be read by the stack gate (obj/**/*.ci), so they go.
$(O)/bulkhead.pre.elf: $(HYP_OBJS) $(HYP_OBJDIR)/gen/el2_placeholder.S.o $(HYP_OBJDIR)/gen/s2_placeholder.S.o \
		$(O)/linker.ld $(filter %.lds,$(HYP_LDSCRIPTS))
	@echo "  LD      $@"
	$(Q)rm -f $(HYP_OBJDIR)/arch/arm64/mmu.c.o $(HYP_OBJDIR)/arch/arm64/mmu.c.d $(HYP_OBJDIR)/arch/arm64/mmu.c.su \
		$(HYP_OBJDIR)/arch/arm64/mmu.c.ci
	$(Q)$(HYP_CC) $(HYP_LDFLAGS) $(HYP_LDSCRIPTS) -T $(O)/linker.ld $(HYP_OBJS) $(HYP_OBJDIR)/gen/el2_placeholder.S.o \
		$(HYP_OBJDIR)/gen/s2_placeholder.S.o $(HYP_LIBS) -o $@

EL2MAP_SRCS := tools/el2map/el2map.c arch/arm64/mmu.c core/pgtable.c arch/arm64/vmsa.c
$(O)/host/el2map: $(EL2MAP_SRCS) tools/el2map/host_asm.h $(GEN)/config.c $(O)/bulkhead.pre.elf
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc -std=c11 -D_DEFAULT_SOURCE -O1 -Wall -Wextra -Werror -fno-pie -no-pie \
		-I$(O)/include -Iinclude -Icore/include -Ipartitions/runtime/include -Iarch/arm64/include \
		-include tools/el2map/host_asm.h -DBH_EL2_POOL_PAGES=$(BH_EL2_POOL_PAGES) -DBH_NUM_CORES=$(BH_NUM_CORES) \
		-DBH_NUM_PARTITIONS=$(BH_NUM_PARTITIONS) -DBH_NUM_CHANNELS=$(BH_NUM_CHANNELS) -DBH_GIC_VERSION=$(BH_GIC_VERSION) \
		$(EL2MAP_SRCS) $(GEN)/config.c -o $@ \
		$$($(HYP_NM) $(O)/bulkhead.pre.elf | awk '$(foreach s,$(EL2_SYMS),$$3 == "$(s)" ||) 0 { printf " -Wl,--defsym,%s=0x%s", $$3, $$1 }')

$(GEN)/el2_tables.S: $(O)/host/el2map $(O)/bulkhead.pre.elf
	@echo "  EL2MAP  $@"
	$(Q)$(O)/host/el2map 0x$$($(HYP_NM) $(O)/bulkhead.pre.elf | awk '$$3 == "el2_root" { print $$1 }') $@

S2MAP_SRCS := tools/el2map/s2map.c arch/arm64/stage2_build.c core/pgtable.c arch/arm64/vmsa.c
$(O)/host/s2map: $(S2MAP_SRCS) $(GEN)/config.c $(GEN)/system.mk
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc -std=c11 -D_DEFAULT_SOURCE -O1 -Wall -Wextra -Werror -fno-pie -no-pie \
		-I$(O)/include -Iinclude -Icore/include -Ipartitions/runtime/include -Iarch/arm64/include \
		-DBH_S2_POOL_PAGES=$(BH_S2_POOL_PAGES) -DBH_NUM_CORES=$(BH_NUM_CORES) \
		-DBH_NUM_PARTITIONS=$(BH_NUM_PARTITIONS) -DBH_NUM_CHANNELS=$(BH_NUM_CHANNELS) -DBH_GIC_VERSION=$(BH_GIC_VERSION) \
		$(S2MAP_SRCS) $(GEN)/config.c -o $@

$(GEN)/s2_tables.S: $(O)/host/s2map $(O)/bulkhead.pre.elf
	@echo "  S2MAP   $@"
	$(Q)$(O)/host/s2map $$($(HYP_NM) $(O)/bulkhead.pre.elf | awk '$$3 == "s2_pages" { p = $$1 } $$3 == "s2_roots" { r = $$1 } END { printf "0x%s 0x%s", p, r }') $@

# The image must fit the hypervisor region: checked right after the link so that
# the error names the node and both sizes (a failing recipe deletes the ELF).
$(O)/bulkhead.elf: $(HYP_OBJS) $(HYP_OBJDIR)/gen/el2_tables.S.o $(HYP_OBJDIR)/gen/s2_tables.S.o $(O)/bulkhead.pre.elf $(O)/linker.ld \
		$(filter %.lds,$(HYP_LDSCRIPTS)) scripts/check-image-fit.py
	@echo "  LD      $@"
	$(Q)$(HYP_CC) $(HYP_LDFLAGS) $(HYP_LDSCRIPTS) -T $(O)/linker.ld $(HYP_OBJS) $(HYP_OBJDIR)/gen/el2_tables.S.o \
		$(HYP_OBJDIR)/gen/s2_tables.S.o $(HYP_LIBS) -o $@
	$(Q)$(HYP_NM) $(O)/bulkhead.pre.elf > $@.pre.syms && $(HYP_NM) $@ > $@.syms && cmp -s $@.pre.syms $@.syms || { \
		echo "$@: its symbols differ from link 1's: the EL2 map was computed for another image" >&2; \
		diff $@.pre.syms $@.syms | head -20 >&2; rm -f $@; exit 1; }
	$(Q)$(PYTHON) scripts/check-image-fit.py --nm $(HYP_NM) --elf $@ --source $(SYSTEM) --node $(BH_HYP_NODE) \
		--base $(BH_HYP_BASE) --size $(BH_HYP_SIZE) --link $(BH_HYP_LINK)

# The raw binary starts with the arm64 Image header: QEMU -kernel and U-Boot booti take it as is.
# The EL2 map in it is walked by scripts/vmsa_walk.py (no code shared with the builder) and must
# map exactly what the isolation report and the image's layout give the hypervisor; so are the
# partitions' stage-2 tables, which must map exactly each partition's regions (REQ-BLD-033).
$(O)/bulkhead.bin: $(O)/bulkhead.elf $(GEN)/isolation.md scripts/vmsa_walk.py
	@echo "  OBJCOPY $@"
	$(Q)$(HYP_OBJCOPY) -O binary $< $@
	$(Q)$(PYTHON) scripts/vmsa_walk.py --nm $(HYP_NM) --elf $< --bin $@ --report $(GEN)/isolation.md \
		--pool-pages $(BH_EL2_POOL_PAGES) --s2-pool-pages $(BH_S2_POOL_PAGES) || { rm -f $@; exit 1; }

$(O)/bulkhead.its: arch/arm64/bulkhead.its.in $(GEN)/system.mk $(GEN)/load.list scripts/mkits.py
	$(Q)$(PYTHON) scripts/mkits.py --template $< --image $(O)/bulkhead.bin --link $(BH_HYP_LINK) \
		--load-list $(GEN)/load.list --out $@

$(O)/bulkhead.itb: $(O)/bulkhead.its $(O)/bulkhead.bin $(GEN)/load.list $(PARTITION_IMAGES)
	@command -v mkimage >/dev/null || { echo "mkimage not found: run 'make deps' (u-boot-tools)" >&2; exit 1; }
	@echo "  MKIMAGE $@"
	$(Q)mkimage -f $< $@ >/dev/null

BH_OUTPUTS := $(O)/bulkhead.elf $(O)/bulkhead.bin $(O)/bulkhead.itb

# The one QEMU command line (scripts/qemu.py), shared with the tests and benchmarks.
QEMU_RUN := $(PYTHON) $(srctree)/scripts/qemu.py --system-mk $(GEN)/system.mk --image $(O)/bulkhead.bin

# The boot disk for U-Boot: the FIT and the boot script on FAT (scripts/uboot_disk.py).
$(O)/uboot-disk.img: $(O)/bulkhead.itb $(GEN)/system.mk scripts/uboot_disk.py
	@echo "  DISK    $@"
	$(Q)$(PYTHON) scripts/uboot_disk.py --system-mk $(GEN)/system.mk --itb $(O)/bulkhead.itb --out $@

# A board over JTAG (scripts/openocd_flash.py; docs/boards.md): FSBL= and BL31= give the board's
# first-stage loader and TF-A's BL31 as ELF files, run before the hypervisor. Rewritten each time:
# it names those files.
$(O)/flash.cfg: $(BH_OUTPUTS) $(GEN)/load.list scripts/openocd_flash.py FORCE
	@echo "  OPENOCD $@"
	$(Q)$(PYTHON) scripts/openocd_flash.py --system-mk $(GEN)/system.mk --image $(O)/bulkhead.bin \
		--load-list $(GEN)/load.list --out $@ $(if $(FSBL),--fsbl $(FSBL)) $(if $(BL31),--bl31 $(BL31))

# A board's boot medium: the U-Boot disk (MBR, FAT: boot.scr, bulkhead.itb) with what the board's
# boot ROM or firmware reads first (scripts/uboot_disk.py; docs/boards.md): BOOT_BIN= (ZynqMP),
# RPI_FIRMWARE=<folder> UBOOT_BIN= BL31_BIN= (Raspberry Pi 4), FLASH_BIN= (i.MX 8M Plus).
SDCARD_FILES := $(BOOT_BIN) $(UBOOT_BIN) $(BL31_BIN) $(FLASH_BIN)
$(O)/sdcard.img: $(O)/bulkhead.itb $(GEN)/system.mk scripts/uboot_disk.py $(SDCARD_FILES) FORCE
	@echo "  SDCARD  $@"
	$(Q)$(PYTHON) scripts/uboot_disk.py --system-mk $(GEN)/system.mk --itb $(O)/bulkhead.itb --out $@ \
		$(if $(BOOT_BIN),--boot-bin $(BOOT_BIN)) $(if $(RPI_FIRMWARE),--rpi-firmware $(RPI_FIRMWARE)) \
		$(if $(UBOOT_BIN),--uboot-bin $(UBOOT_BIN)) $(if $(BL31_BIN),--bl31-bin $(BL31_BIN)) \
		$(if $(FLASH_BIN),--flash-bin $(FLASH_BIN))

.PHONY: qemu qemu-uboot debug size flash sdcard
flash: $(O)/flash.cfg
	@command -v openocd >/dev/null || { echo "openocd not found: run 'make deps'" >&2; exit 1; }
	$(Q)openocd -f $< -c "init; bulkhead_flash; shutdown"

sdcard: $(O)/sdcard.img

qemu: $(BH_OUTPUTS)
	@echo "  QEMU    $(SYSTEM) (quit: Ctrl-] x; CTRL-a three times: next console)"
	$(Q)$(QEMU_RUN) --make-disks $(O)

qemu-uboot: $(BH_OUTPUTS) $(O)/uboot-disk.img
	@echo "  QEMU    $(SYSTEM) through U-Boot (quit: Ctrl-] x; CTRL-a three times: next console)"
	$(Q)$(QEMU_RUN) --uboot-disk $(O)/uboot-disk.img

debug: $(BH_OUTPUTS)
	@echo "  QEMU    gdb server on :1234; gdb-multiarch $(O)/bulkhead.elf -ex 'target remote :1234'"
	$(Q)$(QEMU_RUN) --gdb --make-disks $(O)

size: $(O)/bulkhead.elf
	$(Q)$(HYP_SIZE) -A $<
