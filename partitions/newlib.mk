# newlib for the partitions, built once from Debian's newlib-source (no binary
# package exists for AArch64 bare metal). Shared by every configuration in $(O).

NEWLIB_DIR ?= $(O)/newlib
NEWLIB_SYSROOT := $(NEWLIB_DIR)/install/aarch64-none-elf
NEWLIB_LIBC := $(NEWLIB_SYSROOT)/lib/libc.a

.PHONY: newlib
newlib: $(NEWLIB_LIBC)

$(NEWLIB_LIBC): scripts/build-newlib.sh
	@echo "  NEWLIB  $(NEWLIB_DIR) (about a minute, once)"
	$(Q)scripts/build-newlib.sh $(NEWLIB_DIR)
