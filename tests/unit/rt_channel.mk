# SPDX-License-Identifier: MIT
# The partition runtime's channels (discovery in the device tree, layout,
# wake-ups) and its device-tree node walk, on the host: once with gcov, once
# with ASan/UBSan (the device tree and the channel memory are heap blocks of
# their exact size).
UNIT_TESTS += rt_channel rt_channel_san
UT_rt_channel_SRCS := tests/unit/test_rt_channel.c partitions/runtime/channel.c partitions/runtime/fdt.c \
	partitions/runtime/ring.c partitions/runtime/shared.c
UT_rt_channel_CFLAGS := -Ipartitions/runtime/include -Ipartitions/runtime/arm64/include
UT_rt_channel_LIBS := -lfdt
UT_rt_channel_san_SRCS := $(UT_rt_channel_SRCS)
UT_rt_channel_san_CFLAGS := $(UT_rt_channel_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all
UT_rt_channel_san_LIBS := $(UT_rt_channel_LIBS) -fsanitize=address,undefined
UT_rt_channel_san_NO_COVERAGE := 1
