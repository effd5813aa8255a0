# SPDX-License-Identifier: MIT
# Fuzz targets (libFuzzer, with AddressSanitizer and UBSan, clang from Debian):
# bhcc on any device tree blob with an isolation oracle, and the hypervisor's
# decoders of guest input on the host. tests/fuzz/README.md says what each
# target feeds where.
#
#   make fuzz-build   build every target into $(O)/fuzz/
#   make fuzz-quick   a few seconds of each over its corpus and regression
#                     inputs (tests/fuzz/test_fuzz.py); part of `make test`
#   make fuzz         FUZZ_RUNS (10^6) executions of each, new inputs merged
#                     (minimised, -merge=1) into tests/fuzz/corpus/<target>/

FUZZ_CC ?= clang
FUZZ_OUT := $(O)/fuzz
FUZZ_RUNS ?= 1000000
FUZZ_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -DBH_NUM_CORES=4 -DBH_NUM_PARTITIONS=4 -DBH_NUM_CHANNELS=8 -g -O1 -Wall -Wextra -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Iinclude -Icore/include -Ipartitions/runtime/include -Itools/configc -Itests/fuzz
FUZZ_TARGETS :=

# bhcc, pass 1 on every input, pass 2 and the isolation oracle on what it accepts.
FUZZ_TARGETS += bhcc
FZ_bhcc_SRCS := tests/fuzz/fuzz_bhcc.c tests/fuzz/bhcc_oracle.c $(BHCC_LIB_SRCS)
FZ_bhcc_LIBS := -lfdt
FZ_bhcc_CFLAGS := $(BHCC_BACK_INCLUDES)
FZ_bhcc_DEPS := $(BHCC_HEADERS)

# The trapped-access decoders and the virtual GIC (GICv3) on the fake architecture.
FUZZ_TARGETS += arm64_traps
FZ_arm64_traps_SRCS := tests/fuzz/fuzz_arm64_traps.c tests/fuzz/traps_system.c tests/fuzz/fake_gic.c \
	arch/arm64/mmio.c arch/arm64/sysreg_trap.c arch/arm64/vgic.c arch/arm64/vgic_lr.c arch/arm64/vgic_sgi.c \
	arch/arm64/vgic_dist.c arch/arm64/vgic_local.c arch/arm64/vgic_v3.c arch/arm64/vgic_spi.c \
	$(CORE_HOST_SRCS) tests/unit/fake_arch.c
# ARM64's arch_types.h and cfg_arch.h (not the fake architecture's): these objects are ARM64's.
FZ_arm64_traps_CFLAGS := -Ipartitions/runtime/include -Iarch/arm64/include -DBH_GIC_VERSION=3 -include tests/fuzz/host_sysreg.h -Itests/unit/include -Itests/unit

# Hypercall arguments (core/hypercall.c) on the fake architecture and system of tests/unit.
FUZZ_TARGETS += hypercall
FZ_hypercall_SRCS := tests/fuzz/fuzz_hypercall.c $(CORE_HOST_SRCS) core/hypercall.c \
	tests/unit/fake_arch.c tests/unit/fake_arch_objects.c tests/unit/fake_system.c
FZ_hypercall_CFLAGS := -Ipartitions/runtime/include -Itests/unit/include -Itests/unit -Itests/unit/fake_arch

FUZZ_BINS := $(addprefix $(FUZZ_OUT)/,$(FUZZ_TARGETS))

define fuzz_rules
$(FUZZ_OUT)/$(1): $$(FZ_$(1)_SRCS) $$(FZ_$(1)_DEPS) $$(wildcard tests/fuzz/*.h tests/unit/*.h tests/unit/fake_arch/*.h \
		core/include/*.h include/bulkhead/*.h arch/arm64/include/*.h) tests/fuzz/build.mk
	@echo "  FUZZCC  $$@"
	$(Q)mkdir -p $(FUZZ_OUT)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $$(FZ_$(1)_CFLAGS) $$(FZ_$(1)_SRCS) -o $$@ $$(FZ_$(1)_LIBS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rules,$(t))))

.PHONY: fuzz fuzz-build fuzz-quick
fuzz-build: $(FUZZ_BINS)

fuzz-quick: fuzz-build
	$(Q)mkdir -p $(O)/results
	$(Q)cd $(srctree) && BULKHEAD_BUILD=$(O) $(PYTHON) -m pytest -q -p no:cacheprovider \
		--junitxml=$(O)/results/fuzz.xml tests/fuzz

fuzz: fuzz-build
	$(Q)cd $(srctree) && $(PYTHON) tests/fuzz/fuzz.py --build $(O) --runs $(FUZZ_RUNS) $(FUZZ_TARGETS)
