# SPDX-License-Identifier: MIT
# Unit tests of bhcc, the config compiler (tools/configc). Each fixture
# tests/unit/configc/<name>.dts goes through cpp and dtc exactly as the build
# does with a system description; the test program finds the blobs under
# $BULKHEAD_BUILD/unit/configc-fixtures/ ($(O)/unit/configc is the program).

# These tests are of the ARM64 back end (tools/configc/arm64), whatever the
# build's architecture: an x86 build (make ARCH=x86_64 unit-test) compiled
# them against the x86 back end's headers and failed. Its variables are
# read from its backend.mk, then the configured back end's again, as
# configc_x86.mk does for the x86 back end's tests.
include tools/configc/arm64/backend.mk
UT_ARM64_BACK_SRCS := $(BHCC_BACK_SRCS)
UT_ARM64_BACK_INCLUDES := $(BHCC_BACK_INCLUDES)
UT_ARM64_BACK_HEADERS := $(BHCC_BACK_HEADERS)
include tools/configc/$(BHCC_ARCH)/backend.mk

UNIT_TESTS += configc
UT_configc_SRCS := tests/unit/test_configc.c tests/unit/bhcc_fixture.c $(BHCC_FRONT_SRCS) $(UT_ARM64_BACK_SRCS)
UT_configc_LIBS := $(UT_BHCC_LIBS)
UT_configc_CFLAGS := -Itools/configc $(UT_ARM64_BACK_INCLUDES)
# bhcc reads hostile input: the same tests run again under AddressSanitizer
# and UBSan, so that an out-of-bounds write fails a test instead of passing
# silently. That build has no gcov: the sanitizers' checks would count as
# never-taken branches of bhcc in the coverage figures.
UNIT_TESTS += configc_san
UT_configc_san_SRCS := $(UT_configc_SRCS)
UT_configc_san_LIBS := $(UT_configc_LIBS)
UT_configc_san_CFLAGS := $(UT_configc_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all
UT_configc_san_NO_COVERAGE := 1

# The generic rule does not know bhcc's private headers.
$(UNIT_OUT)/configc $(UNIT_OUT)/configc_san: $(BHCC_FRONT_HEADERS) $(UT_ARM64_BACK_HEADERS)

UT_CONFIGC_OUT := $(O)/unit/configc-fixtures
UT_CONFIGC_FIXTURES := $(wildcard tests/unit/configc/*.dts)
UT_configc_DEPS := $(patsubst tests/unit/configc/%.dts,$(UT_CONFIGC_OUT)/%.dtb,$(UT_CONFIGC_FIXTURES)) \
	$(UT_CONFIGC_OUT)/default.dtb

# The shipped demos description (fixture "default"): the tests check that it validates.
$(UT_CONFIGC_OUT)/default.dtb: configs/qemu-aarch64-virt-demos.dts configs/boards/qemu-aarch64-virt.dtsi
	$(Q)mkdir -p $(dir $@)
	$(Q)cpp -nostdinc -undef -x assembler-with-cpp -I configs $< -o $@.pp
	$(Q)dtc -q -I dts -O dtb -o $@ $@.pp

$(UT_CONFIGC_OUT)/%.dtb: tests/unit/configc/%.dts configs/boards/qemu-aarch64-virt.dtsi
	@echo "  DTC     $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)cpp -nostdinc -undef -x assembler-with-cpp -I configs $< -o $@.pp
	$(Q)dtc -q -I dts -O dtb -o $@ $@.pp

# Builds and runs only these tests: `make unit-configc`.
.PHONY: unit-configc
unit-configc: $(UNIT_OUT)/configc $(UT_configc_DEPS)
	$(Q)BULKHEAD_BUILD=$(O) $(UNIT_OUT)/configc
