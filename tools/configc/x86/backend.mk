# SPDX-License-Identifier: MIT
# bhcc's x86 back end: the I/O APIC, x2APIC ids and I/O-port devices of the
# board, each partition's port ranges, and the nested page tables' pool
# counted by the hypervisor's own builder (core/pgtable.c with
# arch/x86/x86_pt.c).
BHCC_BACK_SRCS := $(wildcard tools/configc/x86/*.c) tools/configc/plain/partition_plain.c core/pgtable.c arch/x86/x86_pt.c
BHCC_BACK_INCLUDES := -Itools/configc/x86 -Iarch/x86/include
BHCC_BACK_HEADERS := $(wildcard tools/configc/x86/*.h) arch/x86/include/cfg_arch.h \
	arch/x86/include/x86_pt.h core/include/pgtable.h core/include/pgtable_build.h
