# SPDX-License-Identifier: MIT
# The Linux guest of configs/qemu-aarch64-virt-linux.dts (docs/linux.md).
# LINUX_IMAGE and LINUX_INITRD name a user's arm64 Image and initramfs; without
# them, Debian 12's cloud kernel and busybox are fetched into build/linux and
# the test initramfs is built there.
#
# The one place of the initramfs workaround: until bhcc's `initrd` property,
# both are glued into build/linux/guest.bin (scripts/linux/glue.py), the path
# the description's `image` names.

LINUX_DIR := $(srctree)/build/linux
LINUX_GUEST := $(abspath $(LINUX_DIR)/guest.bin)

$(LINUX_DIR)/Image $(LINUX_DIR)/busybox:
	@echo "  FETCH   Debian arm64 cloud kernel and busybox-static"
	$(Q)$(srctree)/scripts/linux/fetch.sh $(LINUX_DIR)

$(LINUX_DIR)/initramfs.cpio.gz: $(LINUX_DIR)/busybox $(srctree)/scripts/linux/mkinitramfs.py
	@echo "  CPIO    $@"
	$(Q)$(PYTHON) $(srctree)/scripts/linux/mkinitramfs.py $< $@

LINUX_IMAGE ?= $(LINUX_DIR)/Image
LINUX_INITRD ?= $(LINUX_DIR)/initramfs.cpio.gz

# Rebuilt when the user names other files.
$(LINUX_DIR)/guest.inputs: FORCE
	$(Q)mkdir -p $(LINUX_DIR)
	$(Q)echo '$(LINUX_IMAGE) $(LINUX_INITRD)' | cmp -s - $@ || echo '$(LINUX_IMAGE) $(LINUX_INITRD)' > $@

$(LINUX_GUEST): $(LINUX_IMAGE) $(LINUX_INITRD) $(LINUX_DIR)/guest.inputs $(srctree)/scripts/linux/glue.py
	@echo "  GLUE    $@"
	$(Q)$(PYTHON) $(srctree)/scripts/linux/glue.py $(LINUX_IMAGE) $(LINUX_INITRD) $@

# Only a system whose partition names this image waits for it.
ifneq ($(filter $(LINUX_GUEST),$(foreach p,$(BH_PARTITIONS),$(BH_PART_$(p)_IMAGE))),)
$(GEN)/config.c: $(LINUX_GUEST)
endif

.PHONY: linux-guest
linux-guest: $(LINUX_GUEST)
