# SPDX-License-Identifier: MIT
# The x86 port's pure parts on the host: its page-table format (arch/x86/x86_pt.c,
# core's builder instantiated for the hypervisor's map and the nested tables)
# and the instruction-length decoder of the SVM exits (arch/x86/insn.c), and
# the guests' local APIC timer arithmetic (arch/x86/include/vtimer_calc.h).
UNIT_TESTS += x86_pt x86_insn x86_vtimer
UT_x86_pt_SRCS := tests/unit/test_x86_pt.c arch/x86/x86_pt.c core/pgtable.c
UT_x86_pt_CFLAGS := -Iarch/x86/include
UT_x86_insn_SRCS := tests/unit/test_x86_insn.c arch/x86/insn.c
UT_x86_insn_CFLAGS := -Iarch/x86/include
UT_x86_vtimer_SRCS := tests/unit/test_x86_vtimer.c
UT_x86_vtimer_CFLAGS := -Iarch/x86/include

# The PCI configuration filter (arch/x86/pci.c) against a simulated mechanism #1: the test's
# x86.h (tests/unit/x86_pci/) stands in for the port accessors, found before arch/x86/include's.
UNIT_TESTS += x86_pci
UT_x86_pci_SRCS := tests/unit/test_x86_pci.c arch/x86/pci.c core/emul.c
UT_x86_pci_CFLAGS := -Itests/unit/x86_pci -Iarch/x86/include
