# SPDX-License-Identifier: MIT
# Host unit tests (cmocka). Each tests/unit/<name>.mk adds one test program:
#   UNIT_TESTS += <name>
#   UT_<name>_SRCS := tests/unit/test_<name>.c <code under test>
#   UT_<name>_LIBS := extra libraries (optional)
#   UT_<name>_DEPS := files the test needs at run time (optional)
#   UT_<name>_CFLAGS := extra compiler flags (optional)
#   UT_<name>_NO_COVERAGE := 1 leaves gcov out (a sanitizer build: the
#                            checks it inserts would count as branches)
# Each program is built with gcov instrumentation and run from the source tree.

UNIT_CC ?= gcc
UNIT_OUT := $(O)/unit
UNIT_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -DBH_NUM_CORES=4 -DBH_NUM_PARTITIONS=4 -DBH_NUM_CHANNELS=8 -Wall -Wextra -Werror -g -O0 \
	-Iinclude -Icore/include -Itests/unit/include
UNIT_TESTS :=
# core/'s run-time objects, as every host build of core (unit tests, fuzz targets) links them:
# one list, so that a new file of core/ reaches all of them. Not here: hypercall.c (the
# builds that test it add it), lib.c (the host's libc stands in), pgtable.c (its own
# tests), coverage.c and fault_inject.c (verification builds of the target only).
CORE_HOST_SRCS := core/main.c core/cpu.c core/cpu_msg.c core/virq.c core/partition.c core/emul.c \
	core/channel.c core/console.c core/fmt.c core/log.c core/log_ring.c core/health.c core/incident.c \
	core/service.c core/vuart_chan.c core/vuart_pl011.c core/vuart_16550.c core/seed.c core/counter_rate.c core/vdisk.c partitions/runtime/ring.c partitions/runtime/virtio.c
# The unit programs on the trap fuzz target's system (tests/fuzz/traps_system.h): its
# system, fake GIC and shared test helpers, the vGIC's version-independent files and core;
# each adds its test, its version's file (vgic_v2.c or vgic_v3.c) and BH_GIC_VERSION.
TRAPS_UNIT_SRCS := tests/fuzz/traps_system.c tests/fuzz/fake_gic.c tests/unit/traps_unit.c \
	arch/arm64/vgic.c arch/arm64/vgic_lr.c arch/arm64/vgic_sgi.c arch/arm64/vgic_dist.c arch/arm64/vgic_local.c \
	arch/arm64/vgic_spi.c arch/arm64/gic_lr_check.c $(CORE_HOST_SRCS) tests/unit/fake_arch.c
TRAPS_UNIT_CFLAGS := -Ipartitions/runtime/include -Iarch/arm64/include \
	-include $(srctree)/tests/fuzz/host_sysreg.h -Itests/fuzz -Itests/unit
# The unit programs of bhcc (they link tests/unit/bhcc_fixture.c): libfdt, and the fixture's
# wrap of be_guest_desc_build (each guest tree also built into every smaller buffer).
UT_BHCC_LIBS := -lfdt -Wl,--wrap=be_guest_desc_build
include $(filter-out tests/unit/build.mk,$(wildcard tests/unit/*.mk))

UNIT_BINS := $(addprefix $(UNIT_OUT)/,$(UNIT_TESTS))

define unit_test_rules
$(UNIT_OUT)/$(1): $$(UT_$(1)_SRCS) $$(wildcard tests/unit/*.h tests/unit/*/*.h tests/unit/include/*/*.h tests/fuzz/*.h core/include/*.h include/bulkhead/*.h arch/arm64/include/*.h arch/x86/include/*.h) tests/unit/build.mk
	@echo "  HOSTCC  $$@"
	$(Q)mkdir -p $(UNIT_OUT)/obj-$(1)
	$(Q)rm -f $(UNIT_OUT)/$(1)-*.gcda
	$(Q)cd $(UNIT_OUT)/obj-$(1) && $(UNIT_CC) $(UNIT_CFLAGS:-I%=-I$(srctree)/%) $$(if $$(UT_$(1)_NO_COVERAGE),,--coverage) \
		$$(patsubst -I%,-I$(srctree)/%,$$(UT_$(1)_CFLAGS)) \
		$$(addprefix $(srctree)/,$$(UT_$(1)_SRCS)) -o $$@ $$(UT_$(1)_LIBS) -lcmocka
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test_rules,$(t))))

.PHONY: unit-test unit-build
unit-build: $(UNIT_BINS) $(foreach t,$(UNIT_TESTS),$(UT_$(t)_DEPS))

# cmocka prints its own summary per program; the XML copies feed `make cert`.
# cmocka never overwrites an XML file that exists, so each program's old one
# is removed first; a program that fails in either run, or leaves no XML,
# fails the target.
unit-test: unit-build
	$(Q)mkdir -p $(O)/results
	$(Q)fail=0; for t in $(UNIT_TESTS); do \
		rm -f $(O)/results/unit-$$t.xml; \
		BULKHEAD_BUILD=$(O) $(UNIT_OUT)/$$t || fail=1; \
		BULKHEAD_BUILD=$(O) CMOCKA_MESSAGE_OUTPUT=xml CMOCKA_XML_FILE=$(O)/results/unit-$$t.xml \
			$(UNIT_OUT)/$$t >/dev/null 2>&1 || { echo "  UNIT    $$t: failed in its XML run" >&2; fail=1; }; \
		test -s $(O)/results/unit-$$t.xml || { echo "  UNIT    $$t: wrote no $(O)/results/unit-$$t.xml" >&2; fail=1; }; \
	done; exit $$fail
