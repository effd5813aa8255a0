# SPDX-License-Identifier: MIT
# bhcc's front end linked against a back end with nothing architectural
# (tests/unit/configc_null/), with no architecture's include folder on the
# command line: a front end that used an architecture's header or model
# field would not compile.
UNIT_TESTS += configc_front
UT_configc_front_SRCS := tests/unit/test_configc_front.c tests/unit/bhcc_fixture.c $(BHCC_FRONT_SRCS) \
	tests/unit/configc_null/backend_null.c tools/configc/plain/partition_plain.c
UT_configc_front_LIBS := $(UT_BHCC_LIBS)
UT_configc_front_CFLAGS := -Itools/configc -Itests/unit/configc_null
# Again under ASan/UBSan, without gcov (their checks would count as bhcc's
# never-taken branches), as configc_san does for the arm64 back end.
UNIT_TESTS += configc_front_san
UT_configc_front_san_SRCS := $(UT_configc_front_SRCS)
UT_configc_front_san_LIBS := $(UT_BHCC_LIBS)
UT_configc_front_san_CFLAGS := $(UT_configc_front_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all
UT_configc_front_san_NO_COVERAGE := 1

$(UNIT_OUT)/configc_front $(UNIT_OUT)/configc_front_san: $(BHCC_FRONT_HEADERS) $(wildcard tests/unit/configc_null/*.h)

UT_CONFIGC_NULL_OUT := $(O)/unit/configc-null-fixtures
UT_configc_front_DEPS := $(patsubst tests/unit/configc_null/%.dts,$(UT_CONFIGC_NULL_OUT)/%.dtb,\
	$(wildcard tests/unit/configc_null/*.dts))
UT_configc_front_san_DEPS := $(UT_configc_front_DEPS)

$(UT_CONFIGC_NULL_OUT)/%.dtb: tests/unit/configc_null/%.dts $(wildcard tests/unit/configc_null/*.dts)
	@echo "  DTC     $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)dtc -q -I dts -O dtb -i tests/unit/configc_null -o $@ $<
