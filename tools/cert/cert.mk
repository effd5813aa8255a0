# SPDX-License-Identifier: MIT
# Certification evidence (docs/safety/, tools/cert/README.md).
#
#   make cert        every tier and every gate; $(O)/cert/index.md links the parts.
#                    Exits non-zero when a gate fails.
#   make cert-quick  the quick gates over the results the last `make test` run
#                    left in $(O)/results (traceability, MISRA and static
#                    analysis, stack bound, complexity, the core/arch seam);
#                    `make test` ends with it.
#   make cert-<part> one part: cert-trace, cert-analysis, cert-analysis-x86, cert-gcs (after both),
#                    cert-stack, cert-stack-x86,
#                    cert-pathlen, cert-complexity, cert-layering, cert-coverage, then cert-index (which
#                    refuses a part older than the last cert or cert-quick start).
#   make system-test-cov   the QEMU system tests on coverage builds (CONFIG_COVERAGE).
#   make compile-commands  $(O)/compile_commands.json of the configured build.
#   make mutation    the full mutation campaign (hours); its result is kept in
#                    tools/cert/mutation-campaign.md. make cert runs a sample (cert-mutation).
#   make cert-fingerprints records the statements of new requirements and new
#                    revisions in tools/cert/requirement-fingerprints.txt.

CERT_OUT := $(O)/cert
CERT_PY := cd $(srctree) && $(PYTHON) tools/cert
# The evidence is about the images the system tests boot, built by the harness
# (tests/system/harness.py) into $(O)/systest/<name>. MISRA and static analysis
# read the default system (both interrupt controllers are in its compilation
# database); the stack bound covers one image per GIC version and interrupt
# delivery mode the tests build (stack.py --tested checks that none is missing).
CERT_SYSTEM := configs/qemu-aarch64-virt.dts
CERT_HYP := $(O)/systest/default
CERT_STACK_IMAGES := default:configs/qemu-aarch64-virt.dts default-gicv2:configs/qemu-aarch64-virt-gicv2.dts \
	direct:tests/system/configs/direct.dts
CERT_STACK_NAMES := $(foreach i,$(CERT_STACK_IMAGES),$(firstword $(subst :, ,$(i))))
# The x86-64 hypervisor, once per vendor back end (vendor:build:defconfig): the
# builds the system tests boot (tests/system/x86sys.py: SVM under QEMU;
# bochs.py: VMX under bochs), of the x86 default system. MISRA, static analysis
# and the stack bound analyse each (cert-analysis-x86, cert-stack-x86).
CERT_X86_SYSTEM := configs/qemu-x86_64.dts
CERT_X86_IMAGES := svm:x86-default:qemu-x86_64_defconfig vmx:x86-vmx:bochs-x86_64-vmx_defconfig
CERT_X86_PARTS := $(foreach i,$(CERT_X86_IMAGES),misra-x86-$(firstword $(subst :, ,$(i))) \
	static-analysis-x86-$(firstword $(subst :, ,$(i)))) stack-x86
# The service partition's program, on each architecture (arch:build:system): the partition
# `service` of the system tests' ARM64 default system and of the x86 service system
# (tests/system/test_x86_service.py); cert-stack-service bounds its stack.
CERT_SERVICE_IMAGES := arm64:default:$(CERT_SYSTEM) x86:x86-service:configs/qemu-x86_64-service.dts
CERT_X86_FINDINGS := $(foreach i,$(CERT_X86_IMAGES),$(CERT_OUT)/misra-findings-x86-$(firstword $(subst :, ,$(i))).json)
CERT_SUBMAKE := $(MAKE) -f $(srctree)/Makefile O=$(O)
CERT_UNIT_MAP = $(foreach t,$(UNIT_TESTS),$(t)=$(firstword $(UT_$(t)_SRCS)))
# The start of a run: the index refuses a part result written before it.
CERT_START = date +%s.%N | sed 's/$$/ make $(1)/' > $(CERT_OUT)/.start

