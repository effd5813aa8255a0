/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 part of the partition runtime's interface (bhrt.h includes it):
 * calls to the hypervisor with VMMCALL (arch/x86/README.md: the function id
 * in rax, arguments in rdi, rsi, rdx, rcx; results in rax, rdi, rsi, rdx),
 * behind the same rt_hvc() and result structure as arm64's SMCCC calls so
 * that the architecture-neutral runtime and programs do not change.
 */
#ifndef BHRT_ARCH_H
#define BHRT_ARCH_H

#include <stdint.h>
#include <bulkhead/x86_cpuid.h>

/** The first four result registers (rax, rdi, rsi, rdx), named as arm64's x0..x3. */
struct rt_smccc_res {
	int64_t x0;
	uint64_t x1;
	uint64_t x2;
	uint64_t x3;
};

/** VMMCALL with the hypercall ABI of arch/x86/README.md. */
struct rt_smccc_res rt_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/**
 * A full barrier between this vCPU's earlier and later memory accesses
 * (stores before loads included), as seen by the other partitions' cores
 * (MFENCE).
 */
void rt_full_barrier(void);

/**
 * CPUID leaf 0x40000000's signature (EBX, ECX, EDX) by which the runtime
 * knows it runs under Bulkhead: the hypervisor's own, "BulkheadBHyp"
 * (include/bulkhead/x86_cpuid.h). Anything else (no hypervisor, QEMU's TCG
 * or KVM) is native.
 */
#define RT_X86_SIGNATURE_EBX BH_X86_SIGNATURE_EBX
#define RT_X86_SIGNATURE_ECX BH_X86_SIGNATURE_ECX
#define RT_X86_SIGNATURE_EDX BH_X86_SIGNATURE_EDX

#endif /* BHRT_ARCH_H */
