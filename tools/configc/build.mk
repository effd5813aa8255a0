# SPDX-License-Identifier: MIT
# bhcc, the Bulkhead config compiler: a host program on libfdt that validates
# the system description and generates the hypervisor's constant tables.
#
# Its front end (tools/configc/*.c: parsing, validation, placement, reports)
# is the same for every architecture; the back end of the one it compiles
# for comes from tools/configc/$(BHCC_ARCH)/ (the interrupt controller and
# cpus of the board, the address spaces, the table pools, the guest
# description, the architecture's part of the tables), whose backend.mk sets
# BHCC_BACK_SRCS, BHCC_BACK_INCLUDES and BHCC_BACK_HEADERS.

HOSTCC ?= gcc
# The configured architecture's back end (CONFIG_ARCH, read here because
# this file comes before the configuration is included); arm64 without one.
# Each back end's bhcc has its own name, so that one build folder never runs
# another architecture's.
BHCC_ARCH ?= $(or $(shell sed -n 's/^CONFIG_ARCH="\(.*\)"$$/\1/p' $(KCONFIG_CONFIG) 2>/dev/null),arm64)
BHCC := $(O)/host/bhcc$(if $(filter-out arm64,$(BHCC_ARCH)),-$(BHCC_ARCH))
BHCC_MAIN := tools/configc/main.c
BHCC_FRONT_SRCS := $(filter-out $(BHCC_MAIN),$(wildcard tools/configc/*.c))
BHCC_FRONT_HEADERS := $(wildcard tools/configc/*.h) core/include/cfg.h include/bulkhead/channel.h
include tools/configc/$(BHCC_ARCH)/backend.mk
BHCC_LIB_SRCS := $(BHCC_FRONT_SRCS) $(BHCC_BACK_SRCS)
BHCC_HEADERS := $(BHCC_FRONT_HEADERS) $(BHCC_BACK_HEADERS)
BHCC_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -O2 -g -Icore/include -Iinclude -Itools/configc \
	$(BHCC_BACK_INCLUDES)

$(BHCC): $(BHCC_MAIN) $(BHCC_LIB_SRCS) $(BHCC_HEADERS) tools/configc/build.mk tools/configc/$(BHCC_ARCH)/backend.mk
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(BHCC_CFLAGS) $(BHCC_MAIN) $(BHCC_LIB_SRCS) -o $@ -lfdt
