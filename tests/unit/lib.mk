# SPDX-License-Identifier: MIT
# The hypervisor's memory and string routines (core/lib.c), renamed so that they
# stand beside the host's C library instead of replacing it; -fno-builtin keeps
# GCC from answering the calls itself.
UNIT_TESTS += lib
UT_lib_SRCS := tests/unit/test_lib.c core/lib.c
UT_lib_CFLAGS := -fno-builtin -fno-tree-loop-distribute-patterns -Dmemcpy=bh_memcpy -Dmemset=bh_memset \
	-Dmemcmp=bh_memcmp -Dstrlen=bh_strlen
