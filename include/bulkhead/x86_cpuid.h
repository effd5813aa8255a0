/* SPDX-License-Identifier: MIT */
/*
 * The Bulkhead CPUID leaves on x86 (arch/x86/README.md), shared by the
 * hypervisor (arch/x86/svm_exit.c) and the partition runtime
 * (partitions/runtime/x86), so that the two can never disagree again:
 *
 *   0x40000000  EAX the highest Bulkhead leaf (BH_X86_CPUID_TSC_KHZ);
 *               EBX, ECX, EDX the signature "BulkheadBHyp"
 *   0x40000001  EAX the partition id, EBX the vCPU index
 *   0x40000010  EAX the TSC frequency in kHz (the "timing leaf" of
 *               VMware's and KVM's convention), 0 when not calibrated;
 *               EBX the local APIC timer's clock in kHz, the same rate
 *   others up to 0x400000ff: all zero
 */
#ifndef BULKHEAD_X86_CPUID_H
#define BULKHEAD_X86_CPUID_H

#define BH_X86_CPUID_BASE 0x40000000u
#define BH_X86_CPUID_IDS 0x40000001u
#define BH_X86_CPUID_TSC_KHZ 0x40000010u
#define BH_X86_SIGNATURE_EBX 0x6b6c7542u   /* "Bulk" */
#define BH_X86_SIGNATURE_ECX 0x64616568u   /* "head" */
#define BH_X86_SIGNATURE_EDX 0x70794842u   /* "BHyp" */

#endif /* BULKHEAD_X86_CPUID_H */
