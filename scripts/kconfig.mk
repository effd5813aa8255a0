# SPDX-License-Identifier: MIT
# Kconfig through Debian's python3-kconfiglib. $(O)/.config is the configuration;
# $(O)/include/generated/autoconf.h is what C code sees.

KCONFIG_RUN := cd $(srctree) && $(PYTHON) -m
AUTOCONF_H := $(O)/include/generated/autoconf.h

.PHONY: menuconfig olddefconfig savedefconfig

%_defconfig:
	$(Q)mkdir -p $(O)
	$(Q)test -f configs/$@ || { echo "configs/$@: no such defconfig (make help lists them)" >&2; exit 1; }
	$(Q)$(KCONFIG_RUN) defconfig --kconfig Kconfig configs/$@ >/dev/null
	@echo "  CONFIG  $(O)/.config from configs/$@"

# A build with no configuration starts from the default target's defconfig.
$(O)/.config:
	$(Q)$(MAKE) -f $(srctree)/Makefile O=$(O) $(DEFCONFIG)

menuconfig: | $(O)/.config
	$(Q)$(KCONFIG_RUN) menuconfig Kconfig

olddefconfig: | $(O)/.config
	$(Q)$(KCONFIG_RUN) olddefconfig Kconfig

savedefconfig: | $(O)/.config
	$(Q)$(KCONFIG_RUN) savedefconfig --kconfig Kconfig --out $(O)/defconfig
	@echo "  SAVE    $(O)/defconfig"

$(AUTOCONF_H): $(O)/.config Kconfig
	$(Q)mkdir -p $(dir $@)
	$(Q)$(KCONFIG_RUN) olddefconfig Kconfig >/dev/null
	$(Q)$(KCONFIG_RUN) genconfig --header-path $@ Kconfig
