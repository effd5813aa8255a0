# SPDX-License-Identifier: MIT
# Unit tests of bhcc's x86 back end (tools/configc/x86) with the one front
# end: tests/unit/test_configc_x86.c on the fixtures
# tests/unit/configc_x86/<name>.dts (each a change to the x86 default
# system, configs/qemu-x86_64.dts, or that system itself as "default"),
# compiled by cpp and dtc as the build does into
# $BULKHEAD_BUILD/unit/configc-x86-fixtures/. The back end's variables are
# read from its backend.mk, then the configured back end's are read again.
include tools/configc/x86/backend.mk
UT_X86_BACK_SRCS := $(BHCC_BACK_SRCS)
UT_X86_BACK_INCLUDES := $(BHCC_BACK_INCLUDES)
UT_X86_BACK_HEADERS := $(BHCC_BACK_HEADERS)
include tools/configc/$(BHCC_ARCH)/backend.mk

UNIT_TESTS += configc_x86
UT_configc_x86_SRCS := tests/unit/test_configc_x86.c tests/unit/bhcc_fixture.c $(BHCC_FRONT_SRCS) $(UT_X86_BACK_SRCS)
UT_configc_x86_LIBS := $(UT_BHCC_LIBS)
UT_configc_x86_CFLAGS := -Itools/configc $(UT_X86_BACK_INCLUDES)
$(UNIT_OUT)/configc_x86: $(BHCC_FRONT_HEADERS) $(UT_X86_BACK_HEADERS)

UT_CONFIGC_X86_OUT := $(O)/unit/configc-x86-fixtures
UT_configc_x86_DEPS := $(patsubst tests/unit/configc_x86/%.dts,$(UT_CONFIGC_X86_OUT)/%.dtb,\
	$(wildcard tests/unit/configc_x86/*.dts)) $(UT_CONFIGC_X86_OUT)/default.dtb

$(UT_CONFIGC_X86_OUT)/default.dtb: configs/qemu-x86_64.dts configs/boards/qemu-x86_64.dtsi
	$(Q)mkdir -p $(dir $@)
	$(Q)cpp -nostdinc -undef -x assembler-with-cpp -I configs $< -o $@.pp
	$(Q)dtc -q -I dts -O dtb -o $@ $@.pp

$(UT_CONFIGC_X86_OUT)/%.dtb: tests/unit/configc_x86/%.dts configs/qemu-x86_64.dts configs/qemu-x86_64-service.dts configs/qemu-x86_64-linux.dts configs/boards/qemu-x86_64.dtsi $(wildcard tests/unit/configc_x86/*.dts)
	@echo "  DTC     $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)cpp -nostdinc -undef -x assembler-with-cpp -I configs $< -o $@.pp
	$(Q)dtc -q -I dts -O dtb -o $@ $@.pp
