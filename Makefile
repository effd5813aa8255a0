# SPDX-License-Identifier: MIT
# Bulkhead top-level build. `make help` lists the targets.
#
# One non-recursive make: each folder contributes a build.mk fragment.
# Outputs go to $(O) (default build/); `make O=dir` keeps several builds apart.

srctree := $(CURDIR)
# `make run ARCH=x86_64` (any goal): the x86 default system, configured from
# configs/qemu-x86_64_defconfig in its own build folder. Otherwise the
# architecture is the configuration's (CONFIG_ARCH).
ifeq ($(ARCH),x86_64)
O ?= build/x86_64
DEFCONFIG ?= qemu-x86_64_defconfig
endif
O ?= build
override O := $(abspath $(O))
PYTHON := /usr/bin/python3
DEFCONFIG ?= qemu-aarch64-virt_defconfig
export KCONFIG_CONFIG := $(O)/.config

Q := $(if $(V),,@)
MAKEFLAGS += --no-print-directory

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

# Goals that need neither a configuration nor the generated system tables.
STANDALONE_GOALS := help deps deps-check clean distclean run run-uboot test unit-test unit-build unit-configc system-test \
	fuzz fuzz-build fuzz-quick \
	cert cert-quick cert-fingerprints cert-mutation mutation cert-trace cert-analysis cert-gcs cert-stack cert-pathlen cert-complexity cert-coverage cert-index cert-hyp cert-images cert-x86-images cert-analysis-x86 cert-stack-x86 \
	cert-test system-test-cov bench fresh-check menuconfig olddefconfig savedefconfig %_defconfig newlib host-tools
BUILD_GOALS := $(filter-out $(STANDALONE_GOALS),$(or $(MAKECMDGOALS),all))

include scripts/kconfig.mk
include tools/configc/build.mk
include tools/qemu-plugin/build.mk
include partitions/newlib.mk
include tests/unit/build.mk
include tests/fuzz/build.mk
include tests/bench/bench.mk

ifneq ($(BUILD_GOALS),)
include scripts/system.mk
endif

# After system.mk: compile-commands names the configured build's variables.
include tools/cert/cert.mk

.PHONY: all help deps deps-check run run-uboot test unit-test system-test clean distclean host-tools fresh-check

all: $(BH_OUTPUTS)

