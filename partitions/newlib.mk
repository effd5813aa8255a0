# SPDX-License-Identifier: MIT
# newlib for the partitions, built once from Debian's newlib-source (no binary
# package exists for AArch64 bare metal). Shared by every configuration in $(O);
# `make NEWLIB_DIR=dir` keeps it elsewhere, for every target (it is exported:
# the system tests, the benchmarks and the evidence builds use the same one).
#
# It is rebuilt only when the recipe's content changed: the build leaves the
# SHA-256 of scripts/build-newlib.sh in $(NEWLIB_STAMP), and make compares it
# with the script's (a file's date says nothing in a fresh clone).

NEWLIB_DIR ?= $(O)/newlib
override NEWLIB_DIR := $(abspath $(NEWLIB_DIR))
export NEWLIB_DIR
NEWLIB_SYSROOT := $(NEWLIB_DIR)/install/aarch64-none-elf
NEWLIB_LIBC := $(NEWLIB_SYSROOT)/lib/libc.a
NEWLIB_RECIPE := scripts/build-newlib.sh
NEWLIB_STAMP := $(NEWLIB_DIR)/install/recipe.sha256
NEWLIB_HASH := $(firstword $(shell sha256sum $(srctree)/$(NEWLIB_RECIPE)))
NEWLIB_CURRENT := $(and $(wildcard $(NEWLIB_LIBC)),$(filter $(NEWLIB_HASH),$(shell cat $(NEWLIB_STAMP) 2>/dev/null)))

.PHONY: newlib newlib-rebuild
newlib: $(NEWLIB_LIBC)
newlib-rebuild: ;

$(NEWLIB_LIBC): $(if $(NEWLIB_CURRENT),,newlib-rebuild)
	@echo "  NEWLIB  $(NEWLIB_DIR) (about a minute, once)"
	$(Q)rm -f $(NEWLIB_STAMP)
	$(Q)$(srctree)/$(NEWLIB_RECIPE) $(NEWLIB_DIR)
	$(Q)echo $(NEWLIB_HASH) > $(NEWLIB_STAMP)
