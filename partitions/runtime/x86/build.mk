# SPDX-License-Identifier: MIT
# The partition runtime's x86_64 part: start-up from the 32-bit entry state
# into long mode, VMMCALL hypercalls, the TSC, and how to compile and link
# for x86_64 (the host's gcc: freestanding, no red zone, small code model,
# everything linked below 4 GiB).
GUEST_CROSS_COMPILE ?=
GUEST_ARCH_CFLAGS := -m64 -mno-red-zone -mcmodel=small -ffreestanding
GUEST_ARCH_ASFLAGS := -m64
