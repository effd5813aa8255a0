/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlock: fair, so one partition hammering the console cannot
 * starve another. Only for short sections that never trap or power off.
 */
#ifndef BULKHEAD_SPINLOCK_H
#define BULKHEAD_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include "arch.h"

struct spinlock {
	uint32_t next;
	uint32_t owner;
};

#define SPINLOCK_INIT { 0u, 0u }

/* Implements: infrastructure */
static inline void spin_lock(struct spinlock *l)
{
	uint32_t ticket = __atomic_fetch_add(&l->next, 1u, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket) {
		arch_cpu_relax();
	}
}

/** Takes the lock only if it is free now (no ticket is drawn otherwise). */
/* Implements: infrastructure */
static inline bool spin_trylock(struct spinlock *l)
{
	uint32_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	uint32_t free_ticket = owner;

	return __atomic_compare_exchange_n(&l->next, &free_ticket, owner + 1u, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

/* Implements: infrastructure */
static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1u, __ATOMIC_RELEASE);
}

#endif /* BULKHEAD_SPINLOCK_H */
