# SPDX-License-Identifier: MIT
# The Linux guest of configs/qemu-aarch64-virt-linux.dts (docs/linux.md).
# LINUX_IMAGE and LINUX_INITRD name a user's arm64 Image and initramfs; without
# them, Debian 12's cloud kernel and busybox are fetched into build/linux and
# the test initramfs is built there.
#
# The description names build/linux/guest.Image and guest.initrd: copies of
# LINUX_IMAGE and LINUX_INITRD, so that the user's files need no edit of it.

LINUX_DIR := $(srctree)/build/linux
LINUX_GUEST := $(abspath $(LINUX_DIR)/guest.Image) $(abspath $(LINUX_DIR)/guest.initrd)

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

$(LINUX_DIR)/guest.Image: $(LINUX_IMAGE) $(LINUX_DIR)/guest.inputs
	$(Q)cp $(LINUX_IMAGE) $@

$(LINUX_DIR)/guest.initrd: $(LINUX_INITRD) $(LINUX_DIR)/guest.inputs
	$(Q)cp $(LINUX_INITRD) $@

# Only a description that names these files waits for them; already bhcc's
# layout pass reads them (it places the kernel from its Image header).
ifneq ($(shell grep -l 'build/linux/guest\.Image' $(SYSTEM) 2>/dev/null),)
$(GEN)/system.mk $(GEN)/config.c: $(LINUX_GUEST)
endif

.PHONY: linux-guest
linux-guest: $(LINUX_GUEST)

# The shared-disk test's initramfs (docs/disk.md, tests/system/test_disk_linux.py):
# the same kernel package's virtio modules and an /init that tests /dev/vda.
$(LINUX_DIR)/initramfs-disk.cpio.gz: $(LINUX_DIR)/busybox $(srctree)/scripts/linux/mkinitramfs_disk.py \
		$(srctree)/scripts/linux/mkinitramfs.py
	@echo "  CPIO    $@"
	$(Q)$(PYTHON) $(srctree)/scripts/linux/mkinitramfs_disk.py $< "$$(ls -d $(LINUX_DIR)/root/lib/modules/* | head -n 1)" $@

ifneq ($(shell grep -l 'build/linux/initramfs-disk\.cpio\.gz' $(SYSTEM) 2>/dev/null),)
$(GEN)/system.mk $(GEN)/config.c: $(LINUX_DIR)/initramfs-disk.cpio.gz
endif

# The x86 Linux guest (configs/qemu-x86_64-linux.dts, docs/linux.md): Debian 12's
# amd64 cloud kernel, a bzImage, and the same initramfs built of amd64's busybox.
# LINUX_X86_IMAGE and LINUX_X86_INITRD name a user's own.
LINUX_X86_DIR := $(srctree)/build/linux-x86
LINUX_X86_GUEST := $(abspath $(LINUX_X86_DIR)/guest.bzImage) $(abspath $(LINUX_X86_DIR)/guest.initrd)

$(LINUX_X86_DIR)/bzImage $(LINUX_X86_DIR)/busybox:
	@echo "  FETCH   Debian amd64 cloud kernel and busybox-static"
	$(Q)$(srctree)/scripts/linux/fetch.sh $(LINUX_X86_DIR) amd64

$(LINUX_X86_DIR)/initramfs.cpio.gz: $(LINUX_X86_DIR)/busybox $(srctree)/scripts/linux/mkinitramfs.py
	@echo "  CPIO    $@"
	$(Q)$(PYTHON) $(srctree)/scripts/linux/mkinitramfs.py $< $@

LINUX_X86_IMAGE ?= $(LINUX_X86_DIR)/bzImage
LINUX_X86_INITRD ?= $(LINUX_X86_DIR)/initramfs.cpio.gz

$(LINUX_X86_DIR)/guest.inputs: FORCE
	$(Q)mkdir -p $(LINUX_X86_DIR)
	$(Q)echo '$(LINUX_X86_IMAGE) $(LINUX_X86_INITRD)' | cmp -s - $@ || echo '$(LINUX_X86_IMAGE) $(LINUX_X86_INITRD)' > $@

$(LINUX_X86_DIR)/guest.bzImage: $(LINUX_X86_IMAGE) $(LINUX_X86_DIR)/guest.inputs
	$(Q)cp $(LINUX_X86_IMAGE) $@

$(LINUX_X86_DIR)/guest.initrd: $(LINUX_X86_INITRD) $(LINUX_X86_DIR)/guest.inputs
	$(Q)cp $(LINUX_X86_INITRD) $@

# bhcc reads the bzImage's setup header in both passes (its zero page).
ifneq ($(shell grep -l 'build/linux-x86/guest\.bzImage' $(SYSTEM) 2>/dev/null),)
$(GEN)/system.mk $(GEN)/config.c: $(LINUX_X86_GUEST)
endif
