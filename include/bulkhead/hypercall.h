/* SPDX-License-Identifier: MIT */
/*
 * Bulkhead guest ABI: hypercall function identifiers and return codes.
 *
 * Shared by the hypervisor and by guests. On ARM64 a hypercall is `HVC #0`
 * following the SMC Calling Convention (SMCCC 1.1): function id in x0,
 * arguments in x1..x6, results in x0..x3. Bulkhead's own calls live in the
 * SMCCC "vendor-specific hypervisor service" range (owner 6). PSCI calls are
 * accepted through both HVC and SMC.
 *
 * Every call returns a status in x0: BH_OK (0) or a negative BH_ERR_* code.
 * Unknown function ids return BH_ERR_NOT_SUPPORTED, as SMCCC requires.
 */
#ifndef BULKHEAD_HYPERCALL_H
#define BULKHEAD_HYPERCALL_H

/* SMCCC function-id layout: fast call, 64-bit convention, owner 6. */
#define BH_SMCCC_FAST          0x80000000u
#define BH_SMCCC_64            0x40000000u
#define BH_SMCCC_OWNER_SHIFT   24u
#define BH_SMCCC_OWNER_MASK    0x3fu
#define BH_SMCCC_OWNER_ARCH    0u
#define BH_SMCCC_OWNER_PSCI    4u
#define BH_SMCCC_OWNER_VENDOR_HYP 6u

#define BH_HC_ID(n) (BH_SMCCC_FAST | BH_SMCCC_64 | ((unsigned int)BH_SMCCC_OWNER_VENDOR_HYP << BH_SMCCC_OWNER_SHIFT) | (n))

/** Returns the ABI version in x1 (major << 16 | minor). Cheapest call: the null hypercall. */
#define BH_HC_VERSION          BH_HC_ID(0x0000u)
/** x1 = one character. Writes it to the partition's debug-console line. */
#define BH_HC_CONSOLE_PUTC     BH_HC_ID(0x0001u)
/**
 * x1 = guest-physical address of a buffer, x2 = its length in bytes.
 * Writes the buffer to the debug console; returns the number of bytes
 * consumed in x1 (at most BH_CONSOLE_WRITE_MAX per call).
 */
#define BH_HC_CONSOLE_WRITE    BH_HC_ID(0x0002u)
/**
 * Describes the caller: x1 = partition id, x2 = the caller's vCPU index in
 * bits 31:0 and the partition's vCPU count in bits 63:32, x3 = how many
 * times the partition has been restarted since the board booted.
 */
#define BH_HC_PARTITION_INFO   BH_HC_ID(0x0003u)
/**
 * x1 = an incident kind (BH_INCIDENT_*). Returns in x1 how many incidents of
 * that kind the hypervisor has counted for the calling partition since the
 * board booted (restarts keep them); an unknown kind returns INVALID_PARAM.
 */
#define BH_HC_INCIDENTS        BH_HC_ID(0x0004u)

/**
 * x1 = a channel id (its guest device-tree node's `bulkhead,channel-id`).
 * Rings the doorbell of the channel's other end: raises that end's
 * doorbell interrupt in its configured vCPU (a hypervisor end acts on it
 * instead). Everything the caller wrote to the channel before the call is
 * visible to the peer when its interrupt arrives. Returns OK,
 * INVALID_PARAM (no such channel), DENIED (the caller is not an end of it,
 * or the peer is not running, or its cpu's message queue is full).
 */
#define BH_HC_DOORBELL         BH_HC_ID(0x0005u)
/**
 * Service partition only (others: DENIED). x1 = a partition id. Returns in
 * x1 its state (BH_PARTITION_*) in bits 7:0, its vCPU count in bits 15:8,
 * whether the service partition may stop/restart it in bit 16 and the mask
 * of cores it runs on in bits 63:32; in x2 its restarts since boot; in x3
 * the faults counted for it (BH_INCIDENT_FAULT). INVALID_PARAM: no such
 * partition.
 */
#define BH_HC_PARTITION_STATUS BH_HC_ID(0x0006u)
/**
 * Service partition only. x1 = a partition id, x2 = BH_CONTROL_STOP or
 * BH_CONTROL_RESTART. DENIED unless the system description lets the
 * service partition control that partition (`service-control`) and it is
 * not the service partition itself; INVALID_PARAM for an unknown id or
 * action. The request is carried out asynchronously on the target's cores.
 */
