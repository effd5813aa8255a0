# The QEMU TCG plugin that counts instructions for measurements and tests.
TRACEPOINTS_SO := $(O)/host/tracepoints.so

$(TRACEPOINTS_SO): tools/qemu-plugin/tracepoints.c tools/qemu-plugin/qemu_plugin_api.h
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -O2 -shared -fPIC $< -o $@
