# SPDX-License-Identifier: MIT
# Host unit tests of core/ on the fake architecture (tests/unit/fake_arch.c).
CORE_UT_SRCS := $(CORE_HOST_SRCS) core/hypercall.c tests/unit/fake_arch.c tests/unit/fake_arch_objects.c \
	tests/unit/fake_system.c

# core/ sees the fake architecture's headers: its part of the configuration (cfg_arch.h) and of
# core's objects (arch_types.h), as it would see arch/<arch>/include/.
CORE_UT_CFLAGS := -Itests/unit/fake_arch -Ipartitions/runtime/include

UNIT_TESTS += partition hypercall hypercall_noconsole console fmt incident emul virq hypercall_testbuild channel log_ring
UT_partition_CFLAGS := $(CORE_UT_CFLAGS)
UT_hypercall_CFLAGS := $(CORE_UT_CFLAGS)
# CONFIG_COVERAGE: the coverage dump's hold of the console (core/console.c) is tested too.
UT_console_CFLAGS := $(CORE_UT_CFLAGS) -DCONFIG_COVERAGE=1
UT_fmt_CFLAGS := $(CORE_UT_CFLAGS)
UT_incident_CFLAGS := $(CORE_UT_CFLAGS)
UT_emul_CFLAGS := $(CORE_UT_CFLAGS)
UT_virq_CFLAGS := $(CORE_UT_CFLAGS)
UT_partition_SRCS := tests/unit/test_partition.c $(CORE_UT_SRCS)
UT_hypercall_SRCS := tests/unit/test_hypercall.c $(CORE_UT_SRCS)
UT_incident_SRCS := tests/unit/test_incident.c $(CORE_UT_SRCS)
# Once more with ASan/UBSan: a counter read one past its partition's table (an unknown kind)
# is only seen by the sanitizer's bounds check.
UNIT_TESTS += incident_san
UT_incident_san_SRCS := $(UT_incident_SRCS)
UT_incident_san_CFLAGS := $(UT_incident_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all
UT_incident_san_LIBS := -fsanitize=address,undefined
UT_incident_san_NO_COVERAGE := 1
UT_hypercall_noconsole_SRCS := tests/unit/test_hypercall_noconsole.c $(CORE_UT_SRCS)
UT_hypercall_noconsole_CFLAGS := $(CORE_UT_CFLAGS) -DBH_TEST_NO_DEBUG_CONSOLE
UT_hypercall_testbuild_SRCS := tests/unit/test_hypercall_testbuild.c $(CORE_UT_SRCS)
UT_hypercall_testbuild_CFLAGS := $(CORE_UT_CFLAGS) -DBH_TEST_TEST_HYPERCALLS
UT_console_SRCS := tests/unit/test_console.c $(CORE_UT_SRCS)
UT_fmt_SRCS := tests/unit/test_fmt.c core/fmt.c
UT_emul_SRCS := tests/unit/test_emul.c $(CORE_UT_SRCS)
UT_virq_SRCS := tests/unit/test_virq.c $(CORE_UT_SRCS)
UT_channel_CFLAGS := $(CORE_UT_CFLAGS)
UT_channel_SRCS := tests/unit/test_channel.c $(CORE_UT_SRCS)
# The same system without any channel.
UNIT_TESTS += channel_none
UT_channel_none_CFLAGS := $(CORE_UT_CFLAGS) -DFAKE_NO_CHANNELS
UT_channel_none_SRCS := tests/unit/test_channel_none.c $(CORE_UT_SRCS)
# An emulated PL011 and the service partition at its channel's other end: a system of its own
# (tests/unit/fake_pair.c, shared with the 16550's and the disk's tests).
UNIT_TESTS += vuart_pl011
UT_vuart_pl011_SRCS := tests/unit/test_vuart_pl011.c tests/unit/fake_pair.c $(filter-out tests/unit/fake_system.c,$(CORE_UT_SRCS))
UT_vuart_pl011_CFLAGS := $(CORE_UT_CFLAGS)
UNIT_TESTS += vuart_16550
UT_vuart_16550_SRCS := tests/unit/test_vuart_16550.c tests/unit/fake_pair.c $(filter-out tests/unit/fake_system.c,$(CORE_UT_SRCS))
UT_vuart_16550_CFLAGS := $(CORE_UT_CFLAGS)

# The service partition's calls (core/service.c): the fake system with beta as the service partition.
UNIT_TESTS += service
UT_service_SRCS := tests/unit/test_service.c $(CORE_UT_SRCS)
UT_service_CFLAGS := $(CORE_UT_CFLAGS) -DFAKE_SERVICE_PARTITION
# Beta as the service partition, with the hypervisor's log channel.
UT_log_ring_SRCS := tests/unit/test_log_ring.c $(CORE_UT_SRCS)
UT_log_ring_CFLAGS := $(CORE_UT_CFLAGS) -DFAKE_SERVICE_PARTITION
# The same system whose log channel number is one past its channel table (where a valid-looking
# log channel lies): nothing may take it.
UNIT_TESTS += log_channel_past
UT_log_channel_past_SRCS := tests/unit/test_log_channel_past.c $(CORE_UT_SRCS)
UT_log_channel_past_CFLAGS := $(CORE_UT_CFLAGS) -DFAKE_SERVICE_PARTITION -DFAKE_LOG_CHANNEL_PAST_TABLE

# Per-boot seeds in a partition's device tree (core/seed.c), on a hand-made tree.
UNIT_TESTS += seed
UT_seed_SRCS := tests/unit/test_seed.c $(CORE_UT_SRCS)
UT_seed_CFLAGS := $(CORE_UT_CFLAGS)

# The counter's rate in a partition's boot information (core/counter_rate.c).
UNIT_TESTS += counter_rate
UT_counter_rate_SRCS := tests/unit/test_counter_rate.c $(CORE_UT_SRCS)
UT_counter_rate_CFLAGS := $(CORE_UT_CFLAGS)

# The emulated disk and the service partition at its channel's other end: a system of its own.
UNIT_TESTS += vdisk
UT_vdisk_SRCS := tests/unit/test_vdisk.c tests/unit/fake_pair.c $(filter-out tests/unit/fake_system.c,$(CORE_UT_SRCS))
UT_vdisk_CFLAGS := $(CORE_UT_CFLAGS)
