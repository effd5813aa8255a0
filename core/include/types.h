/* SPDX-License-Identifier: MIT */
/*
 * Basic types. Each address space has its own type so that mixing a
 * guest-physical with a host-physical address does not compile.
 */
#ifndef BULKHEAD_TYPES_H
#define BULKHEAD_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Host-physical address. */
typedef struct { uint64_t pa; } paddr_t;
/** Guest-physical address (ARM: intermediate physical address). */
typedef struct { uint64_t ipa; } ipaddr_t;

/* Implements: infrastructure */
static inline paddr_t pa_init(uint64_t v) { return (paddr_t){ v }; }
/* Implements: infrastructure */
static inline ipaddr_t ipa_init(uint64_t v) { return (ipaddr_t){ v }; }
/* Implements: infrastructure */
static inline uint64_t pa_addr(paddr_t a) { return a.pa; }
/* Implements: infrastructure */
static inline uint64_t ipa_addr(ipaddr_t a) { return a.ipa; }

/* The hypervisor maps host memory one to one, so a host-physical address is
 * also the hypervisor's pointer to it. */
/* Implements: infrastructure */
static inline void *pa_ptr(paddr_t a) { return (void *)(uintptr_t)a.pa; }
/* Implements: infrastructure */
static inline paddr_t pa_from_ptr(const void *p) { return (paddr_t){ (uint64_t)(uintptr_t)p }; }

#define UNUSED(x) ((void)(x))
#define NORETURN _Noreturn

#endif /* BULKHEAD_TYPES_H */
