# SPDX-License-Identifier: MIT
# core/: the architecture-neutral hypervisor. coverage.c is test instrumentation:
# only coverage builds (CONFIG_COVERAGE) link it.
# fault_inject.c is test instrumentation too: only CONFIG_FAULT_INJECTION builds link it.
HYP_SRCS += $(filter-out $(if $(filter y,$(CONFIG_COVERAGE)),,core/coverage.c) \
	$(if $(filter y,$(CONFIG_FAULT_INJECTION)),,core/fault_inject.c),$(wildcard core/*.c))
# The log channel's ring is the partition runtime's, not a copy (core/log_ring.c);
# the emulated disk's pages are typed as the runtime types them (core/vdisk.c).
HYP_SRCS += partitions/runtime/ring.c partitions/runtime/virtio.c

# The names core/fault_inject.c knows (point_names); any other fails the build here.
FAULT_INJECT_BOOT_POINTS := "" "s2-table-alloc" "el2-sync" "guest-serror" "lr-corrupt" "stuck-core" "gic-stuck"
ifneq ($(CONFIG_FAULT_INJECT_AT_BOOT),)
ifneq ($(filter-out $(FAULT_INJECT_BOOT_POINTS),$(CONFIG_FAULT_INJECT_AT_BOOT)),)
$(error CONFIG_FAULT_INJECT_AT_BOOT=$(CONFIG_FAULT_INJECT_AT_BOOT) names no fault injection point (one of $(FAULT_INJECT_BOOT_POINTS)))
endif
endif
