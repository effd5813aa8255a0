# SPDX-License-Identifier: MIT
# newlib for the partitions, built once from Debian's newlib-source (no binary
# package exists for AArch64 bare metal). Shared by every configuration in $(O);
# `make NEWLIB_DIR=dir` keeps it elsewhere, for every target (it is exported:
# the system tests, the benchmarks and the evidence builds use the same one).
#
# It is rebuilt only when the recipe's content changed: the build leaves the
# SHA-256 of scripts/build-newlib.sh in $(NEWLIB_STAMP), and make compares it
# with the script's (a file's date says nothing in a fresh clone).

#
# The architecture is the configuration's (CONFIG_ARCH, read here because
# this file comes before system.mk); x86 has its own recipe and folder,
# `make NEWLIB_X86_DIR=dir` (exported too), so that one NEWLIB_DIR keeps
# serving the AArch64 builds.

NEWLIB_DIR ?= $(O)/newlib
override NEWLIB_DIR := $(abspath $(NEWLIB_DIR))
export NEWLIB_DIR
NEWLIB_X86_DIR ?= $(O)/newlib-x86_64
override NEWLIB_X86_DIR := $(abspath $(NEWLIB_X86_DIR))
export NEWLIB_X86_DIR
NEWLIB_ARCH ?= $(or $(shell sed -n 's/^CONFIG_ARCH="\(.*\)"$$/\1/p' $(KCONFIG_CONFIG) 2>/dev/null),arm64)
ifeq ($(NEWLIB_ARCH),x86)
NEWLIB_BUILD_DIR := $(NEWLIB_X86_DIR)
NEWLIB_SYSROOT := $(NEWLIB_X86_DIR)/install/x86_64-elf
NEWLIB_RECIPE := scripts/build-newlib-x86_64.sh
else
NEWLIB_BUILD_DIR := $(NEWLIB_DIR)
NEWLIB_SYSROOT := $(NEWLIB_DIR)/install/aarch64-none-elf
NEWLIB_RECIPE := scripts/build-newlib.sh
endif
NEWLIB_LIBC := $(NEWLIB_SYSROOT)/lib/libc.a
NEWLIB_STAMP := $(NEWLIB_BUILD_DIR)/install/recipe.sha256
NEWLIB_HASH := $(firstword $(shell sha256sum $(srctree)/$(NEWLIB_RECIPE)))
NEWLIB_CURRENT := $(and $(wildcard $(NEWLIB_LIBC)),$(filter $(NEWLIB_HASH),$(shell cat $(NEWLIB_STAMP) 2>/dev/null)))

.PHONY: newlib newlib-rebuild
newlib: $(NEWLIB_LIBC)
newlib-rebuild: ;

$(NEWLIB_LIBC): $(if $(NEWLIB_CURRENT),,newlib-rebuild)
	@echo "  NEWLIB  $(NEWLIB_BUILD_DIR) (about a minute, once)"
	$(Q)rm -f $(NEWLIB_STAMP)
	$(Q)$(srctree)/$(NEWLIB_RECIPE) $(NEWLIB_BUILD_DIR)
	$(Q)echo $(NEWLIB_HASH) > $(NEWLIB_STAMP)
