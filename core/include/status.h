/* SPDX-License-Identifier: MIT */
/*
 * Status codes of core's operations. Each architecture maps them onto its own
 * guest interface (ARM64: PSCI return codes in arch/arm64/psci.c; x86: its
 * INIT/SIPI semantics), so that core never speaks a firmware's numbers.
 */
#ifndef BULKHEAD_STATUS_H
#define BULKHEAD_STATUS_H

enum core_status {
	/** Done as asked. */
	CORE_OK = 0,
	/** An argument names nothing the caller may use (a vCPU, an interrupt, a kind). */
	CORE_ERR_INVALID = -1,
	/** A guest address lies outside the memory the operation needs. */
	CORE_ERR_ADDRESS = -2,
	/** Refused in the current state (e.g. the partition is not running). */
	CORE_ERR_DENIED = -3,
	/** The vCPU to start is already running. */
	CORE_ERR_ALREADY_ON = -4,
	/** The vCPU to start is already being started. */
	CORE_ERR_ON_PENDING = -5,
	/** A bounded resource is full (a cpu's message queue); try again later. */
	CORE_ERR_BUSY = -6,
	/** The hardware or firmware refused or failed. */
	CORE_ERR_HW = -7,
};

#endif /* BULKHEAD_STATUS_H */
