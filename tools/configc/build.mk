# bhcc, the Bulkhead config compiler: a host program on libfdt that validates
# the system description and generates the hypervisor's constant tables.

HOSTCC ?= gcc
BHCC := $(O)/host/bhcc
BHCC_MAIN := tools/configc/main.c
BHCC_LIB_SRCS := $(filter-out $(BHCC_MAIN),$(wildcard tools/configc/*.c))
BHCC_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -O2 -g -Icore/include -Iarch/arm64/include -Itools/configc

$(BHCC): $(BHCC_MAIN) $(BHCC_LIB_SRCS) $(wildcard tools/configc/*.h) core/include/cfg.h arch/arm64/include/cfg_arch.h
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(BHCC_CFLAGS) $(BHCC_MAIN) $(BHCC_LIB_SRCS) -o $@ -lfdt
