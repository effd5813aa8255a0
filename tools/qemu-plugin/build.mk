# SPDX-License-Identifier: MIT
# The QEMU TCG plugin that counts instructions for measurements and tests.
TRACEPOINTS_SO := $(O)/host/tracepoints.so

$(TRACEPOINTS_SO): tools/qemu-plugin/tracepoints.c tools/qemu-plugin/qemu_plugin_api.h
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -O2 -shared -fPIC $< -o $@

# The bare-metal program of the plugin's exactness check (tests/system/test_plugin_exact.py),
# linked where QEMU's -kernel loads an ELF without moving the device tree.
CROSS_COMPILE ?= aarch64-linux-gnu-
TRACEPOINTS_CHECK := $(O)/tools/exactness.elf

$(TRACEPOINTS_CHECK): tools/qemu-plugin/exactness.S tools/qemu-plugin/build.mk
	@echo "  AS      $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CROSS_COMPILE)gcc -march=armv8-a -nostdlib -static -no-pie -Wl,-Ttext=0x40200000 \
		-Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments $< -o $@
