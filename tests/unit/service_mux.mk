# SPDX-License-Identifier: MIT
# The service partition's multiplexer (partitions/service/: output, sources,
# input, prompt) on the host, over the partition runtime's ring, once with
# gcov and once with ASan/UBSan. The hypervisor calls of the prompt are the
# test's own (svc_hv_status, svc_hv_control).
UNIT_TESTS += service_mux service_mux_san
UT_service_mux_SRCS := tests/unit/test_service_mux.c partitions/service/output.c partitions/service/sources.c \
	partitions/service/input.c partitions/service/prompt.c partitions/runtime/ring.c
UT_service_mux_CFLAGS := -Ipartitions/runtime/include -Ipartitions/service
UT_service_mux_san_SRCS := $(UT_service_mux_SRCS)
UT_service_mux_san_CFLAGS := $(UT_service_mux_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all
UT_service_mux_san_LIBS := -fsanitize=address,undefined
UT_service_mux_san_NO_COVERAGE := 1