.PHONY: cert-fingerprints cert-mutation mutation cert cert-quick cert-trace cert-analysis cert-gcs cert-stack cert-pathlen cert-complexity cert-layering cert-coverage cert-index \
	cert-hyp cert-images cert-test system-test-cov compile-commands cert-x86-images cert-analysis-x86 cert-stack-x86 \
	cert-stack-service

# Every step runs even when an earlier one failed, so the index shows all of
# it; the index's verdict (any part failing, missing or older than the run) is
# the exit status.
cert: deps-check
	$(Q)rm -rf $(CERT_OUT) $(O)/results && mkdir -p $(CERT_OUT) && $(call CERT_START,cert)
	-$(Q)$(CERT_SUBMAKE) unit-test > $(CERT_OUT)/unit-test.log 2>&1; tail -n 3 $(CERT_OUT)/unit-test.log
	-$(Q)$(CERT_SUBMAKE) fuzz-quick
	-$(Q)$(CERT_SUBMAKE) system-test
	-$(Q)$(CERT_SUBMAKE) cert-test
	-$(Q)$(CERT_SUBMAKE) system-test-cov
	-$(Q)$(CERT_SUBMAKE) cert-trace
	-$(Q)$(CERT_SUBMAKE) cert-analysis
	-$(Q)$(CERT_SUBMAKE) cert-analysis-x86
	-$(Q)$(CERT_SUBMAKE) cert-gcs
	-$(Q)$(CERT_SUBMAKE) cert-stack
	-$(Q)$(CERT_SUBMAKE) cert-stack-x86
	-$(Q)$(CERT_SUBMAKE) cert-stack-service
	-$(Q)$(CERT_SUBMAKE) cert-complexity
	-$(Q)$(CERT_SUBMAKE) cert-layering
	-$(Q)$(CERT_SUBMAKE) cert-coverage
	-$(Q)$(CERT_SUBMAKE) cert-pathlen
	-$(Q)$(CERT_SUBMAKE) cert-mutation
	$(Q)$(CERT_SUBMAKE) cert-index CERT_PARTS="traceability misra $(CERT_X86_PARTS) misra-gcs static-analysis stack stack-service complexity layering coverage pathlen mutation"

cert-quick:
	$(Q)mkdir -p $(CERT_OUT) && $(call CERT_START,cert-quick)
	-$(Q)$(CERT_SUBMAKE) cert-trace
	-$(Q)$(CERT_SUBMAKE) cert-analysis
	-$(Q)$(CERT_SUBMAKE) cert-analysis-x86
	-$(Q)$(CERT_SUBMAKE) cert-gcs
	-$(Q)$(CERT_SUBMAKE) cert-stack
	-$(Q)$(CERT_SUBMAKE) cert-stack-x86
	-$(Q)$(CERT_SUBMAKE) cert-stack-service
	-$(Q)$(CERT_SUBMAKE) cert-complexity
	-$(Q)$(CERT_SUBMAKE) cert-layering
	$(Q)$(CERT_SUBMAKE) cert-index CERT_PARTS="traceability misra $(CERT_X86_PARTS) misra-gcs static-analysis stack stack-service complexity layering"

# The certification suite's own tests (pytest on synthetic inputs).
cert-test:
	$(Q)mkdir -p $(O)/results
	$(Q)cd $(srctree) && BULKHEAD_BUILD=$(O) $(PYTHON) -m pytest -q -p no:cacheprovider \
		--junitxml=$(O)/results/cert.xml tests/cert

# Each part first removes what an earlier run left, so that a part that cannot
# run this time (its evidence build failed) leaves no result behind.
cert-trace:
	$(Q)rm -f $(CERT_OUT)/traceability.md $(CERT_OUT)/traceability.json $(CERT_OUT)/traceability-matrix.json
	$(Q)$(CERT_PY)/trace.py --results $(O)/results --out $(CERT_OUT) --unit-map $(CERT_UNIT_MAP)

cert-fingerprints:
	$(Q)$(CERT_PY)/trace.py --record-fingerprints

