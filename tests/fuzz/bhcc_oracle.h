/* SPDX-License-Identifier: MIT */
/*
 * The isolation oracle of the bhcc fuzz target: it re-reads what bhcc wrote
 * for a description it accepted (gen/config.c, gen/isolation.md) and the
 * input blob, with a parser of its own, and checks what the tables promise:
 * nothing shared between partitions or with the hypervisor (RAM, devices,
 * interrupts, cores), but for the shared-memory regions the blob declares,
 * mapped by exactly the partitions, at the addresses and with the rights it
 * declares, the channels it declares or its console properties ask for,
 * each end mapping each page with exactly the rights the channel layout
 * gives it, and the console UART and its interrupt, which only the service
 * partition may take; every guest range where the partition can use it, and
 * the hypervisor's real table builder (vmsa_map, arch/arm64/vmsa.c) able to build
 * every stage-2 table and the EL2 map in the pools bhcc counted.
 */
#ifndef FUZZ_BHCC_ORACLE_H
#define FUZZ_BHCC_ORACLE_H

#include <stddef.h>

/**
 * Checks the outputs in @gendir of a run that accepted @blob; the pools are
 * what system.mk says (BH_S2_POOL_PAGES, BH_EL2_POOL_PAGES), which must agree
 * with isolation.md. Returns NULL, or a description of the first broken promise.
 */
const char *bhcc_oracle_check(const char *gendir, const void *blob, size_t size);

#endif
