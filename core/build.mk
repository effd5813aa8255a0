# SPDX-License-Identifier: MIT
# core/: the architecture-neutral hypervisor. coverage.c is test instrumentation:
# only coverage builds (CONFIG_COVERAGE) link it.
HYP_SRCS += $(filter-out $(if $(filter y,$(CONFIG_COVERAGE)),,core/coverage.c),$(wildcard core/*.c))
# The log channel's ring is the partition runtime's, not a copy (core/log_ring.c).
HYP_SRCS += partitions/runtime/ring.c
