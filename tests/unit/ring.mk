# SPDX-License-Identifier: MIT
# The partition runtime's message ring, on the host: once with gcov, once with
# ASan/UBSan (the shared region is a heap block of its exact size, so any
# access outside it is reported).
UNIT_TESTS += ring ring_san
UT_ring_SRCS := tests/unit/test_ring.c partitions/runtime/ring.c
UT_ring_CFLAGS := -Ipartitions/runtime/include -pthread
UT_ring_LIBS := -pthread
UT_ring_san_SRCS := $(UT_ring_SRCS)
UT_ring_san_CFLAGS := $(UT_ring_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all
UT_ring_san_LIBS := $(UT_ring_LIBS) -fsanitize=address,undefined
UT_ring_san_NO_COVERAGE := 1
