# SPDX-License-Identifier: MIT
# The service partition's disk server (partitions/service/disk_serve.c) on the
# host against hostile virtqueues, once with gcov and once with ASan/UBSan
# (the client's window allocated at its exact size).
UNIT_TESTS += disk_serve disk_serve_san
UT_disk_serve_SRCS := tests/unit/test_disk_serve.c partitions/service/disk_serve.c partitions/runtime/virtio.c
UT_disk_serve_CFLAGS := -Ipartitions/service -Ipartitions/runtime/include
UT_disk_serve_san_SRCS := $(UT_disk_serve_SRCS)
UT_disk_serve_san_CFLAGS := $(UT_disk_serve_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all
UT_disk_serve_san_LIBS := -fsanitize=address,undefined
UT_disk_serve_san_NO_COVERAGE := 1
