# SPDX-License-Identifier: MIT
# The partition runtime's arm64 part: start-up, vectors, the stage-1 map, the
# GIC and timer drivers, SMCCC calls and the services built on PSCI, and how
# to compile and link for arm64.
GUEST_CROSS_COMPILE ?= aarch64-linux-gnu-
GUEST_ARCH_CFLAGS := -march=armv8-a -mno-outline-atomics -mstrict-align
GUEST_ARCH_ASFLAGS := -march=armv8-a
