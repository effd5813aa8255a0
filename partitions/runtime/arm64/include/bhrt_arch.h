/* SPDX-License-Identifier: MIT */
/*
 * The arm64 part of the partition runtime's interface (bhrt.h includes it):
 * calls to the hypervisor and the firmware with the SMC Calling Convention.
 */
#ifndef BHRT_ARCH_H
#define BHRT_ARCH_H

#include <stdint.h>

/** Registers x0..x3 returned by an SMCCC call. */
struct rt_smccc_res {
	int64_t x0;
	uint64_t x1;
	uint64_t x2;
	uint64_t x3;
};

/** HVC #0 with the SMC Calling Convention. */
struct rt_smccc_res rt_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
/** SMC #0 with the SMC Calling Convention (the hypervisor traps it). */
struct rt_smccc_res rt_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/**
 * A full barrier between this vCPU's earlier and later memory accesses
 * (stores before loads included), as seen by the other partitions' cores:
 * what a "tell the peer, then look again" handshake needs (DMB ISH).
 */
void rt_full_barrier(void);

/**
 * The vector (0-15: current EL with SP0, current EL with SPx, lower EL
 * AArch64, lower EL AArch32; each synchronous, IRQ, FIQ, SError) of the last
 * exception handed to the exception hook, on whichever vCPU: for a hook that
 * checks where an exception arrived (an injected one, say).
 */
uint32_t rt_exception_vector(void);

/**
 * The EL1 registers as vCPU 0 found them at its entry, before the runtime set any of them:
 * SCTLR, TCR, TTBR0, TTBR1, MAIR, AMAIR, CPACR and VBAR (_EL1), in that order. What a partition
 * is started (or restarted) with, for a program that checks it.
 */
extern uint64_t rt_entry_el1[8];

#endif /* BHRT_ARCH_H */