help:
	@echo 'Bulkhead - static-partitioning separation hypervisor'
	@echo
	@echo 'Quick start:'
	@echo '  make run                 build and boot the default system in QEMU'
	@echo '  make test                run every test tier (installs what is missing)'
	@echo
	@echo 'Build:'
	@echo '  make                     build $$(O)/bulkhead.elf, .bin (arm64 Image) and .itb (U-Boot FIT)'
	@echo '  make SYSTEM=file.dts     build another system description'
	@echo '  make O=dir               put outputs in dir (default: build)'
	@echo '  make run-uboot           build, then boot through U-Boot (u-boot-qemu) from a disk with the FIT'
	@echo '  make qemu                boot the built system in QEMU (no dependency check)'
	@echo '  make debug               boot QEMU stopped, with a gdb server on :1234'
	@echo '  make report              show the isolation report of the system description'
	@echo '  make flash BOARD=zcu102  load the board'"'"'s system over JTAG with OpenOCD (FSBL=, BL31=; docs/boards.md)'
	@echo '                           also BOARD=rpi4, BOARD=imx8mp-evk (stopped at U-Boot'"'"'s prompt first)'
	@echo '  make sdcard BOARD=zcu102 $$(O)/sdcard.img: boot.scr and bulkhead.itb on FAT (BOOT_BIN=)'
	@echo '                           BOARD=rpi4: RPI_FIRMWARE=, UBOOT_BIN=, BL31_BIN=; BOARD=imx8mp-evk: FLASH_BIN='
	@echo
	@echo 'Configuration (Kconfig):'
	@echo '  make <target>_defconfig  start from configs/<target>_defconfig'
	@echo '  make menuconfig          edit $$(O)/.config interactively'
	@echo '  make olddefconfig        update $$(O)/.config, new options at defaults'
	@echo '  make savedefconfig       write the minimal $$(O)/defconfig'
	@echo
	@echo 'Tests and evidence:'
	@echo '  make unit-test           host unit tests (cmocka)'
	@echo '  make system-test         QEMU system tests (pytest)'
	@echo '  make fuzz-quick          a few seconds of each fuzz target and its regression inputs (part of make test)'
	@echo '  make fuzz                10^6 executions of each fuzz target, corpus merged into tests/fuzz/corpus/'
	@echo '  make bench               benchmarks, native vs Bulkhead: $$(O)/bench/bench.md (not part of make test)'
	@echo '  make cert                certification evidence and gates: $$(O)/cert/index.md'
	@echo '  make cert-quick          the quick gates over the last test results (part of make test)'
	@echo '  make mutation            the full mutation campaign, resumable (MUTATION_TIME_BOX=s): tools/cert/mutation-campaign.md'
	@echo '  make cert-fingerprints   record new requirement statements and revisions (docs/requirements/README.md)'
	@echo '  make system-test-cov     system tests on coverage builds (CONFIG_COVERAGE)'
	@echo '  make compile-commands    $$(O)/compile_commands.json of the configured build'
	@echo '  make deps                install the Debian packages the build and tests need'
	@echo '  make fresh-check         run make run and make test in a new minimal Debian 12 root (root only)'
	@echo
	@echo 'Housekeeping:'
	@echo '  make clean               remove $$(O) except the newlib build'
	@echo '  make distclean           remove $$(O) entirely'
	@echo
	@echo 'Defconfigs:'
	@for f in configs/*_defconfig; do echo "  $$(basename $$f)"; done

# `make deps` installs what is missing (through sudo for a user other than
# root, saying so); the other goals only check, and install only as root.
deps:
	$(Q)scripts/setup-host.sh

deps-check:
	$(Q)scripts/setup-host.sh --check

# The two quick-start commands check the machine first, then build in a sub-make
# so that the generated makefiles are read only once the tools exist.
run: deps-check
	$(Q)$(MAKE) -f $(srctree)/Makefile O=$(O) qemu

# The same system booted as a board boots: U-Boot loads the FIT from a disk.
run-uboot: deps-check
	$(Q)$(MAKE) -f $(srctree)/Makefile O=$(O) qemu-uboot

# The test tiers, then the quick certification gates over their results
# (traceability, MISRA and static analysis, stack bound, complexity).
test: deps-check
	$(Q)rm -rf $(O)/results
	$(Q)$(MAKE) -f $(srctree)/Makefile O=$(O) unit-test
	$(Q)$(MAKE) -f $(srctree)/Makefile O=$(O) fuzz-quick
	$(Q)$(MAKE) -f $(srctree)/Makefile O=$(O) system-test
	$(Q)$(MAKE) -f $(srctree)/Makefile O=$(O) cert-test
	$(Q)$(MAKE) -f $(srctree)/Makefile O=$(O) cert-quick

# The README's two commands on a minimal Debian 12 made with mmdebstrap
# (scripts/fresh-check.sh): what a new user's machine has, not this one's.
fresh-check:
	$(Q)$(srctree)/scripts/fresh-check.sh

system-test: host-tools newlib
	$(Q)cd $(srctree) && BULKHEAD_BUILD=$(O) $(PYTHON) -m pytest -q -p no:cacheprovider \
		--junitxml=$(O)/results/system.xml tests/system

host-tools: $(BHCC) $(TRACEPOINTS_SO) $(TRACEPOINTS_CHECK)

clean:
	$(Q)if [ -d $(O) ]; then find $(O) -mindepth 1 -maxdepth 1 ! -name newlib -exec rm -rf {} +; fi

distclean:
	$(Q)rm -rf $(O)