#define BH_HC_PARTITION_CONTROL BH_HC_ID(0x0007u)

/* Partition states (BH_HC_PARTITION_STATUS). */
#define BH_PARTITION_OFF       0u   /* not started yet, or being reloaded for a restart */
#define BH_PARTITION_RUNNING   1u   /* running, or being stopped (maybe to restart) */
#define BH_PARTITION_STOPPED   2u   /* stopped by a fault, a PSCI SYSTEM_OFF or a control request: for good
					unless the service partition restarts it */

#define BH_CONTROL_STOP        0u
#define BH_CONTROL_RESTART     1u

/**
 * Test builds only (CONFIG_TEST_HYPERCALLS; otherwise NOT_SUPPORTED, as any
 * unknown call): x1 = a vCPU index of the caller's own partition, x2 = a
 * virtual interrupt (ARM64: an SGI, 0-15, not 15 with direct delivery).
 * Raises it in that vCPU the way the hypervisor raises its own (restart
 * notifications, channels): on the caller's cpu directly, on another by a
 * message to it. Raises merge while one is pending. Returns OK,
 * INVALID_PARAM (no such vCPU or interrupt) or DENIED (that vCPU is off,
 * or its cpu's message queue is full).
 */
#define BH_HC_TEST_RAISE       BH_HC_ID(0x00f0u)

/**
 * Test builds only (CONFIG_FAULT_INJECTION; otherwise NOT_SUPPORTED, as any
 * unknown call): x1 = a fault injection point (BH_FAULT_*), which the
 * hypervisor arms; it fires once, the next time the hypervisor passes it
 * (docs/safety/fault-injection.md). Returns OK, or INVALID_PARAM for an
 * unknown point. A point that fires on this call's way back to the caller
 * never returns.
 */
#define BH_HC_TEST_FAULT       BH_HC_ID(0x00f1u)

/* Fault injection points (BH_HC_TEST_FAULT). */
#define BH_FAULT_S2_TABLE_ALLOC 0u  /* the next stage-2 mapping finds the table pool exhausted */
#define BH_FAULT_EL2_SYNC       1u  /* on the way back: a load at EL2 from an address the EL2 map lacks */
#define BH_FAULT_GUEST_SERROR   2u  /* on the way back: the caller's SError, through the EL2 vector */
#define BH_FAULT_LR_CORRUPT     3u  /* on the way back: a list register in use made to hold a foreign interrupt */
#define BH_FAULT_STUCK_CORE     4u  /* the next core told to stop for its partition's stop never stops */
#define BH_FAULT_GIC_STUCK      5u  /* GICv3: the next wait for the interrupt controller finds it busy for good */
#define BH_FAULT_POINTS         6u

/* Incident kinds: what the hypervisor refused or contained for a partition. */
#define BH_INCIDENT_CALL         0u  /* a hypercall, PSCI or SMC call refused with an error */
#define BH_INCIDENT_REGISTER     1u  /* a system register or instruction refused: undefined instruction */
#define BH_INCIDENT_INTERRUPT    2u  /* an interrupt controller access beyond what it owns, refused */
#define BH_INCIDENT_CONSOLE      3u  /* a console call refused */
#define BH_INCIDENT_FAULT        4u  /* a fault, contained by the fault policy */
#define BH_INCIDENT_INTERFERENCE 5u  /* an outside effect on its interrupts, contained */
#define BH_INCIDENT_KINDS        6u

/* SMCCC-mandated queries in the vendor hypervisor range. */
#define BH_HC_CALL_COUNT       0x8600ff00u
#define BH_HC_CALL_UID         0x8600ff01u
#define BH_HC_REVISION         0x8600ff03u

/* The UID returned by BH_HC_CALL_UID in x0..x3 (a random UUID, fixed forever). */
#define BH_UID_0 0x6c4b7562u
#define BH_UID_1 0x6865a41du
#define BH_UID_2 0x8f1e4a0cu
#define BH_UID_3 0x9e2d5b71u

#define BH_ABI_MAJOR 1u
#define BH_ABI_MINOR 1u

#define BH_CONSOLE_WRITE_MAX 256u

/* Return codes (x0). */
#define BH_OK                     0
#define BH_ERR_NOT_SUPPORTED    (-1)
#define BH_ERR_INVALID_PARAM    (-2)
#define BH_ERR_INVALID_ADDRESS  (-3)
#define BH_ERR_DENIED           (-4)

#endif /* BULKHEAD_HYPERCALL_H */