# The evidence builds: no-ops when the system tests already built them.
cert-hyp: host-tools newlib
	$(Q)$(MAKE) -f $(srctree)/Makefile O=$(CERT_HYP) SYSTEM=$(CERT_SYSTEM) NEWLIB_DIR=$(NEWLIB_DIR) \
		all compile-commands >/dev/null

cert-images: host-tools newlib
	$(Q)for image in $(CERT_STACK_IMAGES); do \
		$(MAKE) -f $(srctree)/Makefile O=$(O)/systest/$${image%%:*} SYSTEM=$${image#*:} \
			NEWLIB_DIR=$(NEWLIB_DIR) all >/dev/null || exit 1; \
	done

cert-analysis:
	$(Q)rm -f $(CERT_OUT)/misra.md $(CERT_OUT)/misra.json $(CERT_OUT)/static-analysis.md \
		$(CERT_OUT)/static-analysis.json $(CERT_OUT)/pending-arch.txt $(CERT_OUT)/misra-findings.json
	$(Q)$(CERT_SUBMAKE) cert-hyp
	$(Q)$(CERT_PY)/analysis.py --compdb $(CERT_HYP)/compile_commands.json --build $(CERT_HYP) \
		--out $(CERT_OUT)

# The x86 evidence builds (the system tests' own, so no-ops after them):
# configured from the vendor's defconfig when new, then the image and its
# compilation database.
cert-x86-images: host-tools
	$(Q)for image in $(CERT_X86_IMAGES); do \
		build=$(O)/systest/$$(echo $$image | cut -d: -f2); defconfig=$$(echo $$image | cut -d: -f3); \
		args="-f $(srctree)/Makefile O=$$build SYSTEM=$(CERT_X86_SYSTEM) NEWLIB_DIR=$(NEWLIB_DIR) NEWLIB_X86_DIR=$(NEWLIB_X86_DIR)"; \
		if [ ! -f $$build/.config ]; then $(MAKE) $$args $$defconfig >/dev/null || exit 1; fi; \
		$(MAKE) $$args all compile-commands >/dev/null || exit 1; \
	done

# MISRA and static analysis of the x86 hypervisor, one program per vendor back
# end: core/, arch/x86/ and arch/x86/<vendor>/, with the partition runtime and
# the service partition built for x86 (analysis.py --scope).
cert-analysis-x86:
	$(Q)rm -f $(foreach p,$(filter-out stack-x86,$(CERT_X86_PARTS)),$(CERT_OUT)/$(p).md $(CERT_OUT)/$(p).json) \
		$(CERT_X86_FINDINGS) $(CERT_OUT)/pending-x86-*.txt
	$(Q)$(CERT_SUBMAKE) cert-x86-images
	$(Q)status=0; for image in $(CERT_X86_IMAGES); do \
		vendor=$${image%%:*}; build=$(O)/systest/$$(echo $$image | cut -d: -f2); \
		$(CERT_PY)/analysis.py --compdb $$build/compile_commands.json --build $$build --out $(CERT_OUT) \
			--scope core arch/x86 arch/x86/$$vendor partitions/runtime partitions/runtime/x86 \
			partitions/service partitions/service/x86 --name x86-$$vendor || status=1; \
	done; exit $$status

# Worst-case stack of the x86 images (tools/cert/stack-model-x86.txt).
cert-stack-x86:
	$(Q)rm -f $(CERT_OUT)/stack-x86.md $(CERT_OUT)/stack-x86.json
	$(Q)$(CERT_SUBMAKE) cert-x86-images
	$(Q)$(CERT_PY)/stack.py --model tools/cert/stack-model-x86.txt --name x86 \
		$(foreach i,$(CERT_X86_IMAGES),--image x86-$(firstword $(subst :, ,$(i)))=$(O)/systest/$(word 2,$(subst :, ,$(i)))) \
		--out $(CERT_OUT)

# Worst-case stack of the service partition's program (tools/cert/stack-model-service.txt):
# its objects' call graphs, the C library's frames from the image. The ARM64 image is
# cert-images' default; the x86 service system is configured from the x86 defconfig when new.
cert-stack-service:
	$(Q)rm -f $(CERT_OUT)/stack-service.md $(CERT_OUT)/stack-service.json
	$(Q)$(CERT_SUBMAKE) cert-images
	$(Q)build=$(O)/systest/x86-service; args="-f $(srctree)/Makefile O=$$build SYSTEM=configs/qemu-x86_64-service.dts \
		NEWLIB_DIR=$(NEWLIB_DIR) NEWLIB_X86_DIR=$(NEWLIB_X86_DIR)"; \
		if [ ! -f $$build/.config ]; then $(MAKE) $$args qemu-x86_64_defconfig >/dev/null || exit 1; fi; \
		$(MAKE) $$args all >/dev/null
	$(Q)$(CERT_PY)/stack.py --model tools/cert/stack-model-service.txt --name service \
		$(foreach i,$(CERT_SERVICE_IMAGES),--partition $(word 1,$(subst :, ,$(i)))=$(O)/systest/$(word 2,$(subst :, ,$(i))):service) \
		--out $(CERT_OUT)

# The Guideline Compliance Summary, from the findings cert-analysis and cert-analysis-x86 wrote.
cert-gcs:
	$(Q)rm -f $(CERT_OUT)/misra-gcs.md $(CERT_OUT)/misra-gcs.json
	$(Q)$(CERT_PY)/gcs.py --findings $(CERT_OUT)/misra-findings.json $(CERT_X86_FINDINGS) --out $(CERT_OUT)

cert-stack:
	$(Q)rm -f $(CERT_OUT)/stack.md $(CERT_OUT)/stack.json
	$(Q)$(CERT_SUBMAKE) cert-images
	$(Q)$(CERT_PY)/stack.py $(foreach n,$(CERT_STACK_NAMES),--image $(n)=$(O)/systest/$(n)) \
		--tested $(O)/systest --out $(CERT_OUT)

# Worst-case EL2 path length of every entry of the stack model, from the default image's
# machine code (tools/cert/pathlen.py); checked against the committed
# docs/safety/path-lengths.md. PATHLEN_UPDATE=1 writes that table instead.
cert-pathlen:
	$(Q)rm -f $(CERT_OUT)/pathlen.md $(CERT_OUT)/pathlen.json
	$(Q)$(CERT_SUBMAKE) cert-images
	$(Q)$(CERT_PY)/pathlen.py --image default=$(O)/systest/default --out $(CERT_OUT) $(if $(PATHLEN_UPDATE),--update)

cert-complexity:
	$(Q)rm -f $(CERT_OUT)/complexity.md $(CERT_OUT)/complexity.json
	$(Q)$(CERT_PY)/complexity.py --out $(CERT_OUT)

# The call graphs of the images the stack gate bounds (both GIC drivers, both delivery modes).
cert-layering:
	$(Q)rm -f $(CERT_OUT)/layering.md $(CERT_OUT)/layering.json
	$(Q)$(CERT_SUBMAKE) cert-images
	$(Q)$(CERT_PY)/layering.py $(foreach n,$(CERT_STACK_NAMES),--objdir $(ARCH)=$(O)/systest/$(n)/obj) \
		--out $(CERT_OUT)

cert-coverage:
	$(Q)rm -rf $(CERT_OUT)/coverage.md $(CERT_OUT)/coverage.json $(CERT_OUT)/coverage
	$(Q)$(CERT_PY)/coverage.py --unit $(O)/unit --target $(O)/systest-cov \
		--results $(O)/results/system-cov.xml --out $(CERT_OUT)

# Mutation testing (tools/cert/mutate.py): a sample drawn with a fixed seed and
# the explicit mutants, on the builds and results of this run (make cert only);
# `make mutation` runs every mutant and keeps the result in the repository.
MUTATION_SAMPLE ?= 12
MUTATION_SEED ?= 15
# Seconds after which no further sampled mutant starts (empty: no limit); the
# report says how many of the sample ran.
MUTATION_TIME_BOX ?=
# Mutants run at once, each in a source tree and build folder of its own (about 1 GB each).
MUTATION_JOBS ?= 1
CERT_MUTATE = $(CERT_PY)/mutate.py --run --build $(O) --results $(O)/results --newlib $(NEWLIB_DIR) \
	--unit-map $(CERT_UNIT_MAP)

cert-mutation:
	$(Q)rm -f $(CERT_OUT)/mutation.md $(CERT_OUT)/mutation.json $(CERT_OUT)/mutation-results.json
	$(Q)$(CERT_MUTATE) --sample $(MUTATION_SAMPLE) --seed $(MUTATION_SEED) --jobs $(MUTATION_JOBS) --out $(CERT_OUT) \
		$(if $(MUTATION_TIME_BOX),--time-box $(MUTATION_TIME_BOX))

# The full campaign (hours), resumable (REQ-CRT-028~2): the tests first, so that every mutant has
# green tests and base builds to start from, then every mutant without a current result in
# tools/cert/mutation-campaign.json; MUTATION_TIME_BOX=<s> ends it early (`make mutation`
# again continues it), MUTATION_REUSE=1 reuses this build folder's test results and builds.
# tools/cert/mutation-campaign.md is its kept report.
mutation: deps
ifneq ($(MUTATION_REUSE),1)
	$(Q)rm -rf $(O)/results
	-$(Q)$(CERT_SUBMAKE) unit-test >/dev/null
	-$(Q)$(CERT_SUBMAKE) system-test
endif
	$(Q)mkdir -p $(CERT_OUT)
	$(Q)$(CERT_MUTATE) --all --seed $(MUTATION_SEED) --jobs $(MUTATION_JOBS) --out $(CERT_OUT) \
		--keep $(srctree)/tools/cert/mutation-campaign.json \
		--campaign $(srctree)/tools/cert/mutation-campaign.md \
		$(if $(MUTATION_TIME_BOX),--time-box $(MUTATION_TIME_BOX))

# A configured build's memory map is linked from the index (beside the isolation report).
cert-index: $(if $(BH_NUM_CORES),$(GEN)/memory-map.svg)
	$(Q)$(CERT_PY)/index.py --out $(CERT_OUT) --parts $(CERT_PARTS)

# Runs of earlier sessions (of systems that may no longer exist) are dropped.
system-test-cov: host-tools newlib
	$(Q)mkdir -p $(O)/results
	$(Q)rm -rf $(O)/systest-cov/*/coverage-runs
	$(Q)cd $(srctree) && BULKHEAD_BUILD=$(O) BULKHEAD_COVERAGE=1 $(PYTHON) -m pytest -q -p no:cacheprovider \
		--junitxml=$(O)/results/system-cov.xml tests/system

# Every C source of the hypervisor, of the partition runtime and of bhcc, with
# the flags the build uses: the input of MISRA and static analysis. The
# hypervisor twice, as the two programs a build can link: with this system's
# interrupt controller and console driver and with the other ones
# (BH_GIC_VERSION swapped, the other console driver; the extra define tells
# the two apart), so every file of arch/$(ARCH)/ is checked in a whole program;
# each further console driver, linked by neither, as a program of its own
# (-DBH_CERT_OTHER_CONSOLE=<driver>: each defines arch_console_putc).
# bhcc's copies of the hypervisor's table builder (core/, arch/) are the
# hypervisor's files, listed once, with the hypervisor's flags. ARM64's EL2
# map and stage-2 tables are built on the host at build time
# (tools/el2map): their builders (mmu.c, stage2_build.c with pgtable.c and
# vmsa.c) are hypervisor code run elsewhere, each checked as a program of its
# own with the hypervisor's flags (BH_CERT_TABLE_BUILDER tells them apart).
CERT_GIC_OTHER = $(if $(filter 3,$(BH_GIC_VERSION)),2,3)
CERT_CONSOLE_OTHER = $(if $(filter pl011,$(BH_CONSOLE)),ns16550,pl011)
CERT_HYP_C = $(sort $(filter %.c,$(HYP_SRCS)))
CERT_HYP_ALT_C = $(subst $(BH_CONSOLE).c,$(CERT_CONSOLE_OTHER).c,$(subst gicv$(BH_GIC_VERSION).c,gicv$(CERT_GIC_OTHER).c,$(subst \
	vgic_v$(BH_GIC_VERSION).c,vgic_v$(CERT_GIC_OTHER).c,$(CERT_HYP_C))))

# The service partition serves every partition's console: its code is
# checked like the hypervisor's (a program of its own, with the runtime).
CERT_SERVICE_C = $(sort $(wildcard partitions/service/*.c partitions/service/arm64/*.c))

# An x86 build: its hypervisor (core/, arch/x86/ and the vendor back end
# Kconfig picked), the partition runtime and the service partition with
# their x86 folders: the programs cert-analysis-x86 checks.
CERT_SERVICE_X86_C = $(sort $(wildcard partitions/service/*.c partitions/service/x86/*.c))
ifeq ($(ARCH),x86)
compile-commands: $(AUTOCONF_H) $(GEN)/system.mk
	$(Q)$(PYTHON) $(srctree)/tools/cert/compdb.py --out $(O)/compile_commands.json --dir $(srctree) \
		--cc "$(HYP_CC)" --flags "$(HYP_CPPFLAGS) $(HYP_CFLAGS)" --srcs "$(CERT_HYP_C)" \
		--cc "$(GUEST_CC)" --flags "$(GUEST_CPPFLAGS) $(GUEST_CFLAGS)" --srcs "$(filter %.c,$(RT_SRCS))" \
		--cc "$(GUEST_CC)" --flags "$(GUEST_CPPFLAGS) $(GUEST_CFLAGS)" --srcs "$(CERT_SERVICE_X86_C)"
else
compile-commands: $(AUTOCONF_H) $(GEN)/system.mk
	$(Q)$(PYTHON) $(srctree)/tools/cert/compdb.py --out $(O)/compile_commands.json --dir $(srctree) \
		--cc "$(HYP_CC)" --flags "$(HYP_CPPFLAGS) $(HYP_CFLAGS)" --srcs "$(CERT_HYP_C)" \
		--cc "$(HYP_CC)" --flags "$(subst -DBH_GIC_VERSION=$(BH_GIC_VERSION),-DBH_GIC_VERSION=$(CERT_GIC_OTHER),$(HYP_CPPFLAGS)) \
			-DBH_CERT_OTHER_GIC=$(CERT_GIC_OTHER) $(HYP_CFLAGS)" \
		--srcs "$(filter $(wildcard $(CERT_HYP_ALT_C)),$(CERT_HYP_ALT_C))" \
		$(foreach d,$(filter-out $(CERT_HYP_C) $(CERT_HYP_ALT_C),$(CONSOLE_DRIVERS)),--cc "$(HYP_CC)" \
			--flags "$(HYP_CPPFLAGS) -DBH_CERT_OTHER_CONSOLE=$(basename $(notdir $(d))) $(HYP_CFLAGS)" --srcs "$(d)") \
		--cc "$(HYP_CC)" --flags "$(HYP_CPPFLAGS) -DBH_CERT_TABLE_BUILDER=el2 $(HYP_CFLAGS)" \
			--srcs "$(filter-out tools/%,$(EL2MAP_SRCS))" \
		--cc "$(HYP_CC)" --flags "$(HYP_CPPFLAGS) -DBH_CERT_TABLE_BUILDER=s2 $(HYP_CFLAGS)" \
			--srcs "$(filter-out tools/%,$(S2MAP_SRCS))" \
		--cc "$(GUEST_CC)" --flags "$(GUEST_CPPFLAGS) $(GUEST_CFLAGS)" --srcs "$(filter %.c,$(RT_SRCS))" \
		--cc "$(GUEST_CC)" --flags "$(GUEST_CPPFLAGS) $(GUEST_CFLAGS)" --srcs "$(CERT_SERVICE_C)" \
		--cc "$(HOSTCC)" --flags "$(BHCC_CFLAGS)" --srcs "$(BHCC_MAIN) $(filter-out core/% arch/%,$(BHCC_LIB_SRCS))"
endif
